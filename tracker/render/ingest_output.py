"""Output of `tracker ingest`: a count line for people, every stored or failed file for programs."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from tracker.render.formats import write_csv, write_json

if TYPE_CHECKING:
    from tracker.ingest import IngestSummary

FILE_COLUMNS = ("file", "project", "outcome", "report_id", "opened", "closed", "proposed", "withdrawn",
                "error")


def emit_summary(summary: IngestSummary, fmt: str) -> None:
    """Table: the count line (scripts grep it) and, when items changed, what changed. JSON: counts,
    item changes and one object per stored or failed file. CSV: one row per such file."""
    files = summary.files or []
    if fmt == "json":
        write_json({"ingested": summary.ingested, "unchanged": summary.unchanged, "failed": summary.failed,
                    "stale": summary.stale,
                    "items": {"opened": summary.opened, "closed": summary.closed,
                              "proposed": summary.proposed, "withdrawn": summary.withdrawn},
                    "files": files})
    elif fmt == "csv":
        write_csv(FILE_COLUMNS, ([getattr(f, name) for name in FILE_COLUMNS] for f in files))
    else:
        sys.stdout.write(summary.line() + "\n")
        if summary.items_line():
            sys.stdout.write(summary.items_line() + "\n")
