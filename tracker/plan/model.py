"""Pydantic models of an imported plan: what should happen, as opposed to what reports say happened.

The store half of the plan feature persists these and the CLI prints them, so the
shape is a contract like `tracker.model.Report`: add fields freely, never rename.
Task ids use the same scheme as parsed reports ("3.6", GSD "02-01") so the two match.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tracker.errors import TrackerError

PlanFormat = Literal["ralph", "prd-json", "gsd-roadmap"]
TaskState = Literal["planned", "in_progress", "done", "blocked", "question"]


class PlanError(TrackerError):
    """A plan file that cannot be read as a plan (unknown layout, bad JSON, no tasks)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunnerState(_Model):
    """What an autonomous runner recorded for a task (ralph-runner PRD.json), kept as given."""

    passes: bool | None = None
    in_progress: bool | None = None
    blocked: bool | None = None
    started_at: str | None = None
    completed_at: str | None = None


class Criterion(_Model):
    """One success/acceptance criterion; checked is None when it carries no checkbox."""

    text: str
    line: int
    checked: bool | None = None
    section: str | None = None


class PlanTask(_Model):
    id: str
    title: str
    phase: str | None = None
    category: str | None = None
    state: TaskState = "planned"
    action: str | None = None
    validation: str | None = None
    security: str | None = None
    fields: dict[str, str] = Field(default_factory=dict)
    """Other `**Label:** value` lines under the task, by label."""
    field_lines: dict[str, int] = Field(default_factory=dict)
    line: int | None = None
    runner: RunnerState | None = None
    inferred: bool = False
    """True when the task was not written out but derived (GSD "3/3 plans" → 01-01..01-03)."""


class PlanPhase(_Model):
    id: str
    title: str | None = None
    line: int | None = None
    state: TaskState = "planned"
    goal: str | None = None
    criteria: list[Criterion] = Field(default_factory=list)
    plan_count: int | None = None
    plans_done: int | None = None
    milestone: str | None = None
    deferred: bool = False
    """The plan itself puts this phase off (a "Deferred"/"Backlog"/"Future" phase): no report is due."""


class PlanPosition(_Model):
    """Where a GSD project says it stands (STATE.md "Current Position")."""

    source: str
    phase: str | None = None
    plan: str | None = None
    status: str | None = None
    milestone: str | None = None
    stopped_at: str | None = None
    line: int | None = None


class Plan(_Model):
    source: str
    format: PlanFormat
    title: str | None = None
    phases: list[PlanPhase] = Field(default_factory=list)
    tasks: list[PlanTask] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    """Checkbox items outside any task (milestone acceptance criteria)."""
    position: PlanPosition | None = None
    warnings: list[str] = Field(default_factory=list)

    def task(self, task_id: str) -> PlanTask | None:
        key = id_key(task_id)
        return next((t for t in self.tasks if id_key(t.id) == key), None)

    def phase(self, phase_id: str) -> PlanPhase | None:
        key = id_key(phase_id)
        return next((p for p in self.phases if id_key(p.id) == key), None)


_NUMBER = re.compile(r"\d+")


def id_key(task_id: str) -> str:
    """Comparable form of a task id: "01-02" and "1-2" match, "Task 3.6" and "3.6" match."""
    text = task_id.strip().lower()
    text = re.sub(r"^(task|plan|phase)\s*[#:]?\s*", "", text)
    return _NUMBER.sub(lambda m: str(int(m.group())), text)


def phase_of(task_id: str) -> str | None:
    """The phase a task id names by its first number ("3.6" → "3", "02-01" → "2", "02.1-01" → "2.1")."""
    text = task_id.strip()
    match = re.match(r"[A-Za-z]{0,2}(\d+(?:\.\d+)?)-\d+$", text) or re.match(r"[A-Za-z]{0,2}(\d+)\.\d", text)
    if match is None:
        return None
    return ".".join(str(int(part)) for part in match.group(1).split("."))


def plan_id(phase_id: str, number: int) -> str:
    """GSD's plan id: phase 2 plan 1 → "02-01"; inserted phase 2.1 plan 1 → "02.1-01"."""
    major, _, minor = phase_id.partition(".")
    return f"{int(major):02d}{'.' + minor if minor else ''}-{number:02d}"


def combine_plans(plans: list[Plan]) -> Plan:
    """One view over a project's plan files (a RALPH list for phases 1-2, a GSD roadmap after it),
    so a report or deferral target found in either counts as planned. The first file wins a clash."""
    if not plans:
        raise ValueError("combine_plans needs at least one plan")
    first = plans[0]
    combined = Plan(source=" + ".join(p.source for p in plans), format=first.format, title=first.title,
                    position=next((p.position for p in plans if p.position is not None), None))
    seen: dict[str, str] = {}
    phases: dict[str, PlanPhase] = {}
    for plan in plans:
        combined.warnings.extend(plan.warnings)
        combined.criteria.extend(plan.criteria)
        for phase in plan.phases:
            phases.setdefault(id_key(phase.id), phase)
        for task in plan.tasks:
            key = id_key(task.id)
            if key in seen:
                combined.warnings.append(
                    f"{plan.source}:{task.line}: task {task.id} is already planned in {seen[key]}; ignored")
                continue
            seen[key] = plan.source
            combined.tasks.append(task)
    combined.phases = list(phases.values())
    return combined
