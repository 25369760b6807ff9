"""The sample project's story through parser + lifecycle (no database): what closes, what is missed.

Uses the fictional reports in `sample_reports/` and the real deferred detector, so it also
guards the hand-over between detector and closer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.lifecycle import (
    TrackedItem,
    apply_closure,
    best_closure,
    closures_for_item,
    item_flags,
    open_item,
)
from tracker.model import Report
from tracker.parse.pipeline import parse_file, read_report_text

SAMPLE = Path(__file__).resolve().parents[2] / "sample_reports"

pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason="sample_reports absent")


@pytest.fixture(scope="module")
def story() -> tuple[list[Report], dict[tuple[str, int], TrackedItem]]:
    reports = [(parse_file(p), read_report_text(p)) for p in sorted(SAMPLE.rglob("*.md"))]
    items: dict[tuple[str, int], TrackedItem] = {}
    for report, _ in reports:
        for found in report.deferred:
            item = open_item(found, report, "quill", taken_ids=[i.id for i in items.values()])
            best = best_closure(closures_for_item(item, reports))
            if best is not None:
                item = apply_closure(item, best).item
            rel = str(Path(report.source).relative_to(SAMPLE))
            for line in item.lines:
                items[(rel, line)] = item
    return [r for r, _ in reports], items


def test_docker_build_closed_by_the_explicit_line_in_its_target(story) -> None:
    _, items = story
    item = items[("ralph/task1_3.md", 5)]
    assert item.state == "closed" and item.closure is not None
    closure = item.closure
    assert (Path(closure.source).name, closure.line, closure.rule) == ("task1_5.md", 40, "explicit")


def test_pdf_stub_closed_by_evidence_in_plan_03_02(story) -> None:
    _, items = story
    item = items[("gsd/03-01-SUMMARY.md", 79)]
    assert item.state == "closed" and item.closure is not None
    assert Path(item.closure.source).name == "03-02-SUMMARY.md"
    assert item.closure.line in (15, 21, 33, 36, 37)


def test_live_webhook_test_is_missed_once_task_2_3_reports(story) -> None:
    reports, items = story
    item = items[("ralph/task2_1.md", 5)]
    assert item.state == "open" and item.target == "2.3"
    flags = item_flags(item, reports)
    assert flags.missed and not flags.target_not_reported


def test_nothing_in_the_sample_is_closed_without_a_label_saying_so(story) -> None:
    _, items = story
    closed = {(Path(i.source).name, i.closure.source.rsplit("/", 1)[-1]) for i in items.values()
              if i.state == "closed" and i.closure is not None}
    assert closed <= {("task1_3.md", "task1_5.md"), ("03-01-SUMMARY.md", "03-02-SUMMARY.md")}
