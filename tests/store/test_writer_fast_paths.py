"""The single writer's shortcuts store exactly what its cold paths store.

`Store.store_report` keeps per-project facts between reports (the project's tasks, which sources
already have a current revision, the newest event id) and inserts a transaction's events together
at its end. A writer that forgets all of it before every report, and so reads it again, must leave
the same database (every row of every table, ids included), in order, out of order and through
revisions; the task pointers and the cache's mark must be what a query computes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from tracker.ingest import collect_sources, ingest
from tracker.store import Store
from tracker.store.lifecycle_cache import LifecycleCache

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ["sample_reports", "tests/fixtures/reports", "tests/fixtures/deferred", "tests/fixtures/heldout"]
WALL_CLOCK = {"created_at", "ingested_at", "state_changed_at", "at", "mtime"}
"""Columns holding when the writer ran (or the test wrote the file), not what it wrote."""
TABLES = ["projects", "tasks", "reports", "checklist_items", "file_changes", "deferred_items",
          "item_mentions", "closure_candidates", "events"]


def _dump(store: Store, replace: str = "") -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    with store.session() as session:
        for table in TABLES:
            result = session.execute(text(f"select * from {table} order by id"))
            keep = [n for n, column in enumerate(result.keys()) if column not in WALL_CLOCK]
            out[table] = [tuple(str(row[n]).replace(replace, "<tmp>") if replace else row[n] for n in keep)
                          for row in result]
    return out


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch):
    """Make every writer forget what it cached before each transaction."""
    def apply() -> None:
        begin = LifecycleCache.begin

        def forgetful(self: LifecycleCache, session) -> None:
            begin(self, session)
            self.clear()

        monkeypatch.setattr(LifecycleCache, "begin", forgetful)
    return apply


def _ingest(db: str, *, reverse: bool) -> dict[str, list[tuple]]:
    with Store.open(db, actor="test") as store:
        sources = collect_sources([str(ROOT / c) for c in CORPORA], project="one")
        sources += collect_sources([str(ROOT / "sample_reports")])  # a second project, same files
        ingest(store, list(reversed(sources)) if reverse else sources)
        return _dump(store)


@pytest.mark.parametrize("reverse", [False, True], ids=["in-order", "out-of-order"])
def test_cached_writer_stores_what_a_cold_writer_stores(tmp_path: Path, cold, reverse: bool) -> None:
    warm = _ingest(f"sqlite:///{tmp_path / 'warm.db'}", reverse=reverse)
    cold()
    assert _ingest(f"sqlite:///{tmp_path / 'cold.db'}", reverse=reverse) == warm
    assert any(row[2] in ("auto-close", "propose") for row in warm["events"])


MOVING = """\
# Execution Summary - Task {task}: [Infra] Search Index Container

**Status:** ✅ PASS
**Completed:** {when}
**Validation:** PASS (ruff clean; search index migration will be validated in task 5.2)

## Validation Results

- ✅ `ruff check` reports no errors
- ⚠️ Elasticsearch is not available in this sandbox, so the search index migration was not run
"""


def _revisions(folder: Path, db: str) -> tuple[dict[str, list[tuple]], list[tuple[int, int]]]:
    """Revisions of one file that move it between tasks and in time, with a second file of task 5.1
    (the latest pointer of both tasks changes); plus the kestrel story of tests.lifecycle_store."""
    from tests.lifecycle_store import reports as kestrel

    steps = [("a.md", MOVING.format(task="5.1", when="2026-10-01T10:00:00Z")),
             ("b.md", MOVING.format(task="5.1", when="2026-10-03T10:00:00Z")),
             ("a.md", MOVING.format(task="5.3", when="2026-10-05T10:00:00Z")),
             ("b.md", MOVING.format(task="5.1", when="2026-09-01T10:00:00Z")),
             ("a.md", MOVING.format(task="5.1", when="2026-10-02T10:00:00Z")),
             ("5.1.md", kestrel.DEFERRING), ("5.2.md", kestrel.CLOSING), ("5.2.md", kestrel.PARTLY_CLOSING),
             ("5.2.md", kestrel.NOT_CLOSING), ("5.2.md", kestrel.CLOSING),
             ("5.1.md", kestrel.DEFERRING_WITHOUT_IT), ("5.1.md", kestrel.DEFERRING)]
    marks = []
    folder.mkdir(parents=True, exist_ok=True)
    with Store.open(db, actor="test") as store:  # one writer: its cache lives across the steps
        for name, body in steps:
            kestrel.write(folder, name, body)
            ingest(store, collect_sources([str(folder)], project="kestrel"))
            with store.session() as session:
                marks.append((store.lifecycle_cache._mark,
                              session.scalar(text("select max(id) from events"))))
        return _dump(store, str(folder)), marks


def test_revisions_moving_between_tasks_match_a_cold_writer(tmp_path: Path, cold) -> None:
    warm, marks = _revisions(tmp_path / "warm" / "kestrel", f"sqlite:///{tmp_path / 'warm.db'}")
    assert all(mark == newest for mark, newest in marks)  # the mark is the newest event id
    cold()
    assert _revisions(tmp_path / "cold" / "kestrel", f"sqlite:///{tmp_path / 'cold.db'}")[0] == warm


def test_each_task_points_at_its_newest_current_report(tmp_path: Path) -> None:
    folder = tmp_path / "kestrel"
    shutil.copytree(ROOT / "sample_reports", folder / "sample")
    _revisions(folder, f"sqlite:///{tmp_path / 'k.db'}")
    with Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store, store.session() as session:
        pointers = dict(session.execute(text("select id, latest_report_id from tasks")).all())
        newest = {task: session.scalar(text(
            "select id from reports where task_id = :t and is_current order by reported_at desc, id desc "
            "limit 1"), {"t": task}) for task in pointers}
    assert pointers == newest
    assert len(pointers) >= 4 and None in pointers.values()  # task 5.3 lost its only report


def test_a_report_stored_without_evidence_or_text_keeps_null_evidence(tmp_path: Path) -> None:
    """The report row is inserted by a Core statement: an absent evidence stays SQL NULL (a JSON
    column given None would hold JSON null), and one scanned from the text is stored."""
    from tracker.ingest import parse_source, sha256_hex
    from tracker.store import SourceMeta

    path = ROOT / "sample_reports" / "ralph" / "task1_3.md"
    data = path.read_bytes()
    report, body = parse_source(str(path), data)
    with Store.open(f"sqlite:///{tmp_path / 'e.db'}", actor="test") as store:
        store.store_report("p", report, SourceMeta("a.md", sha256_hex(data), len(data)))
        store.store_report("p", report, SourceMeta("b.md", sha256_hex(data), len(data)), text=body)
        with store.session() as session:
            rows = dict(session.execute(text("select source_path, evidence is null from reports")).all())
            scanned = session.scalar(text("select evidence from reports where source_path = 'b.md'"))
    assert rows == {"a.md": 1, "b.md": 0}
    assert '"version": 1' in scanned
