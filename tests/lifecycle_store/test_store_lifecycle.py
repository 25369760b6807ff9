"""The lifecycle through the store: closing at ingest in both orders, revisions, manual transitions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.lifecycle_store.reports import (
    CLOSING,
    CLOSING_TOUCHED,
    DEFERRING,
    DEFERRING_WITHOUT_IT,
    NOT_CLOSING,
    PARTLY_CLOSING,
    write,
)
from tracker.errors import NotFoundError, TrackerError, UsageError
from tracker.ingest import collect_sources, ingest
from tracker.query import DeferredView, deferred_items
from tracker.store import Store
from tracker.store.lifecycle_store import item_events
from tracker.store.schema import CandidateRow, DeferredRow


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(actor="tester") as s:
        yield s


def run(store: Store, *paths: Path) -> None:
    summary = ingest(store, collect_sources([str(p) for p in paths], project="kestrel"))
    assert summary.failed == 0, summary.errors


def the_item(store: Store) -> DeferredView:
    items = deferred_items(store, state="all")
    assert len(items) == 1, items
    return items[0]


def test_explicit_close_in_the_target_report(store: Store, tmp_path: Path) -> None:
    run(store, write(tmp_path, "task5_1.md", DEFERRING))
    assert the_item(store).state == "open"
    assert the_item(store).target_not_reported
    run(store, write(tmp_path, "task5_2.md", CLOSING))
    item = the_item(store)
    assert item.state == "closed"
    assert item.closed_by == f"{tmp_path / 'task5_2.md'}:13"
    assert "Closes: 5.1 search index migration" in (item.evidence or "")
    events = [(e.action, e.from_state, e.to_state, e.actor) for e in item_events(store, item.id)]
    assert events == [("open", None, "open", "tester"), ("auto-close", "open", "closed", "tracker")]


def test_out_of_order_ingest_gives_the_same_closure(store: Store, tmp_path: Path) -> None:
    closing = write(tmp_path, "task5_2.md", CLOSING)
    run(store, closing)
    run(store, write(tmp_path, "task5_1.md", DEFERRING))
    item = the_item(store)
    assert (item.state, item.closed_by) == ("closed", f"{closing}:13")


def test_a_touched_closing_report_keeps_the_item_closed_no_duplicates(store: Store, tmp_path: Path) -> None:
    run(store, write(tmp_path, "task5_1.md", DEFERRING), write(tmp_path, "task5_2.md", CLOSING))
    before = the_item(store)
    run(store, write(tmp_path, "task5_2.md", CLOSING_TOUCHED))
    after = the_item(store)
    assert (after.id, after.state, after.closed_by) == (before.id, "closed", before.closed_by)
    actions = [e.action for e in item_events(store, after.id)]
    assert actions.count("auto-close") == 1 and "reopen" not in actions
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(DeferredRow)) == 1


def test_a_revised_closing_report_without_the_evidence_reopens_the_item(store: Store, tmp_path: Path) -> None:
    run(store, write(tmp_path, "task5_1.md", DEFERRING), write(tmp_path, "task5_2.md", CLOSING))
    run(store, write(tmp_path, "task5_2.md", NOT_CLOSING))
    item = the_item(store)
    assert item.state == "open" and item.closed_by is None
    assert item.missed  # 5.2 reported (its latest revision) without closing it
    last = item_events(store, item.id)[-1]
    assert (last.action, last.from_state, last.to_state) == ("reopen", "closed", "open")
    assert "gone from the revised report" in (last.reason or "")


def test_an_item_gone_from_its_edited_report_is_withdrawn_not_deleted(store: Store, tmp_path: Path) -> None:
    report = write(tmp_path, "task5_1.md", DEFERRING)
    run(store, report)
    item_id = the_item(store).id
    run(store, write(tmp_path, "task5_1.md", DEFERRING_WITHOUT_IT))
    assert (the_item(store).id, the_item(store).state) == (item_id, "withdrawn")
    assert deferred_items(store) == []
    run(store, write(tmp_path, "task5_1.md", DEFERRING))  # restated: back to its old state
    assert the_item(store).state == "open"
    assert [e.action for e in item_events(store, item_id)] == ["open", "withdraw", "restore"]


def test_a_hedged_reference_is_a_candidate_and_confirm_closes_it(store: Store, tmp_path: Path) -> None:
    run(store, write(tmp_path, "task5_1.md", DEFERRING), write(tmp_path, "task5_2.md", PARTLY_CLOSING))
    item = the_item(store)
    assert item.state == "candidate" and "partially" in (item.evidence or "")
    assert [v.id for v in deferred_items(store, candidates=True)] == [item.id]
    with store.session() as session:
        assert session.scalar(select(CandidateRow.status)) == "pending"
    change = store.transition(item.id[:4], "confirm", actor="ann")
    assert (change.from_state, change.to_state, change.actor) == ("candidate", "closed", "ann")
    item = the_item(store)
    assert item.state == "closed" and "partially" in (item.evidence or "")
    with store.session() as session:
        assert session.scalar(select(CandidateRow.status)) == "confirmed"
    last = item_events(store, item.id)[-1]
    assert (last.action, last.actor, last.from_state, last.to_state) == (
        "confirm", "ann", "candidate", "closed")


def test_manual_transitions_write_events_with_actor_and_reason(store: Store, tmp_path: Path) -> None:
    run(store, write(tmp_path, "task5_1.md", DEFERRING))
    item_id = the_item(store).id
    store.transition(item_id, "waive", "search is dropped from the release", actor="ann")
    assert the_item(store).state == "waived"
    assert the_item(store).waived_reason == "search is dropped from the release"
    store.transition(item_id, "reopen", "search is back in scope", actor="bob")
    assert the_item(store).state == "open"
    store.transition(item_id, "close", "ran the migration on staging, log in #ops", actor="cy")
    assert the_item(store).state == "closed"
    assert the_item(store).close_note == "ran the migration on staging, log in #ops"
    events = [(e.action, e.from_state, e.to_state, e.actor, e.reason)
              for e in item_events(store, item_id)][1:]
    assert events == [
        ("waive", "open", "waived", "ann", "search is dropped from the release"),
        ("reopen", "waived", "open", "bob", "search is back in scope"),
        ("close", "open", "closed", "cy", "ran the migration on staging, log in #ops"),
    ]


def test_illegal_transitions_and_bad_ids_are_refused(store: Store, tmp_path: Path) -> None:
    run(store, write(tmp_path, "task5_1.md", DEFERRING))
    item_id = the_item(store).id
    with pytest.raises(TrackerError, match="no candidate closure"):
        store.transition(item_id, "confirm")
    with pytest.raises(TrackerError, match="already open"):
        store.transition(item_id, "reopen")
    with pytest.raises(TrackerError, match="note is required"):
        store.transition(item_id, "close", "  ")
    with pytest.raises(NotFoundError):
        store.transition("zzzzzzz", "close", "x")
    with pytest.raises(UsageError):
        store.transition(item_id, "delete", "x")
    assert the_item(store).state == "open"
    assert [e.action for e in item_events(store, item_id)] == ["open"]


def test_a_reopened_evidence_close_is_not_proposed_again(store: Store, tmp_path: Path) -> None:
    run(store, write(tmp_path, "task5_1.md", DEFERRING), write(tmp_path, "task5_2.md", CLOSING))
    item_id = the_item(store).id
    store.transition(item_id, "reopen", "CI run #7 tested another index", actor="ann")
    run(store, write(tmp_path, "task5_2.md", CLOSING_TOUCHED))  # same evidence, new revision
    assert the_item(store).state == "open"
