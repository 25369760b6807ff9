"""Every test gets its own empty database through $TRACKER_DB, and a wide terminal for Rich."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def tracker_db(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite file per test, so no test sees another's data or the user's ./tracker.db."""
    path = tmp_path_factory.mktemp("db") / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.setenv("COLUMNS", "200")
    return path


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run `tracker ARGS...` in-process through `main()` (so TrackerError handling is the real one)."""
    from tracker.cli import main

    def run(*args: str, stdin: bytes | None = None) -> CliResult:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["tracker", *args])
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return run
