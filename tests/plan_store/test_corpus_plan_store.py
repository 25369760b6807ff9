"""The real Tynebase RALPH plan and both GSD roadmaps, imported into the store beside their real
reports and read back through `tracker plan --format json`. Skipped without ../shared/corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"
TYNEBASE = CORPUS / "tynebase"

pytestmark = pytest.mark.skipif(not (TYNEBASE / "RALPH.md").is_file(),
                                reason="../shared/corpus is not present")


@pytest.fixture
def tynebase(run_cli) -> dict:
    ingested = run_cli("ingest", str(TYNEBASE), "--glob", "task*.md").stdout.splitlines()
    assert ingested[0] == "ingested 59, unchanged 0, failed 0"
    imported = run_cli("plan", "import", str(TYNEBASE / "RALPH.md"))
    assert imported.exit_code == 0, imported.stderr
    assert "109 tasks in 14 phases" in imported.stdout and "project tynebase" in imported.stdout
    result = run_cli("plan", "--project", "tynebase", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (view,) = json.loads(result.stdout)
    return view


def test_109_planned_tasks_and_59_reports_all_planned(tynebase: dict) -> None:
    assert tynebase["planned"] == 109
    assert tynebase["reported"] == 59
    assert tynebase["unplanned"] == [] and tynebase["unidentified"] == []


def test_phases_7_to_13_are_missing(tynebase: dict) -> None:
    phases = {p["phase"]: p for p in tynebase["phases"]}
    for number in range(7, 14):
        phase = phases[str(number)]
        assert phase["reported"] == 0 and len(phase["missing"]) == phase["planned"] > 0
        assert not phase["deferred"]
    assert phases["14"]["deferred"]  # the plan itself puts phase 14 off
    for number in range(1, 7):
        assert phases[str(number)]["missing"] == []
    due = {m["phase"] for m in tynebase["missing"] if not m["phase_deferred"]}
    assert due == {str(n) for n in range(7, 14)}


def test_3_6_items_are_target_not_in_plan(tynebase: dict) -> None:
    stray = [t for t in tynebase["targets_not_in_plan"] if t["task_id"] == "3.6"]
    assert stray and {t["target"] for t in stray} == {"3.7"}
    assert all(t["source"].endswith("task3_6.md") for t in stray)
    phase3 = next(p for p in tynebase["phases"] if p["phase"] == "3")
    assert phase3["targets_not_in_plan"]
    assert all(s.startswith("3.6 → 3.7") for s in phase3["targets_not_in_plan"])


def test_3_5_validation_is_not_evidenced(tynebase: dict) -> None:
    verdict = next(e for e in tynebase["evidence"] if e["task_id"] == "3.5")
    assert verdict["verdict"] == "no evidence"
    assert verdict["validation"] == "`fly deploy` succeeds, both processes running in dashboard"
    assert verdict["report_status"] == "pass"


def test_status_and_show_carry_the_plan(tynebase: dict, run_cli) -> None:
    status = json.loads(run_cli("status", "--project", "tynebase", "--format", "json").stdout)
    plan = status[0]["plan"]
    assert (plan["planned"], plan["reported"]) == (109, 59)
    assert plan["missing_phases"] == [str(n) for n in range(7, 14)]
    shown = json.loads(run_cli("show", "3.5", "--project", "tynebase", "--format", "json").stdout)
    assert shown["plan"]["validation"] == "`fly deploy` succeeds, both processes running in dashboard"
    assert shown["plan"]["verdict"] == "no evidence"
    table = run_cli("show", "3.5", "--project", "tynebase").stdout
    assert "plan validation" in table and "fly deploy" in table


@pytest.mark.parametrize(("project", "missing", "unplanned"), [
    ("gsd_a", ["03-01", "04-03", "05-01"], ["06-02", "06-03"]),
    ("gsd_b", ["01-02"], []),
])
def test_gsd_roadmaps_match_their_summaries(run_cli, project: str, missing: list[str],
                                             unplanned: list[str]) -> None:
    folder = CORPUS / project
    assert run_cli("ingest", str(folder), "--glob", "*-SUMMARY.md").exit_code == 0
    assert run_cli("plan", "import", str(folder / "ROADMAP.md")).exit_code == 0
    (view,) = json.loads(run_cli("plan", "--project", project, "--format", "json").stdout)
    summaries = sorted(p.name[:5] for p in folder.glob("*-SUMMARY.md"))
    assert view["reported"] == len([s for s in summaries if s not in unplanned])
    assert [m["task_id"] for m in view["missing"]] == missing
    assert [u["task_id"] for u in view["unplanned"]] == unplanned
    assert view["unidentified"] == []
