"""Storing report revisions: idempotence, history, child rows, item identity, atomicity, events."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from tracker.errors import NotFoundError
from tracker.model import (
    ChecklistItem,
    DeferredItem,
    FileChange,
    Report,
    StatusField,
    TaskRef,
    Timestamps,
)
from tracker.store import SourceMeta, Store
from tracker.store.schema import ChecklistRow, DeferredRow, EventRow, FileChangeRow, ReportRow, Task

DOCKER = "Docker build will be validated during deployment in task 3.7"
KEYS = "Stripe webhook signature check requires a live API key"


def report(task: str = "3.6", status: str = "pass", deferred: list[tuple[str, int]] = (),
           completed: str | None = "2026-01-25T12:32:00Z", source: str = "/r/task3_6.md") -> Report:
    return Report(
        source=source, format="ralph", task=TaskRef(id=task, title="Dockerfile", line=1),
        status=StatusField(value=status, raw=status.upper(), line=3),
        timestamps=Timestamps(completed=completed),
        files=[FileChange(path="backend/Dockerfile", action="created", line=10)],
        checklist=[ChecklistItem(text="multi-stage", state="done", line=12),
                   ChecklistItem(text="healthcheck", state="open", line=13)],
        deferred=[DeferredItem(text=text, kind="validation", target="3.7", line=line, end_line=line,
                               lines=[line]) for text, line in deferred],
    )


def meta(sha: str, path: str = "/r/task3_6.md") -> SourceMeta:
    return SourceMeta(path=path, sha256=sha * 64 if len(sha) == 1 else sha, size=100, mtime=1.0)


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(actor="tester") as s:
        yield s


def items(store: Store) -> dict[str, DeferredRow]:
    with store.session() as session:
        return {i.text: i for i in session.scalars(select(DeferredRow))}


def count(store: Store, table: type) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_same_content_is_unchanged_and_writes_nothing(store: Store) -> None:
    first = store.store_report("p", report(deferred=[(DOCKER, 5)]), meta("a"))
    again = store.store_report("p", report(deferred=[(DOCKER, 5)]), meta("a"))
    assert (first.outcome, again.outcome) == ("ingested", "unchanged")
    assert again.report_id == first.report_id
    assert count(store, ReportRow) == 1
    assert count(store, DeferredRow) == 1
    assert count(store, EventRow) == 2  # ingested + item opened, nothing for the repeat


def test_changed_content_is_a_new_current_revision_with_history(store: Store) -> None:
    first = store.store_report("p", report(status="partial"), meta("a"))
    second = store.store_report("p", report(status="pass"), meta("b"))
    assert second.outcome == "revised"
    with store.session() as session:
        rows = session.scalars(select(ReportRow).order_by(ReportRow.revision)).all()
        assert [(r.revision, r.is_current, r.status) for r in rows] == [
            (1, False, "partial"), (2, True, "pass")]
        task = session.scalar(select(Task))
        assert task.latest_report_id == second.report_id != first.report_id
        # each revision keeps its own child rows
        assert session.scalar(select(func.count()).select_from(ChecklistRow)) == 4
        assert session.scalar(select(func.count()).select_from(FileChangeRow)) == 2


def test_report_row_keeps_parsed_facts(store: Store) -> None:
    result = store.store_report("p", report(deferred=[(DOCKER, 5)]), meta("a"))
    with store.session() as session:
        row = session.get(ReportRow, result.report_id)
        assert row.status == "pass" and row.status_raw == "PASS" and row.status_line == 3
        assert row.completed == "2026-01-25T12:32:00Z"
        assert row.reported_at.isoformat() == "2026-01-25T12:32:00"
        assert row.parsed["task"]["id"] == "3.6"
        assert row.parsed["deferred"][0]["text"] == DOCKER
        assert [f.path for f in row.files] == ["backend/Dockerfile"]
        assert [c.state for c in row.checklist] == ["done", "open"]


def test_offset_completion_time_is_stored_as_utc(store: Store) -> None:
    result = store.store_report("p", report(completed="2026-01-25T08:38:00+02:00"), meta("a"))
    with store.session() as session:
        assert session.get(ReportRow, result.report_id).reported_at.isoformat() == "2026-01-25T06:38:00"


def test_edited_report_keeps_item_identity_and_state(store: Store) -> None:
    store.store_report("p", report(deferred=[(DOCKER, 5), (KEYS, 9)]), meta("a"))
    before = items(store)
    store.set_item_state(before[DOCKER].short_id, "waived", reason="deploy job covers it")
    # the agent edits the report: lines move, wording changes case and punctuation
    store.store_report("p", report(deferred=[(KEYS, 20), (DOCKER.lower() + ".", 31)]), meta("b"))
    after = {i.short_id: i for i in items(store).values()}
    assert set(after) == {before[DOCKER].short_id, before[KEYS].short_id}
    docker = after[before[DOCKER].short_id]
    assert docker.state == "waived" and docker.waived_reason == "deploy job covers it"
    assert docker.line == 31 and docker.lines == [31]
    assert after[before[KEYS].short_id].line == 20


def test_reworded_item_still_matches_its_earlier_self(store: Store) -> None:
    store.store_report("p", report(deferred=[(DOCKER, 5)]), meta("a"))
    old_id = items(store)[DOCKER].short_id
    reworded = "The Docker build will be validated during the deployment in task 3.7 on Fly.io"
    store.store_report("p", report(deferred=[(reworded, 5)]), meta("b"))
    now = items(store)
    assert list(now) == [reworded]
    assert now[reworded].short_id == old_id and now[reworded].state == "open"


def test_vanished_item_is_withdrawn_with_an_event_and_restored_if_it_returns(store: Store) -> None:
    store.store_report("p", report(deferred=[(DOCKER, 5), (KEYS, 9)]), meta("a"))
    keys_id = items(store)[KEYS].short_id
    store.set_item_state(keys_id, "closed", reason="checked by hand")
    result = store.store_report("p", report(deferred=[(DOCKER, 5)]), meta("b"))
    assert result.withdrawn == 1
    keys = items(store)[KEYS]
    assert (keys.state, keys.withdrawn_from) == ("withdrawn", "closed")
    with store.session() as session:
        event = session.scalars(select(EventRow).where(EventRow.item_id == keys.id)
                                .order_by(EventRow.id)).all()[-1]
        assert (event.action, event.from_state, event.to_state) == ("withdraw", "closed", "withdrawn")
        assert event.actor == "tester" and event.report_id == result.report_id
        assert "no longer in /r/task3_6.md" in event.reason
    store.store_report("p", report(deferred=[(DOCKER, 5), (KEYS, 9)]), meta("c"))
    keys = items(store)[KEYS]
    assert (keys.state, keys.short_id, keys.close_note) == ("closed", keys_id, "checked by hand")


def test_manual_transitions_write_events(store: Store) -> None:
    store.store_report("p", report(deferred=[(DOCKER, 5)]), meta("a"))
    item_id = items(store)[DOCKER].short_id
    store.set_item_state(item_id[:5], "waived", reason="not needed", action="waive", actor="alice")
    store.set_item_state(item_id, "open", reason="needed after all", action="reopen")
    item = items(store)[DOCKER]
    assert item.state == "open" and item.waived_reason is None
    with store.session() as session:
        trail = [(e.action, e.from_state, e.to_state, e.actor) for e in session.scalars(
            select(EventRow).where(EventRow.item_id == item.id).order_by(EventRow.id))]
    assert trail == [("open", None, "open", "tester"), ("waive", "open", "waived", "alice"),
                     ("reopen", "waived", "open", "tester")]
    with pytest.raises(NotFoundError):
        store.set_item_state("zzzzzzz", "closed")


def test_failure_inside_store_leaves_nothing_half_written(store: Store,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object) -> None:  # stands in for the lifecycle hook failing
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "apply_lifecycle", explode)
    with pytest.raises(RuntimeError):
        store.store_report("p", report(deferred=[(DOCKER, 5)]), meta("a"))
    for table in (ReportRow, Task, DeferredRow, EventRow, ChecklistRow, FileChangeRow):
        assert count(store, table) == 0


def test_latest_report_of_a_task_is_the_newest_by_report_time(store: Store) -> None:
    late = store.store_report("p", report(status="pass", completed="2026-02-02"),
                              meta("a", "/r/rerun.md"))
    store.store_report("p", report(status="fail", completed="2026-02-01"), meta("b", "/r/first.md"))
    with store.session() as session:
        assert session.scalar(select(Task.latest_report_id)) == late.report_id


def test_report_without_task_id_is_filed_under_its_file_name(store: Store) -> None:
    store.store_report("p", report(task=None), meta("a", "/r/notes-2026.md"))
    with store.session() as session:
        assert session.scalar(select(Task.task_key)) == "notes-2026"


def test_known_sources_gives_the_current_revision(store: Store) -> None:
    store.store_report("p", report(), meta("a"))
    second = store.store_report("p", report(status="fail"), meta("b"))
    known = store.known_sources("p")
    assert list(known) == ["/r/task3_6.md"]
    assert known["/r/task3_6.md"].report_id == second.report_id
    assert known["/r/task3_6.md"].sha256 == "b" * 64
    assert store.known_sources("other") == {}


def test_item_still_stated_by_another_report_file_is_not_withdrawn(store: Store) -> None:
    store.store_report("p", report(deferred=[(DOCKER, 5)]), meta("a", "/r/task3_6.md"))
    store.store_report("p", report(deferred=[(DOCKER, 7)]), meta("b", "/r/task3_6-rerun.md"))
    assert count(store, DeferredRow) == 1  # same task, same deferral: one item
    result = store.store_report("p", report(deferred=[]), meta("c", "/r/task3_6.md"))
    assert result.withdrawn == 0
    item = items(store)[DOCKER]
    assert item.state == "open"
    with store.session() as session:
        assert session.get(ReportRow, item.last_seen_report_id).source_path == "/r/task3_6-rerun.md"
    store.store_report("p", report(deferred=[]), meta("d", "/r/task3_6-rerun.md"))
    assert items(store)[DOCKER].state == "withdrawn"


def test_every_revision_records_where_it_states_each_item(store: Store) -> None:
    from tracker.store.schema import MentionRow

    store.store_report("p", report(deferred=[(DOCKER, 5)]), meta("a"))
    store.store_report("p", report(deferred=[(DOCKER, 9)]), meta("b"))
    with store.session() as session:
        mentions = session.execute(select(ReportRow.revision, MentionRow.line)
                                   .join(ReportRow, ReportRow.id == MentionRow.report_id)
                                   .order_by(ReportRow.revision)).all()
    assert mentions == [(1, 5), (2, 9)]
