"""`tracker ingest --watch`: real file writes picked up by a running watcher (a thread with a stop
event, and the real command in a subprocess stopped with Ctrl-C). Every wait is bounded."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tracker.store import Store
from tracker.store.plans import import_plan_file
from tracker.watch import Watcher, watched_roots

WAIT = 15.0
"""Seconds any single expected event may take before the test fails (normally well under one)."""

REPORT = """# Task {task} Execution Summary: Glaze Table

**Status:** {status}
**Completed:** 2026-11-0{day}T10:00:00Z
"""

PLAN = """# Kiln Booking: Task List

## Phase 1: Bookings

- [ ] **1.1** [DB] Glaze Table
  - **Validation:** migration runs
"""


def report(task: str, status: str = "PASS", day: int = 2) -> str:
    return REPORT.format(task=task, status=status, day=day)


class Lines:
    """Lines from a watcher, waited for with a deadline."""

    def __init__(self) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []

    def expect(self, predicate: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if predicate(line):
                return line
        raise AssertionError(f"no expected line within {WAIT}s; saw {self.seen}")


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Path, Path, Lines]]:
    reports = tmp_path / "kiln"
    reports.mkdir()
    plan = tmp_path / "plan" / "RALPH.md"
    plan.parent.mkdir()
    plan.write_text(PLAN, encoding="utf-8")
    with Store.open() as store:
        import_plan_file(store, plan, "kiln")
    lines = Lines()
    stop = threading.Event()
    ready = threading.Event()

    def run() -> None:
        with Store.open() as store:
            watcher = Watcher(store, watched_roots([str(reports)], None), echo=lines.queue.put)
            ready.set()
            watcher.run(stop=stop, debounce_ms=100)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(WAIT)
    time.sleep(0.5)  # let the OS watches settle before the first write
    try:
        yield reports, plan, lines
    finally:
        stop.set()
        thread.join(WAIT)
        assert not thread.is_alive(), "the watcher did not stop on its stop event"


def test_new_changed_bad_and_plan_files_each_give_one_line(watching) -> None:
    reports, plan, lines = watching
    (reports / "task1_1.md").write_text(report("1.1"), encoding="utf-8")
    line = lines.expect(lambda s: "task1_1.md" in s)
    assert line.startswith("ingested ") and "task 1.1" in line and "pass" in line

    (reports / "task1_1.md").write_text(report("1.1", "FAIL", day=3), encoding="utf-8")
    line = lines.expect(lambda s: "task1_1.md" in s)
    assert line.startswith("revised ") and "fail" in line

    (reports / "broken.md").write_bytes(b"\x00\x01\x02 not text")
    assert "broken.md" in lines.expect(lambda s: "broken.md" in s and "error" in s)

    (reports / "notes.txt").write_text("not a report name", encoding="utf-8")  # outside the glob
    (reports / "task1_2.md").write_text(report("1.2"), encoding="utf-8")  # still alive after the error
    assert lines.expect(lambda s: "task1_2.md" in s).startswith("ingested ")

    plan.write_text(PLAN + "\n- [ ] **1.2** [API] Stock Page\n", encoding="utf-8")
    line = lines.expect(lambda s: s.startswith("plan "))
    assert "updated" in line and "1 added" in line
    assert not any("notes.txt" in s for s in lines.seen)
    assert not any("RALPH.md" in s and s.startswith("ingested") for s in lines.seen)

    with Store.open() as store:
        from tracker.query import task_view

        assert task_view(store, "1.1", project="kiln").status == "fail"
        assert task_view(store, "1.2", project="kiln").status == "pass"


def test_watch_refuses_stdin() -> None:
    from tracker.errors import UsageError

    with pytest.raises(UsageError, match="stdin"):
        watched_roots(["-"], None)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_command_stops_cleanly_on_ctrl_c(tmp_path: Path, tracker_db: Path) -> None:
    reports = tmp_path / "kiln"
    reports.mkdir()
    (reports / "task1_1.md").write_text(report("1.1"), encoding="utf-8")
    env = {**os.environ, "TRACKER_DB": str(tracker_db), "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-m", "tracker", "ingest", "--watch", str(reports)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines = Lines()
    reader = threading.Thread(target=lambda: [lines.queue.put(s.rstrip("\n")) for s in child.stdout],
                              daemon=True)
    reader.start()
    try:
        assert lines.expect(lambda s: s.startswith("ingested ")) == "ingested 1, unchanged 0, failed 0"
        lines.expect(lambda s: s.startswith("watching "))
        time.sleep(0.5)
        (reports / "task1_2.md").write_text(report("1.2"), encoding="utf-8")
        assert "task 1.2" in lines.expect(lambda s: "task1_2.md" in s)
        child.send_signal(signal.SIGINT)
        code = child.wait(WAIT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    stderr = child.stderr.read()
    assert code == 0, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    lines.expect(lambda s: s == "stopped watching")


def test_a_report_closing_earlier_items_says_so(tmp_path: Path) -> None:
    """The watch line of a report whose evidence closes an earlier item counts the closing."""
    import shutil

    reports = tmp_path / "invoices"
    reports.mkdir()
    samples = Path(__file__).resolve().parents[2] / "sample_reports" / "ralph"
    lines: list[str] = []
    with Store.open() as store:
        watcher = Watcher(store, watched_roots([str(reports)], None), echo=lines.append)
        for name in ("task1_3.md", "task1_5.md"):  # 1.5 reports the check 1.3 deferred to it
            shutil.copy(samples / name, reports / name)
            watcher.handle({str((reports / name).resolve())})
    assert "deferred opened" in lines[0]
    assert lines[1].startswith("ingested ") and "1 earlier closed" in lines[1]
