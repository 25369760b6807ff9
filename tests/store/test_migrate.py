"""Schema creation and upgrades: automatic on first use, cheap when current, equal to the ORM."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from tracker.config import db_url
from tracker.errors import TrackerError, UsageError
from tracker.store import Store
from tracker.store.engine import make_engine
from tracker.store.migrate import HEAD, REVISIONS, alembic_config, downgrade, ensure_schema, upgrade
from tracker.store.schema import Base


@pytest.mark.sqlite_only("checks that the database file is created")
def test_first_use_creates_every_table_at_head(tracker_db: Path) -> None:
    assert not tracker_db.exists()
    with Store.open() as store, store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        tables = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert tracker_db.exists()


def test_migrated_schema_equals_orm_metadata(tracker_db: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(db_url())
    ensure_schema(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_revision_list_matches_the_alembic_scripts() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    chain = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert tuple(chain) == REVISIONS
    assert scripts.get_current_head() == HEAD


def test_downgrade_to_empty_and_upgrade_again() -> None:
    engine = make_engine(db_url())
    upgrade(engine)
    downgrade(engine, "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    ensure_schema(engine)
    with engine.connect() as conn:
        assert set(Base.metadata.tables) <= set(inspect(conn).get_table_names())


def test_current_database_does_not_import_alembic(tracker_db: Path) -> None:
    Store.open().close()  # create it
    code = (
        "import sys\n"
        "from tracker.store import Store\n"
        "Store.open().close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_database_from_a_newer_tracker_is_refused() -> None:
    engine = make_engine(db_url())
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(TrackerError, match="does not know"):
        ensure_schema(engine)


@pytest.mark.sqlite_only("PRAGMA settings")
def test_sqlite_pragmas_are_on() -> None:
    with Store.open() as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() > 0


def test_db_location_option_then_env_then_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert db_url(str(tmp_path / "a.db")) == f"sqlite:///{(tmp_path / 'a.db').as_posix()}"
    assert db_url("postgresql+psycopg://u@localhost/t") == "postgresql+psycopg://u@localhost/t"
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.db"))
    assert db_url() == f"sqlite:///{(tmp_path / 'env.db').as_posix()}"
    monkeypatch.delenv("TRACKER_DB")
    monkeypatch.chdir(tmp_path)
    assert db_url() == f"sqlite:///{(tmp_path / 'tracker.db').as_posix()}"


def test_db_in_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        db_url(str(tmp_path / "nope" / "t.db"))


def test_any_sqlalchemy_url_works(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'by-url.db').as_posix()}"
    with Store.open(url) as store:
        assert store.project_id("nothing") is None
    assert (tmp_path / "by-url.db").exists()
