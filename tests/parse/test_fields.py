"""Task identity, overall status and validation verdict, per layout, with their source lines."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.parse.pipeline import parse_file, parse_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"


def test_ralph_title_gives_id_category_and_title() -> None:
    report = parse_file(FIXTURES / "ralph_task_2_4.md")
    assert report.task.id == "2.4"
    assert report.task.category == "API"
    assert report.task.title == "Add Invoice Export Endpoint"
    assert report.task.line == 1


def test_ralph_status_with_bold_outside_colon_and_first_status_wins() -> None:
    report = parse_file(FIXTURES / "ralph_task_2_4.md")
    # `**Status**: ✅ PASS` on line 3; the later "**Status:** ✅ Applied" (line 29) is not the overall one
    assert (report.status.value, report.status.raw, report.status.line) == ("pass", "✅ PASS", 3)


def test_ralph_validation_keeps_its_qualifier() -> None:
    validation = parse_file(FIXTURES / "ralph_task_2_4.md").validation
    assert validation is not None
    assert validation.value == "pass"
    assert validation.line == 5
    assert validation.qualifier == (
        "unit tests green, PDF rendering will be validated during staging deployment")


def test_task_id_field_report() -> None:
    report = parse_file(FIXTURES / "ralph_task_I4_2.md")
    assert (report.task.id, report.task.line) == ("I4.2", 1)
    assert report.task.category == "Infra"
    assert report.task.title == "Provision Staging Bucket"
    assert (report.status.value, report.status.line) == ("fail", 5)
    assert report.status.qualifier == "bucket policy rejected by the provider"
    assert report.validation is None


def test_gsd_front_matter_gives_padded_phase_plan_id_and_subsystem() -> None:
    report = parse_file(FIXTURES / "02-01-SUMMARY.md")
    assert report.task.id == "02-01"
    assert report.task.category == "payments"
    assert report.task.title == "Checkout Flow"
    assert report.task.line == 2


def test_gsd_self_check_is_the_status() -> None:
    status = parse_file(FIXTURES / "02-01-SUMMARY.md").status
    assert (status.value, status.raw, status.line) == ("pass", "Self-Check: PASSED", 29)


def test_gsd_without_front_matter_takes_id_from_heading_and_has_no_status() -> None:
    report = parse_file(FIXTURES / "03-02-SUMMARY.md")
    assert (report.task.id, report.task.title, report.task.line) == ("03-02", "Reminder Emails", 1)
    assert report.status.value == "unknown"
    assert report.status.line is None


def test_generic_task_heading_and_status_section() -> None:
    report = parse_file(FIXTURES / "task_7_summary.md")
    assert (report.task.id, report.task.title) == ("7", "Offline Draft Sync")
    status = report.status
    assert (status.value, status.raw, status.line) == ("in_progress", "⏳ In progress", 5)


def test_plain_status_block() -> None:
    report = parse_file(FIXTURES / "status_block.md")
    assert (report.status.value, report.status.raw, report.status.line) == ("partial", "partial", 1)
    assert report.task.id is None


def test_report_without_stated_status_is_unknown() -> None:
    # "Work on the importer is done." is prose, not a stated status
    assert parse_file(FIXTURES / "checkbox_report.md").status.value == "unknown"


@pytest.mark.parametrize(("text", "value", "line"), [
    ("# Task 3\n\n## Status: ✅ COMPLETED\n", "pass", 3),
    ("# Task 3\n\n**Status:** DONE\n", "pass", 3),
    ("# Task 3\n\n**Status:** success\n", "pass", 3),
    ("# Task 3\n\n**Status:** ⚠️ PARTIAL\n", "partial", 3),
    ("# Task 3\n\n**Status:** Not complete\n", "partial", 3),
    ("# Task 3\n\n**Status:** BLOCKED (waiting for API keys)\n", "blocked", 3),
    ("# Task 3\n\n**Status:** In-Progress\n", "in_progress", 3),
    ("# Task 3\n\n| Field | Value |\n| --- | --- |\n| Status | ❌ Failed |\n", "fail", 5),
    ("# Task 3\n\n### ✅ Implementation Complete\n", "pass", 3),
    ("# Task 3\n\n## Completed: Wire the cache\n", "pass", 3),
])
def test_status_spellings(text: str, value: str, line: int) -> None:
    status = parse_text(text, "r.md").status
    assert (status.value, status.line) == (value, line)


def test_sub_task_statuses_count_only_when_they_agree() -> None:
    text = "# Task 9\n\n## Work\n\n### Step 1\n\n**Status:** Complete\n\n### Step 2\n\n**Status:** Failed\n"
    assert parse_text(text, "r.md").status.value == "partial"
    agreeing = text.replace("Failed", "Complete")
    assert parse_text(agreeing, "r.md").status.value == "pass"


def test_status_field_without_a_verdict_is_skipped() -> None:
    text = ("# Task 4\n\n## Parts\n\n### Part A\n\n**Status:** Already wired in earlier tasks.\n\n"
            "## Conclusion\n\n**Implementation Status:** ✅ Complete\n")
    status = parse_text(text, "r.md").status
    assert (status.value, status.line) == ("pass", 11)


def test_completion_of_tasks_table_heading_is_not_a_status() -> None:
    assert parse_text("# Phase 2 summary\n\n## Completed Tasks\n\n- one\n", "r.md").status.value == "unknown"


def test_validation_field_without_verdict_is_unknown_not_missing() -> None:
    validation = parse_text("# Task 3\n\n**Validation:** see the test log below\n", "r.md").validation
    assert validation is not None
    assert (validation.value, validation.raw, validation.line) == ("unknown", "see the test log below", 3)


def test_self_check_section_with_verdict_below_it() -> None:
    status = parse_text("# Phase 1 Plan 2: X\n\n## Self-Check\n\nFAILED: two files missing\n", "r.md").status
    assert (status.value, status.line) == ("fail", 5)


def test_self_check_section_of_ticked_boxes_states_no_verdict() -> None:
    text = "# Phase 1 Plan 2: X\n\n## Self-Check\n\n- [x] `a.ts` exists\n"
    assert parse_text(text, "r.md").status.value == "unknown"


@pytest.mark.parametrize(("value", "expected"), [
    ("Complete with minor issues", "partial"),
    ("Done, but the export is pending", "partial"),
    ("All tests passed", "pass"),
    ("Already wired in an earlier task", None),
    ("No tests failed", None),
])
def test_verdict_words(value: str, expected: str | None) -> None:
    from tracker.parse.status_words import status_of
    assert status_of(value) == expected


@pytest.mark.parametrize(("text", "source", "task_id"), [
    ("---\nphase: 02.1-hotfix\nplan: 1\n---\n# Phase 2.1 Plan 1: Fix\n", "x.md", "02.1-01"),
    ("# Phase 2.1 Plan 03: Fix Summary\n", "notes.md", "02.1-03"),
    ("# Hotfix\n\n## Self-Check: PASSED\n", "02.1-04-SUMMARY.md", "02.1-04"),
    ("---\nphase: 6\nplan: \"06-02\"\n---\n# Phase 6 Plan 02: Tokens\n", "x.md", "06-02"),
])
def test_gsd_ids_including_inserted_decimal_phases(text: str, source: str, task_id: str) -> None:
    assert parse_text(text, source).task.id == task_id


def test_front_matter_task_and_status_of_a_generic_report() -> None:
    report = parse_text("---\ntask_id: I4.2\ntitle: Bucket\nstatus: done\n---\n# Notes\n\nText.\n", "r.md")
    assert (report.task.id, report.task.title, report.task.line) == ("I4.2", "Bucket", 2)
    assert (report.status.value, report.status.raw, report.status.line) == ("pass", "done", 4)


_PIECES = [
    "# Execution Summary - Task 1.2: [DB] Tables\n", "## Files Created/Modified\n", "- `a/b.ts` - Created\n",
    "**Status:** ✅ PASS\n", "**Completed:** 2026-01-25 08:38 UTC+02:00\n", "**Validation:** PASS (x)\n",
    "| File | Action |\n|---|---|\n| `x.ts` | ✅ Created |\n", "```\nM src/x.ts\n```\n",
    "STATUS: partial\nCHANGED FILES:\n", "- [x] done\n", "- [ ] open\n", "✅ ok\n", "⚠️\n",
    "### 1. Updated Foo.h\n", "\n", "  - nested `c.py`\n", "Created `x.sql`\n", "## Status\n\n",
    "**Task ID:** \n", "# \n", "| |\n|-|\n| |\n", "## Self-Check: \n", "**Completed:** [Date]\n",
    "1. **Source/A.h/cpp** - x\n", ":\n", "**:**\n", "# Phase 2 Plan 1: X\n", "Completed on 2026-02-30\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.text(max_size=40))
def test_any_mix_of_pieces_parses_and_every_line_points_into_the_text(parts: list[str], noise: str) -> None:
    text = "".join(parts) + noise
    report = parse_text(text, "07-01-SUMMARY.md")
    last = text.count("\n") + 1
    lines = [report.task.line, report.status.line, report.timestamps.completed_line,
             report.timestamps.started_line, *(f.line for f in report.files),
             *(c.line for c in report.checklist)]
    if report.validation is not None:
        lines.append(report.validation.line)
    assert all(1 <= line <= last for line in lines if line is not None)


def test_status_in_a_two_cell_table_header_row() -> None:
    status = parse_text("# Task 3\n\n| Status | ✅ PASS |\n| --- | --- |\n| Owner | me |\n", "r.md").status
    assert (status.value, status.line) == ("pass", 3)


def test_raw_verdict_and_qualifier_are_split() -> None:
    status = parse_file(FIXTURES / "ralph_task_I4_2.md").status
    assert (status.raw, status.qualifier) == ("❌ FAIL", "bucket policy rejected by the provider")


@pytest.mark.parametrize(("text", "task_id", "title", "line"), [
    # a title-valued Task field that names its ticket
    ("**Task:** Rotate the signing keys (ticket OPS-42)\n\nSTATUS: done\n",
     "OPS-42", "Rotate the signing keys", 1),
    ("**Ticket:** PAY-907\n\nRefunds now post to the ledger.\n", "PAY-907", None, 1),
    # a report without a heading names its task on its first line
    ("Task 7.3: Cache warm-up on boot\nStatus: done\n", "7.3", "Cache warm-up on boot", 1),
    # a summary section that opens with the task
    ("## Summary\n\nTask 5.2 (nightly export job) is complete.\n", "5.2", "nightly export job", 3),
])
def test_task_named_outside_a_heading(text: str, task_id: str, title: str | None, line: int) -> None:
    task = parse_text(text, "r.md").task
    assert (task.id, task.title, task.line) == (task_id, title, line)


def test_task_mentioned_later_in_prose_is_not_the_report_task() -> None:
    text = "We reworked the exporter.\n\nTask 5.2 (nightly export job) is complete.\n"
    assert parse_text(text, "r.md").task.id is None


@pytest.mark.parametrize(("text", "value", "line"), [
    ("# Search indexing — done ✅\n\nReindexed everything.\n", "pass", 1),
    ("# Release Checklist - Task 8 complete\n\n- [x] 8.1 Tag\n", "pass", 1),
    ("# Task 5.2\n\nTask 5.2 (nightly export job) is complete.\n", "pass", 3),
    ("Finished. Here is what changed:\n\n- a thing\n", "pass", 1),
    ("All done! The worker now retries.\n", "pass", 1),
    ("Done — the worker now retries.\n", "pass", 1),
])
def test_status_stated_by_title_sentence_or_opening_word(text: str, value: str, line: int) -> None:
    status = parse_text(text, "r.md").status
    assert (status.value, status.line) == (value, line)


@pytest.mark.parametrize("text", [
    "# Task 5.3\n\nTask 5.2 (the exporter) is complete, so this one can start.\n",  # another task
    "# Task 5.3\n\nTask 5.3 is complete except for the CSV export.\n",  # not a bare verdict
    "Done with the parser; the exporter still needs work.\n",  # "Done" is not a sentence on its own
    "# Notes\n\n## Migration — done\n\nSteps.\n",  # a section, not the report's title
])
def test_prose_that_only_looks_like_a_verdict_is_no_status(text: str) -> None:
    assert parse_text(text, "r.md").status.value == "unknown"


@pytest.mark.parametrize(("value", "expected"), [
    ("`make lint` and `make test` (40 tests) pass.", "pass"),
    ("the migration dry-run fails; details below", "fail"),
    ("run `make test` to see whether they pass", None),
    ("the smoke tests do not pass", None),
])
def test_verdict_at_the_end_of_the_first_clause(value: str, expected: str | None) -> None:
    from tracker.parse.status_words import status_of
    assert status_of(value) == expected


@pytest.mark.parametrize(("text", "task_id"), [
    ("# PAY-907: Refund ledger\n", "PAY-907"),
    ("# [OPS-42] Rotate keys\n", "OPS-42"),
    ("# Subtask 3.2: Retry budget\n", "3.2"),
    ("# Notes\n\n**Ticket ID:** 311\n", "311"),
    ("# GPT-4 integration\n", None),  # a product name with a number is no tracker key
    ("# Work log: retry budget for uploads (UPL-77)\n", "UPL-77"),
    ("# Harden the importer [DATA-5]\n", "DATA-5"),
    ("# Plan 02-04 — Webhook retries: verification report\n", "02-04"),
    ("# Upgrade to GPT-4 (faster)\n", None),
    ("# BKT-18 · Upload retries\n", "BKT-18"),  # keys around a title separator
    ("# Completion report · Q-9\n", "Q-9"),
    ("# Q-6: Export totals\n", "Q-6"),
    ("# UTF-8 handling · ISO-8601\n", None),  # standards, not keys
])
def test_task_ids_in_tracker_styles(text: str, task_id: str | None) -> None:
    assert parse_text(text, "r.md").task.id == task_id


@pytest.mark.parametrize(("text", "value"), [
    ("# Cache\n\nTask completed successfully.\n", "pass"),
    ("# Cache\n\n## Summary\n\nAll tasks completed.\n", "pass"),
    ("# Cache\n\nImplementation complete!\n", "pass"),
    ("# Cache\n\n**Result:** merged\n", "pass"),
    ("# Cache\n\n**Status:** aborted after the disk filled\n", "fail"),
    ("# Cache\n\nThe task was completed by the previous agent, so I only reviewed it.\n", "unknown"),
])
def test_common_closing_sentences_and_verdict_words(text: str, value: str) -> None:
    assert parse_text(text, "r.md").status.value == value


def test_gsd_plan_number_title_gives_id_and_title() -> None:
    task = parse_text("# 05-02 Summary: Billing webhooks\n\nSelf-Check: PASSED\n", "notes.md").task
    assert (task.id, task.title, task.line) == ("05-02", "Billing webhooks", 1)


@pytest.mark.parametrize("key", ["State", "Overall Assessment", "Final Verdict"])
def test_more_status_field_names(key: str) -> None:
    assert parse_text(f"# Task 2\n\n**{key}:** ✅ PASS\n", "r.md").status.value == "pass"


def test_story_awaiting_review_is_in_progress() -> None:
    report = parse_text("# Story 2.4: Saved searches\n\nStatus: Ready for Review\n\n## Story\n\nx\n", "s.md")
    assert report.status.value == "in_progress"
    report = parse_text("# Story 2.4: Saved searches\n\nStatus: Review passed\n", "s.md")
    assert report.status.value == "pass"


def test_completion_message_verdicts_after_a_tool_log() -> None:
    aider = "Applied edit to pkg/cache/lru.go\nCommit 9c1d2e3 fix: evict on resize\n\nDone. It evicts now.\n"
    assert parse_text(aider, "a.md").status.value == "pass"
    chat = "I've finished the settings screen. Here is what changed:\n\n- `lib/settings.dart`\n"
    assert parse_text(chat, "c.md").status.value == "pass"
    half = "I've finished the settings screen but the sync tab is blocked.\n\n- `lib/settings.dart`\n"
    assert parse_text(half, "h.md").status.value != "pass"
    unsure = "I have not finished the settings screen yet.\n\n- `lib/settings.dart`\n"
    assert parse_text(unsure, "u.md").status.value == "unknown"


def test_kiro_notes_heading_names_the_task_and_its_open_checkbox_the_state() -> None:
    text = (
        "# Implementation Plan\n\n- [x] 1. Parse feeds\n- [-] 2. Merge duplicates\n"
        "  - [x] 2.1 Hash titles\n  - [ ] 2.2 Fuzzy match\n\n## Task 2 Completion Notes\n\nHashing added.\n"
    )
    report = parse_text(text, "tasks.md")
    assert report.task.id == "2"
    assert report.status.value == "in_progress"
    done = parse_text(text.replace("[-] 2.", "[x] 2."), "tasks.md")
    assert done.status.value != "in_progress"


@pytest.mark.parametrize(("line", "value"), [
    ("Status: done with open items", "partial"),
    ("**Outcome:** Implemented, verification partly outstanding", "partial"),
    ("Status: complete, tests still untested on Windows", "partial"),
    ("Status: done", "pass"),
])
def test_a_pass_weakened_by_what_is_still_open(line: str, value: str) -> None:
    assert parse_text(f"# Task 4: Export\n\n{line}\n", "r.md").status.value == value


@pytest.mark.parametrize(("field", "task_id"), [
    ("**Milestone:** M4", "M4"), ("**Milestone:** v1.0 MVP", None),
])
def test_a_milestone_report_is_the_milestones_task(field: str, task_id: str | None) -> None:
    report = parse_text(f"# FINAL REPORT — Offline maps\n\n{field}\n**Status:** ✅ PASS\n", "FINAL_REPORT.md")
    assert report.task.id == task_id


def test_a_gsd_verification_with_gaps_found_is_partial() -> None:
    text = "---\nphase: 05-sync\nverified: 2026-08-01T10:00:00Z\nstatus: gaps_found\n---\n\n# Phase 5: Sync\n"
    assert parse_text(text, "05-VERIFICATION.md").status.value == "partial"


@pytest.mark.parametrize(("text", "task_id", "status"), [
    ("## Summary\n\nThis PR adds CSV export of invoices.\n\nResolves ticket **PX-31** (invoice export).\n\n"
     "Depends on PX-30 for the schema.\n", "PX-31", "unknown"),
    ("<attempt_completion>\n<result>\nQR-7 (invoice export) is implemented.\n\nEdits:\n- `a/b.py` — new\n"
     "</result>\n</attempt_completion>\n", "QR-7", "pass"),
    ("I've implemented the dunning emails (BL-12). Here is what changed.\n\n- `mail/dunning.py` (new)\n",
     "BL-12", "unknown"),
    ("# Plan\n\n1. Parse the feed.\n2. Store it.\n\n# Result\n\nAll three plan steps are complete.\n",
     None, "pass"),
])
def test_a_prose_answer_names_the_key_it_delivers_and_its_verdict(text: str, task_id: str | None,
                                                                   status: str) -> None:
    report = parse_text(text, "answer.md")
    assert (report.task.id, report.status.value) == (task_id, status)


@pytest.mark.parametrize(("text", "task_id", "status", "completed"), [
    ("# PX-5: uploads\n\nAgent: Codex · Completed 2026-11-20T10:00:00Z · **Result: PASS**\n",
     "PX-5", "pass", "2026-11-20T10:00:00Z"),
    ("## Summary\n\nI've fixed the race in the uploader when two browser tabs\n"
     "resume the same file (UP-88).\n",
     "UP-88", "unknown", None),
    ("# Task 9: Hotfix\n\n- **Outcome:** Done with caveats\n", "9", "partial", None),
])
def test_dotted_metadata_lines_keys_named_across_a_wrap_and_caveats(text: str, task_id: str, status: str,
                                                                      completed: str | None) -> None:
    report = parse_text(text, "r.md")
    assert (report.task.id, report.status.value, report.timestamps.completed) == (task_id, status, completed)


def test_a_yaml_block_under_the_title_is_the_reports_header_but_one_further_down_is_not() -> None:
    text = ("## Task 2.1 Report\n\n```yaml\ntask: 2.1\nstatus: done\nfinished: 2026-09-15 10:22 +02:00\n"
            "```\n\nConfig example:\n\n```yaml\nstatus: draft\n```\n")
    report = parse_text(text, "r.md")
    assert (report.status.value, report.status.line, report.timestamps.completed) == (
        "pass", 5, "2026-09-15T10:22:00+02:00")
    later = parse_text("## Task 2.1 Report\n\nNotes.\n\n```yaml\nstatus: draft\n```\n", "r.md")
    assert later.status.value == "unknown"


@pytest.mark.parametrize(("text", "task_id"), [
    ("ID: T-031\nTitle: Idempotency keys\nStatus: DONE\n", "T-031"),
    ("# T-032 · Signed outbound webhooks\n\nShipped.\n", "T-032"),
    ("# Report — T-033 Backfill ledger currencies\n\nRolled back.\n", "T-033"),
    ("---\ntask: T-034\ntitle: Payouts\n---\n\n## Outcome\n\nDone.\n", "T-034"),
    ("# 4.1 Tide chart widget — done\n\nWrapped up.\n", "4.1"),
    ("# SS-08 Moisture forecast baseline\n\n## Description\n\nTrain a model.\n", "SS-08"),
    ("# Migrating JIRA-12 and JIRA-13 data\n\nNotes.\n", None),
])
def test_task_ids_named_without_the_word_task(text: str, task_id: str | None) -> None:
    assert parse_text(text, "r.md").task.id == task_id


@pytest.mark.parametrize(("text", "status", "completed"), [
    ("# 4.4 Accessibility pass\n\nStatus — ✅ done (2026-07-08)\n", "pass", "2026-07-08"),
    ("# Task 4.5: Cache\n\n| Task | Result | Finished |\n| --- | --- | --- |\n"
     "| 4.5 Cache | Pass | 2026-07-10 |\n", "pass", "2026-07-10"),
    ("# Task 7 Summary\n\nQuota fallback for synced sessions.\n\nAll done. The write now falls back.\n",
     "pass", None),
])
def test_verdicts_after_a_dash_in_a_one_row_table_or_under_a_one_line_description(
        text: str, status: str, completed: str | None) -> None:
    report = parse_text(text, "r.md")
    assert (report.status.value, report.timestamps.completed) == (status, completed)


@pytest.mark.parametrize("table", [
    "| Task | Result | Finished |\n| --- | --- | --- |\n| 4.5a Reads | Pass | 2026-07-10 |\n"
    "| 4.5b Writes | Fail | 2026-07-11 |\n",
    "| Check | Result | When |\n| --- | --- | --- |\n| lint | Pass | 2026-07-12 |\n",
])
def test_only_a_one_row_task_table_states_the_reports_verdict(table: str) -> None:
    assert parse_text(f"# Task 4.5: Cache\n\n{table}", "r.md").status.value == "unknown"


def test_fields_under_a_dashed_status_line_in_the_same_paragraph_are_read() -> None:
    text = "# 4.4 Accessibility pass\n\nStatus — ✅ done\nCompleted: 2026-07-08 10:00 UTC\n"
    report = parse_text(text, "r.md")
    assert (report.status.value, report.timestamps.completed) == ("pass", "2026-07-08T10:00:00Z")
