"""`tracker weekly` from the command line: formats, -o, project filter, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ralph_report


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "lantern"
    folder.mkdir()
    (folder / "task8_1.md").write_text(ralph_report("8.1", "Bracket", "2026-01-20T08:00:00Z"))
    (folder / "task8_2.md").write_text(ralph_report("8.2", "Hook", "2026-01-27T08:00:00Z", status="❌ FAIL"))
    return folder


def test_weekly_writes_each_format(run_cli: Callable, reports: Path, tmp_path: Path) -> None:
    assert run_cli("ingest", str(reports)).exit_code == 0
    out = tmp_path / "w.json"
    result = run_cli("weekly", "--week", "2026-W04", "--tz", "UTC", "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["schema"] == "tracker.weekly/1" and data["headline"]["completed"] == 1
    md = run_cli("weekly", "--since", "2026-01-26", "--until", "2026-02-01", "--tz", "UTC")
    assert md.exit_code == 0 and "| Tasks failed | 1 |" in md.stdout
    html = run_cli("weekly", "--week", "2026-W04", "--tz", "UTC", "--format", "html", "-p", "lantern")
    assert html.stdout.startswith("<!DOCTYPE html>") and "<svg" in html.stdout
    csv_text = run_cli("weekly", "--week", "2026-W04", "--tz", "UTC", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "what,project,task,item,when,status,where,detail"


@pytest.mark.parametrize(("args", "message"), [
    (["--week", "2026-W60"], "ISO week"),
    (["--week", "2026-W04", "--until", "2026-01-01"], "either --week"),
    (["--week", "2026-W04", "--tz", "Nowhere/Town"], "time zone"),
    (["--week", "2026-W04", "-p", "nosuch"], "no project"),
])
def test_bad_input_is_one_line_error(run_cli: Callable, reports: Path, args: list[str], message: str) -> None:
    run_cli("ingest", str(reports))
    result = run_cli("weekly", *args)
    assert result.exit_code != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
