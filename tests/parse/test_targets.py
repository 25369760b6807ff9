"""Where a deferral points: task ids of the same project, resolved from the report's own scheme."""

from __future__ import annotations

import pytest

from tracker.parse.document import read_document
from tracker.parse.targets import TaskContext, find_target, names_self, task_context

RALPH = TaskContext(own_id="3.6")
GSD_04 = TaskContext(own_id="04-02", phase="04", gsd=True)


@pytest.mark.parametrize(("text", "ctx", "want"), [
    ("The Dockerfile will be validated during task 3.7 when running fly deploy", RALPH, "3.7"),
    ("Retries will be added in Task I4.3", TaskContext(own_id="I4.2"), "I4.3"),
    ("UI shows placeholder text (will be implemented in Tasks 11-14)", TaskContext(own_id="1"), "11-14"),
    ("Testing (Task 18) - Will verify preset saving in actual hosts", TaskContext(own_id="9"), "18"),
    ("Plan 03 will overwrite the stub with full implementations", GSD_04, "04-03"),
    ("04-03 (will replace the BlackoutDatesTab stub)", GSD_04, "04-03"),
    ("Stubs to be replaced in Plan 01-02", TaskContext(own_id="01-01", phase="01", gsd=True), "01-02"),
    ("placeholders to be filled in Phase 6", TaskContext(own_id="05-01", phase="05", gsd=True), "06"),
    ("Handled by Phase 5 Plan 03", GSD_04, "05-03"),
    ("Load testing moves to M3", RALPH, "M3"),
])
def test_named_task_is_the_target(text: str, ctx: TaskContext, want: str) -> None:
    assert find_target(text, ctx) == want


@pytest.mark.parametrize(("text", "ctx"), [
    ("Values needed before Plan 01-02 SQL migration can be applied", TaskContext(own_id="01-01", gsd=True)),
    ("The app refuses to start without it (enforced by lib/config.ts from plan 06-01)", GSD_04),
    ("Task 3 is a checkpoint:human-verify, paused", GSD_04),  # a step inside this GSD plan
    ("Completed 2026-01-25 after review", GSD_04),  # a date is not a plan id
    ("auth implementation tasks will test it", RALPH),
    ("Phase 4 placeholders", GSD_04),  # this very phase
    ("Subtask 5.3 is waiting on a webhook URL", TaskContext(own_id="5")),  # a step of task 5
])
def test_no_target_for_preconditions_past_steps_dates_and_self(text: str, ctx: TaskContext) -> None:
    assert find_target(text, ctx) is None


def test_names_self_spots_a_follow_up_of_this_task() -> None:
    ctx = TaskContext(own_id="1.4")
    assert names_self("to be added in Task 1.4 follow-up", ctx)
    assert find_target("to be added in Task 1.4 follow-up", ctx) is None
    assert not names_self("to be added in Task 1.5", ctx)


def test_context_from_gsd_front_matter_pads_phase() -> None:
    doc = read_document("---\nphase: 05-infra\nplan: 1\n---\n# Summary\n")
    ctx = task_context(doc, None, "generic")
    assert (ctx.own_id, ctx.phase, ctx.gsd) == ("05-01", "05", True)
    assert find_target("to be filled in Phase 6", ctx) == "06"


def test_context_from_a_task_heading() -> None:
    doc = read_document("# Execution Summary - Task 2.3: Container\n\ntext\n")
    assert task_context(doc, None, "ralph").own_id == "2.3"


def test_unpadded_gsd_phase_still_gives_two_digit_ids() -> None:
    doc = read_document("---\nphase: 4\nplan: 2\n---\n# Summary\n")
    ctx = task_context(doc, None, "gsd")
    assert ctx.own_id == "04-02"
    assert find_target("Plan 03 will replace the stub", ctx) == "04-03"
    assert find_target("to be filled in Phase 6", ctx) == "06"


def test_a_bare_id_counts_when_the_report_names_that_task_elsewhere() -> None:
    doc = read_document(
        "# Task 4.2: Export\n\nThe CSV writer from task 3.9 lacks quoting.\n\n"
        "Export tests will run once 3.9 is reopened; pinned to v2.1 of the writer.\n"
    )
    ctx = task_context(doc, "4.2", "ralph")
    assert find_target("Export tests will run once 3.9 is reopened", ctx) == "3.9"
    assert find_target("pinned to v2.1 of the writer", ctx) is None
    assert find_target("works with 2.1 and later", TaskContext(own_id="4.2")) is None


def test_story_ids_hyphenated_task_keys_and_arrows_point_forward() -> None:
    ctx = TaskContext(own_id="2.1")
    assert find_target("Bulk delete (Task 2: Trash view) deferred to story 2.4", ctx) == "2.4"
    assert find_target("Offline cache for avatars → TASK-12", ctx) == "12"
    assert find_target("Retry policy is tracked as Task 2.9", ctx) == "2.9"
    assert find_target("Built on the parser from TASK-03", ctx) is None


@pytest.mark.parametrize(("text", "own", "want"), [
    ("Upload retries are a TODO stub; they belong to BKT-41.", "BKT-40", "BKT-41"),
    ("Contrast check left for QA, waiting on BKT-52.", None, "BKT-52"),
    ("The export test is scheduled for Q-7 once the key arrives.", "Q-6", "Q-7"),
    ("Dates are parsed as ISO-8601 until the locale work lands.", None, None),  # a standard, not a key
    ("Load test not run (see OPS-12 for the staging plan).", "BKT-40", None),  # another project's key
    ("The stub mirrors what BKT-40 shipped.", "BKT-40", None),  # this very task
])
def test_issue_tracker_keys_as_targets(text: str, own: str | None, want: str | None) -> None:
    assert find_target(text, TaskContext(own_id=own)) == want
