"""The read side of plans: a project's imported plans held against its stored reports.

`plan_views` answers `tracker plan`, `plan_status` the short line of `tracker status`, and
`plan_task` the plan half of `tracker show TASK`. Reports come from the store (their parsed
JSON); report text is re-read from disk only for the evidence check. Whether a deferred item
still covers a check comes from the store's item states, not from the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, true

from tracker.errors import NotFoundError
from tracker.model import DeferredItem, Report
from tracker.plan.model import Plan, combine_plans, id_key
from tracker.store import Store
from tracker.store.plans import StoredPlan, stored_plans
from tracker.store.schema import DeferredRow, MentionRow, PlanRow, PlanTaskRow, Project, ReportRow, Task

if TYPE_CHECKING:
    from tracker.plan.compare import PlanComparison

UNSETTLED = ("open", "candidate")
"""Item states that still owe their check (as in `tracker.query`)."""


@dataclass
class PlanFileView:
    source: str
    format: str
    tasks: int
    phases: int
    updated_at: Any


@dataclass
class ProjectPlanView:
    """Everything `tracker plan` shows for one project; lists hold plain dicts (JSON-ready)."""

    project: str
    plans: list[PlanFileView]
    planned: int
    reported: int
    phases: list[dict[str, Any]]
    missing: list[dict[str, Any]]
    unplanned: list[dict[str, Any]]
    unidentified: list[str]
    runner: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    targets_not_in_plan: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


@dataclass
class PlanStatus:
    """The plan line of `tracker status`."""

    planned: int
    reported: int
    missing: int
    """Planned tasks without a report whose phase the plan does not itself put off."""
    missing_phases: list[str]
    """Phases with planned tasks and not one report."""
    put_off: int
    """Missing tasks of phases the plan defers (no report is due)."""
    unplanned: int
    runner: int
    targets_not_in_plan: int


@dataclass
class PlanTaskView:
    """The plan's side of `tracker show TASK`."""

    source: str
    line: int | None
    phase: str | None
    state: str
    action: str | None
    validation: str | None
    security: str | None
    runner: dict[str, Any] | None
    field_lines: dict[str, int] = field(default_factory=dict)
    """Plan line of each `**Label:**` field (action, validation, security, ...)."""
    verdict: str | None = None
    """evidenced / deferred / no evidence for the latest report (None without a Validation)."""
    checks: list[dict[str, Any]] = field(default_factory=list)


def project_plan(store: Store, project: str) -> Plan | None:
    plans = [p.plan for p in stored_plans(store, project)]
    return combine_plans(plans) if plans else None


def current_reports(store: Store, project: str) -> list[Report]:
    """The project's current report revisions as parsed, oldest report time first."""
    with store.session() as session:
        rows = session.scalars(
            select(ReportRow.parsed).join(Project, Project.id == ReportRow.project_id)
            .where(Project.name == project, ReportRow.is_current.is_(True))
            .order_by(ReportRow.reported_at, ReportRow.id))
        return [Report.model_validate(parsed) for parsed in rows]


@dataclass(frozen=True)
class Closure:
    """A deferred item someone or a later report closed: where the check was finally shown."""

    source: str | None
    line: int | None
    evidence: str | None


@dataclass
class ItemStates:
    """Stored states of the deferred items the current reports state, by (report path, line)."""

    states: dict[tuple[str, int], str] = field(default_factory=dict)
    closures: dict[tuple[str, int], Closure] = field(default_factory=dict)

    def is_open(self, report: Report, item: DeferredItem) -> bool:
        """`is_open` for the evidence check; a line the store does not know counts as open."""
        state = self.states.get((report.source, item.line))
        return state is None or state in UNSETTLED


def item_states(store: Store, project: str) -> ItemStates:
    from sqlalchemy.orm import aliased

    closer = aliased(ReportRow)
    with store.session() as session:
        rows = session.execute(
            select(ReportRow.source_path, MentionRow.line, MentionRow.lines, DeferredRow.state,
                   closer.source_path, DeferredRow.closed_line, DeferredRow.evidence, DeferredRow.close_note)
            .join(MentionRow, MentionRow.report_id == ReportRow.id)
            .join(DeferredRow, DeferredRow.id == MentionRow.item_id)
            .outerjoin(closer, closer.id == DeferredRow.closed_by_report_id)
            .join(Project, Project.id == ReportRow.project_id)
            .where(Project.name == project, ReportRow.is_current.is_(True)))
        found = ItemStates()
        for source, line, lines, state, closed_in, closed_line, evidence, note in rows:
            for number in {line, *(lines or [])}:
                found.states[(source, number)] = state
                if state == "closed":
                    found.closures[(source, number)] = Closure(closed_in, closed_line, evidence or note)
    return found


def credit_closures(plan: Plan, result: PlanComparison, reports: list[Report], states: ItemStates) -> None:
    """A check the task's own report put off and a later report (or a person) closed was done after
    all: the closing line is its evidence. Turns those "no evidence" checks into "evidenced"."""
    from tracker.plan.evidence import covered_by, split_checks

    by_source = {r.source: r for r in reports}
    for verdict in result.evidence:
        task = plan.task(verdict.task_id)
        if task is None or not task.validation or verdict.verdict == "evidenced":
            continue
        closed = [(item, states.closures[(source, item.line)]) for source in verdict.sources
                  if (report := by_source.get(source)) is not None
                  for item in report.deferred if (source, item.line) in states.closures]
        if not closed:
            continue
        checks = split_checks(task.validation)
        for check, evidence in zip(checks, verdict.checks, strict=False):
            if evidence.status == "evidenced":
                continue
            hit = next((closure for item, closure in closed if covered_by(check, item)), None)
            if hit is not None:
                evidence.status, evidence.source, evidence.line = "evidenced", hit.source, hit.line
                evidence.quote = f"closed: {hit.evidence}"[:200] if hit.evidence else "closed"
        statuses = {c.status for c in verdict.checks}
        if statuses == {"evidenced"}:
            verdict.verdict = "evidenced"
        elif statuses <= {"evidenced", "deferred"}:
            verdict.verdict = "deferred"


def _projects_with_plans(store: Store, project: str | None) -> dict[str, list[StoredPlan]]:
    grouped: dict[str, list[StoredPlan]] = {}
    for stored in stored_plans(store, project):
        grouped.setdefault(stored.project, []).append(stored)
    if project is not None and not grouped:
        raise NotFoundError(f"project {project!r} has no imported plan: run `tracker plan import FILE`")
    return grouped


def plan_views(store: Store, project: str | None = None) -> list[ProjectPlanView]:
    """`tracker plan`: per project with a plan, the comparison and its per-phase rows."""
    from tracker.plan.compare import by_phase, compare

    views = []
    for name, stored in _projects_with_plans(store, project).items():
        plan = combine_plans([s.plan for s in stored])
        reports, states = current_reports(store, name), item_states(store, name)
        result = compare(plan, reports, is_open=states.is_open)
        credit_closures(plan, result, reports, states)
        views.append(ProjectPlanView(
            project=name,
            plans=[PlanFileView(s.source, s.format, s.tasks, s.phases, s.updated_at) for s in stored],
            planned=len(plan.tasks), reported=len(result.matched),
            phases=[row.model_dump(mode="json") for row in by_phase(plan, result)],
            missing=[m.model_dump(mode="json") for m in result.missing],
            unplanned=[u.model_dump(mode="json") for u in result.unplanned],
            unidentified=result.unidentified,
            runner=[r.model_dump(mode="json") for r in result.runner],
            evidence=[v.model_dump(mode="json", exclude={"checks"}) | {
                "checks": [c.model_dump(mode="json") for c in v.checks]} for v in result.evidence],
            targets_not_in_plan=[t.model_dump(mode="json") for t in result.targets_not_in_plan],
            warnings=plan.warnings + result.warnings,
        ))
    return views


def plan_status(store: Store, project: str | None = None) -> dict[str, PlanStatus]:
    """The cheap comparison for `tracker status` (no report text is read): project → counts."""
    with store.session() as session:
        any_plan = select(PlanRow.id).join(Project, Project.id == PlanRow.project_id).where(
            true() if project is None else Project.name == project).limit(1)
        if session.scalar(any_plan) is None:
            return {}
    from tracker.plan.compare import match_reports, missing_tasks, runner_mismatches, stray_targets

    out = {}
    for name, stored in _projects_with_plans(store, project).items():
        plan = combine_plans([s.plan for s in stored])
        reports = current_reports(store, name)
        matched, unplanned, _ = match_reports(plan, reports)
        missing = missing_tasks(plan, matched)
        reported_phases = {plan.task(tid).phase for tid in matched if plan.task(tid)}
        planned_phases = {t.phase for t in plan.tasks}
        out[name] = PlanStatus(
            planned=len(plan.tasks), reported=len(matched),
            missing=sum(1 for m in missing if not m.phase_deferred),
            missing_phases=[p.id for p in plan.phases
                            if p.id in planned_phases and p.id not in reported_phases and not p.deferred],
            put_off=sum(1 for m in missing if m.phase_deferred), unplanned=len(unplanned),
            runner=len(runner_mismatches(plan, matched)),
            targets_not_in_plan=len(stray_targets(plan, reports)),
        )
    return out


def plan_task(store: Store, project: str, task_key: str, report: Report | None = None) -> PlanTaskView | None:
    """The plan's Action/Validation of one task and whether its latest report (or `report`)
    evidences the Validation. None when no imported plan of the project has the task."""
    plan = project_plan(store, project)
    task = plan.task(task_key) if plan else None
    if plan is None or task is None:
        return None
    source = next((s.source for s in stored_plans(store, project) if s.plan.task(task_key)), plan.source)
    view = PlanTaskView(source=source, line=task.line, phase=task.phase, state=task.state,
                        action=task.action, validation=task.validation, security=task.security,
                        runner=task.runner.model_dump(mode="json", exclude_none=True)
                        if task.runner else None, field_lines=dict(task.field_lines))
    if report is None:
        report = _latest_report(store, project, task_key)
    if report is not None and task.validation and id_key(report.task.id or "") == id_key(task.id):
        from tracker.plan.compare import compare

        single = plan.model_copy(update={"tasks": [task]})
        states = item_states(store, project)
        result = compare(single, [report], is_open=states.is_open)
        credit_closures(single, result, [report], states)
        if result.evidence:
            verdict = result.evidence[0]
            view.verdict = verdict.verdict
            view.checks = [c.model_dump(mode="json") for c in verdict.checks]
    return view


def _latest_report(store: Store, project: str, task_key: str) -> Report | None:
    with store.session() as session:
        parsed = session.scalar(
            select(ReportRow.parsed).join(Task, Task.latest_report_id == ReportRow.id)
            .join(Project, Project.id == Task.project_id)
            .where(Project.name == project, Task.task_key == task_key))
    return Report.model_validate(parsed) if parsed is not None else None


def planned_without_report(store: Store, task_key: str, project: str | None = None) -> str | None:
    """For `tracker show` of a task no report names: where the plan has it, as one line."""
    with store.session() as session:
        query = (select(Project.name, PlanRow.source_path, PlanTaskRow.line, PlanTaskRow.title)
                 .join(PlanRow, PlanRow.id == PlanTaskRow.plan_id)
                 .join(Project, Project.id == PlanRow.project_id)
                 .where(PlanTaskRow.task_key == task_key).order_by(Project.name, PlanRow.id))
        if project is not None:
            query = query.where(Project.name == project)
        found = session.execute(query.limit(1)).first()
    if found is None:
        return None
    name, source, line, title = found
    from tracker.render.formats import shown_path

    where = f"{shown_path(source)}:{line}" if line else shown_path(source)
    return f"task {task_key!r} ({title}) is planned in {where} (project {name}) but has no report yet"
