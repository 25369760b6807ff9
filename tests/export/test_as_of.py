"""A week's summary is a fact about that week: later reports, closures and waivers leave it alone."""

from __future__ import annotations

from collections.abc import Callable

from tracker.store import Store

from .conftest import ralph_report, stable, summary_for

LOAD_TEST = "the load test was not run here; it will be validated in task 3.2"
CLOSES = "3.1 load test validated (the load test ran: 500 lamps, p99 40 ms)"


def week_ten(add: Callable[[str, str], None]) -> None:
    """W10 of 2026 (Mon 2 - Sun 8 March): one pass owing a load test, one failure."""
    add("reports/task3_1.md", ralph_report(
        "3.1", "Lamp driver", "2026-03-03T10:00:00Z",
        validation="PASS (unit tests green; the load test will be validated in task 3.2)",
        warnings=LOAD_TEST))
    add("reports/task3_0.md", ralph_report("3.0", "Switch debounce", "2026-03-04T09:00:00Z",
                                           status="❌ FAIL", validation="FAIL (2 tests fail)"))


def test_later_reports_and_closures_leave_the_week_unchanged(store: Store,
                                                            add: Callable[[str, str], None]) -> None:
    week_ten(add)
    before = summary_for(store, "2026-W10")
    assert before.headline.items_open_at_end >= 1
    assert before.headline.unverified_passes == 1
    assert (before.headline.completed, before.headline.failed) == (1, 1)

    # The next week: 3.2 reports, does the load test and says it closes 3.1's item; 3.0 is fixed.
    add("reports/task3_2.md", ralph_report(
        "3.2", "Load test", "2026-03-10T12:00:00Z",
        closes=CLOSES))
    add("reports/task3_0_fix.md", ralph_report("3.0", "Switch debounce", "2026-03-11T09:00:00Z"))
    # Whatever the closing rules did, close every item still open by hand as well, and waive nothing
    # left: the history now has closures after the week of every kind.
    from tracker.query import deferred_items

    for item in deferred_items(store, state="open"):
        store.set_item_state(item.id, "waived", reason="accepted risk", actor="tester")
    assert deferred_items(store, state="open") == []

    after = summary_for(store, "2026-W10")
    assert stable(after) == stable(before)
    next_week = summary_for(store, "2026-W11")
    assert next_week.headline.completed == 2
    assert next_week.trend[-2].open_items == before.headline.items_open_at_end


def test_closure_by_a_later_report_shows_in_its_own_week(store: Store,
                                                         add: Callable[[str, str], None]) -> None:
    week_ten(add)
    add("reports/task3_2.md", ralph_report(
        "3.2", "Load test", "2026-03-10T12:00:00Z",
        closes=CLOSES))
    w11 = summary_for(store, "2026-W11")
    closed = [c for c in w11.closed_items if c.task == "3.1"]
    assert closed, "3.2's Closes line should close 3.1's item"
    assert closed[0].evidence_where and closed[0].evidence_where.startswith("reports/task3_2.md:")
    assert summary_for(store, "2026-W10").headline.items_closed == 0


def test_ingest_order_does_not_change_the_weeks(store: Store, add: Callable[[str, str], None]) -> None:
    """The closing report ingested before the deferring one: events take the reports' times."""
    add("reports/task3_2.md", ralph_report("3.2", "Load test", "2026-03-10T12:00:00Z", closes=CLOSES))
    week_ten(add)
    w10, w11 = summary_for(store, "2026-W10"), summary_for(store, "2026-W11")
    assert (w10.headline.items_opened, w10.headline.items_open_at_end, w10.headline.items_closed) == (1, 1, 0)
    assert (w11.headline.items_closed, w11.headline.items_open_at_end) == (1, 0)
