"""The database: typed ORM tables, engine, migrations and the `Store` every read and write goes through.

Import `tracker.store.store.Store` (or this package's `Store`) only inside commands that need it:
it pulls in SQLAlchemy.
"""

from tracker.store.store import KnownSource, SourceMeta, Store, StoreResult

__all__ = ["KnownSource", "SourceMeta", "Store", "StoreResult"]
