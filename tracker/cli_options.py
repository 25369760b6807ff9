"""Options every command shares, defined once so `--db` reads the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database path or SQLAlchemy URL \\[default: $TRACKER_DB, else ./tracker.db]",
                 show_default=False),
]
ProjectOption = Annotated[str | None, typer.Option("--project", "-p", help="Only this project.")]
