"""The closer on real reports: never a false close on the labelled corpus; the sample story closes.

Open items are built from the labels (so this measures closing, not detection) and matched
against the later reports of their project, as ingest does. Skips when the corpus is absent.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tracker.lifecycle import apply_closure, best_closure, closures_for_item, item_flags, open_item
from tracker.parse.pipeline import parse_file, read_report_text

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "sample_reports"


def load_eval():
    spec = importlib.util.spec_from_file_location("closures_eval", ROOT / "bench" / "closures_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (CORPUS / "closures.jsonl").exists(), reason="shared corpus absent")
def test_no_false_close_on_the_real_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    closures_eval = load_eval()
    outcome = closures_eval.evaluate(CORPUS)
    with capsys.disabled():
        print(f"\n{outcome.summary()}")
    assert outcome.false_closes == []
    assert outcome.precision == 1.0
    assert outcome.items == 64
    assert outcome.closed >= 2  # the passing typecheck/lint and the full go build are found


@pytest.mark.skipif(not (SAMPLE / "closures.jsonl").exists(), reason="sample reports absent")
def test_sample_project_closures_match_the_labels() -> None:
    closures_eval = load_eval()
    outcome = closures_eval.evaluate(SAMPLE, single_project=True)
    assert outcome.false_closes == []
    assert (outcome.labelled_closed, outcome.closed_right_file) == (2, 2)


@pytest.mark.skipif(not (CORPUS / "closures.jsonl").exists(), reason="shared corpus absent")
def test_rules_stay_tight_when_every_report_could_close_every_item() -> None:
    """Each detected item against every other report (any project), forced later and as target:
    the only closes are pairs the labels say close."""
    closures_eval = load_eval()
    labelled = set()
    for line in (CORPUS / "closures.jsonl").read_text().splitlines():
        entry = json.loads(line)
        if entry["closed_by"]:
            labelled.add((entry["item_file"], entry["closed_by"]["file"]))
    for close in closures_eval.all_pairs(CORPUS):
        item, _, closer = close.partition(" <- ")
        pair = (item.split(":")[0], closer.split(":")[0])
        assert pair in labelled, close


@pytest.mark.skipif(not (CORPUS / "tynebase").is_dir(), reason="shared corpus absent")
def test_tynebase_docker_items_stay_open_with_target_not_reported() -> None:
    """Task 3.6 defers its Docker checks to 3.7, which never reports: nothing may close them."""
    reports = [(parse_file(p), read_report_text(p)) for p in sorted((CORPUS / "tynebase").glob("task*.md"))]
    deferring = next(r for r, _ in reports if r.task.id == "3.6")
    docker = [d for d in deferring.deferred if d.target == "3.7"]
    assert docker, "the detector finds the 3.6 deferrals to task 3.7"
    for found in docker:
        item = open_item(found, deferring, "tynebase")
        best = best_closure(closures_for_item(item, reports))
        if best is not None:
            item = apply_closure(item, best).item
        assert item.state in ("open", "candidate"), best
        flags = item_flags(item, [r for r, _ in reports])
        assert flags.target_not_reported and not flags.missed
        assert flags.tasks_since > 0
