"""Completion and start times, as ISO 8601 with exactly the precision the report gives.

"2026-01-25 08:38 UTC+02:00" -> "2026-01-25T08:38:00+02:00", "February 3, 2026" -> "2026-02-03",
"2026-01-25T08:50:00" stays naive. When a report states the time more than once (GSD front
matter gives the date, the body gives the minute), the most precise statement wins.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from tracker.model import Format, Timestamps
from tracker.parse.document import Document
from tracker.parse.field_lines import field_lines, line_segments
from tracker.parse.fields import extract_status

COMPLETED_KEYS = frozenset({
    "completed", "completed at", "completed on", "task completed", "date completed", "completion date",
    "completion time", "completed date", "finished", "finished at", "finished on", "end time", "ended",
    "ended at", "done at", "completed_at", "completed_date", "end date", "ended on", "finish time",
    "finish date", "date finished", "closed at", "closed on", "merged at", "merged on",
    "session ended", "session end", "run ended", "run finished",
})
STARTED_KEYS = frozenset({
    "started", "started at", "started on", "start time", "start date", "start", "began",
})
WEAK_COMPLETED_KEYS = frozenset({
    "date", "report date", "timestamp", "generated", "generated on",
    "generated at", "report generated", "summary date", "date/time", "execution date", "run date",
    "last run", "run at", "ran at", "verified", "verified at", "verified on", "when",
})
# When the report was last edited: the completion time only once the report says the work is finished.
REVISION_KEYS = frozenset({"updated", "last updated", "last modified", "modified"})
FRONT_MATTER_COMPLETED = ("completed", "completed_date", "completed_at", "completed-date", "date", "verified")
"""The last two only when nothing says completed: "verified" is when a GSD phase verification ran."""
FRONT_MATTER_STARTED = ("started", "started_at", "start")
FRONT_MATTER_REVISED = ("updated", "last_updated", "updated_at")
"""A session's last change (a GSD UAT file): its end once it started and is not unfinished."""

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_ISO = re.compile(
    r"(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:(?:T|\s+(?:at\s+|@\s*)?)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?P<frac>\.\d{1,6})?)?)?"
)
# "11/03/2026" (month first unless the first number cannot be a month), "03.11.2026" (day first)
_NUMERIC = re.compile(
    r"(?<![\w/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/.]\d)"
    r"(?:(?:,?\s+(?:at\s+|@\s*)?)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?"
)
_NAMED = re.compile(
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Za-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))"
    r"(?:,?\s+(?:at\s+)?(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?)?"
)
_AMPM = re.compile(r"\s*([AaPp])\.?[Mm]\b\.?")
_ZONE = re.compile(
    r"^\s*\(?\s*(?:(?P<z>Z)\b|(?:UTC|GMT)?\s*(?P<sign>[+-])(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?"
    r"|(?P<utc>UTC|GMT)\b|(?P<abbr>[A-Z]{3,4})\b)"
)
# Zone abbreviations that name one offset (CST and IST name several, so they are left naive).
ZONE_ABBREVIATIONS = {
    "WET": "Z", "WEST": "+01:00", "BST": "+01:00", "CET": "+01:00", "CEST": "+02:00", "EET": "+02:00",
    "EEST": "+03:00", "MSK": "+03:00", "SGT": "+08:00", "HKT": "+08:00", "JST": "+09:00", "KST": "+09:00",
    "AEST": "+10:00", "AEDT": "+11:00", "NZST": "+12:00", "NZDT": "+13:00", "EST": "-05:00",
    "EDT": "-04:00", "CDT": "-05:00", "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
}


@dataclass(frozen=True, slots=True)
class When:
    iso: str
    precision: int  # 1 date, 2 minute, 3 second


def _zone(text: str) -> str | None:
    match = _ZONE.match(text)
    if not match:
        return None
    if match.group("z") or match.group("utc"):
        return "Z"
    if match.group("abbr"):
        return ZONE_ABBREVIATIONS.get(match.group("abbr"))
    hours, minutes = int(match.group("oh")), int(match.group("om") or 0)
    if hours > 14 or minutes > 59:
        return None
    if hours == 0 and minutes == 0:
        return "Z" if match.group("sign") == "+" else "-00:00"
    return f"{match.group('sign')}{hours:02d}:{minutes:02d}"


def _build(year: int, month: int, day: int, hour: str | None, minute: str | None, second: str | None,
           rest: str, fraction: str | None = None) -> When | None:
    """`fraction` (".512") is kept as written: the instant the text gives, to its precision."""
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if hour is None or minute is None:
        return When(date.isoformat(), 1)
    h, mi, s = int(hour), int(minute), int(second or 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    zone = _zone(rest) or ""
    if zone == "-00:00":
        zone = "Z"
    return When(f"{date.isoformat()}T{h:02d}:{mi:02d}:{s:02d}{fraction or ''}{zone}", 3 if second else 2)


def parse_when(text: str) -> When | None:
    """The first date or time written in `text`, or None ("[Date]" placeholders give None)."""
    text = text.strip()
    iso = _ISO.search(text)
    named = _NAMED.search(text)
    if named and (iso is None or named.start() < iso.start()):
        month_word = (named.group("m1") or named.group("m2") or "")[:3].lower()
        month = _MONTHS.get(month_word)
        if month is not None:
            day = int(named.group("d1") or named.group("d2"))
            year = int(named.group("y1") or named.group("y2"))
            hour = named.group("h")
            if hour is not None and named.group("ampm"):
                h = int(hour) % 12 + (12 if named.group("ampm").lower() == "pm" else 0)
                hour = str(h)
            return _build(year, month, day, hour, named.group("mi"), named.group("s"), text[named.end():])
    if iso is None:
        return _numeric_when(text)
    hour, rest = iso.group("h"), text[iso.end():]
    ampm = _AMPM.match(rest)
    if hour is not None and ampm:
        hour = str(int(hour) % 12 + (12 if ampm.group(1).lower() == "p" else 0))
        rest = rest[ampm.end():]
    return _build(int(iso.group("y")), int(iso.group("mo")), int(iso.group("d")), hour,
                  iso.group("mi"), iso.group("s"), rest, iso.group("frac"))


def _numeric_when(text: str) -> When | None:
    match = _NUMERIC.search(text)
    if match is None:
        return None
    a, b = int(match.group("a")), int(match.group("b"))
    day_first = match.group("sep") == "." or a > 12
    month, day = (b, a) if day_first else (a, b)
    hour, rest = match.group("h"), text[match.end():]
    ampm = _AMPM.match(rest)
    if hour is not None and ampm:
        hour = str(int(hour) % 12 + (12 if ampm.group(1).lower() == "p" else 0))
        rest = rest[ampm.end():]
    return _build(int(match.group("y")), month, day, hour, match.group("mi"), match.group("s"), rest)


def _front_matter_value(fm: dict[str, Any], keys: tuple[str, ...]) -> tuple[tuple[str, ...], Any] | None:
    for key in keys:
        if fm.get(key) is not None:
            return (key,), fm[key]
    for parent in ("metrics", "timing", "times"):
        nested = fm.get(parent)
        if isinstance(nested, dict):
            for key in keys:
                if nested.get(key) is not None:
                    return (parent, key), nested[key]
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        text = value.isoformat()
        return text.replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _zone_from_key(when: When, source_line: str) -> When:
    """"Completed (UTC): 2026-02-01 10:00" states the zone in the key: the time is UTC."""
    naive_time = when.precision > 1 and not re.search(r"(Z|[+-]\d{2}:\d{2})$", when.iso)
    if naive_time and re.search(r"\((?:UTC|GMT)\)\s*\**\s*:", source_line):
        return When(when.iso + "Z", when.precision)
    return when


def _best(candidates: list[tuple[When, int]]) -> tuple[When, int] | None:
    """Most precise first; on a tie the statement that came first in the file."""
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0].precision, -candidates.index(c)))


_COMPLETED_SENTENCE = re.compile(  # "Completed on 2026-01-25", "Completed 2026-04-10T18:40"
    r"^\W*(?:status\W*[:—–]\W*)?(?:task\s+)?(?:completed?|finished|done|wrapped\s+up)"
    r"(?:\s*[—–(]\s*|\s+-\s+|\s+)"
    r"(?:(?:on|at)\s+(?P<when>.+)"
    r"|(?P<dated>(?:\d{4}-\d{1,2}-\d{1,2}|[A-Za-z]{3,9}\.?\s+\d{1,2}\b|\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}).*))$",
    re.I)


_DATED_HEADING = re.compile(  # "## Task 3 Completion Notes (2026-07-05)"
    r"\b(?:completion|completed?|finished|done)\b[^()]*\((?P<when>[^()]+)\)\s*$"
    r"|\((?:completed?|finished|done)\s+(?:on\s+|at\s+)?(?P<inner>[^()]+)\)\s*$", re.I)


def _sentence_times(doc: Document) -> list[tuple[When, int]]:
    """"Completed on 2026-01-25" written as a sentence rather than a field."""
    found: list[tuple[When, int]] = []
    for block in doc.blocks:
        if block.kind == "heading" and (dated := _DATED_HEADING.search(block.text)):
            when = parse_when(dated.group("when") or dated.group("inner"))
            if when is not None:
                found.append((when, block.line))
        if block.kind not in ("paragraph", "item"):
            continue
        for line, whole in block.text_lines():
            for text in _sentences(line_segments(whole)):
                match = _COMPLETED_SENTENCE.match(text.strip())
                written = (match.group("when") or match.group("dated")).rstrip(") ") if match else None
                when = parse_when(written) if written else None
                if when is not None:
                    found.append((when, line))
    return found


_SENTENCE_START = re.compile(r"(?<=[.!?])\s+(?=(?:Completed|Finished|Done|Wrapped)\b)")


def _sentences(segments: list[str]) -> list[str]:
    """"PlayMode tests pass (6/6). Finished 2026-03-06.": a completion sentence need not open its line."""
    return [part for segment in segments for part in _SENTENCE_START.split(segment)]


_BARE_DATE = re.compile(r"^\W*(\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}\S*)?)\W*$")


def _byline_time(doc: Document) -> list[tuple[When, int]]:
    """"Ticket: SD-127 · Author: coding agent · 2026-05-28" under the title: the report's date."""
    for block in doc.blocks[:4]:
        if block.kind != "paragraph" or "·" not in block.text:
            continue
        for line, text in block.text_lines():
            for segment in text.split("·")[1:]:
                bare = _BARE_DATE.match(segment)
                when = parse_when(bare.group(1)) if bare else None
                if when is not None:
                    return [(when, line)]
    return []


def _unfinished(doc: Document, fmt: Format) -> bool:
    """A report still in progress or blocked has not completed: its "Last updated" date is no completion."""
    return extract_status(doc, fmt).value in ("in_progress", "blocked")


def extract_timestamps(doc: Document, fmt: Format) -> Timestamps:
    completed: list[tuple[When, int]] = []
    weak: list[tuple[When, int]] = []
    started: list[tuple[When, int]] = []
    revised: list[tuple[When, int]] = []
    fm = doc.front_matter or {}
    for keys, out in ((FRONT_MATTER_COMPLETED, completed), (FRONT_MATTER_STARTED, started),
                      (FRONT_MATTER_REVISED, revised)):
        found = _front_matter_value(fm, keys)
        if found is not None:
            when = parse_when(_as_text(found[1]))
            if when is not None:
                target = weak if found[0][-1] in ("date", "verified") else out
                target.append((when, doc.front_matter_lines.get(found[0], 1)))
    for found_line in field_lines(doc):
        key = found_line.key
        bucket = (completed if key in COMPLETED_KEYS else started if key in STARTED_KEYS
                  else weak if key in WEAK_COMPLETED_KEYS else revised if key in REVISION_KEYS else None)
        if bucket is None:
            continue
        when = parse_when(found_line.value)
        if when is not None:
            bucket.append((_zone_from_key(when, doc.line_text(found_line.line)), found_line.line))
    if not completed:
        completed.extend(_sentence_times(doc))
    if not completed and not weak:
        weak.extend(_byline_time(doc))
    best_completed = _best(completed) or _best(weak)
    # a session table (Started / Updated) gives the span of this session even when the task is blocked
    if best_completed is None and revised and (started or not _unfinished(doc, fmt)):
        best_completed = _best(revised)
    best_started = _best(started)
    return Timestamps(
        completed=best_completed[0].iso if best_completed else None,
        completed_line=best_completed[1] if best_completed else None,
        started=best_started[0].iso if best_started else None,
        started_line=best_started[1] if best_started else None,
    )
