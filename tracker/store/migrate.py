"""Create or upgrade the database schema on first use, cheaply.

Every command calls `ensure_schema`; it reads `alembic_version` with one plain query and only
imports Alembic when the database is behind. `REVISIONS` must list the migration chain in order
(a test checks it against `alembic/versions/`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from tracker.errors import TrackerError

if TYPE_CHECKING:
    from alembic.config import Config

REVISIONS = ("0001_initial", "0002_plans", "0003_read_indexes", "0004_event_report_index",
             "0005_read_cache", "0006_parser_version")
HEAD = REVISIONS[-1]


def migrations_dir() -> Path:
    """Alembic scripts: shipped in the wheel as `tracker/_migrations`, else the repo's `alembic/`."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_migrations"
    if (installed / "env.py").is_file():
        return installed
    return package.parent / "alembic"


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at; None for a database tracker has never touched."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(engine: Engine) -> None:
    """Bring the database to HEAD if it is behind; refuse one written by a newer tracker."""
    with engine.connect() as conn:
        revision = current_revision(conn)
    if revision == HEAD:
        return
    if revision is not None and revision not in REVISIONS:
        raise TrackerError(
            f"database is at schema revision {revision!r}, which this tracker does not know: "
            "upgrade tracker", path=engine.url.render_as_string(hide_password=True),
        )
    try:
        upgrade(engine)
    except Exception:
        # Another process may have migrated the same database a moment earlier.
        with engine.connect() as conn:
            if current_revision(conn) != HEAD:
                raise


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config built in code: no alembic.ini needed at runtime."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run migrations in one write transaction (on SQLite it holds the write lock throughout, so a
    second process starting at the same moment waits, then finds the schema current)."""
    from alembic import command

    with engine.connect() as conn:
        conn.execution_options(tracker_write=True)
        with conn.begin():
            command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.connect() as conn:
        conn.execution_options(tracker_write=True)
        with conn.begin():
            command.downgrade(alembic_config(conn), revision)
