"""The `tracker` command: thin. It picks the output format and turns TrackerError into one line.

Heavy modules (the parser, SQLAlchemy, Alembic, Rich tables) are imported inside the
commands that need them, so `tracker status` starts fast.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracker.errors import TrackerError

app = typer.Typer(
    help="Read agent task reports, store them, and keep deferred checks from being forgotten.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


def main() -> None:
    """Entry point: expected failures become `path:line: error: reason` and an exit code."""
    try:
        app()
    except TrackerError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(exc.exit_code)
