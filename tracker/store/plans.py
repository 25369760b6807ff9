"""Plan persistence: `tracker plan import` writes a plan file's tasks and phases, and re-import
records what changed (tasks added, removed, renamed, renumbered, edited) as events.

A project may have several plan files (a RALPH list for early phases, a GSD roadmap later);
`stored_plans` returns them in import order so `combine_plans` lets the first file win a clash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.errors import UsageError
from tracker.plan.model import Plan
from tracker.store.schema import PlanPhaseRow, PlanRow, PlanTaskRow, Project, Task
from tracker.store.store import Store, utcnow

if TYPE_CHECKING:  # diff reads markup through the parser: only import it when a plan changed
    from tracker.plan.diff import PlanChange, PlanDiff


@dataclass
class PlanImport:
    """What one `tracker plan import` did."""

    outcome: Literal["imported", "updated", "unchanged"]
    project: str
    source: str
    format: str
    tasks: int
    phases: int
    changes: list[PlanChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        """The JSON of `tracker plan import --format json` (one object per file)."""
        return {"file": self.source, "project": self.project, "outcome": self.outcome, "format": self.format,
                "tasks": self.tasks, "phases": self.phases,
                "changes": [change.model_dump(mode="json") for change in self.changes],
                "warnings": list(self.warnings)}

    def line(self, shown_source: str | None = None) -> str:
        """One line for the terminal; `shown_source` is the path as the user should read it."""
        head = (f"{self.outcome} {shown_source or self.source}: {self.format}, {self.tasks} tasks in "
                f"{self.phases} phases")
        if self.outcome == "updated":
            counts: dict[str, int] = {}
            for change in self.changes:
                counts[change.kind] = counts.get(change.kind, 0) + 1
            head += " (" + (", ".join(f"{n} {kind}" for kind, n in counts.items()) or "no task changes") + ")"
        return f"{head} → project {self.project}"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def choose_project(store: Store, path: Path, given: str | None) -> str:
    """`--project`, else the project named like the plan's folder (the folder above `.planning/`
    for GSD), else the only project in the database, else the folder's name for a first import."""
    if given is not None:
        if not given.strip():
            raise UsageError("--project must not be empty")
        return given
    folder = path.resolve().parent
    if folder.name == ".planning":
        folder = folder.parent
    with store.session() as session:
        names = list(session.scalars(select(Project.name).order_by(Project.name)))
    if folder.name in names:
        return folder.name
    if len(names) == 1:
        return names[0]
    if not names:
        return folder.name
    raise UsageError(f"which project is this plan for? give --project (one of: {', '.join(names)})",
                     path=str(path))


def import_plan(store: Store, project: str, plan: Plan, sha256: str, *,
                root: str | None = None) -> PlanImport:
    """Store `plan` (its `source` names the file) as the project's copy of that file, in one
    transaction; a changed plan replaces its rows and writes one event per task change."""
    data = plan.model_dump(mode="json")
    with store.writing() as session:
        proj = store._project(session, project, root)
        row = session.scalar(select(PlanRow).where(PlanRow.project_id == proj.id,
                                                   PlanRow.source_path == plan.source))
        now = utcnow()
        result = PlanImport("imported", project, plan.source, plan.format, len(plan.tasks),
                            len(plan.phases), warnings=list(plan.warnings))
        if row is None:
            row = PlanRow(project_id=proj.id, source_path=plan.source, imported_at=now)
            session.add(row)
            _fill(session, row, plan, data, sha256, now)
            store.record_event(session, "plan-import", project_id=proj.id,
                               reason=f"{plan.source}: {len(plan.tasks)} tasks ({plan.format})")
            return result
        if row.data == data:
            row.sha256 = sha256
            result.outcome = "unchanged"
            return result
        from tracker.plan.diff import diff_plans

        changes = diff_plans(Plan.model_validate(row.data), plan)
        _fill(session, row, plan, data, sha256, now)
        _record_changes(store, session, proj.id, plan.source, changes)
        result.outcome, result.changes = "updated", changes.changes
        return result


def _fill(session: Session, row: PlanRow, plan: Plan, data: dict, sha256: str, now: datetime) -> None:
    row.format, row.title, row.sha256, row.updated_at, row.data = plan.format, plan.title, sha256, now, data
    session.flush()
    session.execute(delete(PlanPhaseRow).where(PlanPhaseRow.plan_id == row.id))
    session.execute(delete(PlanTaskRow).where(PlanTaskRow.plan_id == row.id))
    session.add_all(
        PlanPhaseRow(plan_id=row.id, position=i, phase_key=p.id, title=p.title, state=p.state, goal=p.goal,
                     deferred=p.deferred, line=p.line)
        for i, p in enumerate(plan.phases))
    session.add_all(
        PlanTaskRow(plan_id=row.id, position=i, task_key=t.id, title=t.title, phase=t.phase,
                    category=t.category, state=t.state, action=t.action, validation=t.validation,
                    security=t.security, line=t.line, inferred=t.inferred,
                    runner=t.runner.model_dump(mode="json", exclude_none=True) if t.runner else None)
        for i, t in enumerate(plan.tasks))
    session.flush()


def _record_changes(store: Store, session: Session, project_id: int, source: str, changes: PlanDiff) -> None:
    task_ids = dict(session.execute(
        select(Task.task_key, Task.id).where(Task.project_id == project_id)).all())
    for change in changes.changes:
        where = f"{source}:{change.line}" if change.line else source
        if change.kind in ("renamed", "renumbered"):
            old = f"{change.old_id or change.task_id} {change.old_title or change.title}"
            reason = f"{old} → {change.task_id} {change.title} ({where})"
        elif change.kind == "changed":
            reason = f"{change.task_id} {change.title}: {', '.join(change.fields)} changed ({where})"
        else:
            reason = f"{change.task_id} {change.title} ({where})"
        store.record_event(session, f"plan-{change.kind}", project_id=project_id,
                           task_id=task_ids.get(change.task_id), line=change.line, reason=reason)


@dataclass(frozen=True)
class StoredPlan:
    project: str
    source: str
    format: str
    tasks: int
    phases: int
    imported_at: datetime
    updated_at: datetime
    plan: Plan


def stored_plans(store: Store, project: str | None = None) -> list[StoredPlan]:
    """Every imported plan (of `project`), by project name then import order."""
    with store.session() as session:
        query = (select(PlanRow, Project.name).join(Project, Project.id == PlanRow.project_id)
                 .order_by(Project.name, PlanRow.id))
        if project is not None:
            query = query.where(Project.name == project)
        out = []
        for row, name in session.execute(query):
            plan = Plan.model_validate(row.data)
            out.append(StoredPlan(name, row.source_path, row.format, len(plan.tasks), len(plan.phases),
                                  row.imported_at, row.updated_at, plan))
        return out


def plan_sources(store: Store) -> dict[str, list[str]]:
    """Imported plan file path → the projects that imported it (for `ingest --watch`)."""
    with store.session() as session:
        rows = session.execute(select(PlanRow.source_path, Project.name)
                               .join(Project, Project.id == PlanRow.project_id))
        out: dict[str, list[str]] = {}
        for source, name in rows:
            out.setdefault(source, []).append(name)
        return out


def import_plan_file(store: Store, path: Path | str, project: str | None = None) -> PlanImport:
    """Read a plan file of any known layout (PlanError when it is none) and store it."""
    from tracker.plan.detect import load_plan

    path = Path(path)
    if not path.is_file():
        raise UsageError("no such file", path=str(path))
    resolved = path.resolve()
    plan = load_plan(resolved)
    name = choose_project(store, resolved, project)
    return import_plan(store, name, plan, file_sha256(resolved), root=str(resolved.parent))
