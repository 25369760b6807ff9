"""Durations as people type them on the command line ("7d", "2w", "36h") for age policies."""

from __future__ import annotations

import re
from datetime import timedelta

from tracker.errors import UsageError

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """'7d' -> 7 days. Units: m(inutes) h(ours) d(ays) w(eeks); one number and one unit."""
    match = _DURATION.fullmatch(text or "")
    if not match:
        raise UsageError(f"not a duration: {text!r} (use a number and a unit: 30m, 12h, 7d, 2w)")
    amount, unit = float(match.group(1)), match.group(2).lower()
    return timedelta(**{_UNITS[unit]: amount})


def format_days(days: float) -> str:
    """Age as a listing shows it: whole days, or hours under a day."""
    if days < 1:
        return f"{max(0, round(days * 24))}h"
    return f"{int(days)}d"
