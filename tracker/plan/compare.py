"""Hold a plan against the reports: what is missing, unplanned, contradicted or unevidenced.

Pure functions over a `Plan` and parsed `Report`s; the store and the CLI decide what to keep
and how to print. Report text is re-read only for the evidence check (it needs the lines).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

from pydantic import Field

from tracker.errors import TrackerError
from tracker.model import TARGET_WORDS, Report
from tracker.parse.document import Document, read_document
from tracker.parse.pipeline import read_report_text
from tracker.plan.evidence import EvidenceVerdict, IsOpen, assess
from tracker.plan.model import Plan, PlanTask, _Model, id_key, phase_of
from tracker.taskids import target_covers


class MissingTask(_Model):
    task_id: str
    title: str
    phase: str | None = None
    line: int | None = None
    phase_deferred: bool = False
    """The plan itself postpones this task's phase, so no report is due yet."""


class UnplannedReport(_Model):
    source: str
    task_id: str
    line: int | None = None
    phase_known: bool = False
    """The plan has the report's phase, just not this task (e.g. a GSD phase whose plans are TBD)."""


class RunnerMismatch(_Model):
    task_id: str
    runner: str
    """passed / blocked / in_progress / not started, as the runner (or the agent's checkbox) recorded it."""
    via: Literal["runner", "checkbox"] = "runner"
    """Runner state file, or a RALPH checkbox the agent ticks ([x] on pass, [!] on failure)."""
    report_status: str | None = None
    source: str | None = None
    line: int | None = None
    kind: Literal["passed without report", "status disagrees"]


class StrayTarget(_Model):
    """A deferred item pointing at a task the plan does not have (`target not in plan`)."""

    source: str
    task_id: str | None = None
    target: str
    line: int
    text: str


class PlanComparison(_Model):
    plan: str
    matched: dict[str, list[str]] = Field(default_factory=dict)
    """Plan task id → report sources, in the order given."""
    missing: list[MissingTask] = Field(default_factory=list)
    unplanned: list[UnplannedReport] = Field(default_factory=list)
    unidentified: list[str] = Field(default_factory=list)
    """Reports with no task id: they cannot be matched to anything."""
    runner: list[RunnerMismatch] = Field(default_factory=list)
    targets_not_in_plan: list[StrayTarget] = Field(default_factory=list)
    evidence: list[EvidenceVerdict] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def missing_phases(self, plan: Plan) -> list[str]:
        """Phases with tasks where no task has a report at all."""
        reported = {phase_of_task(plan, tid) for tid in self.matched}
        planned = {t.phase for t in plan.tasks}
        return [p.id for p in plan.phases if p.id in planned and p.id not in reported]


def phase_of_task(plan: Plan, task_id: str) -> str | None:
    task = plan.task(task_id)
    return task.phase if task else phase_of(task_id)


Matched = dict[str, list[Report]]


def match_reports(plan: Plan, reports: list[Report]) -> tuple[Matched, list[Report], list[Report]]:
    """(plan task id → its reports, reports naming an unplanned task, reports with no task id)."""
    by_key = {id_key(t.id): t.id for t in plan.tasks}
    matched: dict[str, list[Report]] = {}
    unplanned: list[Report] = []
    unidentified: list[Report] = []
    for report in reports:
        if not report.task.id:
            unidentified.append(report)
            continue
        task_id = by_key.get(id_key(report.task.id))
        if task_id is None:
            unplanned.append(report)
        else:
            matched.setdefault(task_id, []).append(report)
    return matched, unplanned, unidentified


def missing_tasks(plan: Plan, matched: Mapping[str, list[Report]]) -> list[MissingTask]:
    deferred_phases = {p.id for p in plan.phases if p.deferred}
    return [
        MissingTask(task_id=t.id, title=t.title, phase=t.phase, line=t.line,
                    phase_deferred=t.phase in deferred_phases)
        for t in plan.tasks if t.id not in matched
    ]


def runner_mismatches(plan: Plan, matched: Mapping[str, list[Report]]) -> list[RunnerMismatch]:
    """Runner state against the latest report. A checkbox counts only when someone changed it:
    an untouched `[ ]` beside a PASS report is a stale plan copy, not a claim."""
    out: list[RunnerMismatch] = []
    for task in plan.tasks:
        claim = _claim(task)
        if claim is None:
            continue
        runner, via = claim
        reports = matched.get(task.id, [])
        if not reports:
            if runner == "passed":
                out.append(RunnerMismatch(task_id=task.id, runner=runner, via=via, line=task.line,
                                          kind="passed without report"))
            continue
        latest = reports[-1]
        status = latest.status.value
        if _disagrees(runner, status):
            out.append(RunnerMismatch(task_id=task.id, runner=runner, via=via, report_status=status,
                                      source=latest.source, line=latest.status.line,
                                      kind="status disagrees"))
    return out


def _claim(task: PlanTask) -> tuple[str, Literal["runner", "checkbox"]] | None:
    runner = task.runner
    if runner is not None:
        if runner.passes:
            return "passed", "runner"
        if runner.blocked:
            return "blocked", "runner"
        return ("in_progress" if runner.in_progress else "not started"), "runner"
    if task.inferred:
        return None  # derived from a plan count, nobody ticked it
    if task.state == "done":
        return "passed", "checkbox"
    if task.state == "blocked":
        return "blocked", "checkbox"
    return None


def _disagrees(runner: str, status: str) -> bool:
    if status == "unknown":
        return False
    if runner == "passed":
        return status != "pass"
    if runner == "blocked":
        return status not in ("blocked", "fail")
    return status == "pass"  # the report claims a pass the runner never recorded


def stray_targets(plan: Plan, reports: list[Report]) -> list[StrayTarget]:
    """Deferred items aimed at a task id the plan lacks ("3.7" in a plan that jumps to 4.1)."""
    ids = [t.id for t in plan.tasks]
    out: list[StrayTarget] = []
    for report in reports:
        for item in report.deferred:
            target = item.target
            if not target or target in TARGET_WORDS or not any(ch.isdigit() for ch in target):
                continue
            if any(target_covers(target, tid) for tid in ids) or plan.phase(target) is not None:
                continue
            out.append(StrayTarget(source=report.source, task_id=report.task.id, target=target,
                                   line=item.line, text=item.text))
    return out


def compare(plan: Plan, reports: list[Report], *, texts: Mapping[str, str | Document] | None = None,
            is_open: IsOpen | None = None) -> PlanComparison:
    """Everything `tracker plan` shows. `texts` maps report source → its text or already-read
    Document (read from disk if absent); `is_open` tells which deferred items are still open
    (all of them without the lifecycle)."""
    matched, unplanned, unidentified = match_reports(plan, reports)
    result = PlanComparison(plan=plan.source)
    result.matched = {tid: [r.source for r in rs] for tid, rs in matched.items()}
    result.missing = missing_tasks(plan, matched)
    phases = {p.id for p in plan.phases}
    result.unplanned = [
        UnplannedReport(source=r.source, task_id=r.task.id or "", line=r.task.line,
                        phase_known=(r.task.phase or phase_of(r.task.id or "")) in phases)
        for r in unplanned
    ]
    result.unidentified = [r.source for r in unidentified]
    result.runner = runner_mismatches(plan, matched)
    result.targets_not_in_plan = stray_targets(plan, reports)
    load = _loader(texts, result.warnings)
    for task in plan.tasks:
        if not task.validation or task.id not in matched:
            continue
        docs = [(r, d) for r in matched[task.id] if (d := load(r)) is not None]
        if not docs:
            continue
        verdict = assess(task, docs, is_open=is_open)
        if verdict is not None:
            result.evidence.append(verdict)
    return result


def _loader(texts: Mapping[str, str | Document] | None,
            warnings: list[str]) -> Callable[[Report], Document | None]:
    def load(report: Report) -> Document | None:
        try:
            known = texts.get(report.source) if texts else None
            if isinstance(known, Document):
                return known
            text = known if known is not None else read_report_text(report.source)
            return read_document(text, report.source)
        except TrackerError as exc:
            warnings.append(f"{exc} (evidence not checked)")
            return None
    return load


class PhaseSummary(_Model):
    """One row of `tracker plan`: a phase and everything the comparison found in it."""

    phase: str | None
    title: str | None = None
    deferred: bool = False
    planned: int = 0
    reported: int = 0
    missing: list[str] = Field(default_factory=list)
    unplanned: list[str] = Field(default_factory=list)
    runner: list[str] = Field(default_factory=list)
    evidenced: list[str] = Field(default_factory=list)
    deferred_checks: list[str] = Field(default_factory=list)
    no_evidence: list[str] = Field(default_factory=list)
    targets_not_in_plan: list[str] = Field(default_factory=list)


def by_phase(plan: Plan, result: PlanComparison) -> list[PhaseSummary]:
    """The comparison grouped per phase, in plan order; reports of unknown phases come last."""
    rows: dict[str | None, PhaseSummary] = {
        p.id: PhaseSummary(phase=p.id, title=p.title, deferred=p.deferred) for p in plan.phases
    }

    def row(phase: str | None) -> PhaseSummary:
        return rows.setdefault(phase, PhaseSummary(phase=phase))

    for task in plan.tasks:
        summary = row(task.phase)
        summary.planned += 1
        summary.reported += task.id in result.matched
    for missing in result.missing:
        row(missing.phase).missing.append(missing.task_id)
    for unplanned in result.unplanned:
        row(phase_of(unplanned.task_id)).unplanned.append(unplanned.task_id)
    for mismatch in result.runner:
        row(phase_of_task(plan, mismatch.task_id)).runner.append(mismatch.task_id)
    for verdict in result.evidence:
        summary = row(phase_of_task(plan, verdict.task_id))
        bucket = {"evidenced": summary.evidenced, "deferred": summary.deferred_checks,
                  "no evidence": summary.no_evidence}[verdict.verdict]
        bucket.append(verdict.task_id)
    for stray in result.targets_not_in_plan:
        row(phase_of_task(plan, stray.task_id) if stray.task_id else None).targets_not_in_plan.append(
            f"{stray.task_id} → {stray.target}")
    return list(rows.values())
