"""Times keep exactly the precision and zone the report wrote."""

from pathlib import Path

import pytest

from tracker.parse.pipeline import parse_file, parse_text
from tracker.parse.timestamps import parse_when

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"


@pytest.mark.parametrize(("text", "iso"), [
    ("2026-01-25 08:38 UTC+02:00", "2026-01-25T08:38:00+02:00"),
    ("2026-01-25T12:32:00Z", "2026-01-25T12:32:00Z"),
    ("2026-01-25T09:39:00+02:00", "2026-01-25T09:39:00+02:00"),
    ("2026-01-25T08:50:00", "2026-01-25T08:50:00"),
    ("2026-01-25 14:05 UTC", "2026-01-25T14:05:00Z"),
    ("2026-01-25 14:05 (UTC-5)", "2026-01-25T14:05:00-05:00"),
    ("2026-01-25", "2026-01-25"),
    ("February 3, 2026", "2026-02-03"),
    ("3 Feb 2026", "2026-02-03"),
    ("Feb 3, 2026 at 2:15 PM", "2026-02-03T14:15:00"),
    ("2026-02-03 at 8:05 pm UTC", "2026-02-03T20:05:00Z"),
])
def test_parse_when_keeps_precision_and_offset(text: str, iso: str) -> None:
    when = parse_when(text)
    assert when is not None
    assert when.iso == iso


@pytest.mark.parametrize("text", ["[Date]", "TBD", "2026-13-45", "soon"])
def test_placeholders_and_impossible_dates_give_nothing(text: str) -> None:
    assert parse_when(text) is None


def test_ralph_completed_field_with_offset() -> None:
    stamps = parse_file(FIXTURES / "ralph_task_2_4.md").timestamps
    assert (stamps.completed, stamps.completed_line) == ("2026-02-10T14:05:00+01:00", 4)
    assert stamps.started is None


def test_started_and_completed_fields() -> None:
    stamps = parse_file(FIXTURES / "ralph_task_I4_2.md").timestamps
    assert (stamps.started, stamps.started_line) == ("2026-03-02T09:00:00Z", 6)
    assert (stamps.completed, stamps.completed_line) == ("2026-03-02T09:40:00Z", 7)


def test_gsd_body_time_beats_front_matter_date() -> None:
    stamps = parse_file(FIXTURES / "02-01-SUMMARY.md").timestamps
    assert (stamps.completed, stamps.completed_line) == ("2026-04-01T10:31:12Z", 21)
    assert (stamps.started, stamps.started_line) == ("2026-04-01T10:02:00Z", 20)


def test_date_only_stays_a_date() -> None:
    stamps = parse_file(FIXTURES / "03-02-SUMMARY.md").timestamps
    assert (stamps.completed, stamps.completed_line) == ("2026-04-09", 7)


def test_month_name_completion_field() -> None:
    stamps = parse_file(FIXTURES / "task_7_summary.md").timestamps
    assert (stamps.completed, stamps.completed_line) == ("2026-03-14", 21)


def test_front_matter_metrics_completed_is_read() -> None:
    text = "---\nphase: 3\nplan: 2\nmetrics:\n  completed: 2026-05-02T21:11:28Z\n---\n# Phase 3 Plan 2: X\n"
    stamps = parse_text(text, "03-02-SUMMARY.md").timestamps
    assert (stamps.completed, stamps.completed_line) == ("2026-05-02T21:11:28Z", 5)


def test_unfilled_placeholder_gives_no_time() -> None:
    assert parse_text("# Task 3\n\n**Task Completed:** [Date]\n", "r.md").timestamps.completed is None


def test_completion_sentence_without_a_colon() -> None:
    stamps = parse_text("# Task 3\n\nSome text.\n\nCompleted on 2026-02-01 at 09:30.\n", "r.md").timestamps
    assert (stamps.completed, stamps.completed_line) == ("2026-02-01T09:30:00", 5)


def test_fields_behind_an_emoji() -> None:
    report = parse_text("# Task 3\n\n🎯 **Status:** ✅ Complete  \n📅 **Completed:** 2026-02-01\n", "r.md")
    assert (report.status.value, report.status.line) == ("pass", 3)
    assert (report.timestamps.completed, report.timestamps.completed_line) == ("2026-02-01", 4)


def test_zone_named_in_the_key() -> None:
    stamps = parse_text("# Task 3\n\n**Completed (UTC):** 2026-02-01 10:00\n", "r.md").timestamps
    assert stamps.completed == "2026-02-01T10:00:00Z"


def test_completed_sentence_without_a_preposition() -> None:
    report = parse_text("# Queue worker\n\nCompleted 2026-06-02T09:15:00+01:00\n\nText.\n", "r.md")
    assert (report.timestamps.completed, report.timestamps.completed_line) == ("2026-06-02T09:15:00+01:00", 3)


def test_completed_followed_by_words_is_not_a_time() -> None:
    assert parse_text("# X\n\nCompleted 3 of 5 steps.\n", "r.md").timestamps.completed is None


def test_last_run_time_stands_in_for_completion() -> None:
    report = parse_text("# X\n\n**Status:** ❌ Failed\n\nLast run: 2026-06-03 17:20 UTC\n", "r.md")
    assert report.timestamps.completed == "2026-06-03T17:20:00Z"


def test_revision_date_counts_only_once_the_work_is_finished() -> None:
    unfinished = "# Task 4\n\n**Status:** In progress\n**Last updated:** 2026-06-04\n"
    assert parse_text(unfinished, "r.md").timestamps.completed is None
    finished = unfinished.replace("In progress", "Complete")
    assert parse_text(finished, "r.md").timestamps.completed == "2026-06-04"


@pytest.mark.parametrize(("field", "iso"), [
    ("**End date:** 2026-06-05", "2026-06-05"),
    ("**Merged at:** 2026-06-05 10:30 UTC", "2026-06-05T10:30:00Z"),
    ("**Date/Time:** 2026-06-05 10:30", "2026-06-05T10:30:00"),
])
def test_more_completion_field_names(field: str, iso: str) -> None:
    assert parse_text(f"# X\n\n{field}\n", "r.md").timestamps.completed == iso


@pytest.mark.parametrize(("text", "iso"), [
    ("2026-06-05 14:22 CET", "2026-06-05T14:22:00+01:00"),
    ("2026-06-05 08:10 PDT", "2026-06-05T08:10:00-07:00"),
    ("2026-06-05 14:22 CST", "2026-06-05T14:22:00"),  # CST names several zones: left naive
    ("2026-06-05 @ 14:22", "2026-06-05T14:22:00"),
    ("06/05/2026", "2026-06-05"),  # month first, as US tools print it
    ("25/06/2026 9:05 PM", "2026-06-25T21:05:00"),  # 25 cannot be a month: day first
    ("05.06.2026 14:00", "2026-06-05T14:00:00"),  # dotted dates are day first
])
def test_zone_abbreviations_and_numeric_dates(text: str, iso: str) -> None:
    when = parse_when(text)
    assert when is not None
    assert when.iso == iso


def test_version_numbers_are_not_dates() -> None:
    assert parse_when("v1.2.2026") is None


def test_time_written_after_the_status_verdict() -> None:
    report = parse_text("# T-3 Summary\n\n## Status\n✅ Complete — 2026-03-09 08:15 CET\n", "t.md")
    assert report.timestamps.completed == "2026-03-09T08:15:00+01:00"
    assert report.timestamps.completed_line == 4


def test_date_in_a_completion_notes_heading() -> None:
    report = parse_text("# Plan\n\n- [x] 1. Feeds\n\n## Task 1 Completion Notes (2026-02-14)\n\nOk.\n", "k")
    assert report.timestamps.completed == "2026-02-14"
    plain = parse_text("# Plan\n\n## Notes from the kickoff (2026-02-01)\n\ntext\n", "k.md")
    assert plain.timestamps.completed is None


def test_blocked_session_table_updated_time_but_not_a_bare_last_updated() -> None:
    table = (
        "# Task Q2\n\n| Field | Value |\n| --- | --- |\n| Status | Blocked |\n"
        "| Started | 2026-01-20 09:00 |\n| Updated | 2026-01-20 12:30 |\n"
    )
    assert parse_text(table, "q.md").timestamps.completed == "2026-01-20T12:30:00"
    bare = "# Task Q3\n\n**Status:** In progress\n**Last updated:** 2026-01-21\n"
    assert parse_text(bare, "q.md").timestamps.completed is None


def test_time_in_brackets_after_the_status_verdict_and_in_a_heading() -> None:
    field = parse_text("# Task 6 — Export\n\n**Status:** ✅ Complete (2026-08-03 17:05 +02:00)\n", "e.md")
    assert field.timestamps.completed == "2026-08-03T17:05:00+02:00"
    heading = parse_text("# Task 7\n\n## Summary (completed 2026-08-04)\n\nAll done.\n", "g.md")
    assert heading.timestamps.completed == "2026-08-04"
    other = parse_text("# Task 8\n\n**Status:** ✅ Complete (3 of 3 steps)\n", "h.md")
    assert other.timestamps.completed is None


def test_a_gsd_phase_verification_report_is_the_phase_verified_then() -> None:
    text = ("---\nphase: 04-exports\nverified: 2026-04-09T08:15:00Z\nstatus: passed\n"
            "score: 5/5 must-haves verified\n---\n\n# Phase 4: Exports — Verification Report\n\n"
            "**Verified:** 2026-04-09T08:15:00Z\n**Status:** passed\n")
    report = parse_text(text, "04-VERIFICATION.md")
    assert (report.format, report.task.id, report.status.value) == ("gsd", "04", "pass")
    assert (report.timestamps.completed, report.timestamps.completed_line) == ("2026-04-09T08:15:00Z", 3)


def test_a_verified_time_gives_way_to_a_completed_one() -> None:
    text = "# Task 3.1: Exports\n\n**Completed:** 2026-04-08 17:00 UTC\n**Verified:** 2026-04-09 08:15 UTC\n"
    assert parse_text(text, "r.md").timestamps.completed == "2026-04-08T17:00:00Z"


@pytest.mark.parametrize(("line", "iso"), [
    ("**Completed:** 2026-05-19T09:41:07.512Z", "2026-05-19T09:41:07.512Z"),
    ("**Session ended:** 2026-07-03 17:42 PDT", "2026-07-03T17:42:00-07:00"),
])
def test_fractions_of_a_second_and_a_session_end(line: str, iso: str) -> None:
    assert parse_text(f"# Task 2: Import\n\n{line}\n", "r.md").timestamps.completed == iso


def test_the_date_in_a_byline_under_the_title() -> None:
    text = "# Implementation Summary: Refunds\n\nTicket: PAY-7 · Author: coding agent · 2026-05-28\n"
    stamps = parse_text(text, "r.md").timestamps
    assert (stamps.completed, stamps.completed_line) == ("2026-05-28", 3)


@pytest.mark.parametrize(("line", "iso"), [
    ("When: 2026-05-29 16:40:05 +0000", "2026-05-29T16:40:05Z"),
    ("Wrapped up 2026-07-02 09:40.", "2026-07-02T09:40:00"),
    ("PlayMode tests pass (6/6). Finished 2026-03-06.", "2026-03-06"),
])
def test_completion_said_as_when_wrapped_up_or_after_another_sentence(line: str, iso: str) -> None:
    assert parse_text(f"# Task 13: Waves\n\n{line}\n", "r.md").timestamps.completed == iso
