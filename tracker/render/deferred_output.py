"""Output of `tracker deferred`: one row per item, with the short id every later command takes."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.query import DeferredView
from tracker.render.formats import coloured, console, shown_path, write_csv, write_json

CSV_HEADER = ["id", "project", "task", "kind", "reason", "target", "state", "age_days", "path", "line",
              "text"]


def emit(items: Sequence[DeferredView], fmt: str) -> None:
    if fmt == "json":
        write_json(list(items))
    elif fmt == "csv":
        write_csv(CSV_HEADER, ([i.id, i.project, i.task, i.kind, i.reason, i.target, i.state,
                                i.age_days, i.path, i.line, i.text] for i in items))
    else:
        _table(items)


def _table(items: Sequence[DeferredView]) -> None:
    from rich.table import Table

    out = console()
    if not items:
        out.print("no deferred items match")
        return
    table = Table(box=None, header_style="bold")
    table.add_column("id", no_wrap=True, min_width=6)
    table.add_column("task", no_wrap=True, min_width=4)
    table.add_column("kind", overflow="fold", min_width=8)
    table.add_column("target", overflow="fold", min_width=6)
    table.add_column("state", no_wrap=True, min_width=5)
    table.add_column("age", no_wrap=True, justify="right", min_width=3)
    table.add_column("where", overflow="fold", min_width=12)
    table.add_column("text", overflow="fold", ratio=1, min_width=20)
    for i in items:
        kind = f"{i.kind}/{i.reason}" if i.reason else i.kind
        table.add_row(i.id, i.task, kind, i.target or "-", coloured(i.state), f"{i.age_days}d",
                      f"{shown_path(i.path)}:{i.line}", i.text)
    out.print(table)
