"""Pick the weekly summary's renderer by format name (each imports only what it needs)."""

from __future__ import annotations

from tracker.errors import UsageError
from tracker.export.weekly import WeeklySummary

FORMATS = ("md", "html", "json", "csv")
ITEM_LIMIT = 100
"""Open items the md and html summaries list (oldest first): a summary read in two minutes, not
the 70,000 rows of a 100k-report database. The headline still counts them all; JSON lists all."""


def render_weekly(summary: WeeklySummary, fmt: str, *, item_limit: int | None = ITEM_LIMIT) -> str:
    """`item_limit`: how many open items md and html list (None: all of them)."""
    if fmt == "md":
        from tracker.export import markdown as module
    elif fmt == "html":
        from tracker.export import html as module
    elif fmt == "json":
        from tracker.export import json_out as module
    elif fmt == "csv":
        from tracker.export import csv_out as module
    else:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt in ("md", "html"):
        return module.render(summary, item_limit=item_limit)  # type: ignore[call-arg]
    return module.render(summary)
