"""Pick the weekly summary's renderer by format name (each imports only what it needs)."""

from __future__ import annotations

from tracker.errors import UsageError
from tracker.export.weekly import WeeklySummary

FORMATS = ("md", "html", "json", "csv")


def render_weekly(summary: WeeklySummary, fmt: str) -> str:
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
    return module.render(summary)
