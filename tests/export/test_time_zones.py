"""Edges of the week: a report at 23:30 on Sunday in UTC+2, date-only and zone-less times."""

from __future__ import annotations

from collections.abc import Callable

from tracker.store import Store

from .conftest import ralph_report, summary_for

SUNDAY_NIGHT = "2026-11-22T23:30:00+02:00"  # 21:30 UTC, still Sunday of W47 in UTC+2
MONDAY_EARLY = "2026-11-23T00:30:00+02:00"  # 22:30 UTC Sunday, but Monday of W48 in UTC+2


def completed_in(store: Store, week: str, zone: str) -> list[str]:
    return sorted(e.task for e in summary_for(store, week, zone).events if e.what == "reported")


def test_sunday_2330_in_utc_plus_2_belongs_to_that_week(store: Store,
                                                        add: Callable[[str, str], None]) -> None:
    add("a.md", ralph_report("5.1", "Late night", SUNDAY_NIGHT,
                             validation="PASS (manual testing required on the real lamp)"))
    add("b.md", ralph_report("5.2", "Early morning", MONDAY_EARLY))
    assert completed_in(store, "2026-W47", "Europe/Helsinki") == ["5.1"]
    assert completed_in(store, "2026-W48", "Europe/Helsinki") == ["5.2"]
    assert completed_in(store, "2026-W47", "UTC") == ["5.1", "5.2"]
    assert completed_in(store, "2026-W48", "Asia/Tokyo") == ["5.1", "5.2"]
    helsinki = summary_for(store, "2026-W47", "Europe/Helsinki")
    assert helsinki.days[-1].day == "2026-11-22" and helsinki.days[-1].statuses["pass"] == 1
    # The deferral opened with the report: open at the end of W47 in Helsinki, not yet in Tokyo's W47.
    assert helsinki.headline.items_opened == 1
    assert summary_for(store, "2026-W47", "Asia/Tokyo").headline.items_open_at_end == 0


def test_date_only_and_zone_less_times_count_on_their_written_day(store: Store,
                                                                 add: Callable[[str, str], None]) -> None:
    add("c.md", ralph_report("6.1", "Dated", "2026-11-22"))
    add("d.md", ralph_report("6.2", "Wall clock", "2026-11-22T23:50:00"))
    for zone in ("Pacific/Kiritimati", "America/Los_Angeles", "UTC"):
        s = summary_for(store, "2026-W47", zone)
        assert s.headline.completed == 2, zone
        assert s.days[-1].statuses["pass"] == 2, zone
