"""Building the SQLAlchemy engine. Done by a function, never at import, so commands start fast."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

BUSY_TIMEOUT_MS = 30_000
"""Concurrent ingests wait for each other's write lock rather than fail with 'database is locked'."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, enforced foreign keys and a busy timeout."""
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _postgres_begin)
    return engine


def _postgres_begin(conn: Connection) -> None:
    """Writers take one transaction-scoped advisory lock per schema, the server's BEGIN IMMEDIATE:
    two ingests of the same new task or file then run one after the other instead of both
    inserting it (a unique-constraint failure). Readers never wait."""
    if conn.get_execution_options().get("tracker_write", False):
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('tracker:' || current_schema()))")


def _sqlite_begin(conn: Connection) -> None:
    """Transactions start here, not in the driver: IMMEDIATE (take the write lock now) for writers."""
    write = conn.get_execution_options().get("tracker_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver must not BEGIN on its own: see _sqlite_begin
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()
