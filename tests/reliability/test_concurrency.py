"""Four `tracker ingest` processes writing the same database at the same time.

They start together on an empty database (so they also race to create the schema) and ingest
overlapping slices of one project: most files are given to two or three of them, and a second
folder re-reports the same tasks (the same task keys and deferred items) from other files. None
may fail with "database is locked" or a unique-constraint error; each file must be stored exactly
once and whole; each task and deferred item once. Runs on SQLite (BEGIN IMMEDIATE + busy timeout)
and, with $TRACKER_TEST_DB, on PostgreSQL (an advisory lock per write transaction).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from generated_tree import check_database, write_tree
from sqlalchemy import func, select

from tracker.config import db_url
from tracker.store.engine import make_engine
from tracker.store.schema import DeferredRow, Task

WRITERS = 4
FIRST = 100
"""Reports in the first folder; the second re-reports tasks 20..69 of it from other files."""


def test_four_writers_with_overlapping_trees(tmp_path: Path) -> None:
    files = write_tree(tmp_path / "sprint", FIRST, seed=1) + write_tree(tmp_path / "retries", 50, seed=2,
                                                                          start=20)
    files = [str(path.resolve()) for path in files]
    window = 70
    starts = [round(i * (len(files) - window) / (WRITERS - 1)) for i in range(WRITERS)]
    slices = [files[start:start + window] for start in starts]
    slices = [s if i % 2 == 0 else s[::-1] for i, s in enumerate(slices)]  # meet head-on too
    assert set().union(*slices) == set(files)

    writers = [subprocess.Popen([sys.executable, "-m", "tracker", "ingest", "--project", "team", *chunk],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=os.environ.copy())
               for chunk in slices]
    results = [(proc.wait(timeout=300), *proc.communicate()) for proc in writers]

    ingested_total = 0
    for (code, out, err), chunk in zip(results, slices, strict=True):
        assert "locked" not in err and "IntegrityError" not in err and "Traceback" not in err, err
        assert code == 0, err
        counts = re.search(r"ingested (\d+), unchanged (\d+), failed (\d+)", out)
        assert counts is not None, out
        ingested, unchanged, failed = map(int, counts.groups())
        assert failed == 0 and ingested + unchanged == len(chunk)
        ingested_total += ingested
    assert ingested_total == len(files), "a file was stored by two writers, or by none"

    engine = make_engine(db_url())
    assert check_database(engine) == len(files)
    with engine.connect() as conn:
        task_keys = Counter(conn.execute(select(Task.task_key)).scalars())
        items = Counter(conn.execute(select(DeferredRow.task_id, DeferredRow.fingerprint)).all())
        item_count = conn.execute(select(func.count()).select_from(DeferredRow)).scalar()
    assert len(task_keys) == FIRST and max(task_keys.values()) == 1, "a task was created twice"
    assert item_count and max(items.values()) == 1, "a deferred item was opened twice"
    print(f"\nconcurrency: {WRITERS} writers, {sum(map(len, slices))} file ingests over {len(files)} "
          f"files, {len(task_keys)} tasks, {item_count} deferred items, no lock error")
