"""Output of `tracker plan` and of `tracker plan import`: per phase what is missing, unplanned,
contradicted by the runner or claimed without evidence; then the findings one per line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.plan_query import ProjectPlanView
from tracker.render.formats import console, shown_path, write_csv, write_json

CSV_HEADER = ["project", "phase", "finding", "task", "detail", "path", "line"]


def emit(views: Sequence[ProjectPlanView], fmt: str) -> None:
    if fmt == "json":
        write_json(list(views))
    elif fmt == "csv":
        write_csv(CSV_HEADER, (row for view in views for row in _csv_rows(view)))
    else:
        _tables(views)


def _phase_of(view: ProjectPlanView, task_id: str | None) -> str | None:
    for phase in view.phases:
        for key in ("missing", "unplanned", "runner", "evidenced", "deferred_checks", "no_evidence"):
            if task_id in phase[key]:
                return phase["phase"]
    return None


def _csv_rows(view: ProjectPlanView) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for m in view.missing:
        finding = "missing (phase put off)" if m["phase_deferred"] else "missing"
        rows.append([view.project, m["phase"], finding, m["task_id"], m["title"], _plan_source(view, m),
                     m["line"]])
    for u in view.unplanned:
        rows.append([view.project, _phase_of(view, u["task_id"]), "not in plan", u["task_id"], None,
                     u["source"], u["line"]])
    for r in view.runner:
        rows.append([view.project, _phase_of(view, r["task_id"]), r["kind"], r["task_id"], _runner_text(r),
                     r["source"], r["line"]])
    for e in view.evidence:
        rows.append([view.project, _phase_of(view, e["task_id"]), e["verdict"], e["task_id"], e["validation"],
                     e["sources"][-1] if e["sources"] else None, None])
    for t in view.targets_not_in_plan:
        rows.append([view.project, _phase_of(view, t["task_id"]), "target not in plan", t["task_id"],
                     f"→ {t['target']}: {t['text']}", t["source"], t["line"]])
    return rows


def _plan_source(view: ProjectPlanView, _missing: dict[str, Any]) -> str | None:
    return view.plans[0].source if len(view.plans) == 1 else None


def _runner_text(r: dict[str, Any]) -> str:
    who = "runner" if r["via"] == "runner" else "checkbox"
    if r["kind"] == "passed without report":
        return f"{who} says passed, no report"
    return f"{who} says {r['runner']}, report says {r['report_status']}"


def _ids(ids: list[str], of: int) -> str:
    if not ids:
        return "-"
    if len(ids) == of and of > 3:
        return f"all {of}"
    return " ".join(ids)


def _count(n: int) -> str:
    return str(n) if n else "-"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tables(views: Sequence[ProjectPlanView]) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    if not views:
        out.print("no plan imported yet: run `tracker plan import FILE`", markup=False)
        return
    for view in views:
        files = ", ".join(f"{shown_path(p.source)} ({p.format}, {p.tasks} tasks)" for p in view.plans)
        out.print(f"[bold]{escape(view.project)}[/bold]: {view.planned} planned tasks, "
                  f"{view.reported} reported")
        out.print(f"[dim]plans: {escape(files)}[/dim]")
        table = Table(box=None, header_style="bold", pad_edge=False)
        table.add_column("phase", no_wrap=True)
        table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=20)
        table.add_column("reported", justify="right", no_wrap=True)
        table.add_column("missing", overflow="fold", ratio=1, min_width=12)
        table.add_column("checks", justify="right", no_wrap=True)
        table.add_column("other", overflow="fold", ratio=1, min_width=10)
        for p in view.phases:
            missing = _ids(p["missing"], p["planned"])
            if p["missing"]:
                missing = f"[dim]{missing}, put off[/dim]" if p["deferred"] else f"[yellow]{missing}[/yellow]"
            checks = "-"
            if p["evidenced"] or p["deferred_checks"] or p["no_evidence"]:
                none = len(p["no_evidence"])
                checks = (f"{len(p['evidenced'])}/{len(p['deferred_checks'])}/"
                          + (f"[red]{none}[/red]" if none else "0"))
            other = [f"[yellow]not in plan[/yellow] {' '.join(p['unplanned'])}" if p["unplanned"] else "",
                     f"[red]runner[/red] {' '.join(p['runner'])}" if p["runner"] else "",
                     f"[red]target not in plan[/red] {len(p['targets_not_in_plan'])}"
                     if p["targets_not_in_plan"] else ""]
            table.add_row(p["phase"] or "?", escape(p["title"] or ""), f"{p['reported']}/{p['planned']}",
                          missing, checks, "; ".join(o for o in other if o) or "-")
        out.print(table)
        out.print("[dim]checks: plan validations evidenced / deferred / no evidence in the reports[/dim]")
        for r in view.runner:
            where = f"  [dim]{shown_path(r['source'])}:{r['line']}[/dim]" if r["source"] else ""
            out.print(f"  [red]runner[/red]        {r['task_id']}: {escape(_runner_text(r))}{where}")
        for e in view.evidence:
            if e["verdict"] == "evidenced":
                continue
            colour = "yellow" if e["verdict"] == "deferred" else "red"
            status = f" (report: {e['report_status']})" if e["report_status"] else ""
            out.print(f"  [{colour}]{e['verdict']:<13}[/{colour}] {e['task_id']}: "
                      f"{escape(_short(e['validation']))}{status}")
        for t in view.targets_not_in_plan:
            out.print(f"  [red]target not in plan[/red] {t['task_id']} → {t['target']}: {escape(t['text'])}  "
                      f"[dim]{shown_path(t['source'])}:{t['line']}[/dim]")
        for u in view.unplanned:
            out.print(f"  [yellow]not in plan[/yellow]   {u['task_id']}  "
                      f"[dim]{shown_path(u['source'])}[/dim]")
        for source in view.unidentified:
            out.print(f"  [dim]no task id    {shown_path(source)}[/dim]")
        for warning in view.warnings:
            out.print(f"  [dim]warning: {escape(warning)}[/dim]")
        out.print()
