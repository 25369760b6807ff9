"""Held-out reports: fictional layouts written to measure how the parser generalises.

The corpus scorer only says how well the parser fits the reports it was studied on. Each set
under tests/fixtures/heldout*/ was written by someone who never read the parser, and scored
blind once. Blind scores (the scorer's SUMMARY fields):

- heldout:  item_f1=0.714 report_f1=0.828 status=0.833 completed=0.875 task_id=0.875
            files_f1=0.868 target=0.643
- heldout2: item_f1=0.757 report_f1=0.833 status=0.800 completed=0.850 task_id=0.950
            files_f1=0.952 target=0.429
- heldout3 (2026-11-25): item_f1=0.897 report_f1=0.909 status=0.947 completed=0.947
            task_id=0.895 files_f1=0.951 target=0.615
- heldout4 (2026-11-26, agent styles far from the corpus: PR summaries, Cline/Roo/Gemini/Jules/
            Amp answers, footnotes): item_f1=0.727 report_f1=0.778 status=0.714
            completed=0.929 task_id=0.571 files_f1=0.831 target=0.250
- heldout5 (2026-11-26, the corpus families written by other hands: RALPH summaries, GSD plan
            summaries and a phase VERIFICATION report, completion reports, Codex/Claude Code
            summaries): item_f1=0.929 report_f1=0.957 status=1.000 completed=0.952 task_id=0.952
            files_f1=1.000 target=0.923
- heldout6 (2026-11-26, longer and messier reports of the same families: pasted test logs, subtask
            tables, "deferred" as code, a GSD VERIFICATION with gaps and human checks):
            item_f1=0.864 report_f1=0.923 status=0.955 completed=0.909 task_id=0.955
            files_f1=0.995 target=0.737
- heldout7 (2026-11-26, precision traps: careful agents, words that look like deferrals, a GSD
            UAT file): item_f1=0.571 report_f1=0.737 status=0.909 completed=0.909 task_id=0.909
            files_f1=0.965 target=0.833
- heldout8 (2026-11-26, recall in the same families: many ways of saying something is still
            owed, two RALPH harnesses, a YAML header block): item_f1=0.682 report_f1=0.800
            status=0.958 completed=0.958 task_id=1.000 files_f1=0.958 target=0.733
- heldout9 (2026-11-26, the corpus's proportions: one long RALPH loop, GSD summaries, a few
            completion reports): item_f1=0.791 report_f1=0.889 status=1.000 completed=0.964
            task_id=1.000 files_f1=1.000 target=0.882
- heldout10 (2026-11-26, other agents' per-task files: T-031, SS-08, "4.1-done", completion
            notes appended to task files): item_f1=0.552 report_f1=0.636 status=0.760
            completed=0.720 task_id=0.560 files_f1=0.879 target=0.625

After each blind measurement general rules were widened (for heldout4 so far: tracker keys as
task ids and targets, path-led and ticked file lists, "`x.py` added", "done with open items" as
partial, "now run and pass" and "Manual run: <result>" as checks done, a prose answer naming
the key it delivers or wrapped in its tool's tags, quotes paired in order; for heldout5: "cannot be
done or tested", numbered "Open Items", a section's lone entry naming its obstacle, a hard wrap
before a capital, a missing certificate as credentials, a team's review as manual, GSD phase
VERIFICATION reports; for heldout6: "0 skipped" in a pass, files named "deferred", an approved
human-verify checkpoint, "<scope> pending", bold-named numbered checks, GSD gaps, re-enabling a
test in a later task, QA sign-off as manual, a subtask row's own id, milestone ids, fractions of
seconds, man pages; for heldout7: checks done this session, "not affected", removed TODOs, "Manual
test performed:", a warned check not run, "queued as Task N", "not ported in this task", a
sentence continued after ";", GSD UAT files, dotted metadata lines, "with caveats"; for heldout8:
fakes "for now", a mock whose real client is a later task, the next-track mark, "before go-live",
"deferred:"/"Known gap:" labels, suites not executed, "Can't verify ... here", sign-offs still
needed, "only the owner can submit", "should be a follow-up", a check that now runs, a YAML
header block, Created:/Modified: lines under a Files heading, SvelteKit route files; for heldout9:
checks "now done", "Manual check with ...:"/"Manual run with ...", stubs resolved by this plan
or arriving with a later one, work left to whoever manages a thing, builds failing in this
container, installs on production by ops, "planned as KEY", a byline's date; for heldout10:
one-letter keys (T-031) and ids in titles without the word "task", "Status — done (date)", a
one-row result table, a verdict under a one-line description, "When:", "Wrapped up", a
completion sentence inside a line, "not tried", "is owed", "only ran in the Simulator", a
failed check, placeholders that belong to a later task, "Not fixed here", checks "passing now"
and run by hand in a tool), each tested
on new fictional lines in test_deferred.py /
test_fields.py / test_files.py / test_timestamps.py (never on the set's own text), so none of
the sets is blind any more. The floors sit a little below what the parser scores now: a drop
below one means a change made the parser worse on layouts it was not built from.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCORER = REPO.parent / "shared" / "eval" / "score.py"
FIXTURES = REPO / "tests" / "fixtures"

BASE_FLOOR = {"status": 0.95, "task_id": 0.95, "completed": 0.95, "files_f1": 0.95,
              "report_f1": 0.90, "item_f1": 0.90, "target": 0.85}
"""What every set must keep; FLOORS names only where a set departs from it."""

FLOORS: dict[str, dict[str, float]] = {name: {**BASE_FLOOR, **departures} for name, departures in {
    "heldout": {},
    "heldout2": {},
    "heldout3": {"status": 0.90, "completed": 0.90},
    "heldout4": {"task_id": 0.90, "completed": 0.85, "files_f1": 0.90, "item_f1": 0.80, "target": 0.60},
    "heldout5": {"report_f1": 0.95, "item_f1": 0.95, "target": 0.90},
    "heldout6": {"report_f1": 0.92, "item_f1": 0.93},
    "heldout7": {"task_id": 0.90, "files_f1": 0.93, "report_f1": 0.95, "item_f1": 0.95, "target": 0.75},
    "heldout8": {"report_f1": 0.95, "item_f1": 0.93, "target": 0.75},
    "heldout9": {"report_f1": 0.93, "item_f1": 0.93, "target": 0.90},
    "heldout10": {"status": 0.90, "completed": 0.90, "files_f1": 0.85, "report_f1": 0.85, "item_f1": 0.85,
                  "target": 0.45},
}.items()}


def _labels(name: str) -> list[dict]:
    text = (FIXTURES / name / "labels.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def summaries() -> dict[str, dict[str, float]]:
    if not SCORER.exists():
        pytest.skip("../shared/eval/score.py is absent")
    cmd = f"{sys.executable} -m tracker parse --json"
    out: dict[str, dict[str, float]] = {}
    for name in FLOORS:
        folder = FIXTURES / name
        proc = subprocess.run(
            [sys.executable, str(SCORER), str(folder / "labels.jsonl"), str(folder), "--cmd", cmd],
            capture_output=True, text=True, cwd=REPO, timeout=300,
        )
        match = re.search(r"^SUMMARY (.*)$", proc.stdout, re.MULTILINE)
        assert match, f"{name}: scorer printed no SUMMARY line:\n{proc.stdout}\n{proc.stderr[-2000:]}"
        out[name] = {key: float(value) for key, value in re.findall(r"(\w+)=([0-9.]+)", match.group(1))}
    return out


@pytest.mark.parametrize(("name", "metric"), [(n, m) for n, floors in FLOORS.items() for m in sorted(floors)])
def test_heldout_metric_stays_above_floor(summaries: dict[str, dict[str, float]], name: str,
                                          metric: str) -> None:
    value, floor = summaries[name][metric], FLOORS[name][metric]
    assert value >= floor, f"{name}: {metric}={value:.3f} < floor {floor}"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_every_report_is_labelled_and_every_labelled_line_exists(name: str) -> None:
    folder = FIXTURES / name
    labels = _labels(name)
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")}
    assert {label["file"] for label in labels} == on_disk
    for label in labels:
        n_lines = len((folder / label["file"]).read_text(encoding="utf-8").splitlines())
        for item in label["deferred"]:
            assert item["lines"] and all(1 <= n <= n_lines for n in item["lines"]), label["file"]
        assert label["has_deferred"] == bool(label["deferred"]), label["file"]
