"""Upgrading a populated database keeps every row; every migration can be undone and redone.

For each revision in the chain: bring an empty database to exactly that revision, fill every table
that exists there with rows written in plain SQL (as an older tracker would have left them), then
run `tracker db upgrade` to head and compare every row. Runs on SQLite and on $TRACKER_TEST_DB.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, inspect, select, text

from tracker.config import db_url
from tracker.store.engine import make_engine
from tracker.store.migrate import HEAD, REVISIONS, upgrade

T0 = datetime(2026, 3, 2, 9, 30)

# Rows an older tracker could have written, by table, in foreign-key order. Only the tables (and
# columns) that exist at the revision under test are written.
ROWS: dict[str, list[dict[str, Any]]] = {
    "projects": [
        {"id": 1, "name": "billing", "root": "/src/billing", "created_at": T0},
        {"id": 2, "name": "web", "root": None, "created_at": T0},
    ],
    "tasks": [
        {"id": 10, "project_id": 1, "task_key": "BILL-3", "title": "Invoice export", "category": "backend",
         "phase": "02", "latest_report_id": None, "created_at": T0},
        {"id": 11, "project_id": 2, "task_key": "WEB-1", "title": "Login page", "category": None,
         "phase": None, "latest_report_id": None, "created_at": T0},
    ],
    "reports": [
        {"id": 100, "project_id": 1, "task_id": 10, "source_path": "/src/billing/reports/bill-3.md",
         "revision": 1, "is_current": False, "sha256": "a" * 64, "size": 812, "mtime": 1772443800.5,
         "ingested_at": T0, "reported_at": T0, "format": "ralph", "status": "partial",
         "status_raw": "Partially complete", "status_qualifier": "export pending", "status_line": 4,
         "validation": "deferred", "validation_raw": "Deferred", "validation_qualifier": None,
         "validation_line": 6, "completed": "2026-03-02", "started": None, "task_title": "Invoice export",
         "task_category": "backend", "parsed": {"format": "ralph", "status": {"value": "partial"}},
         "evidence": None},
        {"id": 101, "project_id": 1, "task_id": 10, "source_path": "/src/billing/reports/bill-3.md",
         "revision": 2, "is_current": True, "sha256": "b" * 64, "size": 901, "mtime": 1772530200.0,
         "ingested_at": T0, "reported_at": T0, "format": "ralph", "status": "complete",
         "status_raw": "Complete", "status_qualifier": None, "status_line": 4, "validation": "passed",
         "validation_raw": "Passed", "validation_qualifier": None, "validation_line": 6,
         "completed": "2026-03-03T10:00:00Z", "started": "2026-03-03T08:00:00Z",
         "task_title": "Invoice export", "task_category": "backend",
         "parsed": {"format": "ralph", "files": [{"path": "export.py"}]}, "evidence": {"lines": [7]}},
        {"id": 102, "project_id": 2, "task_id": 11, "source_path": "/tmp/web-1.md", "revision": 1,
         "is_current": True, "sha256": "c" * 64, "size": 120, "mtime": None, "ingested_at": T0,
         "reported_at": T0, "format": "generic", "status": "unknown", "status_raw": None,
         "status_qualifier": None, "status_line": None, "validation": None, "validation_raw": None,
         "validation_qualifier": None, "validation_line": None, "completed": None, "started": None,
         "task_title": None, "task_category": None, "parsed": {}, "evidence": None},
    ],
    "checklist_items": [
        {"id": 1, "report_id": 101, "position": 0, "text": "Unit tests pass", "state": "checked",
         "section": "Validation", "line": 12},
        {"id": 2, "report_id": 101, "position": 1, "text": "Load test on staging", "state": "unchecked",
         "section": "Validation", "line": 13},
    ],
    "deferred_items": [
        {"id": 1, "short_id": "d-7f3a", "project_id": 1, "task_id": 10, "fingerprint": "f" * 64,
         "terms": "load test staging", "kind": "validation", "reason": "environment", "target": "staging",
         "text": "Load test will run on staging", "section": "Deferred", "line": 15, "end_line": 15,
         "lines": [15], "first_seen_report_id": 100, "last_seen_report_id": 101, "opened_at": T0,
         "state": "open", "state_changed_at": T0, "closed_by_report_id": None, "closed_line": None,
         "evidence": None, "closure_rule": None, "closure_score": None, "closure_lines": None,
         "close_note": None, "waived_reason": None, "withdrawn_from": None},
        {"id": 2, "short_id": "d-09bc", "project_id": 1, "task_id": 10, "fingerprint": "e" * 64,
         "terms": "api key sandbox", "kind": "external", "reason": "credentials", "target": None,
         "text": "Requires sandbox API key", "section": None, "line": 16, "end_line": 17,
         "lines": [16, 17], "first_seen_report_id": 100, "last_seen_report_id": 101, "opened_at": T0,
         "state": "closed", "state_changed_at": T0, "closed_by_report_id": 101, "closed_line": 9,
         "evidence": "sandbox key added, export verified", "closure_rule": "same-terms",
         "closure_score": 0.8, "closure_lines": [9], "close_note": None, "waived_reason": None,
         "withdrawn_from": None},
    ],
    "file_changes": [
        {"id": 1, "report_id": 101, "position": 0, "path": "billing/export.py", "action": "modified",
         "note": "CSV writer", "line": 20},
    ],
    "closure_candidates": [
        {"id": 1, "item_id": 1, "report_id": 101, "line": 9, "evidence": "ran a smoke test",
         "score": 0.4, "status": "pending", "created_at": T0},
    ],
    "events": [
        {"id": 1, "at": T0, "actor": "ci", "action": "ingested", "project_id": 1, "task_id": 10,
         "report_id": 100, "item_id": None, "line": None, "from_state": None, "to_state": "partial",
         "reason": "revision 1"},
        {"id": 2, "at": T0, "actor": "ci", "action": "close", "project_id": 1, "task_id": 10,
         "report_id": 101, "item_id": 2, "line": 9, "from_state": "open", "to_state": "closed",
         "reason": "sandbox key added"},
    ],
    "item_mentions": [
        {"id": 1, "item_id": 1, "report_id": 100, "line": 15, "end_line": 15, "lines": [15],
         "text": "Load test will run on staging"},
        {"id": 2, "item_id": 1, "report_id": 101, "line": 15, "end_line": 15, "lines": [15],
         "text": "Load test will run on staging"},
    ],
    "plans": [
        {"id": 1, "project_id": 1, "source_path": "/src/billing/PRD.json", "format": "prd_json",
         "title": "Billing v2", "sha256": "d" * 64, "imported_at": T0, "updated_at": T0,
         "data": {"tasks": [{"id": "BILL-3"}]}},
    ],
    "plan_phases": [
        {"id": 1, "plan_id": 1, "position": 0, "phase_key": "02", "title": "Exports", "state": "active",
         "goal": "Customers can export invoices", "deferred": False, "line": 3},
    ],
    "plan_tasks": [
        {"id": 1, "plan_id": 1, "position": 0, "task_key": "BILL-3", "title": "Invoice export",
         "phase": "02", "category": "backend", "state": "done", "action": None, "validation": "pytest",
         "security": None, "line": 5, "runner": {"passes": True}, "inferred": False},
    ],
    "read_cache": [
        {"name": "status", "version": "1/0.1.0", "mark": 2, "payload": "cached answer"},
    ],
}
LATE_POINTERS = {"tasks": [("latest_report_id", 10, 101), ("latest_report_id", 11, 102)]}
"""Set after the reports exist (tasks and reports point at each other)."""


def _engine() -> Engine:
    return make_engine(db_url())


def _tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def _reflect(engine: Engine, name: str) -> Table:
    with engine.connect() as conn:
        return Table(name, MetaData(), autoload_with=conn)


def _populate(engine: Engine) -> dict[str, int]:
    """Write ROWS into the tables that exist now; returns how many rows went into each."""
    present = _tables(engine)
    written: dict[str, int] = {}
    with engine.begin() as conn:
        for name, rows in ROWS.items():
            if name not in present:
                continue
            table = _reflect(engine, name)
            columns = set(table.c.keys())
            conn.execute(table.insert(), [{k: v for k, v in row.items() if k in columns} for row in rows])
            written[name] = len(rows)
        for name, pointers in LATE_POINTERS.items():
            if name in present:
                table = _reflect(engine, name)
                for column, row_id, value in pointers:
                    conn.execute(table.update().where(table.c.id == row_id).values({column: value}))
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for name in written:
                if "id" not in ROWS[name][0]:
                    continue  # keyed by name: no sequence
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"(SELECT max(id) FROM {name}))"))
    return written


def _normal(value: Any) -> Any:
    """JSON columns may come back as text on one backend and as objects on another."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _assert_rows_kept(engine: Engine, tables: dict[str, int], *, exact: bool = True) -> None:
    expected_pointer = {row_id: value for _c, row_id, value in LATE_POINTERS["tasks"]}
    with engine.connect() as conn:
        for name, count in tables.items():
            table = _reflect(engine, name)
            (key,) = table.primary_key.columns.keys()
            stored = {row._mapping[key]: row._asdict() for row in conn.execute(select(table))}
            if exact:
                assert len(stored) == count, f"{name}: {count} rows before, {len(stored)} after"
            for row in ROWS[name]:
                got = stored[row[key]]
                for column, value in row.items():
                    if name == "tasks" and column == "latest_report_id":
                        value = expected_pointer[row["id"]]
                    assert _normal(got[column]) == value, f"{name}.{column} of row {row[key]} changed"


def _revision(run_cli: Callable[..., Any]) -> str | None:
    result = run_cli("db", "current", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["current"]


def test_every_table_has_representative_rows() -> None:
    """A migration adding a table must add rows here too, or its upgrade is not tested."""
    engine = _engine()
    upgrade(engine)
    assert _tables(engine) <= set(ROWS), f"no ROWS for {sorted(_tables(engine) - set(ROWS))}"


@pytest.mark.parametrize("start", REVISIONS)
def test_populated_database_upgrades_to_head_without_losing_a_row(
        start: str, run_cli: Callable[..., Any]) -> None:
    engine = _engine()
    upgrade(engine, start)
    assert _revision(run_cli) == start
    written = _populate(engine)
    assert written, "nothing was written at this revision"

    result = run_cli("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    assert _revision(run_cli) == HEAD
    _assert_rows_kept(engine, written)

    # The upgraded database is usable: a new report lands next to the old rows.
    from tracker.parse.pipeline import parse_text
    from tracker.store import SourceMeta, Store

    report = parse_text("# Task BILL-4: Refunds\n\n**Status:** Complete\n", "bill-4.md")
    with Store.open() as store:
        outcome = store.store_report("billing", report, SourceMeta("/src/billing/bill-4.md", "9" * 64, 40))
    assert outcome.outcome == "ingested"
    _assert_rows_kept(engine, written, exact=False)


def test_every_migration_downgrades_and_upgrades_again(run_cli: Callable[..., Any]) -> None:
    """head → base one step at a time (rows of the surviving tables stay), then back to head."""
    engine = _engine()
    upgrade(engine)
    written = _populate(engine)
    tables_at = {HEAD: _tables(engine)}  # which tables each revision has, learned walking down
    for index in range(len(REVISIONS) - 1, -1, -1):
        target = REVISIONS[index - 1] if index > 0 else "base"
        result = run_cli("db", "downgrade", target)
        assert result.exit_code == 0, result.stderr
        assert _revision(run_cli) == (None if target == "base" else target)
        remaining = _tables(engine)
        tables_at[target] = remaining
        assert remaining <= tables_at[REVISIONS[index]]
        _assert_rows_kept(engine, {t: n for t, n in written.items() if t in remaining})
    assert tables_at["base"] == set()
    for revision in REVISIONS:
        result = run_cli("db", "upgrade", revision)
        assert result.exit_code == 0, result.stderr
        assert _revision(run_cli) == revision
        assert _tables(engine) == tables_at[revision]


def test_db_commands_refuse_unknown_revisions(run_cli: Callable[..., Any]) -> None:
    assert run_cli("db", "upgrade", "9999_nope").exit_code == 2
    assert run_cli("db", "downgrade", "9999_nope").exit_code == 2
    assert run_cli("db", "downgrade", "base").exit_code == 2  # empty database: nothing to undo
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("db", "upgrade", "--format", "json").stdout.count('"already at head"') == 1


def test_database_newer_than_tracker_is_reported_not_touched(run_cli: Callable[..., Any]) -> None:
    engine = _engine()
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    current = run_cli("db", "current", "--format", "json")
    assert json.loads(current.stdout)["known"] is False
    refused = run_cli("db", "upgrade")
    assert refused.exit_code == 1 and "does not know" in refused.stderr
    assert "Traceback" not in refused.stderr
