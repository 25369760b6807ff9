"""What the single writer remembers about a project between reports of one ingest.

Matching a new report needs the project's current reports (for order) and which items share a
term with it; reading those again for every report made ingest O(reports x items). A
`LifecycleCache` keeps them per project, for a few projects at a time (ingest goes project by
project, so memory stays flat). It is trusted only while nobody else wrote: every change to
reports or items writes an event, so the cache is dropped whenever the newest event id is not
the one this writer saw after its own last commit (another process, a rolled-back transaction).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from tracker.store.match_index import KeyIndex, LineIndex, LineKeys, item_keys, line_keys
from tracker.store.schema import DeferredRow, EventRow, Project, ReportRow, Task

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.evidence import ReportEvidence
    from tracker.store.lifecycle_store import ReportRef

MAX_PROJECTS = 2
MAX_EVIDENCE = 1000


class ProjectCache:
    """One project's current reports, and its items and report evidence indexed by key."""

    def __init__(self, session: Session, project_id: int) -> None:
        from tracker.store.lifecycle_store import report_refs

        self.project_id = project_id
        self.name: str = session.scalar(select(Project.name).where(Project.id == project_id)) or ""
        self.refs: dict[int, ReportRef] = report_refs(session, project_id=project_id)
        self._reviews: dict[int, list[tuple[int, int, str]]] | None = None
        self.items = KeyIndex()
        for item_id, text, short_id, task_id in session.execute(
                select(DeferredRow.id, DeferredRow.text, DeferredRow.short_id,
                       ReportRow.task_ref)
                .outerjoin(ReportRow, ReportRow.id == DeferredRow.first_seen_report_id)
                .where(DeferredRow.project_id == project_id)):
            self.items.add(item_id, item_keys(text, short_id, task_id or None))
        self._reports: LineIndex | None = None
        self._revisions: dict[str, list[int]] | None = None
        self._sources = {ref.source for ref in self.refs.values()}
        self._tasks: dict[str, tuple[int, str | None, str | None, str | None]] | None = None

    def has_current(self, source: str) -> bool:
        """Does the project have a current revision of `source`? (None is ever taken away.)"""
        return source in self._sources

    def set_current(self, source: str, report_id: int) -> None:
        """A revision of `source` stored in this transaction is now its current one."""
        self._sources.add(source)

    def tasks(self, session: Session) -> dict[str, tuple[int, str | None, str | None, str | None]]:
        """The project's tasks by key: (id, title, category, phase), read once; the writer keeps it
        current as it creates and updates tasks."""
        if self._tasks is None:
            self._tasks = {key: (tid, title, category, phase)
                           for tid, key, title, category, phase in session.execute(
                               select(Task.id, Task.task_key, Task.title, Task.category, Task.phase)
                               .where(Task.project_id == self.project_id))}
        return self._tasks

    def other_revisions(self, session: Session, source: str, report_id: int) -> list[int]:
        """Ids of the project's other stored revisions of `source` (`report_id` is one of it, just
        written): every revision's source is read once per project, then kept here."""
        if self._revisions is None:
            revisions: dict[str, list[int]] = {}
            for rid, path in session.execute(select(ReportRow.id, ReportRow.source_path).where(
                    ReportRow.project_id == self.project_id)):
                revisions.setdefault(path, []).append(rid)
            self._revisions = revisions
        ids = self._revisions.setdefault(source, [])
        if report_id not in ids:
            ids.append(report_id)
        return [rid for rid in ids if rid != report_id]

    def reports(self, session: Session) -> LineIndex:
        """Report id by evidence key, over the stored revisions (built on first use)."""
        if self._reports is None:
            from tracker.evidence import ReportEvidence

            index = LineIndex()
            for rid, data in session.execute(select(ReportRow.id, ReportRow.evidence).where(
                    ReportRow.project_id == self.project_id, ReportRow.is_current.is_(True))):
                evidence = ReportEvidence.from_data(data) if data else None
                if evidence is not None:
                    index.add(rid, line_keys(evidence))
            self._reports = index
        return self._reports

    def reviews(self, session: Session) -> dict[int, list[tuple[int, int, str]]]:
        """`candidate_reviews` of the project: only a person changes them (and that writes an event)."""
        if self._reviews is None:
            from tracker.store.lifecycle_store import candidate_reviews

            self._reviews = candidate_reviews(session, self.project_id)
        return self._reviews

    def add_report(self, ref: ReportRef, lines: list[LineKeys] | None, replaces: Iterable[int]) -> None:
        """A revision stored in this transaction becomes current (the ones it replaces are not);
        `lines`: its `line_keys`, None when it has no usable evidence."""
        for old in replaces:
            self.refs.pop(old, None)
        self.refs[ref.id] = ref
        if self._reports is not None and lines is not None:
            self._reports.add(ref.id, lines)

    def add_item(self, item_id: int, text: str, short_id: str, task_id: str | None) -> None:
        """An item created or reworded in this transaction (keys only grow: a superset is fine)."""
        self.items.add(item_id, item_keys(text, short_id, task_id))


class LifecycleCache:
    """Per-project caches of one writer, dropped as soon as someone else may have written."""

    def __init__(self, max_projects: int = MAX_PROJECTS) -> None:
        self._projects: OrderedDict[int, ProjectCache] = OrderedDict()
        self._max = max_projects
        self._mark: int | None = None
        self.seen: int | None = None
        """The newest event id when the current transaction began."""
        self.project_ids: dict[str, int] = {}
        """Project name -> id of projects whose root is already recorded (nothing left to update)."""
        self._short_ids: set[str] | None = None
        self.evidence: OrderedDict[int, ReportEvidence] = OrderedDict()
        """Decoded evidence of stored revisions by report id (a revision's evidence never changes)."""

    def begin(self, session: Session) -> None:
        """At the start of a write transaction (holding the write lock): still valid?"""
        self.seen = _last_event(session)
        if self.seen != self._mark:
            self.clear()

    def commit(self, session: Session, newest: int | None = None) -> None:
        """At the end of a write transaction: what this writer saw last. `newest`: the newest event
        id when the caller knows it (the transaction holds the write lock: its own last event, or
        `seen` if it wrote none); else it is read."""
        self._mark = newest if newest is not None else _last_event(session)

    def clear(self) -> None:
        self._projects.clear()
        self.project_ids.clear()
        self._short_ids = None
        self.evidence.clear()
        self._mark = None

    def short_ids(self, session: Session) -> set[str]:
        """Every item's short id (unique across projects), read once; new ids are added as given."""
        if self._short_ids is None:
            self._short_ids = set(session.scalars(select(DeferredRow.short_id)))
        return self._short_ids

    def remember_evidence(self, report_id: int, evidence: ReportEvidence) -> None:
        self.evidence[report_id] = evidence
        if len(self.evidence) > MAX_EVIDENCE:
            self.evidence.popitem(last=False)

    def project(self, session: Session, project_id: int) -> ProjectCache:
        found = self._projects.get(project_id)
        if found is None:
            found = self._projects[project_id] = ProjectCache(session, project_id)
            while len(self._projects) > self._max:
                self._projects.popitem(last=False)
        else:
            self._projects.move_to_end(project_id)
        return found

    def peek(self, project_id: int) -> ProjectCache | None:
        """The project's cache if it is loaded (writers keep it current; nothing to do otherwise)."""
        return self._projects.get(project_id)


def _last_event(session: Session) -> int:
    return session.scalar(_NEWEST_EVENT) or 0


_NEWEST_EVENT = select(func.max(EventRow.__table__.c.id))
"""A Core statement built once (it runs twice per stored report; no ORM flush is due before it)."""
