"""Every test gets its own empty database through $TRACKER_DB, and a wide terminal for Rich."""

from __future__ import annotations

import io
import os
import sys
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

TEST_DB_ENV = "TRACKER_TEST_DB"
"""A PostgreSQL URL here runs the whole suite against that server (one fresh schema per test)."""


def server_under_test() -> str | None:
    """The server URL the suite runs against, or None for SQLite files."""
    return os.environ.get(TEST_DB_ENV) or None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): the test checks SQLite itself "
                                       "(PRAGMA, EXPLAIN QUERY PLAN, WAL, the file); skipped on a server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not server_under_test():
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "SQLite only")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@contextmanager
def fresh_schema(server: str) -> Iterator[str]:
    """An empty schema on the server, dropped afterwards; yields a URL whose search_path is it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        try:
            with admin.begin() as conn:  # a connection a test left in a transaction must not hang us
                conn.execute(text("SET LOCAL lock_timeout = '10s'"))
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        except Exception as exc:
            warnings.warn(f"could not drop test schema {name}: {exc}", stacklevel=1)
        admin.dispose()


@pytest.fixture(autouse=True)
def tracker_db(tmp_path_factory: pytest.TempPathFactory,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Path | str]:
    """A fresh database per test, so no test sees another's data or the user's ./tracker.db.

    A SQLite file (its Path) by default; with $TRACKER_TEST_DB a fresh schema on that PostgreSQL
    server (its URL, search_path pinned to the schema, so subprocesses given it land there too).
    """
    monkeypatch.setenv("COLUMNS", "200")
    server = server_under_test()
    if server is None:
        path = tmp_path_factory.mktemp("db") / "tracker.db"
        monkeypatch.setenv("TRACKER_DB", str(path))
        yield path
        return
    with fresh_schema(server) as url:
        monkeypatch.setenv("TRACKER_DB", url)
        yield url


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
