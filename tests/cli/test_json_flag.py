"""`--json` on every command that has `--format`: the flag supervising agents reach for first."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from tests.cli.test_help import COMMANDS
from tracker.cli import app

REPO = Path(__file__).resolve().parents[2]


def _options(command) -> set[str]:
    return {name for param in command.params for name in getattr(param, "opts", [])}


def test_every_command_with_a_format_takes_json() -> None:
    with_format = [" ".join(path) for path, command in COMMANDS if "--format" in _options(command)]
    assert len(with_format) >= 14
    assert [p for p, c in COMMANDS if "--format" in _options(c) and "--json" not in _options(c)] == []
    assert "--json" in _options(typer.main.get_command(app).commands["plan"])  # `tracker plan --json`


@pytest.mark.parametrize("args", [
    ("status",), ("deferred", "--state", "all"), ("show", "1.3"), ("brief", "1.5"), ("check",),
    ("weekly", "--week", "2026-W46"), ("db", "current"), ("plan",),
])
def test_json_flag_prints_what_format_json_prints(run_cli: Callable, args: tuple[str, ...]) -> None:
    run_cli("ingest", str(REPO / "sample_reports"))
    run_cli("plan", "import", str(REPO / "sample_plan" / "RALPH.md"), "-p", "sample_reports")
    flag, option = run_cli(*args, "--json"), run_cli(*args, "--format", "json")
    assert flag.exit_code == option.exit_code
    assert _without_clock(json.loads(flag.stdout)) == _without_clock(json.loads(option.stdout))


def _without_clock(data: object) -> object:
    """The weekly summary says when it was generated; everything else must match."""
    if isinstance(data, dict):
        data.pop("generated_at", None)
    return data


def test_plan_import_json_says_what_each_file_did(run_cli: Callable, tmp_path: Path) -> None:
    plan = REPO / "sample_plan" / "RALPH.md"
    first = json.loads(run_cli("plan", "import", str(plan), "--json").stdout)["files"]
    assert [(f["outcome"], f["format"], f["tasks"] > 0) for f in first] == [("imported", "ralph", True)]
    again = run_cli("plan", "import", str(plan), str(tmp_path / "missing.md"), "--json")
    assert again.exit_code == 1
    outcomes = [(Path(f["file"]).name, f["outcome"]) for f in json.loads(again.stdout)["files"]]
    assert outcomes == [("RALPH.md", "unchanged"), ("missing.md", "failed")]
