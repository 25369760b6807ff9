"""Answers of read commands kept in the database while the data under them is unchanged.

The newest event id is the mark: every change to reports or items writes an event (the same fact
`lifecycle_cache` relies on), so a cached answer whose mark equals the newest event id is exactly
what computing it again would give. Readers never write here; writers call `save` after a batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select

from tracker.store.schema import EventRow, ReadCacheRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


_CACHE = ReadCacheRow.__table__.c
"""Core columns: the cached path runs no ORM query, so it never pays for configuring the mappers
(~20 ms, a tenth of a cold `status`)."""


def newest_mark(session: Session) -> int:
    """The newest event id (0 for an empty database): one seek to the end of the primary key."""
    return session.scalar(select(func.max(EventRow.__table__.c.id))) or 0


def load(session: Session, name: str, version: str) -> str | None:
    """The payload saved under `name` by computation `version`, if nothing changed since."""
    row = session.execute(select(_CACHE.version, _CACHE.mark, _CACHE.payload)
                          .where(_CACHE.name == name)).first()
    if row is None or row.version != version or row.mark != newest_mark(session):
        return None
    return row.payload


def is_fresh(session: Session, name: str, version: str) -> bool:
    """Would `load` return a payload? (Cheaper: the payload itself is not read.)"""
    row = session.execute(select(_CACHE.version, _CACHE.mark).where(_CACHE.name == name)).first()
    return row is not None and row.version == version and row.mark == newest_mark(session)


def save(session: Session, name: str, version: str, mark: int, payload: str) -> None:
    """Keep `payload`, computed when the newest event id was `mark`, in the caller's transaction."""
    table = ReadCacheRow.__table__
    session.execute(delete(table).where(_CACHE.name == name))
    session.execute(insert(table).values(name=name, version=version, mark=mark, payload=payload))
