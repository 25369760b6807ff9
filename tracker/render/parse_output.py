"""Output of `tracker parse`: the JSON lines contract, a CSV row per file, or a Rich summary."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence

from tracker.errors import TrackerError
from tracker.model import FailedReport, Report


def to_json_line(result: Report | TrackerError) -> str:
    if isinstance(result, Report):
        return result.model_dump_json()
    return FailedReport(source=result.path or "", error=result.message, line=result.line).model_dump_json()


def emit(results: Sequence[Report | TrackerError], fmt: str) -> None:
    if fmt == "json":
        for result in results:
            sys.stdout.write(to_json_line(result) + "\n")
    elif fmt == "csv":
        _emit_csv(results)
    else:
        _emit_table(results)


def _emit_csv(results: Sequence[Report | TrackerError]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(["source", "format", "task", "status", "validation", "completed",
                     "files", "checklist", "deferred", "error"])
    for r in results:
        if isinstance(r, Report):
            writer.writerow([r.source, r.format, r.task.id or "", r.status.value,
                             r.validation.value if r.validation else "",
                             r.timestamps.completed or "", len(r.files), len(r.checklist),
                             len(r.deferred), ""])
        else:
            writer.writerow([r.path or "", "", "", "", "", "", "", "", "", r.message])


def _emit_table(results: Sequence[Report | TrackerError]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for r in results:
        if not isinstance(r, Report):
            continue
        title = f"{r.source}  [dim]({r.format})[/dim]"
        table = Table(title=title, title_justify="left", show_header=False, box=None)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        table.add_row("task", " ".join(x for x in (r.task.id, r.task.title) if x) or "-")
        table.add_row("status", _status(r.status.value, r.status.raw, r.status.qualifier))
        if r.validation:
            table.add_row("validation", _status(r.validation.value, r.validation.raw,
                                                r.validation.qualifier))
        table.add_row("completed", r.timestamps.completed or "-")
        table.add_row("files", str(len(r.files)))
        states: dict[str, int] = {}
        for item in r.checklist:
            states[item.state] = states.get(item.state, 0) + 1
        table.add_row("checklist", ", ".join(f"{n} {s}" for s, n in states.items()) or "-")
        for item in r.deferred:
            where = f"{r.source}:{item.line}"
            table.add_row("deferred", f"[yellow]{item.kind}[/yellow] → {item.target or '?'}  "
                                      f"{item.text}  [dim]{where}[/dim]")
        for warning in r.warnings:
            table.add_row("warning", f"[yellow]{warning}[/yellow]")
        console.print(table)
        console.print()


def _status(value: str, raw: str | None, qualifier: str | None) -> str:
    colour = {"pass": "green", "fail": "red", "partial": "yellow", "blocked": "red"}.get(value, "")
    text = f"[{colour}]{value}[/{colour}]" if colour else value
    if raw:
        text += f"  [dim]{raw}[/dim]"
    if qualifier:
        text += f"  ({qualifier})"
    return text
