"""The database tables, as typed SQLAlchemy 2 ORM classes.

The Alembic migrations in `alembic/versions/` must produce exactly this metadata (a test compares
them), so every change here needs a new migration. Times are stored as naive UTC `DateTime`s;
what the report itself said (a date alone, an offset) is kept verbatim in the text columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ITEM_STATES = ("open", "candidate", "closed", "waived", "withdrawn")
"""Lifecycle states of a deferred item (issue 3, `tracker.lifecycle.ItemState`). `missed` and
`target not reported` are flags computed at read time, not states."""


def task_columns(task_id: str | None) -> dict[str, str | None]:
    """`task_ref`, `task_scheme`, `task_order` of a report whose parsed task id is `task_id`."""
    from tracker.lifecycle import order_text
    from tracker.taskids import task_key

    ref = task_id or None
    key = task_key(ref)
    if key is None:
        return {"task_ref": ref, "task_scheme": None, "task_order": None}
    return {"task_ref": ref, "task_scheme": key.scheme, "task_order": order_text(key.numbers)}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    root: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Task(Base):
    """One task of a project, however many report files and revisions speak about it."""

    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("project_id", "task_key"),
        Index(None, "task_key"),  # `tracker show TASK` without --project
        Index(None, "latest_report_id"),  # `tracker status`: which reports are some task's latest
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    task_key: Mapped[str] = mapped_column(String(200))
    """The task id as reports write it ("3.6", "I4.2", "01-02"); the file stem when none is given."""
    title: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(200))
    phase: Mapped[str | None] = mapped_column(String(200))
    latest_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", use_alter=True, ondelete="SET NULL")
    )
    """The newest current report revision of this task (by report time, then ingest order)."""
    created_at: Mapped[datetime] = mapped_column(DateTime)

    project: Mapped[Project] = relationship()
    latest_report: Mapped[ReportRow | None] = relationship(foreign_keys=[latest_report_id])


class ReportRow(Base):
    """One revision of one report file. Revisions are never deleted; `is_current` marks the newest."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("project_id", "source_path", "revision"),
        Index(None, "project_id", "source_path", "is_current"),
        Index(None, "task_id", "is_current"),
        Index(None, "project_id", "reported_at"),
        # `tracker status`: which current reports a deferral's target covers, the furthest task.
        Index("ix_reports_task_order", "project_id", "is_current", "task_order", "task_scheme", "task_ref"),
        # Deferred-item flags: a project's current reports in report order, without the table rows.
        Index("ix_reports_flag_inputs", "project_id", "is_current", "reported_at", "id", "task_ref",
              "completed", "source_path"),
        Index(None, "project_id", "status"),  # `tracker status`: tasks by status without report rows
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    source_path: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    mtime: Mapped[float | None] = mapped_column(Float)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    reported_at: Mapped[datetime] = mapped_column(DateTime)
    """When the report says the work happened (completed, else file mtime, else ingest time), UTC."""
    format: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    status_raw: Mapped[str | None] = mapped_column(Text)
    status_qualifier: Mapped[str | None] = mapped_column(Text)
    status_line: Mapped[int | None] = mapped_column(Integer)
    validation: Mapped[str | None] = mapped_column(String(20))
    validation_raw: Mapped[str | None] = mapped_column(Text)
    validation_qualifier: Mapped[str | None] = mapped_column(Text)
    validation_line: Mapped[int | None] = mapped_column(Integer)
    completed: Mapped[str | None] = mapped_column(String(40))
    started: Mapped[str | None] = mapped_column(String(40))
    task_title: Mapped[str | None] = mapped_column(Text)
    task_category: Mapped[str | None] = mapped_column(String(200))
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The whole `tracker parse --json` object of this revision."""
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Lines of this revision that may close deferred items (`closing.ReportEvidence.to_data()`),
    kept so an item opened later (out-of-order ingest) can be matched without the file."""
    task_ref: Mapped[str | None] = mapped_column(Text)
    """The task id as the report wrote it (`parsed.task.id`; None when it gave none), so listings
    never read the `parsed` JSON. Filled by `task_columns`."""
    task_scheme: Mapped[str | None] = mapped_column(Text)
    """`taskids.task_key(task_ref).scheme`."""
    task_order: Mapped[str | None] = mapped_column(Text)
    """`task_key(task_ref).numbers` as text whose sort order is the tuple's (`order_text`)."""
    parser_version: Mapped[str | None] = mapped_column(String(16))
    """`tracker.parser_version.parser_version()` of the parser that read it (None: one before 0006)."""

    task_columns = staticmethod(task_columns)
    """`ReportRow(..., **ReportRow.task_columns(report.task.id))`: what ingest writes."""

    task: Mapped[Task] = relationship(foreign_keys=[task_id])
    project: Mapped[Project] = relationship()
    checklist: Mapped[list[ChecklistRow]] = relationship(
        order_by="ChecklistRow.position", cascade="all, delete-orphan", passive_deletes=True
    )
    files: Mapped[list[FileChangeRow]] = relationship(
        order_by="FileChangeRow.position", cascade="all, delete-orphan", passive_deletes=True
    )


class ChecklistRow(Base):
    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    section: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)


class FileChangeRow(Base):
    __tablename__ = "file_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text, index=True)
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)


class DeferredRow(Base):
    """A deferred check or postponed piece of work, owned by a task, living across report revisions.

    Identity is (task, fingerprint): the kind plus the normalised key terms of the text, never line
    numbers, so an edited report keeps the item (and its state). `short_id` never changes.
    """

    __tablename__ = "deferred_items"
    __table_args__ = (
        UniqueConstraint("task_id", "fingerprint"),
        Index(None, "project_id", "state"),
        Index(None, "state", "opened_at"),  # `tracker deferred` across projects, oldest first
        Index(None, "task_id", "state"),
        Index(None, "project_id", "target"),
        # `tracker status`: the targets still owed, and (covering) the items aimed at them
        Index("ix_deferred_items_owed_targets", "state", "target", "project_id", "first_seen_report_id",
              "task_id"),
        Index(None, "state", "kind", "task_id"),  # `tracker status`: unverified passes
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    short_id: Mapped[str] = mapped_column(String(16), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    terms: Mapped[str] = mapped_column(Text)
    """Space-separated sorted key terms: lets a reworded item still match its earlier self."""
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)
    end_line: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list[int]] = mapped_column(JSON)
    first_seen_report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    last_seen_report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    """Report time of the first report that deferred it: ages count from here."""
    state: Mapped[str] = mapped_column(String(20))
    state_changed_at: Mapped[datetime] = mapped_column(DateTime)
    closed_by_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="SET NULL")
    )
    closed_line: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[str | None] = mapped_column(Text)
    """For `closed` and `candidate`: the report, line and text that close (or may close) the item."""
    closure_rule: Mapped[str | None] = mapped_column(String(20))
    """How it was closed: explicit-id, explicit, evidence (`tracker.lifecycle.ClosureRule`)."""
    closure_score: Mapped[float | None] = mapped_column(Float)
    closure_lines: Mapped[list[int] | None] = mapped_column(JSON)
    close_note: Mapped[str | None] = mapped_column(Text)
    """A person's note when closing by hand."""
    waived_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_from: Mapped[str | None] = mapped_column(String(20))
    """The state before withdrawal, restored when the item reappears in a later revision."""

    task: Mapped[Task] = relationship(foreign_keys=[task_id])
    first_seen_report: Mapped[ReportRow] = relationship(foreign_keys=[first_seen_report_id])
    last_seen_report: Mapped[ReportRow] = relationship(foreign_keys=[last_seen_report_id])
    closed_by_report: Mapped[ReportRow | None] = relationship(foreign_keys=[closed_by_report_id])


class MentionRow(Base):
    """Where one report revision states a deferred item: the item's history across revisions and
    copies, and the test for withdrawal (no current revision states it any more)."""

    __tablename__ = "item_mentions"
    __table_args__ = (UniqueConstraint("item_id", "report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("deferred_items.id", ondelete="CASCADE"))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    end_line: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list[int]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)


class CandidateRow(Base):
    """A later report line that may close an item: shown for review, never a silent close (issue 3)."""

    __tablename__ = "closure_candidates"
    __table_args__ = (UniqueConstraint("item_id", "report_id", "line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("deferred_items.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    """pending, confirmed or rejected (a rejected one is never proposed again)."""
    created_at: Mapped[datetime] = mapped_column(DateTime)

    item: Mapped[DeferredRow] = relationship()
    report: Mapped[ReportRow] = relationship()


class EventRow(Base):
    """Who changed what, when and why: every state change of a report or item writes one."""

    __tablename__ = "events"
    __table_args__ = (
        Index(None, "project_id", "at"),
        Index(None, "report_id"),  # `tracker weekly`: a window's events from its reports
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("deferred_items.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int | None] = mapped_column(Integer)
    """The line of `report_id` the event is about (the deferral, or the closing evidence)."""
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)


class PlanRow(Base):
    """One imported plan file of a project (a RALPH list, a runner PRD.json, a GSD ROADMAP.md).

    `data` is the whole `tracker.plan.model.Plan` as JSON: re-import diffs against it and
    `tracker plan` rebuilds the plan from it without the file. The task and phase rows are the
    same facts in queryable form (`tracker show TASK` looks a task up by key).
    """

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("project_id", "source_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    source_path: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    phases: Mapped[list[PlanPhaseRow]] = relationship(
        order_by="PlanPhaseRow.position", cascade="all, delete-orphan", passive_deletes=True
    )
    tasks: Mapped[list[PlanTaskRow]] = relationship(
        order_by="PlanTaskRow.position", cascade="all, delete-orphan", passive_deletes=True
    )


class PlanPhaseRow(Base):
    __tablename__ = "plan_phases"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    phase_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    goal: Mapped[str | None] = mapped_column(Text)
    deferred: Mapped[bool] = mapped_column(Boolean)
    line: Mapped[int | None] = mapped_column(Integer)


class PlanTaskRow(Base):
    """A planned task: the plan's Action/Validation and the runner's recorded state."""

    __tablename__ = "plan_tasks"
    __table_args__ = (Index(None, "task_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    task_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    phase: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20))
    action: Mapped[str | None] = mapped_column(Text)
    validation: Mapped[str | None] = mapped_column(Text)
    security: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    runner: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    inferred: Mapped[bool] = mapped_column(Boolean)


class ReadCacheRow(Base):
    """An answer of a read command kept beside the data it was computed from.

    `mark` is the newest event id when it was computed: every change to reports or items writes
    an event, so a row whose mark is not the newest event id is stale and never used. Writers
    refresh it after a batch (`tracker.query.refresh_status_cache`); readers fall back to
    computing when it is stale, so it only ever saves time, never changes an answer.
    """

    __tablename__ = "read_cache"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    """Which computation wrote `payload` (a changed computation must not trust an old payload)."""
    mark: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
