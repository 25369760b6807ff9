"""An ingest killed with SIGKILL at any moment leaves a sound database, and the next run finishes it.

`tracker ingest` runs in a subprocess over a generated tree and is killed again and again at
seeded random moments: some while it starts up or creates the schema, most while it is writing
reports. After every kill the database must pass SQLite's integrity check, hold each stored report
whole (the checklist items, file changes and deferred-item mentions a fresh parse of its file
gives) and nothing twice. A last, unkilled run must ingest exactly the reports still missing.
Runs on SQLite and, with $TRACKER_TEST_DB, on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from generated_tree import check_database, expected_children, write_tree
from sqlalchemy import Engine, func, select

from tracker.config import db_url
from tracker.store.engine import make_engine
from tracker.store.schema import ReportRow

REPORTS = 480
"""Enough that 24 kills land before the last report does, with ingest at hundreds of files per second."""
KILLS = 24
SEED = 20261125
ANYWHERE_SHARE = 0.25
"""Share of kills at a blind moment (start-up, schema creation, reading); the rest land mid-write."""


def stored(engine: Engine) -> int:
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(ReportRow)).scalar() or 0
    except Exception:  # the schema is not there yet: the first run is still creating it
        return 0


def integrity_ok(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return  # a server rolls back a dead client's transaction itself; nothing to check on disk
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def start_ingest(tree: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as err:
        return subprocess.Popen([sys.executable, "-m", "tracker", "ingest", str(tree), "--project", "crash"],
                                stdout=subprocess.PIPE, stderr=err, env=os.environ.copy())


def kill_at_random(proc: subprocess.Popen[bytes], engine: Engine, rng: random.Random) -> bool:
    """SIGKILL the ingest at a seeded moment; False when it finished first."""
    if rng.random() < ANYWHERE_SHARE:
        time.sleep(rng.uniform(0.0, 1.2))
    else:  # wait until it is writing (one more report landed), then a little longer
        before = stored(engine)
        deadline = time.monotonic() + 30
        while stored(engine) == before and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.1))
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


def test_ingest_survives_sigkill_and_rerun_completes_it(tmp_path: Path) -> None:
    tree = tmp_path / "reports"
    files = write_tree(tree, REPORTS, seed=SEED)
    wanted = [expected_children(str(path.resolve())) for path in files]
    assert all(w.checklist and w.files for w in wanted) and sum(w.mentions for w in wanted) > REPORTS / 2
    engine = make_engine(db_url())
    rng = random.Random(SEED)
    log = tmp_path / "ingest.stderr"
    kills = mid_write = runs = 0
    while kills < KILLS and runs < KILLS * 2:
        runs += 1
        before = stored(engine)
        proc = start_ingest(tree, log)
        if kill_at_random(proc, engine, rng):
            kills += 1
            mid_write += stored(engine) > before
        else:
            assert proc.returncode == 0, log.read_text()
        integrity_ok(engine)
        now = check_database(engine)
        assert now >= before, "a kill lost reports that were already stored"
        if now == REPORTS:
            break
    assert kills >= 20, f"only {kills} kills landed before the ingest finished: use more reports"

    missing = REPORTS - stored(engine)
    assert missing > 0, "every report got in before the last run: the re-run below tests nothing"
    final = subprocess.run([sys.executable, "-m", "tracker", "ingest", str(tree), "--project", "crash"],
                           capture_output=True, text=True, env=os.environ.copy(), check=False)
    assert final.returncode == 0, final.stderr
    counts = re.search(r"ingested (\d+), unchanged (\d+), failed (\d+)", final.stdout)
    assert counts is not None, final.stdout
    ingested, unchanged, failed = map(int, counts.groups())
    assert (ingested, unchanged, failed) == (missing, REPORTS - missing, 0)
    integrity_ok(engine)
    assert check_database(engine) == REPORTS
    print(f"\ncrash: {kills} SIGKILLs survived ({mid_write} after a report had landed in that run), "
          f"{runs} runs, re-run ingested {ingested} missing + {unchanged} unchanged of {REPORTS}")
