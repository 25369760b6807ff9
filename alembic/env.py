"""Alembic environment: runs on the connection tracker hands over (see tracker/store/migrate.py).

Run by hand (developers): `alembic -x db=PATH_OR_URL revision --autogenerate -m "..."` with an
alembic.ini pointing `script_location` here, or through `tracker.store.migrate.alembic_config()`.
"""

from __future__ import annotations

from alembic import context
from tracker.store.engine import make_engine
from tracker.store.schema import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from tracker.config import db_url

    engine = make_engine(db_url(context.get_x_argument(as_dictionary=True).get("db")))
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("tracker migrations run online only")
run_migrations_online()
