"""The `tracker` command: thin. It picks the output format and turns TrackerError into one line.

Heavy modules (the parser, SQLAlchemy, Alembic, Rich tables) are imported inside the
commands that need them, so `tracker status` starts fast.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli_options import DbOption, JsonOption, ProjectOption, chosen_format
from tracker.db_cli import db_app
from tracker.errors import TrackerError, UsageError
from tracker.plan_cli import plan_app

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from tracker.ingest import IngestSummary, Source
    from tracker.store import Store

app = typer.Typer(
    help="Read agent task reports, store them, and keep deferred checks from being forgotten.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(plan_app, name="plan")
app.add_typer(db_app, name="db")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.callback()
def _root() -> None:
    """Read agent task reports, store them, and keep deferred checks from being forgotten."""


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Report files to parse.", show_default=False)],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per file, one per line, in order.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    max_size: Annotated[
        int, typer.Option(help="Refuse files larger than this many bytes.")
    ] = 5 * 1024 * 1024,
) -> None:
    """Parse report files and print what tracker reads in them (no database involved)."""
    from tracker.parse import parse_file
    from tracker.render import parse_output

    results = []
    failed = 0
    for path in paths:
        try:
            results.append(parse_file(path, max_size=max_size))
        except TrackerError as exc:
            failed += 1
            results.append(exc)
            if not (as_json or fmt is OutputFormat.json):
                typer.echo(str(exc), err=True)
    parse_output.emit(results, "json" if as_json else fmt.value)
    raise typer.Exit(1 if failed else 0)




@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Report files, folders (recursive) or '-' for stdin.",
                                  show_default=False)
    ],
    project: Annotated[
        str | None, typer.Option("--project", "-p", help="Project name \\[default: the folder's name].")
    ] = None,
    glob: Annotated[str, typer.Option(help="Which files to read in folders.")] = "*.md",
    name: Annotated[
        str | None, typer.Option(help="Source name for the report read from stdin ('-').")
    ] = None,
    db: DbOption = None,
    max_size: Annotated[
        int, typer.Option(help="Refuse files larger than this many bytes.")
    ] = 5 * 1024 * 1024,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parse in this many processes.")] = 1,
    watch: Annotated[
        bool, typer.Option("--watch", help="Then keep watching: ingest reports (and re-import "
                                           "imported plans) as they change, until Ctrl-C.")
    ] = False,
    reparse: Annotated[
        bool, typer.Option("--reparse", help="Read again the unchanged files an earlier tracker "
                                             "parsed (after an upgrade); new revisions only where "
                                             "they read differently.")
    ] = False,
    fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False,
) -> None:
    """Store reports: new content becomes a new revision, unchanged files are skipped."""
    fmt = chosen_format(fmt, as_json)
    gc.enable()  # the launcher starts without it (tracker/__main__.py); ingest runs long
    from tracker.ingest import collect_sources
    from tracker.query import refresh_status_cache
    from tracker.store import Store

    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if watch and "-" in paths:
        raise UsageError("--watch watches files and folders: '-' (stdin) cannot be watched")
    if watch and fmt != OutputFormat.table:
        raise UsageError("--watch prints a line per change: use it without --format")
    sources = collect_sources(paths, glob=glob, project=project, name=name)
    executor = None
    if jobs > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
    try:
        with Store.open(db) as store:
            sources = _without_plan_files(store, sources)
            summary = _run_with_progress(store, sources, max_size, executor,
                                         keep_files=fmt != OutputFormat.table, reparse=reparse)
            refresh_status_cache(store)  # the `status` polls that follow find it ready
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    from tracker.render.ingest_output import emit_summary

    emit_summary(summary, fmt.value)
    if summary.stale:
        typer.echo(f"note: {summary.stale} unchanged report(s) were read by an earlier tracker parser; "
                   "`tracker ingest --reparse` with the same paths reads them again", err=True)
    if watch:
        from tracker.watch import watch_command

        watch_command(db, paths, project=project, glob=glob, max_size=max_size)
        raise typer.Exit(0)
    raise typer.Exit(1 if summary.failed else 0)


def _without_plan_files(store: Store, sources: list[Source]) -> list[Source]:
    """A file imported with `tracker plan import` is the plan, not a report: leave it out."""
    from tracker.store.plans import plan_sources

    plans = plan_sources(store)
    for source in sources:
        if source.project in plans.get(source.name, ()):
            typer.echo(f"{source.name}: skipped: imported as a plan (tracker plan import)", err=True)
    return [s for s in sources if s.project not in plans.get(s.name, ())]


PROGRESS_MIN_FILES = 50


def _run_with_progress(store: Store, sources: list[Source], max_size: int,
                       executor: Executor | None, *, keep_files: bool, reparse: bool) -> IngestSummary:
    """A Rich progress bar on stderr, only on a terminal and only when there are many files."""
    from tracker.ingest import ingest as run_ingest

    def echo_error(message: str) -> None:
        typer.echo(message, err=True)

    if len(sources) < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return run_ingest(store, sources, max_size=max_size, executor=executor, on_error=echo_error,
                          keep_files=keep_files, reparse=reparse)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        bar = progress.add_task("ingesting", total=len(sources))
        return run_ingest(store, sources, max_size=max_size, executor=executor,
                          on_error=lambda m: progress.console.print(m, markup=False, highlight=False),
                          on_done=lambda _s: progress.advance(bar), keep_files=keep_files,
                          reparse=reparse)


@contextmanager
def _bulk_read() -> Iterator[None]:
    """No cyclic garbage collection while a read command loads and renders: on a 100k database it
    holds ~100k rows and dataclasses that make no reference cycles, and each full collection walks
    them all again (0.3 s of `weekly`). Turned back on afterwards (tests run commands in-process)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@app.command()
def status(
    project: ProjectOption = None, fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Per project: tasks by status, reports, open deferred items, unverified passes."""
    fmt = chosen_format(fmt, as_json)
    from tracker.query import has_plans, project_status
    from tracker.render import status_output
    from tracker.store import Store

    with _bulk_read():
        with Store.open(db) as store:
            rows = project_status(store, project)
            plans = {}
            if has_plans(store, project):  # the plan modules (and pydantic) only when there are plans
                from tracker.plan_query import plan_status

                plans = plan_status(store, project)
        status_output.emit(rows, fmt.value, plans)


@app.command()
def show(
    task: Annotated[str, typer.Argument(help="Task id, as reports write it (e.g. 3.6).")],
    revisions: Annotated[bool, typer.Option("--revisions", help="Also list every stored revision.")] = False,
    project: ProjectOption = None,
    fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The latest report of a task: status, validation, times, checklist, files, deferred items."""
    fmt = chosen_format(fmt, as_json)
    from tracker.errors import NotFoundError
    from tracker.plan_query import plan_task, planned_without_report
    from tracker.query import task_view
    from tracker.render import show_output
    from tracker.store import Store

    with Store.open(db) as store:
        try:
            view = task_view(store, task, project=project, revisions=revisions)
        except NotFoundError as exc:
            raise NotFoundError(planned_without_report(store, task, project) or exc.message) from exc
        planned = plan_task(store, view.project, view.task)
    show_output.emit(view, fmt.value, planned)


TABLE_LIMIT = 100
"""Rows `tracker deferred` prints in a table by default: a terminal can't show 20,000 usefully."""


@app.command()
def deferred(
    task: Annotated[str | None, typer.Option(help="Only items of this task.")] = None,
    kind: Annotated[str | None, typer.Option(help="validation or work.")] = None,
    target: Annotated[str | None, typer.Option(help="Only items aimed at this task id or word.")] = None,
    state: Annotated[
        str, typer.Option(help="open, candidate, closed, waived, withdrawn, active (open+candidate) or all.")
    ] = "open",
    missed: Annotated[bool, typer.Option("--missed", help="Only items whose target reported without "
                                         "closing them.")] = False,
    older_than: Annotated[str | None, typer.Option(help="Only items opened longer ago than this (7d, 2w).")
                          ] = None,
    candidates: Annotated[bool, typer.Option("--candidates", help="Only candidate closures awaiting "
                                             "review (tracker confirm ID).")] = False,
    limit: Annotated[int | None, typer.Option(
        "--limit", help=f"Show at most this many items \\[default: {TABLE_LIMIT} in the table, every item "
        "with --format json or csv].", show_default=False)] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every matching item, however many.")] = False,
    project: ProjectOption = None,
    fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Deferred checks and postponed work, open ones by default, with ids, flags, age and path:line.

    The table lists the oldest matching items first, at most 100 unless --limit or --all says
    otherwise, and ends with how many more match; JSON and CSV list every item.
    """
    fmt = chosen_format(fmt, as_json)
    from tracker.durations import parse_duration
    from tracker.query import deferred_page
    from tracker.render import deferred_output
    from tracker.store import Store

    if kind is not None and kind not in ("validation", "work"):
        raise UsageError(f"unknown kind {kind!r}: use validation or work")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    if show_all:
        limit = None
    elif limit is None and fmt is OutputFormat.table:
        limit = TABLE_LIMIT
    age = parse_duration(older_than) if older_than is not None else None
    with _bulk_read():
        with Store.open(db) as store:
            page = deferred_page(store, project=project, task=task, kind=kind, target=target, state=state,
                                 missed=missed, older_than=age, candidates=candidates, limit=limit,
                                 tasks_since=fmt is not OutputFormat.table)
        deferred_output.emit(page.items, fmt.value, total=page.total)



ByOption = Annotated[str | None, typer.Option("--by", help="Who does this \\[default: the OS user].")]
ItemArg = Annotated[str, typer.Argument(help="Item ID from `tracker deferred` (a unique prefix is enough).")]


def _transition(item: str, action: str, text: str | None, by: str | None, project: str | None,
                fmt: OutputFormat, db: str | None) -> None:
    from tracker.query import refresh_status_cache
    from tracker.render import lifecycle_output
    from tracker.store import Store

    with Store.open(db, actor=by) as store:
        change = store.transition(item, action, text, actor=by, project=project)
        refresh_status_cache(store)
    lifecycle_output.emit_change(change, fmt.value)


@app.command("close")
def close_item(
    item: ItemArg,
    note: Annotated[str, typer.Option("--note", help="Where the evidence is (required).")],
    by: ByOption = None, project: ProjectOption = None, fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Close an item by hand: the check was done; the note says where the evidence is."""
    fmt = chosen_format(fmt, as_json)
    _transition(item, "close", note, by, project, fmt, db)


@app.command()
def waive(
    item: ItemArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the check will not be done (required).")],
    by: ByOption = None, project: ProjectOption = None, fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Decide a deferred check will not be done, with a reason (kept, and shown by listings)."""
    fmt = chosen_format(fmt, as_json)
    _transition(item, "waive", reason, by, project, fmt, db)


@app.command()
def reopen(
    item: ItemArg,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it is owed again.")] = None,
    by: ByOption = None, project: ProjectOption = None, fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Undo a close or a waiver: the item is owed again (its closing evidence is not proposed again)."""
    fmt = chosen_format(fmt, as_json)
    _transition(item, "reopen", reason, by, project, fmt, db)


@app.command()
def confirm(
    item: ItemArg,
    note: Annotated[str | None, typer.Option("--note", help="Optional remark.")] = None,
    by: ByOption = None, project: ProjectOption = None, fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Accept a candidate closure as evidence: the item becomes closed, evidence kept."""
    fmt = chosen_format(fmt, as_json)
    _transition(item, "confirm", note, by, project, fmt, db)


@app.command()
def brief(
    task: Annotated[str, typer.Argument(help="The task an agent is about to start (e.g. 2.4).")],
    project: ProjectOption = None,
    fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """What the agent starting TASK owes, as markdown for its prompt (JSON with --format json)."""
    fmt = chosen_format(fmt, as_json)
    from tracker.query import task_brief
    from tracker.render import lifecycle_output
    from tracker.store import Store

    with Store.open(db) as store:
        result = task_brief(store, task, project=project)
    lifecycle_output.emit_brief(result, fmt.value)


@app.command()
def check(
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", help="Comma-separated: missed, unverified, overdue, candidates \\[default: "
        "\\[tool.tracker] fail-on in ./pyproject.toml, else missed].")] = None,
    max_age: Annotated[str | None, typer.Option(
        "--max-age", help="Items open longer than this are overdue (7d, 2w).")] = None,
    project: ProjectOption = None,
    fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The CI gate: exit 0 when the policy holds, 1 when broken (and what broke it), 2 on usage errors."""
    fmt = chosen_format(fmt, as_json)
    from tracker.gate import load_policy, run_check
    from tracker.render import lifecycle_output
    from tracker.store import Store

    policy = load_policy(fail_on, max_age)
    with Store.open(db) as store:
        result = run_check(store, policy, project=project)
    lifecycle_output.emit_check(result, fmt.value)
    raise typer.Exit(0 if result.ok else 1)


class WeeklyFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"
    csv = "csv"


@app.command()
def weekly(
    week: Annotated[str | None, typer.Option(help="ISO week, e.g. 2026-W04.")] = None,
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD), with --until.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, included.")] = None,
    project: Annotated[
        list[str] | None, typer.Option("--project", "-p", help="Only these projects (repeatable).")
    ] = None,
    tz: Annotated[
        str | None, typer.Option("--tz", help="Time zone of the days (default: the machine's).")
    ] = None,
    fmt: Annotated[
        WeeklyFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = WeeklyFormat.md, as_json: JsonOption = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    limit: Annotated[
        int, typer.Option(help="Open items md and html list, oldest first (0: all; json lists all).")
    ] = 100,  # export.render.ITEM_LIMIT (not imported here: the CLI module stays light)
    db: DbOption = None,
) -> None:
    """The weekly summary as of the end of the week (default: the last complete ISO week)."""
    fmt = chosen_format(fmt, as_json)
    from tracker.export.render import render_weekly
    from tracker.export.weekly import weekly_summary
    from tracker.export.window import resolve_window
    from tracker.store import Store

    if limit < 0:
        raise UsageError("--limit must be 0 (all) or more")
    window = resolve_window(week=week, since=since, until=until, zone=tz)
    with _bulk_read():
        with Store.open(db) as store:
            summary = weekly_summary(store, window, project or None)
        text = render_weekly(summary, fmt.value, item_limit=limit or None)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise TrackerError(exc.strerror or str(exc), path=str(output)) from exc


def main() -> None:
    """Entry point: expected failures become `path:line: error: reason` and an exit code."""
    try:
        app()
    except TrackerError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(exc.exit_code)
