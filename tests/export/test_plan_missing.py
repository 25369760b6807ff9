"""Tasks missing from the plan, as of the week's end: a task that reports later is still missing then."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .conftest import ralph_report

PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plan" / "ralph_tasks.md"


def missing(run_cli: Callable, week: str) -> set[str]:
    result = run_cli("weekly", "--week", week, "--tz", "UTC", "-f", "json", "-p", "ferry")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["missing_from_plan"] is not None
    return {m["task"] for m in data["missing_from_plan"]}


def test_missing_tasks_follow_the_week(run_cli: Callable, tmp_path: Path) -> None:
    folder = tmp_path / "ferry"
    folder.mkdir()
    (folder / "task1_1.md").write_text(ralph_report("1.1", "Create Sailings Table", "2026-01-20T08:00:00Z"))
    (folder / "task1_2.md").write_text(ralph_report("1.2", "Import Winter Timetable", "2026-01-28T08:00:00Z"))
    assert run_cli("ingest", str(folder), "-p", "ferry").exit_code == 0
    assert run_cli("plan", "import", str(PLAN), "-p", "ferry").exit_code == 0
    week_4, week_5 = missing(run_cli, "2026-W04"), missing(run_cli, "2026-W05")
    assert {"1.2", "1.3", "2.1"} <= week_4 and "1.1" not in week_4
    assert {"1.3", "2.1"} <= week_5 and not {"1.1", "1.2"} & week_5
    assert "0.1" not in week_4  # the example inside a code block is not a planned task


def test_without_a_plan_the_list_is_left_out_with_a_note(run_cli: Callable, tmp_path: Path) -> None:
    folder = tmp_path / "ferry"
    folder.mkdir()
    (folder / "task1_1.md").write_text(ralph_report("1.1", "Create Sailings Table", "2026-01-20T08:00:00Z"))
    run_cli("ingest", str(folder), "-p", "ferry")
    data = json.loads(run_cli("weekly", "--week", "2026-W04", "--tz", "UTC", "-f", "json").stdout)
    assert data["missing_from_plan"] is None
    assert any("no plan is imported" in n for n in data["notes"])
    text = run_cli("weekly", "--week", "2026-W04", "--tz", "UTC").stdout
    assert "## Tasks missing from the plan" not in text
