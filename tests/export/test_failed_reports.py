"""Files ingest refuses are counted in the week they were refused, not silently dropped."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from tracker.export.weekly import weekly_summary
from tracker.export.window import iso_week_window, machine_zone
from tracker.ingest import collect_sources, ingest
from tracker.store import Store


def test_refused_files_count_in_the_week_they_were_refused(tmp_path: Path, tracker_db: Path | str) -> None:
    reports = tmp_path / "proj"
    reports.mkdir()
    (reports / "good.md").write_text("# Task 1.1: Good\n\n**Status:** ✅ PASS\n")
    (reports / "binary.md").write_bytes(b"\x00\x01\x02 not text")
    (reports / "latin1.md").write_bytes("# Task 1.2: Caf\xe9\n".encode("latin-1"))
    with Store.open(str(tracker_db)) as store:
        summary = ingest(store, collect_sources([str(reports)]))
        assert (summary.ingested, summary.failed) == (1, 2)
        this_week = date.today().isocalendar()
        week = f"{this_week.year}-W{this_week.week:02d}"
        zone = machine_zone()
        now = weekly_summary(store, iso_week_window(week, zone))
        before = (date.today() - timedelta(days=7)).isocalendar()
        earlier = weekly_summary(store, iso_week_window(f"{before.year}-W{before.week:02d}", zone))
    assert now.failed_reports == now.headline.failed_reports == 2
    assert earlier.failed_reports == 0
    assert json.loads(json.dumps(now.headline.__dict__))["failed_reports"] == 2
