"""Output of `tracker status`: one row per project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from tracker.query import ProjectStatus
from tracker.render.formats import coloured, console, jsonable, when, write_csv, write_json

if TYPE_CHECKING:  # the plan modules pull in pydantic: `status` without plans must not pay for it
    from tracker.plan_query import PlanStatus

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
    table.add_column("missed", justify="right", no_wrap=True)
    table.add_column("candidates", justify="right", no_wrap=True)
    table.add_column("waived", justify="right", no_wrap=True)
    table.add_column("unverified", justify="right", no_wrap=True)
    table.add_column("last report", no_wrap=True)
    for r in rows:
        by_status = ", ".join(f"{n} {coloured(s)}" for s, n in r.tasks_by_status.items()) or "-"
        unverified = f"[yellow]{r.unverified_passes}[/yellow]" if r.unverified_passes else "0"
        table.add_row(escape(r.project), str(r.tasks), by_status, str(r.reports), str(r.open_deferred),
                      f"[red]{r.missed}[/red]" if r.missed else "0", str(r.candidates), str(r.waived),
                      unverified, when(r.last_report_at))
    out.print(table)


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
