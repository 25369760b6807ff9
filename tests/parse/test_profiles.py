"""Which layout a report is read as: decides where its task id comes from."""

from pathlib import Path

import pytest

from tracker.parse.document import read_document
from tracker.parse.pipeline import parse_file
from tracker.parse.profiles import detect_format

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"


@pytest.mark.parametrize(("name", "expected"), [
    ("ralph_task_2_4.md", "ralph"),
    ("ralph_task_I4_2.md", "ralph"),
    ("02-01-SUMMARY.md", "gsd"),
    ("03-02-SUMMARY.md", "gsd"),
    ("task_7_summary.md", "generic"),
    ("status_block.md", "generic"),
    ("checkbox_report.md", "generic"),
])
def test_each_layout_is_recognised(name: str, expected: str) -> None:
    assert parse_file(FIXTURES / name).format == expected


def test_gsd_without_front_matter_is_recognised_by_its_phase_plan_title() -> None:
    doc = read_document("# Phase 7 Plan 3: Exports Summary\n\nText.\n", "notes.md")
    assert detect_format(doc) == "gsd"


def test_gsd_file_name_alone_is_enough() -> None:
    doc = read_document("# Exports\n\nText.\n", "reports/07-03-SUMMARY.md")
    assert detect_format(doc) == "gsd"


def test_front_matter_without_phase_is_not_gsd() -> None:
    doc = read_document("---\ntitle: Notes\n---\n# Notes\n", "notes.md")
    assert detect_format(doc) == "generic"


def test_ralph_title_in_either_order() -> None:
    doc = read_document("# Task 3.6 Execution Summary\n\n**Status:** PASS\n", "r.md")
    assert detect_format(doc) == "ralph"


@pytest.mark.parametrize(("title", "expected"), [
    ("# 05-02 Summary: Billing webhooks", "gsd"),
    ("# 04.1-01: Hotfix for exports", "gsd"),
    ("# 2026-03-14 Summary", "generic"),  # a date, not a plan number
    ("# 12-25 notes", "generic"),
])
def test_gsd_plan_number_leading_the_title(title: str, expected: str) -> None:
    assert detect_format(read_document(f"{title}\n\nText.\n", "notes.md")) == expected
