"""Output of `tracker deferred`: one row per item, with the short id every later command takes."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from tracker.query import DeferredView
from tracker.render.formats import coloured, console, shown_path, write_csv

CSV_HEADER = ["id", "project", "task", "kind", "reason", "target", "state", "flags", "age_days",
              "tasks_since", "path", "line", "text"]


def emit(items: Sequence[DeferredView], fmt: str, *, total: int | None = None) -> None:
    """`total`: how many items matched when `items` is only the first of them (a footer says so)."""
    if fmt == "json":
        sys.stdout.write(json.dumps([item_json(i) for i in items], ensure_ascii=False) + "\n")
    elif fmt == "csv":
        write_csv(CSV_HEADER, ([i.id, i.project, i.task, i.kind, i.reason, i.target, i.state,
                                ";".join(i.flags), i.age_days, i.tasks_since, i.path, i.line, i.text]
                               for i in items))
    else:
        _table(items)
        hidden = (total or 0) - len(items)
        if items and hidden > 0:
            sys.stdout.write(f"… {hidden:,} more of {total:,} matching items not shown (oldest first): "
                             "use --all, --limit N, or narrow with --project, --task, --older-than\n")


def item_json(i: DeferredView) -> dict:
    """`formats.jsonable(i)` spelled out: the generic walk costs more than the query on 20k items
    (tests check the two agree)."""
    return {
        "id": i.id, "project": i.project, "task": i.task, "kind": i.kind, "reason": i.reason,
        "target": i.target, "state": i.state, "text": i.text, "path": i.path, "line": i.line,
        "lines": list(i.lines), "opened_at": i.opened_at.isoformat(), "age_days": i.age_days,
        "closed_by": i.closed_by, "evidence": i.evidence, "waived_reason": i.waived_reason,
        "close_note": i.close_note, "missed": i.missed, "target_not_reported": i.target_not_reported,
        "tasks_since": i.tasks_since, "first_report_id": i.first_report_id,
        "seen_report_id": i.seen_report_id, "where": i.where,
    }


WIDE = 130
"""Below this terminal width each item prints as two lines instead of a table row."""


def _table(items: Sequence[DeferredView]) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    if not items:
        out.print("no deferred items match")
        return
    if out.width < WIDE:
        for i in items:
            kind = f"{i.kind}/{i.reason}" if i.reason else i.kind
            out.print(f"[bold]{i.id}[/bold]  {escape(i.task)} → {escape(i.target or '?')}  {kind}  "
                      f"{coloured(i.state)}  {i.age_days}d  [dim]{escape(shown_path(i.path))}:{i.line}[/dim]")
            out.print(f"    {escape(i.text)}")
            if i.flags:
                out.print(f"    {_state(i)}")
        return
    table = Table(box=None, header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("task", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("target", no_wrap=True)
    table.add_column("state", no_wrap=True)
    table.add_column("age", no_wrap=True, justify="right")
    table.add_column("where", no_wrap=True)
    table.add_column("text", overflow="fold", ratio=1, min_width=30)
    for i in items:
        kind = f"{i.kind}/{i.reason}" if i.reason else i.kind
        table.add_row(i.id, escape(i.task), kind, escape(i.target or "-"), _state(i),
                      f"{i.age_days}d", escape(f"{shown_path(i.path)}:{i.line}"), escape(i.text))
    out.print(table)


def _state(item: DeferredView) -> str:
    """The state with its flags: `open missed`, `open target not reported`."""
    flags = "".join(f" [red]{f}[/red]" if f == "missed" else f" [yellow]{f}[/yellow]" for f in item.flags)
    return coloured(item.state) + flags
