"""The real Tynebase reports: week 2026-W04's completed tasks are the reports completed that week."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tracker.ingest import collect_sources, ingest
from tracker.parse import parse_file
from tracker.store import Store

from .conftest import summary_for

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "tynebase"


def completion_day(text: str) -> date:
    """Independent of tracker.export: UTC day of an ISO completion, a date alone being its day."""
    if len(text) == 10:
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_week_04_completed_count_equals_reports_completed_that_week(store: Store) -> None:
    expected = 0
    for path in sorted(CORPUS.glob("*.md")):
        report = parse_file(path)
        completed = report.timestamps.completed
        if completed and completion_day(completed).isocalendar()[:2] == (2026, 4):
            expected += 1
    assert expected > 0
    assert ingest(store, collect_sources([str(CORPUS)])).failed == 0
    summary = summary_for(store, "2026-W04", zone="UTC")
    assert summary.headline.completed == expected
