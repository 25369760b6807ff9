"""Output of `tracker show TASK`: the latest report, its rows, its deferred items, its history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.plan_query import PlanTaskView
from tracker.query import TaskView
from tracker.render.formats import coloured, console, jsonable, shown_path, when, write_csv, write_json

if TYPE_CHECKING:
    from rich.table import Table

CSV_HEADER = ["section", "name", "value", "path", "line"]


def emit(view: TaskView, fmt: str, plan: PlanTaskView | None = None) -> None:
    if fmt == "json":
        write_json(jsonable(view) | ({"plan": jsonable(plan)} if plan else {}))
    elif fmt == "csv":
        write_csv(CSV_HEADER, _csv_rows(view) + _plan_csv_rows(plan))
    else:
        _table(view, plan)


def _csv_rows(v: TaskView) -> list[list[object]]:
    rows: list[list[object]] = [
        ["task", "project", v.project, None, None],
        ["task", "id", v.task, v.path, None],
        ["task", "title", v.title, v.path, None],
        ["task", "status", v.status, v.path, v.status_line],
        ["task", "status_qualifier", v.status_qualifier, v.path, v.status_line],
        ["task", "validation", v.validation, v.path, v.validation_line],
        ["task", "validation_qualifier", v.validation_qualifier, v.path, v.validation_line],
        ["task", "completed", v.completed, v.path, None],
        ["task", "started", v.started, v.path, None],
        ["task", "revision", v.revision, v.path, None],
    ]
    rows += [["checklist", state, n, v.path, None] for state, n in v.checklist.items()]
    rows += [["file", f.action, f.path, v.path, f.line] for f in v.files]
    rows += [["deferred", f"{i.id} {i.kind} {i.state}", i.text, i.path, i.line] for i in v.deferred]
    rows += [["revision", r.revision, r.status, r.path, None] for r in v.revisions]
    return rows


def _status(value: str | None, raw: str | None, qualifier: str | None, line: int | None) -> str:
    if value is None:
        return "-"
    text = coloured(value)
    if raw:
        text += f"  [dim]{raw}[/dim]"
    if qualifier:
        text += f"  ({qualifier})"
    if line:
        text += f"  [dim]line {line}[/dim]"
    return text


def _plan_csv_rows(plan: PlanTaskView | None) -> list[list[object]]:
    if plan is None:
        return []
    rows: list[list[object]] = [["plan", name, getattr(plan, name), plan.source,
                                 plan.field_lines.get(name, plan.line)]
                                for name in ("action", "validation", "security") if getattr(plan, name)]
    if plan.verdict:
        rows.append(["plan", "evidence", plan.verdict, plan.source, plan.line])
    return rows


def _plan_rows(table: Table, plan: PlanTaskView) -> None:
    from rich.markup import escape

    where = f"[dim]{shown_path(plan.source)}:{plan.line}[/dim]" if plan.line else ""
    table.add_row("plan", f"{plan.state}  {where}")
    for name in ("action", "validation"):
        value = getattr(plan, name)
        if value:
            line = plan.field_lines.get(name)
            table.add_row(f"plan {name}", escape(value) + (f"  [dim]line {line}[/dim]" if line else ""))
    if plan.verdict:
        colour = {"evidenced": "green", "deferred": "yellow"}.get(plan.verdict, "red")
        table.add_row("evidence", f"[{colour}]{plan.verdict}[/{colour}]")
        for check in plan.checks:
            where = shown_path(check["source"]) if check.get("source") else "line"
            shown = f"  [dim]{where}:{check['line']}[/dim]" if check.get("line") else ""
            table.add_row("", f"{check['status']}: {escape(check['check'])}{shown}")
    if plan.runner:
        table.add_row("runner", ", ".join(f"{k}={v}" for k, v in plan.runner.items()))


def _table(v: TaskView, plan: PlanTaskView | None = None) -> None:
    from rich.table import Table

    out = console()
    title = " ".join(x for x in (v.task, f"[{v.category}]" if v.category else None, v.title) if x)
    table = Table(title=f"{title}  [dim]({v.project})[/dim]", title_justify="left", show_header=False,
                  box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    table.add_row("report", f"{shown_path(v.path)}  [dim]revision {v.revision}, {v.format}[/dim]")
    table.add_row("status", _status(v.status, v.status_raw, v.status_qualifier, v.status_line))
    table.add_row("validation", _status(v.validation, v.validation_raw, v.validation_qualifier,
                                        v.validation_line))
    if plan is not None:
        _plan_rows(table, plan)
    table.add_row("completed", v.completed or "-")
    if v.started:
        table.add_row("started", v.started)
    table.add_row("ingested", when(v.ingested_at))
    table.add_row("checklist", ", ".join(f"{n} {s}" for s, n in v.checklist.items()) or "-")
    table.add_row("files", str(len(v.files)) if v.files else "-")
    for f in v.files:
        table.add_row("", f"{f.action:<9} {f.path}")
    for i in v.deferred:
        flags = "".join(f"  [red]{flag}[/red]" for flag in i.flags)
        table.add_row("deferred", f"{i.id}  {coloured(i.state)}{flags}  [yellow]{i.kind}[/yellow] → "
                                  f"{i.target or '?'}  {i.text}  [dim]{shown_path(i.path)}:{i.line}[/dim]")
        if i.closed_by:
            path, _, line = i.closed_by.rpartition(":")
            where = f"{shown_path(path)}:{line}" if path and line.isdigit() else shown_path(i.closed_by)
            table.add_row("", f"[green]closed by[/green] {where}  {i.evidence or ''}")
        elif i.waived_reason:
            table.add_row("", f"waived: {i.waived_reason}")
    for r in v.revisions:
        mark = "current" if r.current else ""
        table.add_row("revision", f"{r.revision}  {coloured(r.status)}  {when(r.ingested_at)}  "
                                  f"{r.sha256[:10]}  {shown_path(r.path)}  {mark}")
    out.print(table)
