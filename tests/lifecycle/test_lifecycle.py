"""Identity, flags, manual transitions and order independence of deferred items."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tests.lifecycle.conftest import DOCKER_TEXT, PROJECT, SIZE_TEXT, deferred, report
from tracker.durations import parse_duration
from tracker.errors import TrackerError, UsageError
from tracker.lifecycle import (
    Closure,
    TrackedItem,
    apply_closure,
    best_closure,
    close,
    closures_for_item,
    confirm,
    find_closures,
    fingerprint,
    item_flags,
    open_item,
    opened_event,
    reconcile,
    refresh,
    reject,
    reopen,
    restore,
    revoke_closure,
    short_id,
    waive,
    withdraw,
)
from tracker.taskids import is_later, target_covers

AT = datetime(2026, 3, 10, 12, 0)


def candidate_closure(item: TrackedItem) -> Closure:
    return Closure(item.id, "candidate", "reports/task2_3.md", 5, "✅ Docker build step added", 0.4,
                   "evidence", "2.3", (5,))


# --- identity ------------------------------------------------------------------------------------


def test_fingerprint_survives_line_shifts_punctuation_and_case() -> None:
    original = deferred(DOCKER_TEXT, 9)
    edited = deferred(
        "docker is NOT installed here -- so `docker build` was not run. The Docker build will be "
        "validated in task 2.3!", 14,
    )
    assert fingerprint(original, "2.1") == fingerprint(edited, "2.1")


def test_fingerprint_differs_for_different_items_kinds_and_tasks() -> None:
    docker, size = deferred(DOCKER_TEXT, 9), deferred(SIZE_TEXT, 10)
    assert fingerprint(docker, "2.1") != fingerprint(size, "2.1")
    assert fingerprint(docker, "2.1") != fingerprint(deferred(DOCKER_TEXT, 9, kind="work"), "2.1")
    assert fingerprint(docker, "2.1") != fingerprint(docker, "2.2")


def test_short_ids_are_short_stable_and_distinct() -> None:
    a = short_id(PROJECT, "2.1", "fp-a")
    assert a == short_id(PROJECT, "2.1", "fp-a")
    assert len(a) == 7 and a.isalnum() and a.islower()
    assert a != short_id(PROJECT, "2.1", "fp-b") != short_id("other", "2.1", "fp-a")


def test_open_item_keeps_source_lines_target_and_report_time(docker_item: TrackedItem) -> None:
    assert (docker_item.state, docker_item.source, docker_item.line, docker_item.target) == (
        "open", "reports/task2_1.md", 9, "2.3",
    )
    assert docker_item.opened_at == datetime(2026, 3, 2, 10, 0)  # the report's time, not ingest time
    event = opened_event(docker_item, at=AT)
    assert (event.action, event.to_state, event.line, event.actor) == ("open", "open", 9, "tracker")


def test_ids_never_collide_within_a_project(deferring_report) -> None:
    first = open_item(deferred(DOCKER_TEXT, 9), deferring_report, PROJECT)
    twin = open_item(deferred(DOCKER_TEXT, 30), deferring_report, PROJECT, taken_ids=[first.id])
    assert twin.id != first.id and twin.id.startswith(first.id)


# --- re-ingesting an edited report ---------------------------------------------------------------


def test_reconcile_keeps_rewordings_withdraws_vanished_and_adds_new(
    docker_item: TrackedItem, size_item: TrackedItem,
) -> None:
    closed_docker = close(docker_item, "built by hand on my laptop", at=AT).item
    edited = [
        deferred("Docker is not installed here, so `docker build` wasn't run; "
                 "Docker build validated in task 2.3", 11),
        deferred("Load test of the image with 200 concurrent users not run", 12),
    ]
    result = reconcile([closed_docker, size_item], edited, "2.1")
    assert [(old.id, new.line) for old, new in result.kept] == [(docker_item.id, 11)]
    assert [d.line for d in result.added] == [12]
    assert [t.id for t in result.withdrawn] == [size_item.id]
    kept, new = result.kept[0]
    refreshed = refresh(kept, new, report("reports/task2_1.md", "2.1"))
    assert (refreshed.id, refreshed.state, refreshed.line) == (docker_item.id, "closed", 11)


def test_reingesting_the_same_report_changes_nothing(
    docker_item: TrackedItem, size_item: TrackedItem,
) -> None:
    result = reconcile([docker_item, size_item], [deferred(SIZE_TEXT, 3), deferred(DOCKER_TEXT, 4)], "2.1")
    assert {old.id for old, _ in result.kept} == {docker_item.id, size_item.id}
    assert result.added == [] and result.withdrawn == []


# --- flags ---------------------------------------------------------------------------------------


def test_target_not_reported_then_missed_once_the_target_reports(docker_item: TrackedItem) -> None:
    before = [report("reports/task2_1.md", "2.1"), report("reports/task2_2.md", "2.2")]
    flags = item_flags(docker_item, before, now=datetime(2026, 3, 9, 10, 0))
    assert (flags.missed, flags.target_reported, flags.target_not_reported) == (False, False, True)
    assert flags.tasks_since == 1
    assert flags.age_days == pytest.approx(7.0)

    after = [*before, report("reports/task2_3.md", "2.3")]
    flags = item_flags(docker_item, after, now=datetime(2026, 3, 9, 10, 0))
    assert (flags.missed, flags.target_reported, flags.target_not_reported) == (True, True, False)
    assert flags.tasks_since == 2


def test_closed_or_waived_items_are_never_missed(docker_item: TrackedItem) -> None:
    reports = [report("reports/task2_3.md", "2.3")]
    assert not item_flags(close(docker_item, "see CI run 7").item, reports).missed
    assert not item_flags(waive(docker_item, "image retired").item, reports).missed


def test_word_targets_have_no_target_flags(docker_item: TrackedItem) -> None:
    item = replace(docker_item, target="deployment")
    flags = item_flags(item, [report("reports/task2_3.md", "2.3")])
    assert (flags.missed, flags.target_reported, flags.target_not_reported) == (False, None, False)


def test_phase_target_is_missed_only_after_the_phase_is_over(docker_item: TrackedItem) -> None:
    item = replace(docker_item, task_id="05-01", target="06")
    during = [report("a/05-01.md", "05-01"), report("a/06-01.md", "06-01"), report("a/06-02.md", "06-02")]
    assert not item_flags(item, during).missed
    assert item_flags(item, [*during, report("a/07-01.md", "07-01")]).missed


def test_missed_reads_the_latest_revision_once(docker_item: TrackedItem) -> None:
    revisions = [report("reports/task2_3.md", "2.3"), report("reports/task2_3.md", "2.3")]
    assert item_flags(docker_item, revisions).tasks_since == 1


# --- manual transitions --------------------------------------------------------------------------


def test_close_waive_reopen_write_events_with_actor_and_reason(docker_item: TrackedItem) -> None:
    closed, event = close(docker_item, "ran docker build on the release host", actor="ana", at=AT)
    assert closed.state == "closed" and closed.note == "ran docker build on the release host"
    assert (event.item_id, event.at, event.actor, event.action) == (docker_item.id, AT, "ana", "close")
    assert (event.from_state, event.to_state, event.reason) == (
        "open", "closed", "ran docker build on the release host",
    )
    reopened, event = reopen(closed, "that host has no Docker either", actor="ben", at=AT)
    assert reopened.state == "open" and reopened.note is None
    assert (event.action, event.from_state, event.to_state) == ("reopen", "closed", "open")
    assert event.actor == "ben"
    waived, event = waive(reopened, "image replaced by a buildpack", at=AT)
    assert waived.state == "waived" and waived.note == "image replaced by a buildpack"
    assert (event.action, event.to_state) == ("waive", "waived")
    assert event.reason == "image replaced by a buildpack"
    assert event.actor  # defaults to the OS user


def test_confirm_turns_a_candidate_into_a_close_keeping_its_evidence(docker_item: TrackedItem) -> None:
    candidate = apply_closure(docker_item, candidate_closure(docker_item), at=AT)
    assert candidate is not None
    assert (candidate.item.state, candidate.event.action) == ("candidate", "propose")
    assert candidate.event.actor == "tracker"
    confirmed, event = confirm(candidate.item, actor="ana", at=AT)
    assert confirmed.state == "closed"
    assert confirmed.closure is not None and confirmed.closure.state == "closed"
    assert (confirmed.closure.source, confirmed.closure.line) == ("reports/task2_3.md", 5)
    assert (event.action, event.from_state, event.to_state) == ("confirm", "candidate", "closed")
    assert event.line == 5


def test_rejected_candidate_is_not_proposed_again(docker_item: TrackedItem) -> None:
    proposal = candidate_closure(docker_item)
    candidate = apply_closure(docker_item, proposal)
    assert candidate is not None
    rejected, event = reject(candidate.item, "that is the staging pipeline, not a build", actor="ana")
    assert rejected.state == "open" and event.action == "reject"
    text = "# T\n\n## Results\n\n- ✅ Docker build step added to the staging pipeline; Docker installed\n"
    later = report("reports/task2_3.md", "2.3")
    assert [c.line for c in find_closures(later, text, [docker_item])] == [5]  # proposed before...
    assert find_closures(later, text, [rejected]) == []  # ...but not after the rejection


def test_withdraw_and_restore_keep_the_state(docker_item: TrackedItem) -> None:
    waived = waive(docker_item, "not needed").item
    withdrawn, event = withdraw(waived, at=AT)
    assert withdrawn.state == "withdrawn" and event.action == "withdraw" and event.actor == "tracker"
    restored, event = restore(withdrawn, at=AT)
    assert restored.state == "waived" and (event.from_state, event.to_state) == ("withdrawn", "waived")


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        (lambda i: close(i, "done").item, lambda i: close(i, "again"), "already closed"),
        (lambda i: i, lambda i: confirm(i), "no candidate closure to confirm"),
        (lambda i: i, lambda i: reopen(i), "already open"),
        (lambda i: waive(i, "no").item, lambda i: close(i, "x"), "waived; reopen it first"),
        (lambda i: withdraw(i).item, lambda i: reopen(i), "withdrawn"),
        (lambda i: withdraw(i).item, lambda i: waive(i, "x"), "withdrawn"),
        (lambda i: i, lambda i: restore(i), "is open"),
        (lambda i: i, lambda i: close(i, "  "), "a note is required"),
        (lambda i: i, lambda i: waive(i, ""), "a reason is required"),
    ],
)
def test_illegal_transitions_raise_with_a_clear_message(docker_item, setup, action, message) -> None:
    item = setup(docker_item)
    with pytest.raises(TrackerError, match=message) as info:
        action(item)
    assert docker_item.id in str(info.value)


def test_reports_never_override_a_person(docker_item: TrackedItem) -> None:
    strong = Closure(docker_item.id, "closed", "r/task2_3.md", 4, "`docker build` ok", 1.0, "evidence", "2.3")
    assert apply_closure(waive(docker_item, "dropped").item, strong) is None
    assert apply_closure(close(docker_item, "by hand").item, strong) is None
    assert apply_closure(withdraw(docker_item).item, strong) is None


# --- order independence --------------------------------------------------------------------------

LATER_TEXTS = {
    "2.2": ("reports/task2_2.md", "# Task 2.2\n\n- ✅ Docker build step added to CI; Docker installed\n"),
    "2.3": ("reports/task2_3.md", "# Task 2.3\n\n- ✅ `docker build -t harbor .` succeeded\n"),
    "2.4": ("reports/task2_4.md", "# Task 2.4\n\n- Closes: 2.1 image size measured: 131MB\n"),
}


def settle(item: TrackedItem, closures: list[Closure]) -> TrackedItem:
    for closure in closures:
        step = apply_closure(item, closure)
        if step is not None:
            item = step.item
    return item


def test_out_of_order_ingest_gives_the_same_result(docker_item: TrackedItem, size_item: TrackedItem) -> None:
    later = [(report(src, task), text) for task, (src, text) in LATER_TEXTS.items()]
    # In order: the items exist; each later report arrives and is matched against them.
    in_order = [docker_item, size_item]
    for rep, text in later:
        closures = find_closures(rep, text, in_order)
        in_order = [settle(i, [c for c in closures if c.item_id == i.id]) for i in in_order]
    # Out of order, reports newest first, then the deferring report: items matched against stored reports.
    out_of_order = [settle(i, closures_for_item(i, list(reversed(later)))) for i in (docker_item, size_item)]
    assert [(i.state, i.closure) for i in in_order] == [(i.state, i.closure) for i in out_of_order]
    assert in_order[0].state == "closed" and in_order[0].closure.source == "reports/task2_3.md"
    assert in_order[1].state == "closed" and in_order[1].closure.rule == "explicit"


def test_best_closure_does_not_depend_on_arrival_order(docker_item: TrackedItem) -> None:
    a = Closure(docker_item.id, "closed", "r/task2_4.md", 3, "x", 1.0, "evidence", "2.4")
    b = Closure(docker_item.id, "closed", "r/task2_3.md", 8, "y", 1.0, "evidence", "2.3")
    assert best_closure([a, b]) == best_closure([b, a]) == b
    assert settle(docker_item, [a, b]).closure == settle(docker_item, [b, a]).closure == b


# --- small helpers -------------------------------------------------------------------------------


def test_durations_parse_and_reject() -> None:
    assert parse_duration("7d") == timedelta(days=7)
    assert parse_duration("2w") == timedelta(weeks=2)
    assert parse_duration("36h") == timedelta(hours=36)
    with pytest.raises(UsageError, match="not a duration"):
        parse_duration("seven days")


def test_task_order_and_targets() -> None:
    assert is_later("2.10", None, "2.9", None) is True
    assert is_later("2.1", None, "2.10", None) is False
    assert is_later("I4.2", "2026-03-05", "4.3", "2026-03-01") is True  # schemes differ: time decides
    assert is_later(None, None, "2.1", None) is None
    assert target_covers("3.7", "3.7") and not target_covers("3.7", "3.6")
    assert target_covers("06", "06-02") and target_covers("11-14", "12") and not target_covers("9", "19")


def test_a_confirmed_candidate_is_not_moved_by_later_reports(docker_item: TrackedItem) -> None:
    proposed = apply_closure(docker_item, candidate_closure(docker_item))
    assert proposed is not None
    confirmed = confirm(proposed.item, actor="ana").item
    assert confirmed.closure is not None and confirmed.closure.confirmed_by == "ana"
    stronger = Closure(docker_item.id, "closed", "r/task2_2.md", 4, "Closes: 2.1", 1.0, "explicit", "2.2")
    assert apply_closure(confirmed, stronger) is None
    assert revoke_closure(confirmed, "reports/task2_3.md") is None


def test_revised_report_without_the_evidence_reopens_an_auto_closed_item(docker_item: TrackedItem) -> None:
    text = "# Task 2.3\n\n- ✅ `docker build -t harbor .` succeeded\n"
    later = report("reports/task2_3.md", "2.3")
    closed = settle(docker_item, find_closures(later, text, [docker_item]))
    assert closed.state == "closed"
    assert revoke_closure(closed, "reports/other.md") is None
    reopened, event = revoke_closure(closed, "reports/task2_3.md", at=AT)
    assert reopened.state == "open" and reopened.closure is None
    assert (event.action, event.actor, event.from_state, event.line) == ("reopen", "tracker", "closed", 3)
    revised = "# Task 2.3\n\n- Docker build: still no Docker on the runner\n"
    assert find_closures(later, revised, [reopened]) == []


def test_targets_written_with_words_match_bare_ids() -> None:
    assert target_covers("Phase 6", "06-02") and target_covers("Plan 01-02", "01-02")
    assert target_covers("Task 3.7", "3.7") and not target_covers("Task 3.7", "3.6")
    assert is_later("task-025", None, "task-007", None) is True


def test_the_deferring_task_itself_is_not_its_target_reporting(docker_item: TrackedItem) -> None:
    item = replace(docker_item, task_id="06-01", target="06")
    own = [report("a/06-01.md", "06-01")]
    assert item_flags(item, own).target_not_reported
    assert not item_flags(item, [*own, report("a/07-01.md", "07-01")]).missed
    assert item_flags(item, [*own, report("a/06-02.md", "06-02"), report("a/07-01.md", "07-01")]).missed
