"""The read side: plain dataclasses answering `status`, `show` and `deferred`, usable without the CLI.

Each function takes a `Store` and returns values with no database objects attached, so renderers
and library callers can keep them after the session closes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session, aliased

from tracker import __version__
from tracker.errors import NotFoundError, UsageError
from tracker.store import Store
from tracker.store.schema import (
    ITEM_STATES,
    ChecklistRow,
    DeferredRow,
    FileChangeRow,
    Project,
    ReportRow,
    Task,
)
from tracker.store.store import utcnow

_ITEMS, _REPORTS, _TASKS, _PROJECTS = (DeferredRow.__table__, ReportRow.__table__, Task.__table__,
                                       Project.__table__)
"""The tables as Core: the `deferred` listing and the cached `status` build their statements from
these, because any statement naming mapped attributes makes SQLAlchemy configure every mapper
first (~20 ms of a 0.5 s cold command)."""
_D, _R, _T, _P = _ITEMS.c, _REPORTS.c, _TASKS.c, _PROJECTS.c

if TYPE_CHECKING:
    from tracker.lifecycle import FlagIndex, MissedIndex
    from tracker.store.lifecycle_store import ReportRef

UNSETTLED = ("open", "candidate")
"""Item states that still owe a check: a candidate closure is not a close until someone confirms it."""


@dataclass
class ProjectStatus:
    project: str
    tasks: int
    tasks_by_status: dict[str, int]
    reports: int
    """Report files (their current revisions)."""
    revisions: int
    """Every stored revision, edits included."""
    open_deferred: int
    deferred_by_state: dict[str, int]
    unverified_passes: int
    """Tasks whose latest report passes while a validation deferral of theirs is still unsettled."""
    last_report_at: datetime | None
    missed: int = 0
    """Unsettled items whose target task has reported (latest revision) without closing them."""
    candidates: int = 0
    waived: int = 0


@dataclass
class DeferredView:
    id: str
    project: str
    task: str
    kind: str
    reason: str | None
    target: str | None
    state: str
    text: str
    path: str
    line: int
    lines: list[int]
    opened_at: datetime
    age_days: int
    closed_by: str | None = None
    evidence: str | None = None
    waived_reason: str | None = None
    close_note: str | None = None
    missed: bool = False
    """Its target task reported (latest revision) without closing it."""
    target_not_reported: bool = False
    tasks_since: int = 0
    """Distinct tasks that reported after it opened."""
    first_report_id: int = 0
    seen_report_id: int = 0

    @property
    def flags(self) -> list[str]:
        out = ["missed"] if self.missed else []
        return [*out, "target not reported"] if self.target_not_reported else out

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class FileView:
    path: str
    action: str
    note: str | None
    line: int


@dataclass
class RevisionView:
    revision: int
    report_id: int
    path: str
    sha256: str
    status: str
    ingested_at: datetime
    reported_at: datetime
    current: bool


@dataclass
class TaskView:
    project: str
    task: str
    title: str | None
    category: str | None
    path: str
    revision: int
    format: str
    status: str
    status_raw: str | None
    status_qualifier: str | None
    status_line: int | None
    validation: str | None
    validation_raw: str | None
    validation_qualifier: str | None
    validation_line: int | None
    completed: str | None
    started: str | None
    reported_at: datetime
    ingested_at: datetime
    checklist: dict[str, int]
    files: list[FileView]
    deferred: list[DeferredView]
    revisions: list[RevisionView] = field(default_factory=list)


def _project_filter(session: Session, project: str | None) -> int | None:
    if project is None:
        return None
    pid = session.scalar(select(_P.id).where(_P.name == project))
    if pid is None:
        raise NotFoundError(f"no project named {project!r}")
    return pid


def has_plans(store: Store, project: str | None = None) -> bool:
    """Is any plan imported (for `project`)? `plan_query.plan_status` returns {} otherwise."""
    from tracker.store.schema import PlanRow

    plans, projects = PlanRow.__table__.c, Project.__table__.c  # Core: no mapper configuration
    with store.session() as session:
        return session.scalar(
            select(plans.id).join(Project.__table__, projects.id == plans.project_id)
            .where(true() if project is None else projects.name == project).limit(1)) is not None


STATUS_CACHE = "status"
STATUS_CACHE_VERSION = f"1/{__version__}"
"""Bump the leading number whenever `_compute_status` would answer differently."""


def project_status(store: Store, project: str | None = None) -> list[ProjectStatus]:
    """One summary per project (or just `project`), in name order.

    Read from the cache the last write command left (`refresh_status_cache`) while no event has
    been written since; computed from the tables otherwise (same answer, ~1 s at 100k reports).
    """
    from tracker.store import read_cache

    with store.session() as session:
        payload = read_cache.load(session, STATUS_CACHE, STATUS_CACHE_VERSION)
        if payload is not None:
            rows = _statuses_from_json(payload)
            if project is None:
                return rows
            wanted = [r for r in rows if r.project == project]
            if wanted:
                return wanted
        return _compute_status(session, _project_filter(session, project))


def refresh_status_cache(store: Store) -> bool:
    """Compute every project's status and keep it for `project_status`, unless what is kept is
    still fresh. Write commands call it once after their batch. True when it computed."""
    from tracker.store import read_cache

    with store.session() as session:
        if read_cache.is_fresh(session, STATUS_CACHE, STATUS_CACHE_VERSION):
            return False
    with store.writing() as session:  # mark and answer from one transaction: no write between
        mark = read_cache.newest_mark(session)
        payload = _statuses_to_json(_compute_status(session, None))
        read_cache.save(session, STATUS_CACHE, STATUS_CACHE_VERSION, mark, payload)
    return True


def _statuses_to_json(rows: list[ProjectStatus]) -> str:
    import json
    from dataclasses import asdict

    return json.dumps([asdict(r) | {"last_report_at": r.last_report_at and r.last_report_at.isoformat()}
                       for r in rows])


def _statuses_from_json(payload: str) -> list[ProjectStatus]:
    import json

    rows = [ProjectStatus(**data) for data in json.loads(payload)]
    for row in rows:
        if row.last_report_at is not None:
            row.last_report_at = datetime.fromisoformat(row.last_report_at)  # type: ignore[arg-type]
    return rows


def _compute_status(session: Session, pid: int | None) -> list[ProjectStatus]:
    """`project_status` from the tables: about ten indexed aggregates over every report and item."""
    projects = session.execute(
        select(Project.id, Project.name).where(true() if pid is None else Project.id == pid)
        .order_by(Project.name)
    ).all()
    by_status: dict[int, Counter[str]] = {p: Counter() for p, _ in projects}
    for p, status, n in session.execute(latest_status_select()):
        if p in by_status:
            by_status[p][status] += n
    for p, n in session.execute(select(Task.project_id, func.count())
                                .where(Task.latest_report_id.is_(None)).group_by(Task.project_id)):
        if p in by_status:
            by_status[p]["unknown"] += n
    reports: dict[int, int] = {}
    revisions: dict[int, int] = {}
    for p, current, n in session.execute(
        select(ReportRow.project_id, ReportRow.is_current, func.count())
        .group_by(ReportRow.project_id, ReportRow.is_current)
    ):
        revisions[p] = revisions.get(p, 0) + n
        if current:
            reports[p] = n
    last = {p: at for p, at in session.execute(last_report_select()) if at is not None}
    items_by_state: dict[int, dict[str, int]] = {p: {} for p, _ in projects}
    for p, state, n in session.execute(
        select(DeferredRow.project_id, DeferredRow.state, func.count())
        .group_by(DeferredRow.project_id, DeferredRow.state)
    ):
        if p in items_by_state:
            items_by_state[p][state] = n
    unverified = dict(session.execute(unverified_select()).all())
    missed = _missed_counts(session, pid)
    return [
        ProjectStatus(
            project=name, tasks=sum(by_status[p].values()),
            tasks_by_status=dict(sorted(by_status[p].items())), reports=reports.get(p, 0),
            revisions=revisions.get(p, 0),
            open_deferred=items_by_state[p].get("open", 0),
            deferred_by_state=dict(sorted(items_by_state[p].items())),
            unverified_passes=unverified.get(p, 0), last_report_at=last.get(p),
            missed=missed.get(name, 0), candidates=items_by_state[p].get("candidate", 0),
            waived=items_by_state[p].get("waived", 0),
        )
        for p, name in projects
    ]


def last_report_select() -> Select:
    """(project, time of its newest report): one seek per project to the end of its range in
    `ix_reports_project_id_reported_at` instead of a GROUP BY over every report (public for
    query-plan tests). Projects without reports get None."""
    newest = (select(func.max(ReportRow.reported_at)).where(ReportRow.project_id == Project.id)
              .scalar_subquery())
    return select(Project.id, newest)


def latest_status_select() -> Select:
    """(project, status, count) of the reports that are some task's latest, read from the
    (project_id, status) index; `id + 0` keeps SQLite from fetching each report row by id
    (public for query-plan tests)."""
    return (select(ReportRow.project_id, ReportRow.status, func.count())
            .where((ReportRow.id + 0).in_(select(Task.latest_report_id)))
            .group_by(ReportRow.project_id, ReportRow.status))


def unverified_select() -> Select:
    """Per project: tasks whose latest report passes while a validation item is unsettled."""
    passing = select(ReportRow.id + 0).where(ReportRow.status == "pass")
    return (select(Task.project_id, func.count(func.distinct(Task.id)))
            .select_from(DeferredRow).join(Task, Task.id == DeferredRow.task_id)
            .where(DeferredRow.state.in_(UNSETTLED), DeferredRow.kind == "validation",
                   Task.latest_report_id.in_(passing))
            .group_by(Task.project_id))


def deferred_items(store: Store, *, project: str | None = None, task: str | None = None,
                   kind: str | None = None, target: str | None = None, state: str | None = "open",
                   missed: bool = False, older_than: timedelta | None = None, candidates: bool = False,
                   now: datetime | None = None) -> list[DeferredView]:
    """Deferred items, open ones by default (`state=None` or "all" for every state, "active" for open
    and candidate), oldest first, with their flags. `missed` keeps missed ones, `older_than` those
    opened longer ago, `candidates` those with a closure waiting for a person to confirm."""
    return deferred_page(store, project=project, task=task, kind=kind, target=target, state=state,
                         missed=missed, older_than=older_than, candidates=candidates, now=now).items


@dataclass
class DeferredPage:
    items: list[DeferredView]
    """The first `limit` matching items (all of them without a limit), oldest first."""
    total: int
    """How many items match in all."""


def deferred_page(store: Store, *, project: str | None = None, task: str | None = None,
                  kind: str | None = None, target: str | None = None, state: str | None = "open",
                  missed: bool = False, older_than: timedelta | None = None, candidates: bool = False,
                  now: datetime | None = None, limit: int | None = None,
                  tasks_since: bool = True) -> DeferredPage:
    """`deferred_items`, only the first `limit` of them, and how many match in all.

    Without `missed` the limit goes into SQL and only the listed items get flags; `missed` needs
    every item's flags first. `tasks_since=False` (the table, which doesn't show it) leaves
    `tasks_since` at 0 and takes `missed` / `target not reported` from indexed lookups
    (`lifecycle.MissedIndex`) instead of reading every current report of the items' projects.
    """
    if state == "all":
        state = None
    if state is not None and state not in (*ITEM_STATES, "active"):
        raise UsageError(f"unknown state {state!r}: use one of {', '.join(ITEM_STATES)}, active or all")
    if candidates:
        state = "candidate"
    elif missed and state == "open":
        state = "active"
    now = now or utcnow()
    with store.session() as session:
        pid = _project_filter(session, project)
        query = deferred_select(project_id=pid, task=task, kind=kind, target=target, state=state)
        count = deferred_count_select(project_id=pid, task=task, kind=kind, target=target, state=state)
        if older_than is not None:
            query = query.where(_D.opened_at < now - older_than)
            count = count.where(_D.opened_at < now - older_than)
        if limit is None or missed:
            views = _flagged(session, [_item_view(row, now) for row in session.execute(query)], tasks_since)
            views = [v for v in views if v.missed] if missed else views
            return DeferredPage(views if limit is None else views[:limit], len(views))
        views = _flagged(session, [_item_view(row, now) for row in session.execute(query.limit(limit))],
                         tasks_since)
        total = len(views)
        if total == limit:
            total = session.scalar(count) or 0
        return DeferredPage(views, total)


def _flagged(session: Session, views: list[DeferredView], tasks_since: bool = True) -> list[DeferredView]:
    """Fill `missed`, `target_not_reported` and `tasks_since` from the project's current reports.

    One query reads the current reports of the projects involved (oldest first, as
    `item_flags` expects); a `FlagIndex` per project then answers each item without
    rescanning them, so the cost is reports + items, not reports x items.
    """
    from tracker.lifecycle import TrackedItem

    if not views:
        return views
    pids = dict(session.execute(select(_P.name, _P.id)).all())
    wanted = sorted({pids[v.project] for v in views})
    firsts = _first_reports(session, sorted({v.first_report_id for v in views}))
    if not tasks_since:
        return _target_flags(session, views, pids, firsts)
    indexes = _flag_indexes(session, wanted)
    now = utcnow()
    for view in views:
        first = firsts.get(view.first_report_id)
        item = TrackedItem(
            id=view.id, project=view.project, task_id=first.task_id if first else view.task,
            fingerprint="", text=view.text, kind=view.kind, reason=view.reason,  # type: ignore[arg-type]
            target=view.target, source=first.source if first else view.path, line=view.line,
            opened_completed=first.completed if first else None, opened_at=view.opened_at,
            state=view.state,  # type: ignore[arg-type]
        )
        flags = indexes[pids[view.project]].flags(item, now=now)
        view.missed, view.target_not_reported = flags.missed, flags.target_not_reported
        view.tasks_since = flags.tasks_since
    return views


def _target_flags(session: Session, views: list[DeferredView], pids: dict[str, int],
                  firsts: dict[int, ReportRef]) -> list[DeferredView]:
    """`missed` and `target_not_reported` only (what the table shows), as `item_flags` gives them."""
    from tracker.lifecycle import ACTIVE_STATES, target_bounds

    keyed = [v for v in views if v.state in ACTIVE_STATES and target_bounds(v.target)]
    indexes = _missed_indexes(session, {(pids[v.project], v.target) for v in keyed})  # type: ignore[misc]
    for view in keyed:
        first = firsts.get(view.first_report_id)
        own = first.task_id if first else view.task
        index = indexes[pids[view.project]]
        view.missed = index.missed(own, view.target)
        view.target_not_reported = index.reported(own, view.target) is False
    return views


def _first_reports(session: Session, ids: list[int]) -> dict[int, ReportRef]:
    """The reports that opened the items (any revision), from plain columns."""
    from tracker.store.lifecycle_store import ReportRef

    query = select(_R.id, _R.source_path, _R.task_ref, _R.completed)
    out: dict[int, ReportRef] = {}
    for start in range(0, len(ids), _MANY):  # IN lists of bounded size, whatever the backend
        for rid, src, tid, done in session.execute(query.where(_R.id.in_(ids[start:start + _MANY]))):
            out[rid] = ReportRef(rid, src, tid or None, done)
    return out


_MANY = 500


def _flag_indexes(session: Session, project_ids: list[int]) -> dict[int, FlagIndex]:
    """A `FlagIndex` per project over its current reports, oldest first, read in one query."""
    from tracker.lifecycle import FlagIndex
    from tracker.store.lifecycle_store import ReportRef

    reports: dict[int, list[ReportRef]] = {pid: [] for pid in project_ids}
    for pid, rid, src, tid, done in session.execute(current_reports_select(project_ids)):
        reports[pid].append(ReportRef(rid, src, tid or None, done))
    return {pid: FlagIndex(refs) for pid, refs in reports.items()}  # type: ignore[arg-type]


def current_reports_select(project_ids: list[int]) -> Select:
    """Current reports of the projects in report order, what the flags are computed over, all
    read from the `ix_reports_flag_inputs` index (public for query-plan tests)."""
    return (select(_R.project_id, _R.id, _R.source_path, _R.task_ref, _R.completed)
            .where(_R.project_id.in_(project_ids), _R.is_current.is_(True))
            .order_by(_R.project_id, _R.reported_at, _R.id))


def _missed_counts(session: Session, project_id: int | None) -> Counter[str]:
    """Missed items per project name from indexed lookups only (`lifecycle.MissedIndex`).

    Only unsettled items aimed at a task id can be missed: they and their distinct targets come
    from the covering `ix_deferred_items_owed_targets` index; for each (project, target) the
    current reports in the target's `task_order` ranges, and per project the furthest task, come
    from `ix_reports_task_order`. Only each such item's opening report row is read (its task id),
    never `parsed` JSON, never every report.
    """
    from tracker.lifecycle import target_bounds

    scope = true() if project_id is None else DeferredRow.project_id == project_id
    targets = [t for t in session.scalars(targets_select(project_id)) if target_bounds(t)]
    if not targets:
        return Counter()
    first = aliased(ReportRow)
    conn = session.connection()  # Core rows: no ORM loading per row (tens of thousands of them)
    items = conn.execute(
        select(DeferredRow.project_id, DeferredRow.target, first.task_ref, first.id, DeferredRow.task_id)
        .outerjoin(first, first.id == DeferredRow.first_seen_report_id)
        .where(DeferredRow.state.in_(UNSETTLED), DeferredRow.target.in_(targets), scope)
    ).all()
    # The item's own task: its opening report's id as written; the task key if that report is gone.
    orphans = sorted({task for *_, first_id, task in items if first_id is None})
    keys = dict(session.execute(select(Task.id, Task.task_key).where(Task.id.in_(orphans))).all()
                ) if orphans else {}
    indexes = _missed_indexes(session, {(pid, target) for pid, target, *_ in items})
    names = dict(session.execute(select(Project.id, Project.name)).all())
    return Counter(
        names[pid] for pid, target, ref, first_id, task in items
        if indexes[pid].missed(ref if first_id is not None else keys[task], target)
    )


def _missed_indexes(session: Session, wanted: set[tuple[int, str]]) -> dict[int, MissedIndex]:
    """A `MissedIndex` per project for these (project, target) pairs, from indexed lookups."""
    from tracker.lifecycle import MissedIndex, target_bounds

    pairs = sorted(wanted)
    candidates: dict[int, dict[str, list[str]]] = {}
    for start in range(0, len(pairs), _PAIRS_PER_QUERY):
        for pid, target, ref in covered_rows(session, pairs[start:start + _PAIRS_PER_QUERY]):
            candidates.setdefault(pid, {}).setdefault(target, []).append(ref)
    pids = sorted({pid for pid, _ in pairs})
    conn = session.connection()
    furthest = {pid: top for pid, top in conn.execute(furthest_select(pids)) if top is not None
                } if pids else {}
    ranged = sorted({pid for pid, target in pairs if len(target_bounds(target)) > 1})  # "11-14"
    all_ids: dict[int, list[str]] = {pid: [] for pid in ranged}
    if ranged:
        for pid, ref in conn.execute(
                select(_R.project_id, _R.task_ref).where(
                    _R.project_id.in_(ranged), _R.is_current.is_(True), _R.task_order.is_not(None))):
            all_ids[pid].append(ref)
    return {pid: MissedIndex(candidates.get(pid, {}), furthest.get(pid), all_ids.get(pid)) for pid in pids}


_PAIRS_PER_QUERY = 2000
"""(project, target) pairs per VALUES list: 4 parameters each stays under SQLite's 32,766."""


def targets_select(project_id: int | None = None) -> Select:
    """Distinct targets of unsettled items (public for query-plan tests)."""
    query = select(DeferredRow.target).distinct().where(
        DeferredRow.state.in_(UNSETTLED), DeferredRow.target.is_not(None))
    if project_id is not None:
        query = query.where(DeferredRow.project_id == project_id)
    return query


def covered_rows(session: Session, pairs: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(project, target, task id) of current reports within each target's `target_bounds`.

    The bounds go in as one VALUES list written as driver SQL: SQLAlchemy's bind processing of
    thousands of literal rows costs more than the query itself.
    """
    from tracker.lifecycle import target_bounds

    rows = [(pid, target, low, high) for pid, target in pairs for low, high in target_bounds(target)]
    if not rows:
        return []
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    values = ", ".join([f"({mark}, {mark}, {mark}, {mark})"] * len(rows))
    sql = covered_sql(conn.dialect.name, values)
    return conn.exec_driver_sql(sql, tuple(v for row in rows for v in row)).fetchall()  # type: ignore[return-value]


def covered_sql(dialect: str, values: str) -> str:
    """The statement of `covered_rows` around its VALUES rows (public for query-plan tests)."""
    true_ = "1" if dialect == "sqlite" else "true"
    return (f"WITH bounds(pid, target, low, high) AS (VALUES {values}) "
            "SELECT bounds.pid, bounds.target, reports.task_ref FROM bounds JOIN reports "
            f"ON reports.project_id = bounds.pid AND reports.is_current = {true_} "
            "AND reports.task_order >= bounds.low AND reports.task_order < bounds.high")


def furthest_select(project_ids: list[int]) -> Select:
    """The largest `task_order` among each project's current reports (None without one): a seek
    per project to the end of its current range in `ix_reports_task_order`, not a GROUP BY over
    all of them."""
    top = (select(func.max(_R.task_order))
           .where(_R.project_id == _P.id, _R.is_current.is_(True)).scalar_subquery())
    return select(_P.id, top).where(_P.id.in_(project_ids))


def deferred_select(*, project_id: int | None = None, task: str | None = None, kind: str | None = None,
                    target: str | None = None, state: str | None = None) -> Select:
    """The statement behind `tracker deferred` (public so query-plan tests can EXPLAIN it)."""
    query = _items_query().where(*_item_filters(project_id, task, kind, target, state))
    return query.order_by(_D.opened_at, _P.name, _T.task_key, _D.line)


def deferred_count_select(*, project_id: int | None = None, task: str | None = None,
                          kind: str | None = None, target: str | None = None,
                          state: str | None = None) -> Select:
    """How many items `deferred_select` lists, counted on the items' indexes alone: its joins
    (task, project, last report) follow NOT NULL foreign keys, so they drop no item."""
    query = select(func.count()).select_from(_ITEMS)
    if task is not None:
        query = query.join(_TASKS, _T.id == _D.task_id)
    return query.where(*_item_filters(project_id, task, kind, target, state))


def _item_filters(project_id: int | None, task: str | None, kind: str | None, target: str | None,
                  state: str | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if project_id is not None:
        where.append(_D.project_id == project_id)
    if task is not None:
        where.append(_T.task_key == task)
    if kind is not None:
        where.append(_D.kind == kind)
    if target is not None:
        where.append(_D.target == target)
    if state == "active":
        where.append(_D.state.in_(UNSETTLED))
    elif state is not None:
        where.append(_D.state == state)
    return where


_ITEM_COLUMNS = (
    _D.short_id, _D.kind, _D.reason, _D.target, _D.state, _D.text, _D.line, _D.lines, _D.opened_at,
    _D.closed_line, _D.evidence, _D.waived_reason, _D.close_note, _D.first_seen_report_id,
    _D.last_seen_report_id,
)


def _items_query() -> Select:
    """Plain columns, not ORM objects: a listing of 20,000 items must not build 20,000 entities."""
    closer = _REPORTS.alias()
    seen = _REPORTS.alias()
    return (
        select(*_ITEM_COLUMNS, _T.task_key, _P.name, seen.c.source_path, closer.c.source_path)
        .select_from(_ITEMS)
        .join(_TASKS, _T.id == _D.task_id)
        .join(_PROJECTS, _P.id == _D.project_id)
        .join(seen, seen.c.id == _D.last_seen_report_id)
        .outerjoin(closer, closer.c.id == _D.closed_by_report_id)
    )


def _item_view(row: tuple, now: datetime) -> DeferredView:
    (short_id, kind, reason, target, state, text, line, lines, opened_at, closed_line, evidence,
     waived_reason, close_note, first_id, seen_id, task_key, project, path, closer_path) = row
    closed_by = f"{closer_path}:{closed_line}" if closer_path and closed_line else closer_path
    return DeferredView(
        id=short_id, project=project, task=task_key, kind=kind, reason=reason,
        target=target, state=state, text=text, path=path, line=line,
        lines=list(lines), opened_at=opened_at,
        age_days=max(0, (now - opened_at).days), closed_by=closed_by, evidence=evidence,
        waived_reason=waived_reason, close_note=close_note,
        first_report_id=first_id, seen_report_id=seen_id,
    )


def task_view(store: Store, task: str, *, project: str | None = None, revisions: bool = False,
              now: datetime | None = None) -> TaskView:
    """The latest report of `task` with its rows and the task's deferred items in every state."""
    with store.session() as session:
        pid = _project_filter(session, project)
        query = select(Task, Project.name).join(Project, Project.id == Task.project_id).where(
            Task.task_key == task)
        if pid is not None:
            query = query.where(Task.project_id == pid)
        found = session.execute(query.limit(10)).all()
        if not found:
            raise NotFoundError(f"no task {task!r}" + (f" in project {project!r}" if project else ""))
        if len(found) > 1:
            names = ", ".join(sorted(name for _, name in found))
            raise UsageError(f"task {task!r} exists in several projects ({names}): give --project")
        row, project_name = found[0]
        report = session.get(ReportRow, row.latest_report_id) if row.latest_report_id else None
        if report is None:
            raise NotFoundError(f"task {task!r} has no current report")
        counts = Counter(session.scalars(
            select(ChecklistRow.state).where(ChecklistRow.report_id == report.id)))
        files = [FileView(f.path, f.action, f.note, f.line) for f in session.scalars(
            select(FileChangeRow).where(FileChangeRow.report_id == report.id)
            .order_by(FileChangeRow.position))]
        items = _flagged(session, [_item_view(r, now or utcnow()) for r in session.execute(
            _items_query().where(DeferredRow.task_id == row.id).order_by(DeferredRow.line))])
        history = []
        if revisions:
            history = [
                RevisionView(r.revision, r.id, r.source_path, r.sha256, r.status, r.ingested_at,
                             r.reported_at, r.is_current)
                for r in session.scalars(select(ReportRow).where(ReportRow.task_id == row.id)
                                         .order_by(ReportRow.source_path, ReportRow.revision))
            ]
        return TaskView(
            project=project_name, task=row.task_key, title=row.title or report.task_title,
            category=row.category or report.task_category, path=report.source_path,
            revision=report.revision, format=report.format, status=report.status,
            status_raw=report.status_raw, status_qualifier=report.status_qualifier,
            status_line=report.status_line, validation=report.validation,
            validation_raw=report.validation_raw, validation_qualifier=report.validation_qualifier,
            validation_line=report.validation_line, completed=report.completed,
            started=report.started, reported_at=report.reported_at, ingested_at=report.ingested_at,
            checklist=dict(sorted(counts.items())), files=files, deferred=items, revisions=history,
        )


def unverified_tasks(store: Store, *, project: str | None = None) -> list[tuple[str, str, str, int]]:
    """(project, task, report path, unsettled validation items) of tasks whose latest report passes."""
    latest = aliased(ReportRow)
    with store.session() as session:
        pid = _project_filter(session, project)
        query = (
            select(Project.name, Task.task_key, latest.source_path, func.count(DeferredRow.id))
            .join(Task, Task.project_id == Project.id)
            .join(latest, latest.id == Task.latest_report_id)
            .join(DeferredRow, DeferredRow.task_id == Task.id)
            .where(latest.status == "pass", DeferredRow.state.in_(UNSETTLED),
                   DeferredRow.kind == "validation")
            .group_by(Project.name, Task.task_key, latest.source_path)
            .order_by(Project.name, Task.task_key)
        )
        if pid is not None:
            query = query.where(Project.id == pid)
        return [tuple(r) for r in session.execute(query)]  # type: ignore[misc]


@dataclass
class Brief:
    """What the agent starting `task` owes: ready to paste into its prompt (`render.brief_output`)."""

    task: str
    project: str | None
    owed: list[DeferredView]
    """Unsettled items aimed at the task (or a group containing it)."""
    missed: list[DeferredView]
    """Missed items of the task's phase."""
    candidates: list[DeferredView]
    """Items of the task's phase whose closure waits for a person."""
    convention: str


def task_brief(store: Store, task: str, *, project: str | None = None) -> Brief:
    from tracker.lifecycle import TrackedItem, closing_convention
    from tracker.taskids import target_covers, task_key

    key = task_key(task)
    if key is None:
        raise UsageError(f"not a task id: {task!r}")
    phase = _phase_of(task)
    items = deferred_items(store, project=project, state="active")

    def in_phase(view: DeferredView) -> bool:
        return phase is not None and (target_covers(phase, view.task) or target_covers(phase, view.target))

    owed = [v for v in items if v.target and target_covers(v.target, task)]
    taken = {v.id for v in owed}
    missed = [v for v in items if v.missed and v.id not in taken and in_phase(v)]
    taken |= {v.id for v in missed}
    candidates = [v for v in items if v.state == "candidate" and v.id not in taken
                  and (in_phase(v) or target_covers(v.target, task))]
    tracked = [TrackedItem(id=v.id, project=v.project, task_id=v.task, fingerprint="", text=v.text,
                           kind=v.kind, reason=v.reason, target=v.target,  # type: ignore[arg-type]
                           source=v.path, line=v.line) for v in (*owed, *missed, *candidates)]
    return Brief(task, project, owed, missed, candidates, closing_convention(tracked))


def _phase_of(task: str) -> str | None:
    """"2.4" -> "2", "03-02" -> "03", "I4.3" -> "I4": the group a task belongs to."""
    import re

    match = re.fullmatch(r"(.*?\d+)[.\-_]\d+", task.strip())
    return match.group(1) if match else None
