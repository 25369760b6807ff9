"""The weekly summary as of the end of its window, computed from the events history.

Every number is what was true at the window's end, so a summary run again next month says the same
thing: an item's state at an instant is the `to_state` of its last event before that instant, and
tasks count by the reports whose work falls in the window.

When an event happened: an event written while storing a report (opened, closed by evidence,
withdrawn) happened at that report's time, the moment the work was done, not when tracker ingested
the file; an event a person caused (close, waive, reopen by hand) happened at `events.at`. Report
times compare by the rules of `tracker.export.window` (date-only on its day, zone-less as local).
Report edits (new revisions) are corrections: the current revision of each file is what counts.

Everything is a handful of set-based queries; Python only arranges rows already limited to the
window (or to items unsettled at its end).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from tracker.errors import NotFoundError
from tracker.export.window import Boundary, Window, local_day
from tracker.store import Store
from tracker.store.schema import DeferredRow, EventRow, Project, ReportRow, Task
from tracker.store.store import utcnow

SCHEMA = "tracker.weekly/1"
UNSETTLED = ("open", "candidate")
STATUSES = ("pass", "fail", "blocked", "partial", "in_progress", "unknown")
TREND_WEEKS = 8
NO_GROUP = "(none)"


@dataclass
class Counts:
    completed: int = 0
    failed: int = 0
    blocked: int = 0
    partial: int = 0
    in_progress: int = 0
    unknown: int = 0
    unverified_passes: int = 0
    items_opened: int = 0
    items_closed: int = 0
    items_waived: int = 0
    items_open_at_end: int = 0
    missed_targets: int = 0
    failed_reports: int = 0
    """Files ingest refused in the window (only counted for a whole project, not per phase)."""


@dataclass
class GroupSummary:
    name: str
    counts: Counts
    done_per_day: dict[str, int]
    """Local day (ISO) -> tasks completed (status pass) that day."""


@dataclass
class DayStatuses:
    day: str
    statuses: dict[str, int]
    """Status -> tasks whose latest report in the window falls on this day."""


@dataclass
class OpenItem:
    id: str
    project: str
    task: str
    group: str
    kind: str
    reason: str | None
    target: str | None
    state: str
    text: str
    where: str
    opened_at: datetime
    age_days: int
    missed: bool


@dataclass
class SettledItem:
    id: str
    project: str
    task: str
    text: str
    item_where: str
    state: str
    """closed or waived."""
    action: str
    at: str
    actor: str
    evidence: str | None
    evidence_where: str | None


@dataclass
class UnverifiedPass:
    project: str
    task: str
    title: str | None
    where: str
    completed: str
    items: list[str]


@dataclass
class TrendPoint:
    week: str
    end: str
    """The exclusive end day of the week."""
    open_items: int


@dataclass
class TaskWeekEvent:
    """One thing that happened to a task or item in the window: a CSV row."""

    what: str
    project: str
    task: str
    item: str | None
    when: str
    status: str | None
    where: str | None
    detail: str | None


@dataclass
class MissingTask:
    project: str
    task: str
    title: str | None
    phase: str | None


@dataclass
class WeeklySummary:
    schema: str
    window: dict[str, str | None]
    projects: list[str]
    generated_at: datetime
    headline: Counts
    by_project: list[GroupSummary]
    by_group: list[GroupSummary]
    days: list[DayStatuses]
    open_items: list[OpenItem]
    closed_items: list[SettledItem]
    waived_items: list[SettledItem]
    unverified_passes: list[UnverifiedPass]
    missing_from_plan: list[MissingTask] | None
    trend: list[TrendPoint]
    events: list[TaskWeekEvent]
    notes: list[str] = field(default_factory=list)
    failed_reports: int | None = None
    """Files ingest refused (binary, not UTF-8, broken front matter) during the window."""
    project_roots: dict[str, str | None] = field(default_factory=dict)
    """Project name -> its folder: the Markdown and HTML show paths relative to it."""


# ---- time comparisons in SQL --------------------------------------------------------------------


def _zoned(text: Any) -> ColumnElement[bool]:
    return or_(text.like("%Z"), text.like("%+__:__"), text.like("%-__:__"))


def before(boundary: Boundary, report: Any, fallback_at: Any | None = None) -> ColumnElement[bool]:
    """SQL: the report's (else the event's) time is before `boundary`, by the window's rules."""
    completed, reported = report.completed, report.reported_at
    date_only = func.length(completed) == 10
    rules = or_(
        and_(date_only, completed < boundary.day.isoformat()),
        and_(completed.is_not(None), not_(date_only), not_(_zoned(completed)), reported < boundary.local),
        and_(or_(completed.is_(None), _zoned(completed)), reported < boundary.utc),
    )
    if fallback_at is None:
        return rules
    return or_(and_(report.id.is_(None), fallback_at < boundary.utc), and_(report.id.is_not(None), rules))


def first_boundary_after(boundaries: Sequence[Boundary], report: Any, fallback_at: Any) -> ColumnElement[int]:
    """SQL: the index of the first of the ordered `boundaries` the report (else the event at
    `fallback_at`) is `before`, len(boundaries) when none.

    The same as testing `before` at each boundary in turn, but the kind of time the report wrote
    (none, a date, a wall-clock time, a zoned time) is decided once, then each boundary costs one
    comparison: `before` repeats three LIKEs per boundary, ~0.5 s of `weekly` on 100k reports.
    """
    def first(is_before: Callable[[Boundary], ColumnElement[bool]]) -> ColumnElement[int]:
        return case(*[(is_before(b), i) for i, b in enumerate(boundaries)], else_=len(boundaries))

    completed, reported = report.completed, report.reported_at
    date_only = func.length(completed) == 10
    zoned = _zoned(completed)
    return case(
        (report.id.is_(None), first(lambda b: fallback_at < b.utc)),
        (completed.is_(None), first(lambda b: reported < b.utc)),
        (and_(date_only, not_(zoned)), first(lambda b: completed < b.day.isoformat())),
        (date_only, first(lambda b: or_(completed < b.day.isoformat(), reported < b.utc))),
        (not_(zoned), first(lambda b: reported < b.local)),
        else_=first(lambda b: reported < b.utc),
    )


SLACK = timedelta(days=2)
"""More than any gap between a report's stored UTC time and its local day (offsets are under 15 h):
a cheap indexed range first, then the exact rules."""


def within(window: Window, report: Any, fallback_at: Any | None = None) -> ColumnElement[bool]:
    start, end = window.start_boundary, window.end_boundary
    exact = and_(before(end, report, fallback_at), not_(before(start, report, fallback_at)))
    near = report.reported_at.between(start.utc - SLACK, end.utc + SLACK)
    if fallback_at is None:
        return and_(near, exact)
    return and_(or_(near, and_(report.id.is_(None), fallback_at.between(start.utc, end.utc))), exact)


# ---- the computation ----------------------------------------------------------------------------


def weekly_summary(store: Store, window: Window, projects: list[str] | None = None,
                   *, trend_weeks: int = TREND_WEEKS) -> WeeklySummary:
    with store.session() as session:
        names = _projects(session, projects)
        pids = list(names)
        end = window.end_boundary
        reports = _window_reports(session, window, pids)
        latest = _latest_per_task(reports)
        events = _window_events(session, window, pids, names)
        trend_ends = window.trend_ends(trend_weeks)
        boundaries = [window.boundary(d) for d in trend_ends]
        history = _materialise(session, _state_history(session, boundaries, pids))
        states = _states_at_last(history, len(trend_ends))
        open_items = _open_items(session, end, pids, states)
        unverified = _unverified(session, latest, states, pids)
        settled = [e for e in events if e.what in ("closed", "waived")]
        summary = WeeklySummary(
            schema=SCHEMA,
            window={"label": window.label, "iso_week": window.iso_week, "first_day": window.first.isoformat(),
                    "last_day": window.last.isoformat(), "end_exclusive": window.end.isoformat(),
                    "time_zone": window.zone, "end_utc": end.utc.isoformat()},
            projects=sorted(names.values()),
            generated_at=utcnow(),
            headline=Counts(),
            by_project=[], by_group=[],
            days=_days(window, latest),
            open_items=open_items,
            closed_items=[_settled(e) for e in settled if e.what == "closed"],
            waived_items=[_settled(e) for e in settled if e.what == "waived"],
            unverified_passes=unverified,
            missing_from_plan=None,
            trend=_trend(session, window, trend_ends, history),
            events=[_task_event(r) for r in sorted(reports, key=lambda r: (r.when_sort, r.task))] + [
                e.row for e in events],
        )
        summary.project_roots = _roots(session, pids)
        summary.events.sort(key=lambda e: (e.when, e.project, e.task, e.what))
        everything = (latest.values(), events, open_items, unverified)
        summary.headline = _aggregate(*everything, lambda _o: "")[""]
        per_project = _aggregate(*everything, lambda o: names[o.project_id])
        per_group = _aggregate(*everything, lambda o: o.group)
        passes_by_project = _passes_per_day(latest, lambda r: r.project)
        passes_by_group = _passes_per_day(latest, lambda r: r.group)
        summary.by_project = [_group(name, window, passes_by_project, per_project)
                              for name in sorted(names.values())]
        summary.by_group = [_group(name, window, passes_by_group, per_group) for name in sorted(per_group)]
        summary.missing_from_plan, plan_note = _missing_from_plan(store, names, window)
        if plan_note:
            summary.notes.append(plan_note)
        summary.failed_reports = summary.headline.failed_reports = _parse_failures(session, window, pids)
        return summary


def _parse_failures(session: Session, window: Window, pids: list[int]) -> int:
    """Files ingest refused in the window (each refusal is a `parse-failed` event)."""
    return session.scalar(
        select(func.count()).select_from(EventRow).where(
            EventRow.action == "parse-failed", EventRow.project_id.in_(pids),
            EventRow.at >= window.start_boundary.utc, EventRow.at < window.end_boundary.utc)
    ) or 0


def _roots(session: Session, pids: list[int]) -> dict[str, str | None]:
    return dict(session.execute(select(Project.name, Project.root).where(Project.id.in_(pids))).all())


def _projects(session: Session, projects: list[str] | None) -> dict[int, str]:
    rows = dict(session.execute(select(Project.id, Project.name)).all())
    if not projects:
        return rows
    wanted = {name: pid for pid, name in rows.items()}
    missing = [p for p in projects if p not in wanted]
    if missing:
        raise NotFoundError(f"no project named {missing[0]!r}")
    return {wanted[p]: p for p in projects}


@dataclass
class _Report:
    id: int
    project_id: int
    task_id: int
    task: str
    title: str | None
    project: str
    status: str
    completed: str | None
    reported_at: datetime
    path: str
    status_line: int | None
    group: str
    day: date

    @property
    def when(self) -> str:
        return self.completed or self.reported_at.isoformat()

    @property
    def when_sort(self) -> str:
        return self.reported_at.isoformat()


def _window_reports(session: Session, window: Window, pids: list[int]) -> list[_Report]:
    rows = session.execute(
        select(ReportRow.id, ReportRow.project_id, ReportRow.task_id, Task.task_key,
               func.coalesce(Task.title, ReportRow.task_title), Project.name, ReportRow.status,
               ReportRow.completed, ReportRow.reported_at, ReportRow.source_path, ReportRow.status_line,
               func.coalesce(Task.phase, Task.category, NO_GROUP))
        .join(Task, Task.id == ReportRow.task_id).join(Project, Project.id == ReportRow.project_id)
        .where(ReportRow.is_current.is_(True), ReportRow.project_id.in_(pids), within(window, ReportRow))
    ).all()
    return [_Report(*row, day=local_day(row[7], row[8], window.zone)) for row in rows]


def _latest_per_task(reports: list[_Report]) -> dict[tuple[int, int], _Report]:
    """Each task counts once in a week, with the status of its last report in the window."""
    latest: dict[tuple[int, int], _Report] = {}
    for report in sorted(reports, key=lambda r: (r.reported_at, r.id)):
        latest[(report.project_id, report.task_id)] = report
    return latest


@dataclass
class _Event:
    what: str
    project_id: int
    task_id: int
    item_id: int
    row: TaskWeekEvent
    item_text: str
    item_where: str
    actor: str
    action: str
    group: str


EVENT_WHAT = {"closed": "closed", "waived": "waived", "candidate": "candidate", "withdrawn": "withdrawn"}


def _window_events(session: Session, window: Window, pids: list[int], names: dict[int, str]) -> list[_Event]:
    """Item events in the window (opened, closed, waived, proposed, reopened, withdrawn)."""
    rows = sorted(
        [*session.execute(window_events_select(window, pids, with_report=True)),
         *session.execute(window_events_select(window, pids, with_report=False))],
        key=lambda row: row[0])
    events = []
    for (_event_id, action, to_state, pid, task_id, item_id, short_id, task_key, completed, reported_at, at,
         path, line, reason, actor, text, seen_path, item_line, group) in rows:
        if action == "open":
            what = "opened"
        elif action == "reopen" or (to_state == "open" and action != "restore"):
            what = "reopened"
        else:
            what = EVENT_WHAT.get(to_state or "", action)
        when = completed if path is not None and completed else (reported_at if path else at).isoformat()
        where = f"{path}:{line}" if path and line else path
        row = TaskWeekEvent(what=what, project=names[pid], task=task_key, item=short_id, when=when,
                            status=to_state, where=where, detail=reason)
        events.append(_Event(what, pid, task_id, item_id, row, text, f"{seen_path}:{item_line}",
                             actor, action, group))
    return events


def window_events_select(window: Window, pids: list[int], *, with_report: bool) -> Select:
    """Item events in the window, by event id: those of a report found from the reports near the
    window (`ix_reports_project_id_reported_at`, then `ix_events_report_id`), or those without a
    report from the event times (`ix_events_project_id_at`). Together: every event `within` the
    window, without reading every event and its report (public for query-plan tests)."""
    report = aliased(ReportRow)
    seen = aliased(ReportRow)
    query = (
        select(EventRow.id, EventRow.action, EventRow.to_state, EventRow.project_id, DeferredRow.task_id,
               EventRow.item_id, DeferredRow.short_id, Task.task_key, report.completed, report.reported_at,
               EventRow.at, report.source_path, EventRow.line, EventRow.reason, EventRow.actor,
               DeferredRow.text, seen.source_path, DeferredRow.line,
               func.coalesce(Task.phase, Task.category, NO_GROUP))
        .join(DeferredRow, DeferredRow.id == EventRow.item_id)
        .join(Task, Task.id == DeferredRow.task_id)
        .join(seen, seen.id == DeferredRow.last_seen_report_id)
    )
    start, end = window.start_boundary, window.end_boundary
    if with_report:  # `within` holds only for reports in this range (of any project: one range each)
        query = query.join(report, report.id == EventRow.report_id).where(
            report.project_id.in_(select(Project.id)),
            report.reported_at.between(start.utc - SLACK, end.utc + SLACK))
    else:
        query = query.outerjoin(report, report.id == EventRow.report_id).where(
            report.id.is_(None), EventRow.at.between(start.utc, end.utc))
    # `project_id + 0` with a report: SQLite must not walk all of a project's events instead
    projects = (EventRow.project_id + 0) if with_report else EventRow.project_id
    return query.where(projects.in_(pids), within(window, report, EventRow.at)).order_by(EventRow.id)


def _state_history(session: Session, boundaries: list[Boundary], pids: list[int]) -> Any:
    """Subquery (item_id, bucket, next_bucket, state): each item's state from boundary `bucket` up
    to (not including) boundary `next_bucket`, in one pass over the events for all boundaries.

    An event's bucket is the first boundary it happened before; an item's state at boundary k is
    the `to_state` of its last event (by id: events are written in causal order) with bucket <= k.
    """
    report = aliased(ReportRow)
    after_all = len(boundaries)
    bucket = first_boundary_after(boundaries, report, EventRow.at)
    events = (
        select(EventRow.item_id.label("item_id"), EventRow.id.label("event_id"), bucket.label("bucket"))
        .outerjoin(report, report.id == EventRow.report_id)
        .where(EventRow.item_id.is_not(None), EventRow.project_id.in_(pids))
        .subquery()
    )
    per_bucket = (
        select(events.c.item_id, events.c.bucket, func.max(events.c.event_id).label("last_id"))
        .group_by(events.c.item_id, events.c.bucket).subquery()
    )
    ordering = {"partition_by": per_bucket.c.item_id, "order_by": per_bucket.c.bucket}
    running = select(
        per_bucket.c.item_id, per_bucket.c.bucket,
        func.max(per_bucket.c.last_id).over(**ordering, rows=(None, 0)).label("event_id"),
        func.coalesce(func.lead(per_bucket.c.bucket).over(**ordering), after_all + 1).label("next_bucket"),
    ).subquery()
    return (
        select(running.c.item_id, running.c.bucket, running.c.next_bucket, EventRow.to_state.label("state"))
        .join(EventRow, EventRow.id == running.c.event_id).subquery()
    )


_TEMP = MetaData()
HISTORY = Table(
    "tracker_weekly_history", _TEMP,
    Column("item_id", Integer), Column("bucket", Integer), Column("next_bucket", Integer),
    Column("state", String(20)), Index("ix_tracker_weekly_history_item", "item_id"),
    prefixes=["TEMPORARY"],
)


def _materialise(session: Session, history: Any) -> Any:
    """Run the history query once into a temporary table: open items, unverified passes and the
    trend all read it, and a subquery would be evaluated again by each of them."""
    connection = session.connection()
    HISTORY.drop(connection, checkfirst=True)
    HISTORY.create(connection)
    connection.execute(insert(HISTORY).from_select(["item_id", "bucket", "next_bucket", "state"],
                                                   select(history)))
    return HISTORY


def _states_at_last(history: Any, boundaries: int) -> Any:
    """Subquery (item_id, state) at the last boundary of `history` (the window's end)."""
    last = boundaries - 1
    return (select(history.c.item_id, history.c.state)
            .where(history.c.bucket <= last, history.c.next_bucket > last).subquery())


def _target_reported(boundary: Boundary) -> ColumnElement[bool]:
    """SQL: the item's target is another task of its project that reported before `boundary`."""
    target_task = aliased(Task)
    target_report = aliased(ReportRow)
    return exists(
        select(target_report.id).join(target_task, target_task.id == target_report.task_id)
        .where(target_task.project_id == DeferredRow.project_id, target_task.task_key == DeferredRow.target,
               target_task.id != DeferredRow.task_id, target_report.is_current.is_(True),
               before(boundary, target_report))
    )


@dataclass
class _OpenItem(OpenItem):
    project_id: int = 0
    task_id: int = 0


def _open_items(session: Session, boundary: Boundary, pids: list[int], states: Any) -> list[_OpenItem]:
    seen = aliased(ReportRow)
    missed = case((DeferredRow.target.is_(None), False), else_=_target_reported(boundary))
    rows = session.connection().execute(  # Core rows: no ORM loading for each of ~70k items
        select(DeferredRow.short_id, DeferredRow.project_id, DeferredRow.task_id, DeferredRow.kind,
               DeferredRow.reason, DeferredRow.target, states.c.state, DeferredRow.text, DeferredRow.line,
               DeferredRow.opened_at, Task.task_key, Project.name, seen.source_path, missed,
               func.coalesce(Task.phase, Task.category, NO_GROUP))
        .join(states, states.c.item_id == DeferredRow.id)
        .join(Task, Task.id == DeferredRow.task_id).join(Project, Project.id == DeferredRow.project_id)
        .join(seen, seen.id == DeferredRow.last_seen_report_id)
        .where(states.c.state.in_(UNSETTLED))
        .order_by(DeferredRow.opened_at, Project.name, Task.task_key, DeferredRow.line)
    ).all()
    return [
        _OpenItem(id=short_id, project=project, task=task, group=group, kind=kind, reason=reason,
                  target=target, state=state, text=text, where=f"{path}:{line}", opened_at=opened_at,
                  age_days=max(0, (boundary.utc - opened_at).days), missed=bool(is_missed),
                  project_id=pid, task_id=task_id)
        for (short_id, pid, task_id, kind, reason, target, state, text, line, opened_at, task, project, path,
             is_missed, group) in rows
    ]


@dataclass
class _Unverified(UnverifiedPass):
    project_id: int = 0
    task_id: int = 0
    group: str = NO_GROUP


def _unverified(session: Session, latest: dict[tuple[int, int], _Report], states: Any,
                pids: list[int]) -> list[_Unverified]:
    """Tasks whose last report this week passes while a validation deferral of theirs is unsettled."""
    passing = {r.task_id: r for r in latest.values() if r.status == "pass"}
    if not passing:
        return []
    owed: dict[int, list[str]] = defaultdict(list)
    for task_id, short_id in session.execute(
        select(DeferredRow.task_id, DeferredRow.short_id).join(states, states.c.item_id == DeferredRow.id)
        .where(states.c.state.in_(UNSETTLED), DeferredRow.kind == "validation",
               DeferredRow.task_id.in_(list(passing)))
        .order_by(DeferredRow.opened_at, DeferredRow.line)
    ):
        owed[task_id].append(short_id)
    result = []
    for task_id, items in owed.items():
        r = passing[task_id]
        where = f"{r.path}:{r.status_line}" if r.status_line else r.path
        result.append(_Unverified(project=r.project, task=r.task, title=r.title, where=where,
                                  completed=r.when, items=items, project_id=r.project_id, task_id=task_id,
                                  group=r.group))
    return sorted(result, key=lambda u: (u.project, u.completed, u.task))


def _trend(session: Session, window: Window, ends: list[date], history: Any) -> list[TrendPoint]:
    counts = session.execute(select(*[
        func.coalesce(func.sum(case((and_(history.c.bucket <= k, history.c.next_bucket > k,
                                          history.c.state.in_(UNSETTLED)), 1), else_=0)), 0)
        for k in range(len(ends))
    ])).one()
    points = []
    for end_day, n in zip(ends, counts, strict=True):
        last = end_day - timedelta(days=1)
        year, week, _ = last.isocalendar()
        label = f"{year}-W{week:02d}" if window.iso_week else last.isoformat()
        points.append(TrendPoint(week=label, end=end_day.isoformat(), open_items=int(n or 0)))
    return points


ITEM_FIELDS = {"opened": "items_opened", "closed": "items_closed", "waived": "items_waived"}
STATUS_FIELDS = {"pass": "completed", "fail": "failed", "blocked": "blocked", "partial": "partial",
                 "in_progress": "in_progress", "unknown": "unknown"}


def _aggregate(reports: Iterable[_Report], events: list[_Event], open_items: list[_OpenItem],
               unverified: list[_Unverified], key: Callable[[Any], str]) -> dict[str, Counts]:
    """Counts per key (one project, one phase, or everything), in one pass over each list."""
    out: dict[str, Counts] = defaultdict(Counts)

    def bump(name: str, field_name: str) -> None:
        counts = out[name]
        setattr(counts, field_name, getattr(counts, field_name) + 1)

    for r in reports:
        bump(key(r), STATUS_FIELDS.get(r.status, "unknown"))
    seen: set[tuple[str, int]] = set()
    for e in events:
        if e.what in ITEM_FIELDS and (e.what, e.item_id) not in seen:
            seen.add((e.what, e.item_id))
            bump(key(e), ITEM_FIELDS[e.what])
    for i in open_items:
        bump(key(i), "items_open_at_end")
        if i.missed:
            bump(key(i), "missed_targets")
    for u in unverified:
        bump(key(u), "unverified_passes")
    if not out:
        out[""] = Counts()
    return out


def _passes_per_day(latest: dict[tuple[int, int], _Report], key: Callable[[_Report], str]
                    ) -> dict[str, Counter[str]]:
    """Passing tasks per group and day, in one pass (not one pass per group)."""
    out: dict[str, Counter[str]] = {}
    for r in latest.values():
        if r.status == "pass":
            out.setdefault(key(r), Counter())[r.day.isoformat()] += 1
    return out


def _group(name: str, window: Window, passes: dict[str, Counter[str]], counts: dict[str, Counts]
           ) -> GroupSummary:
    per_day = passes.get(name) or Counter()
    return GroupSummary(name=name, counts=counts.get(name) or Counts(),
                        done_per_day={d.isoformat(): per_day[d.isoformat()] for d in window.days})


def _days(window: Window, latest: dict[tuple[int, int], _Report]) -> list[DayStatuses]:
    by_day: dict[str, Counter[str]] = {d.isoformat(): Counter() for d in window.days}
    for r in latest.values():
        by_day.setdefault(r.day.isoformat(), Counter())[r.status] += 1
    return [DayStatuses(day, {s: counts[s] for s in STATUSES}) for day, counts in by_day.items()]


def _settled(event: _Event) -> SettledItem:
    return SettledItem(id=event.row.item or "", project=event.row.project, task=event.row.task,
                       text=event.item_text, item_where=event.item_where, state=event.what,
                       action=event.action, at=event.row.when, actor=event.actor, evidence=event.row.detail,
                       evidence_where=event.row.where)


def _task_event(report: _Report) -> TaskWeekEvent:
    where = f"{report.path}:{report.status_line}" if report.status_line else report.path
    return TaskWeekEvent(what="reported", project=report.project, task=report.task, item=None,
                         when=report.when, status=report.status, where=where, detail=report.title)


def _missing_from_plan(store: Store, names: dict[int, str],
                       window: Window) -> tuple[list[MissingTask] | None, str | None]:
    """Planned tasks with no report by the window's end (the plan as imported now; phases the plan
    itself puts off are left out). None with a note when no selected project has a plan."""
    try:
        from tracker.store.schema import PlanRow  # type: ignore[attr-defined]
    except ImportError:
        return None, "Tasks missing from the plan: not shown, this tracker has no plan support."
    with store.session() as session:
        with_plans = set(session.scalars(
            select(PlanRow.project_id).where(PlanRow.project_id.in_(list(names)))))
    if not with_plans:
        return None, "Tasks missing from the plan: not shown, no plan is imported (tracker plan import FILE)."
    from tracker.model import Report
    from tracker.plan.compare import match_reports, missing_tasks
    from tracker.plan_query import project_plan

    found: list[MissingTask] = []
    planned = False
    for pid, name in sorted(names.items(), key=lambda kv: kv[1]):
        plan = project_plan(store, name) if pid in with_plans else None
        if plan is None:
            continue
        planned = True
        with store.session() as session:
            parsed = session.scalars(
                select(ReportRow.parsed).where(ReportRow.project_id == pid, ReportRow.is_current.is_(True),
                                               before(window.end_boundary, ReportRow)))
            reports = [Report.model_validate(p) for p in parsed]
        matched, _, _ = match_reports(plan, reports)
        found += [MissingTask(project=name, task=m.task_id, title=m.title, phase=m.phase)
                  for m in missing_tasks(plan, matched) if not m.phase_deferred]
    if not planned:
        return None, "Tasks missing from the plan: not shown, no plan is imported (tracker plan import FILE)."
    return found, None


def public_data(summary: WeeklySummary) -> dict[str, Any]:
    """The summary as plain JSON values without the private bookkeeping fields."""
    from tracker.render.formats import jsonable

    data = jsonable(summary)
    for key in ("open_items", "unverified_passes"):
        for entry in data[key]:
            entry.pop("project_id", None)
            entry.pop("task_id", None)
    return data
