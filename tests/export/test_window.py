"""Which days a summary covers: ISO weeks, --since/--until, the default week and zone rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker.errors import UsageError
from tracker.export.window import last_complete_week, local_day, resolve_window


def test_iso_week_is_monday_to_sunday_with_exclusive_end() -> None:
    window = resolve_window(week="2026-W04", zone="Europe/London")
    assert (window.first, window.last) == (date(2026, 1, 19), date(2026, 1, 25))
    assert window.end == date(2026, 1, 26)
    assert len(window.days) == 7
    assert window.end_boundary.utc == datetime(2026, 1, 26)


def test_boundary_in_a_zone_east_of_utc_is_earlier_in_utc() -> None:
    window = resolve_window(week="2026-W47", zone="Europe/Helsinki")
    assert window.end_boundary.utc == datetime(2026, 11, 22, 22)
    assert window.end_boundary.local == datetime(2026, 11, 23)


def test_since_until_includes_both_days() -> None:
    window = resolve_window(since="2026-11-10", until="2026-11-12", zone="UTC")
    assert window.days == [date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12)]
    assert window.iso_week is None


def test_default_is_last_complete_week_in_the_zone() -> None:
    # Monday 00:30 in Helsinki is still Sunday in UTC: Helsinki's last complete week is the one
    # that just ended, UTC's is the one before.
    now = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
    assert last_complete_week("Europe/Helsinki", now).label == "2026-W47"
    assert last_complete_week("UTC", now).label == "2026-W46"


@pytest.mark.parametrize("kwargs", [
    {"week": "2026-W54"}, {"week": "last week"}, {"week": "2026-W04", "since": "2026-01-01"},
    {"since": "2026-01-01"}, {"since": "2026-01-10", "until": "2026-01-01"},
    {"since": "01/10/2026", "until": "x"},
])
def test_bad_windows_are_usage_errors(kwargs: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        resolve_window(zone="UTC", **kwargs)


def test_unknown_zone_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="time zone"):
        resolve_window(week="2026-W04", zone="Mars/Olympus")


@pytest.mark.parametrize(("completed", "stored_utc", "zone", "day"), [
    ("2026-11-22", datetime(2026, 11, 22), "Asia/Tokyo", date(2026, 11, 22)),  # date-only: its own day
    ("2026-11-22", datetime(2026, 11, 22), "America/Los_Angeles", date(2026, 11, 22)),
    ("2026-11-22T23:30:00", datetime(2026, 11, 22, 23, 30), "Asia/Tokyo", date(2026, 11, 22)),  # wall time
    ("2026-11-22T23:30:00+02:00", datetime(2026, 11, 22, 21, 30), "Europe/Helsinki", date(2026, 11, 22)),
    ("2026-11-22T23:30:00+02:00", datetime(2026, 11, 22, 21, 30), "Asia/Tokyo", date(2026, 11, 23)),
    (None, datetime(2026, 11, 22, 23, 30), "Europe/Helsinki", date(2026, 11, 23)),  # mtime: an instant
])
def test_local_day_rules(completed: str | None, stored_utc: datetime, zone: str, day: date) -> None:
    assert local_day(completed, stored_utc, zone) == day
