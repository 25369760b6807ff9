"""`tracker plan import` and `tracker plan` on the sample project (Quill Invoices) and on bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]


@pytest.fixture
def quill(run_cli) -> None:
    assert run_cli("ingest", str(REPO / "sample_reports")).exit_code == 0
    for name in ("RALPH.md", "ROADMAP.md"):
        result = run_cli("plan", "import", str(REPO / "sample_plan" / name))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("imported ") and "project sample_reports" in result.stdout


def test_sample_plan_json(quill, run_cli) -> None:
    (view,) = json.loads(run_cli("plan", "--format", "json").stdout)
    assert view["project"] == "sample_reports"
    assert [p["format"] for p in view["plans"]] == ["ralph", "gsd-roadmap"]
    assert [m["task_id"] for m in view["missing"]] == ["2.4", "2.5", "2.6", "03-04"]
    runner = {r["task_id"]: r["kind"] for r in view["runner"]}
    assert runner["2.5"] == "passed without report"  # [x] in the plan, no report
    assert runner["2.2"] == "status disagrees"  # [x] in the plan, the report says partial
    verdicts = {e["task_id"]: e["verdict"] for e in view["evidence"]}
    assert verdicts["1.4"] == "no evidence"  # the report fails
    assert view["unplanned"] == [] and view["unidentified"] == []


def test_sample_plan_table_and_csv(quill, run_cli) -> None:
    table = run_cli("plan").stdout
    assert "sample_reports: 15 planned tasks, 11 reported" in table
    assert "2.4 2.5 2.6" in table and "checkbox says passed, no report" in table
    rows = list(csv.DictReader(io.StringIO(run_cli("plan", "-f", "csv").stdout)))
    assert {(r["finding"], r["task"]) for r in rows} >= {("missing", "2.4"), ("missing", "03-04"),
                                                           ("passed without report", "2.5")}


def test_reimport_unchanged_says_so(quill, run_cli) -> None:
    again = run_cli("plan", "import", str(REPO / "sample_plan" / "RALPH.md"), "--project", "sample_reports")
    assert again.exit_code == 0 and again.stdout.startswith("unchanged ")


def test_status_line_and_show_with_plan(quill, run_cli) -> None:
    status = run_cli("status").stdout
    assert "plan sample_reports: 11/15 planned tasks reported, 4 missing" in status
    assert "2 runner disagreements" in status
    show = run_cli("show", "1.3").stdout
    assert "plan validation" in show and "docker build ." in show


def test_bad_plan_file_is_one_line_and_exit_1(run_cli, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nNothing planned.\n", encoding="utf-8")
    result = run_cli("plan", "import", str(notes), "--project", "p")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not a known plan layout" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run_cli("plan", "import", str(tmp_path / "nope.md"), "--project", "p")
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_plan_without_import(run_cli) -> None:
    assert "no plan imported yet" in run_cli("plan").stdout
    result = run_cli("plan", "--project", "ghost")
    assert result.exit_code == 1 and "has no imported plan" in result.stderr


def test_ingest_leaves_out_an_imported_plan_file(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "kiln"
    folder.mkdir()
    (folder / "RALPH.md").write_text("## Phase 1: Bookings\n\n- [ ] **1.1** [DB] Slot Table\n",
                                     encoding="utf-8")
    (folder / "task1_1.md").write_text("# Task 1.1 Execution Summary: Slot Table\n\n**Status:** PASS\n",
                                       encoding="utf-8")
    assert run_cli("plan", "import", str(folder / "RALPH.md")).exit_code == 0
    result = run_cli("ingest", str(folder))
    assert result.stdout.strip() == "ingested 1, unchanged 0, failed 0"
    assert "RALPH.md: skipped: imported as a plan" in result.stderr
    (view,) = json.loads(run_cli("plan", "-f", "json").stdout)
    assert (view["planned"], view["reported"], view["unidentified"]) == (1, 1, [])


def test_show_of_a_planned_task_without_report_says_where_it_is_planned(quill, run_cli) -> None:
    result = run_cli("show", "2.4")
    assert result.exit_code == 1
    assert "is planned in" in result.stderr and "RALPH.md:" in result.stderr
    assert "no report yet" in result.stderr
    assert "no task" in run_cli("show", "9.9").stderr
