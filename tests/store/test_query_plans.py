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


@pytest.mark.parametrize("project_ids", [[1], [1, 2, 3]])
def test_flag_reports_come_in_index_order(project_ids: list[int]) -> None:
    """The deferred flags read every current report of a project in report order: the covering
    `ix_reports_flag_inputs` index gives that order and every column, so no sort, no table row."""
    from tracker.query import current_reports_select

    with Store.open() as store:
        steps = plan(store, current_reports_select(project_ids))
    assert any("COVERING INDEX ix_reports_flag_inputs" in s for s in steps), steps
    assert full_scans(steps) == [] and not any("TEMP B-TREE" in s for s in steps), steps


def test_first_reports_of_items_by_id() -> None:
    with Store.open() as store:
        steps = plan(store, select(ReportRow.id, ReportRow.source_path, ReportRow.task_ref,
                                   ReportRow.completed).where(ReportRow.id.in_([1, 5, 9])))
    assert steps and full_scans(steps) == [], steps


@pytest.mark.parametrize("project_id", [None, 1])
def test_status_targets_come_from_the_state_target_index(project_id: int | None) -> None:
    from tracker.query import targets_select

    with Store.open() as store:
        steps = plan(store, targets_select(project_id))
    assert steps and full_scans(steps) == [], steps


def test_status_covered_reports_are_index_range_lookups() -> None:
    """`tracker status` finds the reports a target covers by ranges of `task_order`, inside the
    covering `ix_reports_task_order` index (no report row, no JSON)."""
    from tracker.query import covered_sql

    sql = covered_sql("sqlite", "(1, '3.7', '013.017', '013.017/'), (2, '02', '012', '012/')")
    with Store.open() as store, store.engine.connect() as conn:
        steps = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    reports = [s for s in steps if "reports" in s]
    assert reports and all("COVERING INDEX ix_reports_task_order" in s and "task_order>" in s
                           for s in reports), steps


def test_status_furthest_task_uses_the_index() -> None:
    from tracker.query import furthest_select

    with Store.open() as store:
        steps = plan(store, furthest_select([1, 2]))
    assert any("SEARCH reports USING COVERING INDEX ix_reports_task_order (project_id=? AND is_current=?)"
               in s for s in steps), steps
    assert full_scans(steps) == [], steps


def test_status_last_report_seeks_each_project() -> None:
    """Newest report per project: one index seek each, no scan of every report."""
    from tracker.query import last_report_select

    with Store.open() as store:
        steps = plan(store, last_report_select())
    assert any("SEARCH reports USING COVERING INDEX ix_reports_project_id_reported_at (project_id=?)"
               in s for s in steps), steps
    assert not any(s.startswith("SCAN reports") for s in steps), steps
    assert full_scans(steps) == [], steps


@pytest.mark.parametrize("query", [
    deferred_select(state="open").limit(100),
    deferred_select(project_id=1, state="open").limit(100),
], ids=["deferred-page", "deferred-page-project"])
def test_deferred_page_reads_in_index_order(query: Select) -> None:
    """The default table (100 oldest items) walks the (state, opened_at) index, so it stops early."""
    with Store.open() as store:
        steps = plan(store, query)
    assert steps and full_scans(steps) == [], steps


def test_status_by_latest_report_reads_no_report_row() -> None:
    """Tasks by status: the (project_id, status) index is scanned and the latest ids probed in the
    tasks index, instead of one report-row fetch per task."""
    from tracker.query import latest_status_select

    with Store.open() as store:
        steps = plan(store, latest_status_select())
    assert any("COVERING INDEX ix_reports_project_id_status" in s for s in steps), steps
    assert not any("INTEGER PRIMARY KEY" in s and "reports" in s for s in steps), steps
    assert full_scans(steps) == [], steps


def test_status_unverified_passes_use_indexes() -> None:
    from tracker.query import unverified_select

    with Store.open() as store:
        steps = plan(store, unverified_select())
    assert any("COVERING INDEX ix_deferred_items_state_kind_task_id" in s for s in steps), steps
    assert any("COVERING INDEX ix_reports_project_id_status" in s for s in steps), steps
    assert full_scans(steps) == [], steps


@pytest.mark.parametrize("kwargs", [{"state": "open"}, {"project_id": 1, "state": "open"},
                                    {"task": "3.6", "state": "open"}, {"target": "3.7", "state": "active"}])
def test_deferred_page_count_uses_indexes(kwargs: dict) -> None:
    """The "N more" footer counts matching items on the items' indexes, without the listing's joins."""
    from tracker.query import deferred_count_select

    with Store.open() as store:
        steps = plan(store, deferred_count_select(**kwargs))
    assert steps and full_scans(steps) == [], steps


@pytest.mark.parametrize("with_report", [True, False])
def test_weekly_events_start_from_the_window(with_report: bool) -> None:
    """`tracker weekly` reads the window's events from the reports near it (then events by
    report) or, for events without a report, from the event times: never every event."""
    from tracker.export.weekly import window_events_select
    from tracker.export.window import resolve_window

    window = resolve_window(week="2026-W20", since=None, until=None, zone="UTC")
    with Store.open() as store:
        steps = plan(store, window_events_select(window, [1, 2], with_report=with_report))
    if with_report:
        assert any("reports" in s and "ix_reports_project_id_reported_at (project_id=? AND reported_at>? AND "
                   "reported_at<?)" in s for s in steps), steps
        assert any("SEARCH events USING INDEX ix_events_report_id (report_id=?)" in s for s in steps), steps
    else:
        assert any("SEARCH events USING INDEX ix_events_project_id_at" in s for s in steps), steps
    assert not any(s.startswith("SCAN events") for s in steps), steps
    assert full_scans(steps) == [], steps
