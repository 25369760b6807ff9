"""The kept `status` answer: never different from computing it, never used once stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker import query
from tracker.query import _compute_status, project_status, refresh_status_cache
from tracker.store import Store, read_cache
from tracker.store.schema import ReadCacheRow

SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"


def _computed(store: Store) -> list[query.ProjectStatus]:
    with store.session() as session:
        return _compute_status(session, None)


def _kept(store: Store) -> tuple[int, str] | None:
    with store.session() as session:
        row = session.get(ReadCacheRow, query.STATUS_CACHE)
        return None if row is None else (row.mark, row.payload)


def test_write_commands_leave_status_ready_and_equal_to_computing_it(run_cli) -> None:
    assert run_cli("ingest", str(SAMPLES / "ralph")).exit_code == 0
    with Store.open() as store:
        with store.session() as session:
            assert read_cache.is_fresh(session, query.STATUS_CACHE, query.STATUS_CACHE_VERSION)
        assert project_status(store) == _computed(store)
        item = query.deferred_items(store)[0]
    assert run_cli("waive", item.id, "--reason", "covered by staging runs").exit_code == 0
    with Store.open() as store:
        with store.session() as session:
            assert read_cache.is_fresh(session, query.STATUS_CACHE, query.STATUS_CACHE_VERSION)
        assert project_status(store) == _computed(store)
        assert project_status(store)[0].waived == 1


def test_a_stale_answer_is_never_read_and_reading_never_writes(run_cli) -> None:
    assert run_cli("ingest", str(SAMPLES)).exit_code == 0
    with Store.open(actor="tester") as store:
        before = project_status(store)
        kept = _kept(store)
        item = query.deferred_items(store)[0]
        store.set_item_state(item.id, "waived", reason="not needed", action="waive")  # library: no refresh
        after = project_status(store)
        assert after == _computed(store)
        assert after[0].waived == before[0].waived + 1
        assert after[0].open_deferred == before[0].open_deferred - 1
        assert _kept(store) == kept  # the read computed, it did not write
        assert refresh_status_cache(store) is True
        assert refresh_status_cache(store) is False  # fresh already: nothing to do
        assert project_status(store) == after


def test_an_answer_of_another_computation_is_ignored(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("ingest", str(SAMPLES / "gsd")).exit_code == 0
    with Store.open() as store:
        with store.writing() as session:  # a payload the current code would not give
            read_cache.save(session, query.STATUS_CACHE, "0/old", read_cache.newest_mark(session), "[]")
        assert project_status(store) == _computed(store) != []
        monkeypatch.setattr(query, "STATUS_CACHE_VERSION", "0/old")
        assert project_status(store) == []  # same version and mark: the kept payload is used


def test_project_filter_reads_the_kept_answer_and_unknown_projects_still_fail(run_cli) -> None:
    assert run_cli("ingest", str(SAMPLES / "ralph"), "--project", "one").exit_code == 0
    assert run_cli("ingest", str(SAMPLES / "gsd"), "--project", "two").exit_code == 0
    with Store.open() as store:
        assert [s.project for s in project_status(store, "two")] == ["two"]
        assert project_status(store, "two") == [s for s in _computed(store) if s.project == "two"]
    result = run_cli("status", "--project", "three")
    assert result.exit_code == 1 and "no project named 'three'" in result.stderr


def test_every_ingest_order_and_interleaved_change_matches_computing(run_cli) -> None:
    """Ingest files one by one (some twice, one edited), with transitions between them:
    after each step the answer `status` gives is the computed one."""
    files = sorted(SAMPLES.rglob("*.md"))
    with Store.open(actor="tester") as store:
        for step, path in enumerate(files):
            assert run_cli("ingest", str(path), "--project", "p").exit_code == 0
            if step % 3 == 0:
                open_items = query.deferred_items(store)
                if open_items:
                    store.set_item_state(open_items[-1].id, "waived", reason="r", action="waive")
            if step % 4 == 0:
                refresh_status_cache(store)
            assert project_status(store) == _computed(store), path.name
