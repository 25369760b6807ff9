"""The one gateway to the database: every read and write of tracker goes through `Store`.

Writing a report revision is one transaction (`store_report`): the report row and its child rows,
the deferred items it mentions (matched to earlier ones by fingerprint), the events, the task's
latest pointer and then the lifecycle hook. Either all of it lands or none of it does.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker

from tracker.errors import NotFoundError, TrackerError, UsageError
from tracker.store.fingerprint import key_terms, similarity
from tracker.store.schema import (
    ITEM_STATES,
    ChecklistRow,
    DeferredRow,
    EventRow,
    FileChangeRow,
    MentionRow,
    Project,
    ReportRow,
    Task,
)

if TYPE_CHECKING:  # the model (pydantic) is only needed by writers, who already hold a Report
    from tracker.model import DeferredItem, Report
    from tracker.store.lifecycle_cache import ProjectCache

FUZZY_MATCH = 0.5
"""Term overlap above which a reworded item in an edited report is taken to be the same item."""

_PENDING_EVENTS = "tracker_pending_events"
"""`session.info` key of the events a `store_report` transaction inserts together at its end."""
_NEW_ITEMS = "tracker_new_items"
"""`session.info` key: (report id, the items that revision opened), for `apply_lifecycle`."""


@dataclass(frozen=True)
class SourceMeta:
    """What ingest knows about the bytes of one report file before storing it."""

    path: str
    sha256: str
    size: int
    mtime: float | None = None
    parser_version: str | None = None
    """Which parser read it (`tracker.parser_version.parser_version()`); stored with the revision."""


@dataclass(frozen=True)
class ProjectRef:
    """A project the writer already knows (id and name are all storing needs)."""

    id: int
    name: str


@dataclass(frozen=True)
class KnownSource:
    """The current revision of one source, for the stat/hash shortcut of re-ingest."""

    report_id: int
    sha256: str
    size: int
    mtime: float | None
    parser_version: str | None = None


@dataclass(frozen=True)
class StoreResult:
    outcome: Literal["ingested", "revised", "unchanged"]
    report_id: int
    opened: int = 0
    withdrawn: int = 0
    closed: int = 0
    """Earlier items this revision's evidence closed."""
    proposed: int = 0
    """Earlier open items this revision's evidence made candidate closures (a person confirms)."""


def _reads_the_same(previous: ReportRow, report: Report, evidence: dict[str, Any] | None) -> bool:
    """The stored revision holds what this parse says (its JSON and, when given, its evidence)."""
    return previous.parsed == report.model_dump(mode="json") and (
        evidence is None or previous.evidence == json.loads(json.dumps(evidence)))  # tuples as stored


def _with_closings(result: StoreResult, events: list[dict[str, Any]]) -> StoreResult:
    """`result` with the closings its transaction's events record (what `ingest --format json` shows)."""
    closed = {e["item_id"] for e in events if e["item_id"] is not None and e["to_state"] == "closed"
              and e["from_state"] != "closed"}
    proposed = {e["item_id"] for e in events if e["item_id"] is not None and e["to_state"] == "candidate"
                and e["from_state"] == "open"}
    if not closed and not proposed:
        return result
    return replace(result, closed=len(closed), proposed=len(proposed - closed))


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (containers): still record something
        return "unknown"


def report_time(report: Report, mtime: float | None, fallback: datetime) -> datetime:
    """When the work happened, as naive UTC: the report's own completion time when it gives one."""
    text = report.timestamps.completed
    if text:
        try:
            moment = datetime.fromisoformat(text) if "T" in text else datetime.combine(
                date.fromisoformat(text), datetime.min.time())
        except ValueError:
            moment = None
        if moment is not None:
            if moment.tzinfo is not None:
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            return moment
    if mtime is not None:
        return datetime.fromtimestamp(mtime, UTC).replace(tzinfo=None)
    return fallback


class Store:
    """A tracker database. Build with `Store.open(db)`; the schema is created or upgraded on open."""

    def __init__(self, engine: Engine, *, actor: str | None = None, migrate: bool = True) -> None:
        if migrate:
            from tracker.store.migrate import ensure_schema

            ensure_schema(engine)
        self.engine = engine
        self.actor = actor or default_actor()
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        from tracker.store.lifecycle_cache import LifecycleCache

        self.lifecycle_cache = LifecycleCache()
        """What this writer remembers between reports (`lifecycle_cache`); dropped when others write."""
        self.match_index = True
        """Match reports and items through the term index; False runs the exhaustive reference."""

    @classmethod
    def open(cls, db: str | None = None, *, actor: str | None = None) -> Store:
        """Open the database named by `db` (path or URL), else $TRACKER_DB, else ./tracker.db."""
        from tracker.config import db_url
        from tracker.store.engine import make_engine

        url = db_url(db)
        try:
            return cls(make_engine(url), actor=actor)
        except TrackerError:
            raise
        except Exception as exc:  # unreachable server, unreadable file, missing driver
            raise TrackerError(f"cannot open database: {exc}".splitlines()[0], path=db or url) from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reads (or a caller's own transaction: commit it yourself)."""
        with self._sessions() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session in one write transaction, committed on success and rolled back on error.

        On SQLite it starts with BEGIN IMMEDIATE, so concurrent writers queue on the busy timeout
        instead of failing when a read lock cannot be upgraded.
        """
        with self.engine.connect() as conn:
            conn.execution_options(tracker_write=True)
            with conn.begin(), Session(bind=conn, expire_on_commit=False) as session:
                yield session
                session.flush()

    # ---- projects and sources -------------------------------------------------------------

    def project_id(self, name: str) -> int | None:
        with self.session() as session:
            return session.scalar(select(Project.id).where(Project.name == name))

    def known_sources(self, project: str) -> dict[str, KnownSource]:
        """Current revision of every source of a project, keyed by source path (one query)."""
        with self.session() as session:
            rows = session.execute(
                select(ReportRow.source_path, ReportRow.id, ReportRow.sha256, ReportRow.size,
                       ReportRow.mtime, ReportRow.parser_version)
                .join(Project, Project.id == ReportRow.project_id)
                .where(Project.name == project, ReportRow.is_current.is_(True))
            )
            return {path: KnownSource(rid, sha, size, mtime, parser)
                    for path, rid, sha, size, mtime, parser in rows}

    def touch(self, report_id: int, size: int, mtime: float | None) -> None:
        """Same content, new stat (the file was touched or copied): remember the stat only."""
        with self.writing() as session:
            session.execute(update(ReportRow).where(ReportRow.id == report_id)
                            .values(size=size, mtime=mtime))

    def touch_many(self, stats: list[tuple[int, int, float | None]]) -> None:
        """`touch` for many reports (report id, size, mtime) in one transaction and one executemany."""
        from sqlalchemy import bindparam

        if not stats:
            return
        table = ReportRow.__table__
        with self.engine.connect() as conn:
            conn.execution_options(tracker_write=True)  # BEGIN IMMEDIATE, as in `writing`
            with conn.begin():
                conn.execute(update(table).where(table.c.id == bindparam("rid"))
                             .values(size=bindparam("new_size"), mtime=bindparam("new_mtime")),
                             [{"rid": rid, "new_size": size, "new_mtime": mtime}
                              for rid, size, mtime in stats])

    # ---- writing a report revision -------------------------------------------------------

    def store_report(self, project: str, report: Report, meta: SourceMeta,
                     *, root: str | None = None, text: str | None = None,
                     evidence: dict[str, Any] | None = None) -> StoreResult:
        """Store one parsed report as the new current revision of its source, in one transaction.

        `text` is the report's markdown, handed to the lifecycle hook (it is not stored);
        `evidence` is its `scan_text(...).to_data()` when a parse worker already computed it.
        """
        cache = self.lifecycle_cache
        try:
            with self.writing() as session:
                cache.begin(session)
                session.info[_PENDING_EVENTS] = []
                result = self._store_report(session, project, report, meta, root, text, evidence)
                result = _with_closings(result, session.info[_PENDING_EVENTS])
                session.flush()
                newest = self._insert_pending_events(session)
                cache.commit(session, newest if newest is not None else cache.seen)
                return result
        except BaseException:
            cache.clear()  # rolled back: what it remembered of this transaction never happened
            raise

    def _store_report(self, session: Session, project: str, report: Report, meta: SourceMeta,
                      root: str | None, text: str | None, evidence: dict[str, Any] | None) -> StoreResult:
        proj = self._known_project(session, project, root)
        known = self.lifecycle_cache.project(session, proj.id)
        previous = None
        if known.has_current(meta.path):  # no query for a source this project never stored
            previous = session.scalar(
                select(ReportRow).where(ReportRow.project_id == proj.id,
                                        ReportRow.source_path == meta.path,
                                        ReportRow.is_current.is_(True))
            )
        if previous is not None and previous.sha256 == meta.sha256:
            previous.size, previous.mtime = meta.size, meta.mtime
            if meta.parser_version is None or meta.parser_version == previous.parser_version:
                return StoreResult("unchanged", previous.id)
            if _reads_the_same(previous, report, evidence):  # re-read by a newer parser, no difference
                previous.parser_version = meta.parser_version
                return StoreResult("unchanged", previous.id)
        now = utcnow()
        task_id, new_task = self._task(session, known, report, meta.path, now)
        # `evidence`: scanned by the parse worker for this very text, stored with the row
        row = self._report_row(session, proj, task_id, report, meta, previous, now, evidence)
        known.set_current(meta.path, row.id)
        opened, withdrawn, new_items = self._sync_deferred(session, proj, task_id, new_task, row, report,
                                                           previous, now)
        same_file = previous is not None and previous.sha256 == meta.sha256
        reread = " (same file, read again by a newer parser)" if same_file else ""
        self._event(session, "revised" if previous else "ingested", project_id=proj.id,
                    task_id=task_id, report_id=row.id, to_state=row.status,
                    reason=f"revision {row.revision} of {meta.path}{reread}")
        self._refresh_latest(session, task_id)
        if previous is not None and previous.task_id != task_id:
            self._refresh_latest(session, previous.task_id)
        session.info[_NEW_ITEMS] = (row.id, new_items)
        self.apply_lifecycle(session, row, text)
        return StoreResult("revised" if previous else "ingested", row.id, opened, withdrawn)

    def _insert_pending_events(self, session: Session) -> int | None:
        """Insert the events `_event` kept for this transaction, in the order they were recorded
        (one executemany instead of an ORM row each); the newest event id, None if there were none."""
        pending = session.info.pop(_PENDING_EVENTS, None)
        if not pending:
            return None
        table = EventRow.__table__
        return max(session.execute(insert(table).returning(table.c.id), pending).scalars())

    def apply_lifecycle(self, session: Session, report: ReportRow, text: str | None) -> None:
        """The single place where a newly stored revision may close, flag or re-open deferred items.

        Runs inside `store_report`'s transaction after the report, its items and the task's latest
        pointer are written; `text` is the revision's markdown (None when the caller has none: the
        cached `report.evidence` is used). Rules are the pure functions of `tracker.lifecycle`;
        `tracker.store.lifecycle_store` persists their decisions with events.
        """
        from tracker.store.lifecycle_store import apply_report

        opened = session.info.pop(_NEW_ITEMS, None)  # the items `_store_report` opened for it
        apply_report(self, session, report, text, opened[1] if opened and opened[0] == report.id else None)

    def transition(self, item_ref: str, action: str, text: str | None = None, *,
                   actor: str | None = None, project: str | None = None):  # -> ItemChange
        """A person's close / waive / reopen / confirm of one item (short id or unique prefix)."""
        from tracker.store.lifecycle_store import transition

        return transition(self, item_ref, action, text, actor=actor, project=project)

    def _known_project(self, session: Session, name: str, root: str | None) -> Project | ProjectRef:
        """`_project` without a query when this writer already knows the project and its root."""
        known = self.lifecycle_cache.project_ids
        if name in known:
            return ProjectRef(known[name], name)
        proj = self._project(session, name, root)
        if proj.root:
            known[name] = proj.id
        return proj

    def _project(self, session: Session, name: str, root: str | None) -> Project:
        proj = session.scalar(select(Project).where(Project.name == name))
        if proj is None:
            proj = Project(name=name, root=root, created_at=utcnow())
            session.add(proj)
            session.flush()
        elif root and not proj.root:
            proj.root = root
        return proj

    def _task(self, session: Session, known: ProjectCache, report: Report, source: str,
              now: datetime) -> tuple[int, bool]:
        """The report's task (id, created now?): created, or its title/category/phase updated
        when the report gives new ones. The project's tasks come from the writer's cache."""
        key = (report.task.id or "").strip() or PurePath(source).stem or source
        tasks = known.tasks(session)
        fields = tasks.get(key)
        given = (report.task.title, report.task.category, report.task.phase)
        if fields is None:
            title, category, phase = (value or None for value in given)
            task_id = session.execute(_statements().new_task, {
                "project_id": known.project_id, "task_key": key, "title": title, "category": category,
                "phase": phase, "created_at": now}).inserted_primary_key[0]
            tasks[key] = (task_id, title, category, phase)
            return task_id, True
        task_id, *old = fields
        new = [value or before for value, before in zip(given, old, strict=True)]
        if new != old:
            title, category, phase = new
            session.execute(_statements().task_fields, {"tid": task_id, "new_title": title,
                                                       "new_category": category, "new_phase": phase})
            tasks[key] = (task_id, title, category, phase)
        return task_id, False

    def _report_row(self, session: Session, proj: Project | ProjectRef, task_id: int, report: Report,
                    meta: SourceMeta, previous: ReportRow | None, now: datetime,
                    evidence: dict[str, Any] | None) -> ReportRow:
        if previous is not None:
            previous.is_current = False
        validation = report.validation
        values: dict[str, Any] = dict(
            project_id=proj.id, task_id=task_id, source_path=meta.path,
            revision=previous.revision + 1 if previous else 1, is_current=True,
            sha256=meta.sha256, size=meta.size, mtime=meta.mtime, parser_version=meta.parser_version,
            ingested_at=now,
            reported_at=report_time(report, meta.mtime, now), format=report.format,
            status=report.status.value, status_raw=report.status.raw,
            status_qualifier=report.status.qualifier, status_line=report.status.line,
            validation=validation.value if validation else None,
            validation_raw=validation.raw if validation else None,
            validation_qualifier=validation.qualifier if validation else None,
            validation_line=validation.line if validation else None,
            completed=report.timestamps.completed, started=report.timestamps.started,
            task_title=report.task.title, task_category=report.task.category,
            parsed=report.model_dump(mode="json"), **ReportRow.task_columns(report.task.id),
        )
        if evidence is not None:  # a JSON column given None would store JSON null, not NULL
            values["evidence"] = evidence
        # A Core INSERT, then the ORM object of that row made persistent without a flush: the
        # lifecycle works on it (and may still change it) in this session.
        row = ReportRow(id=session.execute(insert(ReportRow.__table__), values).inserted_primary_key[0],
                        **values)
        make_transient_to_detached(row)
        session.add(row)
        # Child rows in one executemany each: the ORM unit of work per row costs more than parsing.
        if report.checklist:
            session.execute(insert(ChecklistRow.__table__), [
                {"report_id": row.id, "position": i, "text": c.text, "state": c.state,
                 "section": c.section, "line": c.line} for i, c in enumerate(report.checklist)])
        if report.files:
            session.execute(insert(FileChangeRow.__table__), [
                {"report_id": row.id, "position": i, "path": f.path, "action": f.action, "note": f.note,
                 "line": f.line} for i, f in enumerate(report.files)])
        return row

    def _sync_deferred(self, session: Session, proj: Project | ProjectRef, task_id: int, new_task: bool,
                       row: ReportRow, report: Report, previous: ReportRow | None,
                       now: datetime) -> tuple[int, int, list[DeferredRow]]:
        """Match this revision's deferred items to known ones; open new ones, withdraw vanished ones.

        Identity is `tracker.lifecycle.fingerprint` within the task; a reworded item of the same
        source's previous revision still matches when its key terms mostly overlap. Returns the
        counts opened and withdrawn, and the items this revision opened.
        """
        incoming = _merge_by_fingerprint(report.deferred, report.task.id)
        existing = {} if not incoming or new_task else {  # a task created just now has no items
            item.fingerprint: item
            for item in session.scalars(select(DeferredRow).where(
                DeferredRow.task_id == task_id, DeferredRow.fingerprint.in_(list(incoming))))
        }
        earlier = [] if previous is None else list(session.scalars(
            select(DeferredRow).join(MentionRow, MentionRow.item_id == DeferredRow.id)
            .where(MentionRow.report_id == previous.id)))
        unmatched = [item for item in earlier if item.fingerprint not in incoming]
        mentioned: list[tuple[DeferredRow, DeferredItem, bool]] = []  # (item, parsed, opened here)
        for fp, (terms, parsed) in incoming.items():
            item = existing.get(fp) or _best_match(unmatched, parsed.kind, terms, task_id)
            if item is None:
                item = DeferredRow(
                    short_id=self._short_id(session, proj.name, report.task.id, fp),
                    project_id=proj.id, task_id=task_id, first_seen_report_id=row.id,
                    opened_at=row.reported_at, state="open", state_changed_at=now,
                )
                _copy_item(item, parsed, terms, fp, row.id)
                session.add(item)
                mentioned.append((item, parsed, True))
                continue
            if item in unmatched:
                unmatched.remove(item)
            _copy_item(item, parsed, terms, fp, row.id)
            mentioned.append((item, parsed, False))
        session.flush()  # the new items get their ids (inserted in this order), in one flush
        new_items = [item for item, _parsed, opened_here in mentioned if opened_here]
        for item, parsed, opened_here in mentioned:  # their events, in the order of the report
            if opened_here:
                self._event(session, "open", project_id=proj.id, task_id=task_id, report_id=row.id,
                            line=parsed.line, item_id=item.id, to_state="open",
                            reason=f"deferred ({parsed.kind}) in {row.source_path}")
            elif item.state == "withdrawn":
                self._set_state(session, item, item.withdrawn_from or "open", now, action="restore",
                                report_id=row.id, line=parsed.line,
                                reason=f"stated again in {row.source_path} (revision {row.revision})")
        cached = self.lifecycle_cache.peek(proj.id)
        if cached is not None:
            first_task = report.task.id or None
            for item, _parsed, opened_here in mentioned:
                cached.add_item(item.id, item.text, item.short_id, first_task if opened_here else None)
        if incoming:
            session.execute(insert(MentionRow.__table__), [
                {"item_id": item.id, "report_id": row.id, "line": parsed.line,
                 "end_line": parsed.end_line, "lines": list(parsed.lines or [parsed.line]),
                 "text": parsed.text}
                for item, parsed, _opened_here in mentioned])
        opened = len(new_items)
        withdrawn = 0
        for item in unmatched:
            if item.state != "withdrawn" and not self._stated_elsewhere(session, item, row):
                withdrawn += 1
                self._set_state(session, item, "withdrawn", now, action="withdraw", report_id=row.id,
                                reason=f"no longer in {row.source_path} (revision {row.revision})")
        return opened, withdrawn, new_items

    def _stated_elsewhere(self, session: Session, item: DeferredRow, row: ReportRow) -> bool:
        """Another report file (a copy, a second report of the task) still states the item."""
        other = session.scalar(
            select(MentionRow.report_id).join(ReportRow, ReportRow.id == MentionRow.report_id)
            .where(MentionRow.item_id == item.id, ReportRow.is_current.is_(True), ReportRow.id != row.id)
            .order_by(ReportRow.reported_at.desc(), ReportRow.id.desc()).limit(1))
        if other is not None:
            item.last_seen_report_id = other
        return other is not None

    def _short_id(self, session: Session, project: str, task_id: str | None, fp: str) -> str:
        from tracker.lifecycle import ID_LENGTH, short_id

        taken = self.lifecycle_cache.short_ids(session)
        for length in range(ID_LENGTH, 53):
            candidate = short_id(project, task_id, fp, length)
            if candidate not in taken:
                taken.add(candidate)  # the caller inserts it in this transaction
                return candidate
        raise TrackerError(f"cannot give item {fp} a unique id")

    def _refresh_latest(self, session: Session, task_id: int) -> None:
        """Point the task at its newest current report: one UPDATE with the lookup inside it."""
        session.flush()  # the new report and the revision it replaced, as the lookup must see them
        session.execute(_statements().latest, {"tid": task_id})

    # ---- state changes and events --------------------------------------------------------

    def set_item_state(self, item_ref: str, state: str, *, reason: str | None = None,
                       actor: str | None = None, report_id: int | None = None,
                       line: int | None = None, evidence: str | None = None,
                       project: str | None = None, action: str | None = None) -> DeferredRow:
        """Move one item (by short id or unique prefix) to `state`, writing the event; for manual
        close/waive/reopen and for lifecycle code outside an ingest transaction."""
        if state not in ITEM_STATES:
            raise UsageError(f"unknown state {state!r}: use one of {', '.join(ITEM_STATES)}")
        with self.writing() as session:
            item = self.find_item(session, item_ref, project=project)
            self._set_state(session, item, state, utcnow(), report_id=report_id, line=line,
                            evidence=evidence, reason=reason, actor=actor, action=action)
            return item

    def find_item(self, session: Session, item_ref: str, *, project: str | None = None) -> DeferredRow:
        prefix = DeferredRow.short_id.startswith(item_ref.strip().lower(), autoescape=True)
        query = select(DeferredRow).where(prefix)
        if project:
            query = query.join(Project, Project.id == DeferredRow.project_id).where(Project.name == project)
        items = list(session.scalars(query.limit(2)))
        if not items:
            raise NotFoundError(f"no deferred item with id {item_ref!r}")
        if len(items) > 1:
            raise UsageError(f"item id {item_ref!r} is ambiguous: give more characters")
        return items[0]

    def _set_state(self, session: Session, item: DeferredRow, state: str, now: datetime, *,
                   report_id: int | None = None, line: int | None = None, evidence: str | None = None,
                   reason: str | None = None, actor: str | None = None, action: str | None = None,
                   rule: str | None = None, score: float | None = None,
                   lines: list[int] | None = None) -> None:
        """Change an item's state inside the caller's transaction, with its event.

        `closed`/`candidate` record the closing report, line and evidence; `waived` the reason;
        `withdrawn` remembers the state it left (restored when the item reappears); `open` after
        closed/waived (a reopen) forgets the closure.
        """
        before = item.state
        if state not in ITEM_STATES:
            raise UsageError(f"unknown state {state!r}: use one of {', '.join(ITEM_STATES)}")
        if state in ("closed", "candidate") and report_id is not None:
            item.closed_by_report_id, item.closed_line, item.evidence = report_id, line, evidence
            item.closure_rule, item.closure_score, item.closure_lines = rule, score, lines
        if state == "closed" and report_id is None:
            item.close_note = reason
        if state == "waived":
            item.waived_reason = reason
        if state == "withdrawn":
            item.withdrawn_from = before
        elif before == "withdrawn":
            item.withdrawn_from = None
        elif state == "open":
            item.closed_by_report_id = item.closed_line = item.evidence = None
            item.closure_rule = item.closure_score = item.closure_lines = None
            item.close_note = item.waived_reason = None
        item.state, item.state_changed_at = state, now
        self._event(session, action or state, project_id=item.project_id, task_id=item.task_id,
                    report_id=report_id, line=line, item_id=item.id, from_state=before, to_state=state,
                    reason=reason or evidence, actor=actor)

    def _event(self, session: Session, action: str, *, actor: str | None = None,
               project_id: int | None = None, task_id: int | None = None, report_id: int | None = None,
               item_id: int | None = None, from_state: str | None = None, to_state: str | None = None,
               reason: str | None = None, line: int | None = None) -> None:
        values = {"at": utcnow(), "actor": actor or self.actor, "action": action, "project_id": project_id,
                  "task_id": task_id, "report_id": report_id, "line": line, "item_id": item_id,
                  "from_state": from_state, "to_state": to_state, "reason": reason}
        pending = session.info.get(_PENDING_EVENTS)
        if pending is not None:  # `store_report` inserts them all at the end of its transaction
            pending.append(values)
        else:
            session.add(EventRow(**values))

    record_event = _event
    """Public name for lifecycle code writing its own events inside a store transaction."""

    def record_parse_failure(self, project: str, source: str, message: str, *,
                             root: str | None = None) -> None:
        """Keep a failed file on record (event `parse-failed`): the weekly summary counts them."""
        with self.writing() as session:
            proj = self._project(session, project, root)
            self._event(session, "parse-failed", project_id=proj.id, reason=f"{source}: {message}")

    set_state_in = _set_state
    """Public name: change an item's state (with event) inside a transaction the caller holds."""


@dataclass(frozen=True)
class _Statements:
    """The writer's per-report Core statements, built once (building one costs more than running it)."""

    latest: Any
    new_task: Any
    task_fields: Any


@lru_cache(maxsize=1)
def _statements() -> _Statements:
    from sqlalchemy import bindparam

    reports, tasks = ReportRow.__table__.c, Task.__table__
    newest = (select(reports.id).where(reports.task_id == bindparam("tid"), reports.is_current.is_(True))
              .order_by(reports.reported_at.desc(), reports.id.desc()).limit(1).scalar_subquery())
    return _Statements(
        latest=update(tasks).where(tasks.c.id == bindparam("tid")).values(latest_report_id=newest),
        new_task=insert(tasks),
        task_fields=update(tasks).where(tasks.c.id == bindparam("tid")).values(
            title=bindparam("new_title"), category=bindparam("new_category"), phase=bindparam("new_phase")),
    )


def _merge_by_fingerprint(items: list[DeferredItem],
                          task_id: str | None) -> dict[str, tuple[list[str], DeferredItem]]:
    """One entry per fingerprint: two parsed items that normalise alike are the same item."""
    from tracker.lifecycle import fingerprint

    merged: dict[str, tuple[list[str], DeferredItem]] = {}
    for parsed in items:
        terms = key_terms(parsed.text) or [parsed.text.strip().casefold()]
        fp = fingerprint(parsed, task_id)
        if fp in merged:
            first = merged[fp][1]
            lines = sorted(set(first.lines or [first.line]) | set(parsed.lines or [parsed.line]))
            merged[fp] = (merged[fp][0], first.model_copy(update={"lines": lines}))
        else:
            merged[fp] = (terms, parsed)
    return merged


def _best_match(candidates: list[DeferredRow], kind: str, terms: list[str],
                task_id: int) -> DeferredRow | None:
    best, best_score = None, FUZZY_MATCH
    for item in candidates:
        if item.kind != kind or item.task_id != task_id:
            continue
        score = similarity(item.terms.split(), terms)
        if score >= best_score:
            best, best_score = item, score
    return best


def _copy_item(item: DeferredRow, parsed: DeferredItem, terms: list[str], fp: str, report_id: int) -> None:
    item.fingerprint, item.terms = fp, " ".join(terms)
    item.kind, item.reason, item.target = parsed.kind, parsed.reason, parsed.target
    item.text, item.section = parsed.text, parsed.section
    item.line, item.end_line = parsed.line, parsed.end_line
    item.lines = list(parsed.lines or [parsed.line])
    item.last_seen_report_id = report_id
