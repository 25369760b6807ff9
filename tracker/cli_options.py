"""Options every command shares, defined once so `--db` reads the same everywhere."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, TypeVar

import typer

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database path or SQLAlchemy URL \\[default: $TRACKER_DB, else ./tracker.db]",
                 show_default=False),
]
ProjectOption = Annotated[str | None, typer.Option("--project", "-p", help="Only this project.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Short for --format json.")]

Format = TypeVar("Format", bound=StrEnum)


def chosen_format(fmt: Format, as_json: bool) -> Format:
    """`--json` is what supervising agents type first; it means `--format json` on every command."""
    return type(fmt)("json") if as_json else fmt
