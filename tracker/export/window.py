"""Which days a weekly summary covers, in the reader's time zone.

A window is a run of local calendar days: the first day is included, the day after the last is
not. Report times reach the window three ways (see `Boundary`): a date-only completion counts on
its own day, a time without a zone is read as wall-clock time in the window's zone, and a time with
an offset (or a time tracker made up from mtime/ingest, already UTC) is an instant.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.errors import UsageError

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


@dataclass(frozen=True)
class Boundary:
    """One local midnight, in the three forms report times are compared with."""

    day: date
    local: datetime
    """Naive wall-clock midnight: compared with times the report wrote without a zone."""
    utc: datetime
    """The same midnight as a naive UTC instant: compared with zoned times and `events.at`."""


@dataclass(frozen=True)
class Window:
    first: date
    end: date
    """The day after the last day (exclusive)."""
    zone: str
    label: str
    iso_week: str | None = None

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.end - self.first).days)]

    def boundary(self, day: date) -> Boundary:
        return make_boundary(day, self.zone)

    @property
    def start_boundary(self) -> Boundary:
        return self.boundary(self.first)

    @property
    def end_boundary(self) -> Boundary:
        return self.boundary(self.end)

    def trend_ends(self, weeks: int = 8) -> list[date]:
        """The week-end (exclusive) days of the last `weeks` weeks ending with this window."""
        return [self.end - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]


def zone_info(name: str) -> tzinfo:
    if name in ("UTC", "Z"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"unknown time zone {name!r} (use an IANA name such as Europe/London)") from exc


def machine_zone() -> str:
    """The machine's IANA zone name: $TZ, else /etc/timezone, else the /etc/localtime link, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    try:
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                zone_info(name)
                return name
            except UsageError:
                continue
    return "UTC"


def make_boundary(day: date, zone: str) -> Boundary:
    local = datetime.combine(day, time.min)
    utc = local.replace(tzinfo=zone_info(zone)).astimezone(UTC).replace(tzinfo=None)
    return Boundary(day, local, utc)


def iso_week_window(week: str, zone: str) -> Window:
    match = _WEEK.fullmatch(week.strip())
    if not match:
        raise UsageError(f"--week wants an ISO week like 2026-W04, not {week!r}")
    year, number = int(match[1]), int(match[2])
    try:
        first = date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise UsageError(f"{year} has no ISO week {number}") from exc
    label = f"{year}-W{number:02d}"
    return Window(first, first + timedelta(days=7), zone, label, label)


def last_complete_week(zone: str, now: datetime | None = None) -> Window:
    """The most recent Monday-to-Sunday week that has fully ended in `zone`."""
    today = (now or datetime.now(UTC)).astimezone(zone_info(zone)).date()
    this_monday = today - timedelta(days=today.weekday())
    year, number, _ = (this_monday - timedelta(days=7)).isocalendar()
    return iso_week_window(f"{year}-W{number:02d}", zone)


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise UsageError(f"{option} wants a date like 2026-01-19, not {text!r}") from exc


def resolve_window(*, week: str | None = None, since: str | None = None, until: str | None = None,
                   zone: str | None = None, now: datetime | None = None) -> Window:
    """The command line's window: --week, or --since/--until (both days included), else last week."""
    zone = zone or machine_zone()
    zone_info(zone)
    if week and (since or until):
        raise UsageError("give either --week or --since/--until, not both")
    if week:
        return iso_week_window(week, zone)
    if since or until:
        if not (since and until):
            raise UsageError("--since and --until go together")
        first, last = parse_day(since, "--since"), parse_day(until, "--until")
        if last < first:
            raise UsageError("--until is before --since")
        return Window(first, last + timedelta(days=1), zone, f"{first.isoformat()} to {last.isoformat()}")
    return last_complete_week(zone, now)


def local_day(completed: str | None, reported_at: datetime, zone: str) -> date:
    """The local day a report's work happened on, by the rules in the module docstring."""
    if completed and len(completed) == 10:
        return date.fromisoformat(completed)
    if completed and not has_zone(completed):
        return reported_at.date()
    return reported_at.replace(tzinfo=UTC).astimezone(zone_info(zone)).date()


def has_zone(text: str) -> bool:
    return text.endswith("Z") or bool(re.search(r"[+-]\d{2}:\d{2}$", text))
