"""`tracker db current|upgrade|downgrade`: see and move the database's schema revision.

Every command already upgrades a database that is behind on first use; these commands exist so an
operator can do it deliberately (before a team's tracker version rollout, on a shared PostgreSQL
server) and check where a database stands. Alembic is imported only inside the commands.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli_options import DbOption, JsonOption, chosen_format
from tracker.errors import TrackerError, UsageError

if TYPE_CHECKING:
    from sqlalchemy import Engine

db_app = typer.Typer(
    help="Show or change the database schema revision (migrations).",
    no_args_is_help=True,
)


class DbFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    DbFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def _engine(db: str | None) -> Engine:
    from tracker.config import db_url
    from tracker.store.engine import make_engine

    return make_engine(db_url(db))


def _state(engine: Engine) -> dict[str, object]:
    from tracker.store.migrate import HEAD, REVISIONS, current_revision

    try:
        with engine.connect() as conn:
            revision = current_revision(conn)
    except Exception as exc:  # unreachable server, unreadable file, missing driver
        raise TrackerError(f"cannot open database: {exc}".splitlines()[0],
                           path=engine.url.render_as_string(hide_password=True)) from exc
    known = revision is None or revision in REVISIONS
    pending = [] if not known else list(REVISIONS[REVISIONS.index(revision) + 1:] if revision else REVISIONS)
    return {
        "database": engine.url.render_as_string(hide_password=True),
        "current": revision,
        "head": HEAD,
        "up_to_date": revision == HEAD,
        "known": known,
        "pending": pending,
    }


def _emit(state: dict[str, object], fmt: DbFormat, action: str | None = None) -> None:
    if fmt is DbFormat.json:
        typer.echo(json.dumps(state if action is None else {"action": action, **state}))
        return
    if action:
        typer.echo(action)
    current = state["current"] or "(empty: no tracker schema)"
    typer.echo(f"database: {state['database']}")
    typer.echo(f"revision: {current}")
    if state["up_to_date"]:
        typer.echo(f"head:     {state['head']} (up to date)")
    elif not state["known"]:
        typer.echo(f"head:     {state['head']} (the database is newer than this tracker: upgrade tracker)")
    else:
        typer.echo(f"head:     {state['head']} (pending: {', '.join(state['pending'])})")  # type: ignore[arg-type]


def _known_state(engine: Engine, advice: str) -> dict[str, object]:
    """The database's state, refused when a newer tracker wrote its schema (`advice` says what to do)."""
    state = _state(engine)
    if not state["known"]:
        raise TrackerError(f"database is at schema revision {state['current']!r}, which this tracker "
                           f"does not know: {advice}", path=str(state["database"]))
    return state


@db_app.command()
def current(db: DbOption = None, fmt: FormatOption = DbFormat.table, as_json: JsonOption = False) -> None:
    """Print the database's schema revision and whether migrations are pending (changes nothing)."""
    fmt = chosen_format(fmt, as_json)
    _emit(_state(_engine(db)), fmt)


@db_app.command()
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    db: DbOption = None,
    fmt: FormatOption = DbFormat.table, as_json: JsonOption = False,
) -> None:
    """Apply the pending migrations (to head, or to REVISION) in one transaction."""
    fmt = chosen_format(fmt, as_json)
    from tracker.store.migrate import REVISIONS
    from tracker.store.migrate import upgrade as run_upgrade

    if revision != "head" and revision not in REVISIONS:
        raise UsageError(f"unknown revision {revision!r}: use one of head, {', '.join(REVISIONS)}")
    engine = _engine(db)
    before = _known_state(engine, "upgrade tracker")
    try:
        run_upgrade(engine, revision)
    finally:
        engine.dispose()
    after = _state(engine)
    moved = "already at head" if before["current"] == after["current"] else \
        f"upgraded {before['current'] or 'empty'} -> {after['current']}"
    _emit(after, fmt, moved)


@db_app.command()
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or 'base' to drop every table.",
                                            show_default=False)],
    db: DbOption = None,
    fmt: FormatOption = DbFormat.table, as_json: JsonOption = False,
) -> None:
    """Undo migrations down to REVISION, to roll back a tracker upgrade.

    Tables added by the undone migrations are dropped with their rows.
    """
    fmt = chosen_format(fmt, as_json)
    from tracker.store.migrate import REVISIONS
    from tracker.store.migrate import downgrade as run_downgrade

    if revision != "base" and revision not in REVISIONS:
        raise UsageError(f"unknown revision {revision!r}: use one of base, {', '.join(REVISIONS)}")
    engine = _engine(db)
    before = _known_state(engine, "downgrade with the tracker that wrote it")
    if before["current"] is None:
        raise UsageError("the database has no tracker schema: nothing to downgrade")
    target_index = -1 if revision == "base" else REVISIONS.index(revision)
    if target_index > REVISIONS.index(str(before["current"])):
        raise UsageError(f"database is at {before['current']}, below {revision}: use 'tracker db upgrade'")
    try:
        run_downgrade(engine, revision)
    finally:
        engine.dispose()
    after = _state(engine)
    _emit(after, fmt, f"downgraded {before['current']} -> {after['current'] or 'base (empty)'}")
