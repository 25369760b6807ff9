"""Output of `tracker status`: one row per project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from tracker.query import ProjectStatus
from tracker.render.formats import STATUS_COLOURS, console, jsonable, when, write_csv, write_json

if TYPE_CHECKING:  # the plan modules pull in pydantic: `status` without plans must not pay for it
    from rich.text import Text

    from tracker.plan_query import PlanStatus
    from tracker.render.columns import Cell

STATUSES = ("pass", "fail", "partial", "blocked", "in_progress", "unknown")


def emit(rows: Sequence[ProjectStatus], fmt: str, plans: Mapping[str, PlanStatus] | None = None) -> None:
    plans = plans or {}
    if fmt == "json":
        write_json([jsonable(r) | ({"plan": jsonable(plans[r.project])} if r.project in plans else {})
                    for r in rows])
    elif fmt == "csv":
        write_csv(
            ["project", "tasks", *STATUSES, "reports", "revisions", "open_deferred", "missed", "candidates",
             "waived", "unverified_passes", "last_report_at"],
            ([r.project, r.tasks, *(r.tasks_by_status.get(s, 0) for s in STATUSES), r.reports,
              r.revisions, r.open_deferred, r.missed, r.candidates, r.waived, r.unverified_passes,
              r.last_report_at] for r in rows),
        )
    else:
        _table(rows)
        _plan_lines(rows, plans)


def _table(rows: Sequence[ProjectStatus]) -> None:
    """One line per project when the terminal is wide enough, else two (Rich's `Table` squeezed
    columns away at 80 characters)."""
    from rich.text import Text

    from tracker.render.columns import GAP, natural_width, plain, print_columns, print_lines

    out = console()
    if not rows:
        out.print("no reports yet: run `tracker ingest PATH`", markup=False)
        return
    headers = ["project", "tasks", "reports", "open", "missed", "candidates", "waived", "unverified",
               "last report", "by status"]
    cells: list[list[Cell]] = []
    for r in rows:
        by_status = Text(", ").join(Text.assemble(f"{n} ", (s, STATUS_COLOURS.get(s, "")))
                                    for s, n in r.tasks_by_status.items()) or Text("-")
        cells.append([r.project, str(r.tasks), str(r.reports), str(r.open_deferred),
                      (str(r.missed), "red") if r.missed else "0", str(r.candidates), str(r.waived),
                      (str(r.unverified_passes), "yellow") if r.unverified_passes else "0",
                      when(r.last_report_at), by_status])
    room = out.width - natural_width(headers[:-1], [row[:-1] for row in cells]) - len(GAP)
    if room >= MIN_BY_STATUS:
        print_columns(out, headers, cells, right=frozenset(range(1, 8)), wrap_last_at=room)
        return
    lines = []
    for row in cells:
        name, tasks, reports, *counts, last, by_status = row
        lines.append(Text.assemble((plain(name), "bold"), f"  {tasks} tasks: ", by_status,
                                   f"  {reports} reports  last {last}"))
        lines.append(Text.assemble("    ", *_pairs(headers[3:8], counts)))
    print_lines(out, lines)


MIN_BY_STATUS = 16
"""The tasks-by-status column is never narrower: below that each project prints as two lines."""


def _pairs(names: Sequence[str], values: Sequence[Cell]) -> list[str | tuple[str, str] | Text]:
    """`open 9  missed 1  …` with each value keeping its colour."""
    parts: list[str | tuple[str, str] | Text] = []
    for name, value in zip(names, values, strict=True):
        parts += [f"{name} ", value, "  "]
    return parts[:-1]


def _plan_lines(rows: Sequence[ProjectStatus], plans: Mapping[str, PlanStatus]) -> None:
    """One line per project with an imported plan: what `tracker plan` would flag."""
    from rich.markup import escape

    out = console()
    for r in rows:
        plan = plans.get(r.project)
        if plan is None:
            continue
        parts = [f"{plan.reported}/{plan.planned} planned tasks reported"]
        if plan.missing:
            where = f" (phases {', '.join(plan.missing_phases)} not started)" if plan.missing_phases else ""
            parts.append(f"[yellow]{plan.missing} missing[/yellow]{where}")
        if plan.put_off:
            parts.append(f"{plan.put_off} put off by the plan")
        if plan.unplanned:
            parts.append(f"{plan.unplanned} not in plan")
        if plan.runner:
            parts.append(f"[red]{plan.runner} runner disagreements[/red]")
        if plan.targets_not_in_plan:
            parts.append(f"[red]{plan.targets_not_in_plan} deferrals aimed at tasks not in the plan[/red]")
        out.print(f"plan {escape(r.project)}: {', '.join(parts)}  [dim](tracker plan)[/dim]")
