"""Persisting the deferred-item lifecycle: the pure rules of `tracker.lifecycle` applied to stored rows.

`Store.apply_lifecycle` calls `apply_report` inside a report's write transaction; the manual
commands call `transition`. Rows are turned into `TrackedItem`s, the pure functions decide, and
every decision is written back through `Store.set_state_in`, so each change has its event.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from tracker.store.schema import CandidateRow, DeferredRow, EventRow, Project, ReportRow, Task

if TYPE_CHECKING:
    from sqlalchemy import Row
    from sqlalchemy.orm import Session

    from tracker.evidence import ReportEvidence
    from tracker.lifecycle import Closure, TrackedItem, Transition
    from tracker.store.lifecycle_cache import ProjectCache
    from tracker.store.store import Store


@dataclass(frozen=True)
class ReportRef:
    """What ordering and closing need to know about one stored revision."""

    id: int
    source: str
    task_id: str | None
    completed: str | None

    # duck-typed like tracker.model.Report (report.task.id, report.timestamps.completed)
    @property
    def task(self) -> _TaskPart:
        return _TaskPart(self.task_id)

    @property
    def timestamps(self) -> _TimePart:
        return _TimePart(self.completed)


@dataclass(frozen=True)
class _TaskPart:
    id: str | None


@dataclass(frozen=True)
class _TimePart:
    completed: str | None


@dataclass(frozen=True)
class ItemChange:
    """The outcome of a manual command, for the CLI to print."""

    id: str
    task: str
    action: str
    from_state: str
    to_state: str
    actor: str
    reason: str | None


def report_refs(session: Session, *, project_id: int | None = None, ids: list[int] | None = None,
                current: bool = True) -> dict[int, ReportRef]:
    """Stored revisions by id; the task id from the `task_ref` column (the parsed JSON's, indexed)."""
    query = select(ReportRow.id, ReportRow.source_path, ReportRow.task_ref, ReportRow.completed)
    if project_id is not None:
        query = query.where(ReportRow.project_id == project_id)
    if current:
        query = query.where(ReportRow.is_current.is_(True))
    if ids is not None:
        query = query.where(ReportRow.id.in_(ids))
    return {rid: ReportRef(rid, src, tid or None, done) for rid, src, tid, done in session.execute(query)}


def tracked(session: Session, item: DeferredRow, project: str,
            refs: dict[int, ReportRef],
            reviews_by_item: dict[int, list[tuple[int, int, str]]] | None = None) -> TrackedItem:
    """The pure-lifecycle view of a stored item (`reviews_by_item`: `candidate_reviews`, prefetched)."""
    from tracker.lifecycle import Closure, TrackedItem

    def ref(report_id: int | None) -> ReportRef | None:
        if report_id is None:
            return None
        if report_id not in refs:
            refs.update(report_refs(session, ids=[report_id], current=False))
        return refs.get(report_id)

    first, seen = ref(item.first_seen_report_id), ref(item.last_seen_report_id)
    closure = None
    closer = ref(item.closed_by_report_id)
    reviews = reviews_by_item.get(item.id, []) if reviews_by_item is not None else list(session.execute(
        select(CandidateRow.report_id, CandidateRow.line, CandidateRow.status)
        .where(CandidateRow.item_id == item.id, CandidateRow.status != "pending")))
    rejected = tuple(f"{r.source}:{line}" for rid, line, status in reviews
                     if status == "rejected" and (r := ref(rid)) is not None)
    if closer is not None and item.state in ("closed", "candidate", "waived", "withdrawn"):
        confirmed = any(rid == closer.id and line == item.closed_line and status == "confirmed"
                        for rid, line, status in reviews)
        closure = Closure(
            item_id=item.short_id, state="closed" if item.state != "candidate" else "candidate",
            source=closer.source, line=item.closed_line or 0, evidence=item.evidence or "",
            score=item.closure_score or 0.0, rule=item.closure_rule or "evidence",  # type: ignore[arg-type]
            task_id=closer.task_id, lines=tuple(item.closure_lines or ()),
            confirmed_by="a person" if confirmed else None,
        )
    task_id = first.task_id if first else None
    return TrackedItem(
        id=item.short_id, project=project, task_id=task_id, fingerprint=item.fingerprint, text=item.text,
        kind=item.kind, reason=item.reason, target=item.target,  # type: ignore[arg-type]
        source=seen.source if seen else "", line=item.line, lines=tuple(item.lines or [item.line]),
        opened_completed=first.completed if first else None, opened_at=item.opened_at,
        state=item.state, closure=closure,  # type: ignore[arg-type]
        note=item.close_note or item.waived_reason, rejected=rejected,
        withdrawn_from=item.withdrawn_from,  # type: ignore[arg-type]
    )


def candidate_reviews(session: Session, project_id: int) -> dict[int, list[tuple[int, int, str]]]:
    """A person's verdicts on candidate closures, per item of the project, in one query
    (so ingest does not ask once per open item)."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    for item_id, report_id, line, status in session.execute(
            select(CandidateRow.item_id, CandidateRow.report_id, CandidateRow.line, CandidateRow.status)
            .join(DeferredRow, DeferredRow.id == CandidateRow.item_id)
            .where(DeferredRow.project_id == project_id, CandidateRow.status != "pending")
            .order_by(CandidateRow.id)):
        out.setdefault(item_id, []).append((report_id, line, status))
    return out


def load_evidence(row: ReportRow, text: str | None) -> ReportEvidence | None:
    """This revision's evidence lines: scanned from the text (and cached on the row), else the cache.

    A new revision that already carries evidence had it scanned by the ingest's parse worker
    (`store_report(evidence=...)`): the single writer need not read the text again.
    """
    from tracker.evidence import ReportEvidence, scan_text

    if text is not None and row.evidence is not None \
            and (given := ReportEvidence.from_data(row.evidence)) is not None:
        return given
    if text is not None:
        evidence = scan_text(text, row.source_path)
        row.evidence = evidence.to_data()
        return evidence
    return ReportEvidence.from_data(row.evidence) if row.evidence else None


def apply_report(store: Store, session: Session, row: ReportRow, text: str | None,
                 new_items: list[DeferredRow] | None = None) -> None:
    """Close (or propose to close) items by this revision, and close its new items by stored reports.

    Only items sharing a key with the report's evidence are looked at (`match_index`), and the
    project's current reports come from the writer's cache: the same decisions as
    `apply_report_exhaustive`, without reading every item and report of the project each time.
    `new_items`: the items this revision opened, when the caller knows them (saves a query when
    nothing else can match).
    """
    from tracker.store.match_index import line_keys

    if not store.match_index:
        apply_report_exhaustive(store, session, row, text)
        return
    evidence = load_evidence(row, text)
    cache = store.lifecycle_cache.project(session, row.project_id)
    earlier = cache.other_revisions(session, row.source_path, row.id)
    task_id = row.task_ref if row.is_current else None
    lines = line_keys(evidence) if evidence is not None else None
    if evidence is not None:
        store.lifecycle_cache.remember_evidence(row.id, evidence)
    cache.add_report(ReportRef(row.id, row.source_path, task_id or None, row.completed), lines, earlier)
    refs = dict(cache.refs)  # `tracked` adds the non-current revisions it needs to its copy
    me = refs.get(row.id) or ReportRef(row.id, row.source_path, None, row.completed)
    wanted = cache.items.matching(lines) if lines is not None else set()
    rows = _items(session, row.project_id, wanted, row.id, earlier, new_items)
    reviews = cache.reviews(session)
    new_items = _judge(store, session, row, me, evidence, rows, earlier,
                       lambda item: tracked(session, item, cache.name, refs, reviews))
    if new_items:
        _close_by_indexed_reports(store, session, new_items, cache.name, refs, row, cache)


def _judge(store: Store, session: Session, row: ReportRow, me: ReportRef, evidence: ReportEvidence | None,
           rows: Sequence[DeferredRow | Row[Any]], earlier: Collection[int],
           view_of: Callable[[Any], TrackedItem]) -> list[DeferredRow]:
    """Close the items this revision's evidence settles and judge again those an earlier revision of
    the same file had closed; returns the items this revision opened, still open.

    `rows` may be plain rows of the items' columns (`_items`): only an item that changes is loaded
    as an ORM object (`_orm`)."""
    from tracker.lifecycle import apply_closure, closures_from_evidence

    prior = [i for i in rows if i.closed_by_report_id in earlier and i.state in ("closed", "candidate")]
    active = [i for i in rows if i.state in ("open", "candidate") and i not in prior]
    views = {i.short_id: view_of(i) for i in (*active, *prior)}
    for item in prior:  # judged again on what the revised report says now
        if views[item.short_id].closure is None or views[item.short_id].closure.confirmed_by is None:
            views[item.short_id] = replace(views[item.short_id], state="open", closure=None)
    closures: dict[str, Closure] = {}
    if evidence is not None:
        closures = {c.item_id: c for c in closures_from_evidence(me, evidence, list(views.values()))}
    for item in prior:
        if views[item.short_id].closure is None:  # else a person confirmed it: `_revise` leaves it
            _revise(store, session, _orm(session, item), views[item.short_id], closures.get(item.short_id),
                    row)
    for item in active:
        closure = closures.get(item.short_id)
        if closure is not None and (transition := apply_closure(views[item.short_id], closure)) is not None:
            write(store, session, _orm(session, item), transition, {me.source: row.id})
    return [orm for i in active if i.first_seen_report_id == row.id
            and (orm := _orm(session, i)).state == "open"]


def _orm(session: Session, item: DeferredRow | Row[Any]) -> DeferredRow:
    """The item as an ORM object (the session's own if it holds it: the items this transaction
    opened or changed)."""
    if isinstance(item, DeferredRow):
        return item
    found = session.get(DeferredRow, item.id)
    assert found is not None
    return found


MAX_IN = 500
"""Above this many wanted items, read the project's items and filter here (bounded IN lists)."""


def _items(session: Session, project_id: int, wanted: set[int], report_id: int,
           earlier: list[int], new_items: list[DeferredRow] | None = None) -> list[DeferredRow | Row[Any]]:
    """The project's open/candidate/closed items that are wanted, new in this report, or closed by
    an earlier revision of it; in the order the exhaustive query yields them (state, then id).

    Plain rows of the item columns (named like the ORM attributes), not ORM objects: most items
    looked at change nothing, and an ORM object costs several times a row to build. `new_items`:
    the items this report opened (all open), when the caller knows them; the wanted ones are then
    read by primary key instead of scanning the project's items for the new ones."""
    from sqlalchemy import or_

    states = DeferredRow.state.in_(("open", "candidate", "closed"))
    base = select(*_ITEM_COLUMNS).where(DeferredRow.project_id == project_id, states)
    if len(wanted) > MAX_IN:
        keep: list[DeferredRow | Row[Any]] = [
            i for i in session.execute(base) if i.id in wanted or i.first_seen_report_id == report_id
            or i.closed_by_report_id in earlier]
    elif new_items is not None:
        by_id, closed_by = _item_queries()
        session.flush()  # what the ORM's autoflush does before a query (these are Core statements)
        found: dict[int, DeferredRow | Row[Any]] = {}
        if earlier:
            found.update((i.id, i) for i in session.execute(closed_by, {"pid": project_id, "ids": earlier}))
        if wanted:
            ids = sorted(wanted)
            found.update((i.id, i) for i in session.execute(by_id, {"pid": project_id, "ids": ids}))
        found.update((i.id, i) for i in new_items)
        keep = list(found.values())
    else:
        extra = [DeferredRow.first_seen_report_id == report_id]
        if earlier:
            extra.append(DeferredRow.closed_by_report_id.in_(earlier))
        if wanted:
            extra.append(DeferredRow.id.in_(sorted(wanted)))
        keep = list(session.execute(base.where(or_(*extra))))
    return sorted(keep, key=lambda i: (i.state, i.id))


_VIEW_COLUMNS = ("id", "short_id", "fingerprint", "kind", "reason", "target", "text", "line", "lines",
                 "first_seen_report_id", "last_seen_report_id", "opened_at", "state", "closed_by_report_id",
                 "closed_line", "evidence", "closure_rule", "closure_score", "closure_lines", "close_note",
                 "waived_reason", "withdrawn_from")
"""The columns of an item that judging it reads (`tracked`, `_judge`); a changed item is loaded whole."""
_ITEM_COLUMNS = [getattr(DeferredRow, name) for name in _VIEW_COLUMNS]
"""Those columns as the ORM attributes (so the session flushes before reading them)."""


@lru_cache(maxsize=1)
def _item_queries() -> tuple[Any, Any]:
    """`_items`' two lookups (a project's open/candidate/closed items by id, and those closed by
    given reports) as Core statements built once: building a statement costs more than running it."""
    from sqlalchemy import bindparam

    table = DeferredRow.__table__
    base = select(*(table.c[name] for name in _VIEW_COLUMNS)).where(table.c.project_id == bindparam("pid"),
                                        table.c.state.in_(("open", "candidate", "closed")))
    return (base.where(table.c.id.in_(bindparam("ids", expanding=True))),
            base.where(table.c.closed_by_report_id.in_(bindparam("ids", expanding=True))))


def apply_report_exhaustive(store: Store, session: Session, row: ReportRow, text: str | None) -> None:
    """The reference path: every item and stored report of the project (tests compare with it)."""
    evidence = load_evidence(row, text)
    project = session.get(Project, row.project_id)
    assert project is not None
    refs = report_refs(session, project_id=row.project_id)
    me = refs.get(row.id) or ReportRef(row.id, row.source_path, None, row.completed)
    earlier = set(session.scalars(select(ReportRow.id).where(
        ReportRow.project_id == row.project_id, ReportRow.source_path == row.source_path,
        ReportRow.id != row.id)))
    rows = list(session.scalars(select(DeferredRow).where(
        DeferredRow.project_id == row.project_id, DeferredRow.state.in_(("open", "candidate", "closed")))))
    reviews = candidate_reviews(session, row.project_id)
    new_items = _judge(store, session, row, me, evidence, rows, earlier,
                       lambda item: tracked(session, item, project.name, refs, reviews))
    if new_items:
        _close_by_stored_reports(store, session, new_items, project.name, refs, row)


def _revise(store: Store, session: Session, item: DeferredRow, view: TrackedItem,
            closure: Closure | None, row: ReportRow) -> None:
    """An item closed (or proposed) by an earlier revision of the same file."""
    from tracker.lifecycle import apply_closure, revoke_closure

    if view.closure is not None:  # a person confirmed it: reports no longer move it
        return
    if closure is None:
        old = tracked(session, item, view.project, {})
        transition = revoke_closure(old, old.closure.source if old.closure else "")
        if transition is not None:
            write(store, session, item, transition, {})
        return
    if closure.state == item.state:  # same verdict: follow the evidence to the new revision, silently
        item.closed_by_report_id, item.closed_line, item.evidence = row.id, closure.line, closure.evidence
        item.closure_rule, item.closure_score, item.closure_lines = closure.rule, closure.score, \
            list(closure.lines)
        return
    write(store, session, item, apply_closure(view, closure), {closure.source: row.id})


def _close_by_stored_reports(store: Store, session: Session, items: list[DeferredRow], project: str,
                             refs: dict[int, ReportRef], row: ReportRow) -> None:
    """Out-of-order ingest: a report stored earlier may already close an item opened just now."""
    from tracker.evidence import ReportEvidence
    from tracker.lifecycle import apply_closure, best_closure, closures_for_item
    from tracker.taskids import compare_tasks, is_later

    views = [tracked(session, i, project, refs) for i in items]
    useful = [
        ref for ref in refs.values()
        if ref.id != row.id and ref.source != row.source_path and any(
            is_later(ref.task_id, ref.completed, v.task_id, v.opened_completed) is not False
            and not (ref.task_id and compare_tasks(ref.task_id, v.task_id) == 0) for v in views)
    ]
    if not useful:
        return
    stored: list[tuple[Any, ReportEvidence]] = []
    for rid, data in session.execute(select(ReportRow.id, ReportRow.evidence)
                                     .where(ReportRow.id.in_([r.id for r in useful]))):
        evidence = ReportEvidence.from_data(data) if data else None
        if evidence is not None:
            stored.append((refs[rid], evidence))
    by_source = {ref.source: ref.id for ref, _ in stored}
    for item, view in zip(items, views, strict=True):
        best = best_closure(closures_for_item(view, stored))
        if best is not None:
            write(store, session, item, apply_closure(view, best), by_source)


def _close_by_indexed_reports(store: Store, session: Session, items: list[DeferredRow], project: str,
                              refs: dict[int, ReportRef], row: ReportRow, cache: ProjectCache) -> None:
    """`_close_by_stored_reports`, reading only the stored reports with a line sharing keys with an
    item, and matching the item against those lines only (the others cannot match it)."""
    from tracker.evidence import ReportEvidence
    from tracker.lifecycle import apply_closure, best_closure, closures_for_item
    from tracker.store.match_index import item_keys

    is_later, compare_tasks = _task_order()
    views = [tracked(session, i, project, refs, cache.reviews(session)) for i in items]
    index = cache.reports(session)
    lines_by_item = [index.matching(item_keys(v.text, v.id, v.task_id)) for v in views]
    sharing = set().union(*lines_by_item)
    useful = [
        ref for rid in sorted(sharing) if (ref := refs.get(rid)) is not None
        and ref.id != row.id and ref.source != row.source_path and any(
            is_later(ref.task_id, ref.completed, v.task_id, v.opened_completed) is not False
            and not (ref.task_id and compare_tasks(ref.task_id, v.task_id) == 0) for v in views)
    ]
    if not useful:
        return
    known = store.lifecycle_cache.evidence
    stored = {r.id: known[r.id] for r in useful if r.id in known}
    missing = [r.id for r in useful if r.id not in known]
    for start in range(0, len(missing), MAX_IN):
        for rid, data in session.execute(select(ReportRow.id, ReportRow.evidence).where(
                ReportRow.id.in_(missing[start:start + MAX_IN]))):
            evidence = ReportEvidence.from_data(data) if data else None
            if evidence is not None:
                stored[rid] = evidence
                store.lifecycle_cache.remember_evidence(rid, evidence)
    by_source = {refs[rid].source: rid for rid in sorted(stored)}
    for item, view, lines in zip(items, views, lines_by_item, strict=True):
        mine = [(refs[rid], _only(stored[rid], lines[rid])) for rid in sorted(lines) if rid in stored]
        best = best_closure(closures_for_item(view, mine))
        if best is not None:
            write(store, session, item, apply_closure(view, best), by_source)


@lru_cache(maxsize=1)
def _task_order() -> tuple[Callable[..., bool | None], Callable[..., int | None]]:
    """`taskids.is_later` and `compare_tasks`, memoized (pure on strings): a new item is ordered
    against every stored report sharing a key with it, the same few task ids over and over."""
    from tracker.taskids import compare_tasks, is_later

    return lru_cache(maxsize=1 << 16)(is_later), lru_cache(maxsize=1 << 16)(compare_tasks)


def _only(evidence: ReportEvidence, positions: set[int]) -> ReportEvidence:
    """The report's evidence lines at these positions (the only ones that can match the item)."""
    from tracker.evidence import ReportEvidence

    return ReportEvidence(evidence.source, tuple(evidence.lines[n] for n in sorted(positions)))


def write(store: Store, session: Session, item: DeferredRow, transition: Transition | None,
          report_ids: dict[str, int]) -> None:
    """Persist a report-driven transition (closed/candidate/reopened) with its event."""
    from tracker.store.store import utcnow

    if transition is None:
        return
    new, event = transition
    closure = new.closure
    if closure is None:
        store.set_state_in(session, item, new.state, utcnow(), reason=event.reason, actor=event.actor,
                           action=event.action, line=event.line,
                           report_id=item.closed_by_report_id)
        return
    report_id = report_ids[closure.source]
    store.set_state_in(session, item, new.state, utcnow(), report_id=report_id, line=closure.line,
                       evidence=closure.evidence, reason=event.reason, actor=event.actor,
                       action=event.action, rule=closure.rule, score=closure.score,
                       lines=list(closure.lines))
    if closure.state == "candidate":
        # report-driven: the report or the item was stored in this transaction, so only a candidate
        # row of this transaction can exist for the pair
        _candidate(session, item, report_id, closure.line, closure.evidence, closure.score, "pending",
                   new_pair=True)


_CANDIDATES = "tracker_candidates"
"""`session.info` key: the candidate rows this transaction added, by (item id, report id, line)."""


def _candidate(session: Session, item: DeferredRow, report_id: int, line: int, evidence: str,
               score: float, status: str, *, new_pair: bool = False) -> None:
    """Add or update the candidate row of (item, report, line). `new_pair`: the item or the report
    was stored in this transaction, so the database holds no row for it (none is looked up)."""
    from tracker.store.store import utcnow

    added: dict[tuple[int, int, int], CandidateRow] = session.info.setdefault(_CANDIDATES, {})
    key = (item.id, report_id, line)
    existing = added.get(key)
    if existing is None and not new_pair:
        with session.no_autoflush:  # the item's pending update is flushed with the transaction
            existing = session.scalar(select(CandidateRow).where(
                CandidateRow.item_id == item.id, CandidateRow.report_id == report_id,
                CandidateRow.line == line))
    if existing is None:
        added[key] = CandidateRow(item_id=item.id, report_id=report_id, line=line, evidence=evidence,
                                  score=score, status=status, created_at=utcnow())
        session.add(added[key])
    else:
        existing.status = status  # flushed with the transaction (or by the next query's autoflush)


# --- manual commands ---------------------------------------------------------------------------

def transition(store: Store, item_ref: str, action: str, text: str | None, *, actor: str | None = None,
               project: str | None = None) -> ItemChange:
    """close / waive / reopen / confirm one item by (a prefix of) its short id."""
    from tracker import lifecycle
    from tracker.store.store import utcnow

    actor = actor or store.actor
    with store.writing() as session:
        item = store.find_item(session, item_ref, project=project)
        project_name = session.scalar(select(Project.name).where(Project.id == item.project_id)) or ""
        view = tracked(session, item, project_name, {})
        before = item.state
        if action == "close":
            new, event = lifecycle.close(view, text or "", actor=actor)
            store.set_state_in(session, item, "closed", utcnow(), reason=new.note, actor=actor,
                               action="close")
            item.closed_by_report_id = item.closed_line = item.evidence = None
            item.closure_rule = item.closure_score = item.closure_lines = None
        elif action == "waive":
            new, event = lifecycle.waive(view, text or "", actor=actor)
            store.set_state_in(session, item, "waived", utcnow(), reason=new.note, actor=actor,
                               action="waive")
        elif action == "confirm":
            new, event = lifecycle.confirm(view, text, actor=actor)
            store.set_state_in(session, item, "closed", utcnow(), report_id=item.closed_by_report_id,
                               line=item.closed_line, evidence=item.evidence, reason=text or item.evidence,
                               actor=actor, action="confirm", rule=item.closure_rule,
                               score=item.closure_score, lines=item.closure_lines)
            item.close_note = text
            if item.closed_by_report_id is not None:
                _candidate(session, item, item.closed_by_report_id, item.closed_line or 0,
                           item.evidence or "", item.closure_score or 0.0, "confirmed")
        elif action == "reopen":
            new, event = lifecycle.reopen(view, text, actor=actor)
            if item.closed_by_report_id is not None and item.state == "closed":
                # the person says this evidence does not close it: never propose it again
                _candidate(session, item, item.closed_by_report_id, item.closed_line or 0,
                           item.evidence or "", item.closure_score or 0.0, "rejected")
            store.set_state_in(session, item, "open", utcnow(), reason=text, actor=actor, action="reopen")
        else:
            from tracker.errors import UsageError

            raise UsageError(f"unknown action {action!r}")
        task_key = session.scalar(select(Task.task_key).where(Task.id == item.task_id)) or ""
        return ItemChange(item.short_id, task_key, action, before, item.state, actor, event.reason)


def item_events(store: Store, item_ref: str, *, project: str | None = None) -> list[EventRow]:
    """Every event of one item, oldest first (for tests and `show`)."""
    with store.session() as session:
        item = store.find_item(session, item_ref, project=project)
        return list(session.scalars(select(EventRow).where(EventRow.item_id == item.id)
                                    .order_by(EventRow.id)))
