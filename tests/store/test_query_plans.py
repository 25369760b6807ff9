"""The read queries find their rows through indexes, not full table scans (SQLite EXPLAIN)."""

from __future__ import annotations

import pytest
from sqlalchemy import Select, select

from tracker.query import deferred_select
from tracker.store import Store
from tracker.store.schema import DeferredRow, MentionRow, ReportRow, Task

pytestmark = pytest.mark.sqlite_only("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans differ")


def plan(store: Store, query: Select) -> list[str]:
    sql = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]


def full_scans(steps: list[str]) -> list[str]:
    return [s for s in steps if s.startswith("SCAN ") and "INDEX" not in s]


@pytest.mark.parametrize("query", [
    deferred_select(state="open"),
    deferred_select(project_id=1, state="open"),
    deferred_select(task="3.6"),
    deferred_select(project_id=1, target="3.7", state="open"),
    select(Task).where(Task.task_key == "3.6"),
    select(DeferredRow).join(MentionRow, MentionRow.item_id == DeferredRow.id)
    .where(MentionRow.report_id == 1),
    select(ReportRow).where(ReportRow.task_id == 1, ReportRow.is_current.is_(True))
    .order_by(ReportRow.reported_at.desc()),
    select(ReportRow.source_path, ReportRow.sha256).where(ReportRow.project_id == 1,
                                                          ReportRow.is_current.is_(True)),
], ids=["deferred-open", "deferred-project", "deferred-task", "deferred-target", "task-by-key",
        "items-of-revision", "latest-of-task", "known-sources"])
def test_query_uses_an_index(query: Select) -> None:
    with Store.open() as store:
        steps = plan(store, query)
    assert steps and full_scans(steps) == [], steps


@pytest.mark.parametrize("project_id", [None, 1])
def test_flag_reports_come_in_index_order(project_id: int | None) -> None:
    """The deferred flags read every current report of a project in report order: the
    (project_id, reported_at) index gives that order, so no sort of the whole table."""
    from tracker.query import current_reports_select

    with Store.open() as store:
        steps = plan(store, current_reports_select(project_id))
    assert any("ix_reports_project_id_reported_at" in s for s in steps), steps
    assert full_scans(steps) == [] and not any("TEMP B-TREE" in s for s in steps), steps
