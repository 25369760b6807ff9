"""`tracker plan` (compare the imported plans with the reports) and `tracker plan import FILE`.

Kept out of `tracker/cli.py` so the plan commands stay in one place; like the rest of the CLI it
imports the store, the plan readers and Rich only inside the commands.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli_options import DbOption, JsonOption, chosen_format

plan_app = typer.Typer(
    help="Import plan files (RALPH task lists, runner PRD.json, GSD ROADMAP.md) and compare them "
         "with the reports.",
    invoke_without_command=True,
    no_args_is_help=False,
)


class ImportFormat(StrEnum):
    table = "table"
    json = "json"


class PlanFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"




@plan_app.callback()
def plan(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option("--project", "-p", help="Only this project.")] = None,
    fmt: Annotated[
        PlanFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = PlanFormat.table, as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Per phase: planned tasks without a report, reports not in the plan, runner disagreements,
    validations evidenced / deferred / without evidence, deferrals aimed at tasks not in the plan."""
    fmt = chosen_format(fmt, as_json)
    if ctx.invoked_subcommand is not None:
        return
    from tracker.plan_query import plan_views
    from tracker.render import plan_output
    from tracker.store import Store

    with Store.open(db) as store:
        views = plan_views(store, project)
    plan_output.emit(views, fmt.value)


@plan_app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Plan files: RALPH.md, PRD.json, ROADMAP.md.",
                                                show_default=False)],
    project: Annotated[
        str | None,
        typer.Option("--project", "-p",
                     help="Project name \\[default: the plan folder's project, or the only project]."),
    ] = None,
    fmt: Annotated[
        ImportFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = ImportFormat.table,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Store plan files; importing one again records tasks added, removed and renamed as events."""
    fmt = chosen_format(fmt, as_json)
    from tracker.errors import TrackerError
    from tracker.query import refresh_status_cache
    from tracker.render.formats import shown_path, write_json
    from tracker.store import Store
    from tracker.store.plans import import_plan_file

    failed = 0
    outcomes: list[dict[str, object]] = []
    with Store.open(db) as store:
        for path in files:
            try:
                result = import_plan_file(store, path, project)
            except TrackerError as exc:
                failed += 1
                if fmt is ImportFormat.json:
                    outcomes.append({"file": str(path), "outcome": "failed", "error": str(exc)})
                else:
                    typer.echo(str(exc), err=True)
                continue
            if fmt is ImportFormat.json:
                outcomes.append(result.to_data())
                continue
            typer.echo(result.line(shown_path(result.source)))
            for change in result.changes:
                old = {"renamed": f" (was {change.old_title})",
                       "renumbered": f" (was {change.old_id})"}.get(change.kind, "")
                fields = f": {', '.join(change.fields)}" if change.fields else ""
                typer.echo(f"  {change.kind:<10} {change.task_id} {change.title}{old}{fields}")
            for warning in result.warnings:
                typer.echo(f"  warning: {warning}", err=True)
        refresh_status_cache(store)
    if fmt is ImportFormat.json:
        write_json({"files": outcomes})
    raise typer.Exit(1 if failed else 0)
