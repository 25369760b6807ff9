"""Output of `tracker status`: one row per project."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.query import ProjectStatus
from tracker.render.formats import coloured, console, when, write_csv, write_json

STATUSES = ("pass", "fail", "partial", "blocked", "in_progress", "unknown")


def emit(rows: Sequence[ProjectStatus], fmt: str) -> None:
    if fmt == "json":
        write_json(list(rows))
    elif fmt == "csv":
        write_csv(
            ["project", "tasks", *STATUSES, "reports", "revisions", "open_deferred", "unverified_passes",
             "last_report_at"],
            ([r.project, r.tasks, *(r.tasks_by_status.get(s, 0) for s in STATUSES), r.reports,
              r.revisions, r.open_deferred, r.unverified_passes, r.last_report_at] for r in rows),
        )
    else:
        _table(rows)


def _table(rows: Sequence[ProjectStatus]) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    if not rows:
        out.print("no reports yet: run `tracker ingest PATH`", markup=False)
        return
    table = Table(box=None, header_style="bold")
    table.add_column("project", no_wrap=True)
    table.add_column("tasks", justify="right")
    table.add_column("by status", overflow="fold", ratio=1, min_width=16)
    table.add_column("reports", justify="right")
    table.add_column("open", justify="right", no_wrap=True)
    table.add_column("unverified", justify="right", no_wrap=True)
    table.add_column("last report", no_wrap=True)
    for r in rows:
        by_status = ", ".join(f"{n} {coloured(s)}" for s, n in r.tasks_by_status.items()) or "-"
        unverified = f"[yellow]{r.unverified_passes}[/yellow]" if r.unverified_passes else "0"
        table.add_row(escape(r.project), str(r.tasks), by_status, str(r.reports), str(r.open_deferred),
                      unverified, when(r.last_report_at))
    out.print(table)
