"""The weekly summary as CSV: one row per thing that happened to a task or item in the week."""

from __future__ import annotations

import csv
import io

from tracker.export.weekly import WeeklySummary

HEADER = ("what", "project", "task", "item", "when", "status", "where", "detail")
"""`what`: reported (a task's report; `status` is its status), opened, closed, waived, candidate,
reopened, withdrawn (a deferred item; `item` is its id). `when` keeps the report's own precision."""


def render(summary: WeeklySummary) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for e in summary.events:
        writer.writerow([e.what, e.project, e.task, e.item or "", e.when, e.status or "", e.where or "",
                         " ".join((e.detail or "").split())])
    return buffer.getvalue()
