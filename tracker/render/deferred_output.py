"""Output of `tracker deferred`: one row per item, with the short id every later command takes."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tracker.query import DeferredView
from tracker.render.formats import STATUS_COLOURS, console, shown_path, write_csv

if TYPE_CHECKING:
    from rich.text import Text

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
    """A table row per item on a wide terminal, else a few lines per item; built as plain
    columns (`render.columns`): Rich's `Table` took 0.2 s for the default 100 rows."""
    from rich.text import Text

    from tracker.render.columns import GAP, natural_width, print_columns, print_lines

    out = console()
    if not items:
        out.print("no deferred items match")
        return
    headers = ["id", "task", "kind", "target", "state", "age", "where", "text"]
    rows = [[i.id, i.task, f"{i.kind}/{i.reason}" if i.reason else i.kind, i.target or "-", _state(i),
             f"{i.age_days}d", f"{shown_path(i.path)}:{i.line}", i.text] for i in items]
    room = out.width - natural_width(headers[:-1], [row[:-1] for row in rows]) - len(GAP)
    if out.width >= WIDE and room >= MIN_TEXT:
        print_columns(out, headers, rows, right=frozenset({5}), wrap_last_at=room)
        return
    lines: list[Text] = []
    for item, (short_id, task, kind, _target, state, age, where, text) in zip(items, rows, strict=True):
        lines.append(Text.assemble((short_id, "bold"), f"  {task} → {item.target or '?'}  {kind}  ",
                                   (item.state, STATUS_COLOURS.get(item.state, "")), f"  {age}  ",
                                   (where, "dim")))
        lines.append(Text(f"    {text}"))
        if item.flags:
            lines.append(Text.assemble("    ", state))
    print_lines(out, lines)


MIN_TEXT = 30
"""The text column is never narrower: below that each item prints as lines of its own."""


def _state(item: DeferredView) -> Text:
    """The state with its flags: `open missed`, `open target not reported`."""
    from rich.text import Text

    parts: list[str | tuple[str, str]] = [(item.state, STATUS_COLOURS.get(item.state, ""))]
    for flag in item.flags:
        parts += [" ", (flag, "red" if flag == "missed" else "yellow")]
    return Text.assemble(*parts)
