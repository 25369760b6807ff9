"""Where the database lives: `--db`, else `$TRACKER_DB`, else `./tracker.db`."""

from __future__ import annotations

import os
from pathlib import Path

from tracker.errors import UsageError

DB_ENV = "TRACKER_DB"
DEFAULT_DB = "tracker.db"


def db_url(db: str | None = None) -> str:
    """A SQLAlchemy URL for the chosen database; a plain path means a SQLite file."""
    value = db or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" in value:
        return value
    path = Path(value).expanduser()
    if not path.parent.is_dir():
        raise UsageError(f"directory {str(path.parent)!r} for the database does not exist", path=value)
    return f"sqlite:///{path.resolve().as_posix()}"
