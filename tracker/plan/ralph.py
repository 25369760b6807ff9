"""RALPH-style task lists: `- [ ] **3.6** [Infra] Title` items under phase headings, with
indented `**Action:**`, `**Validation:**`, `**Security:**` lines.

Fields attach to the most recent task until the next task or heading, not to the task's
list subtree: real lists indent a task one level too deep now and then, which makes
markdown put its fields beside it rather than under it.
"""

from __future__ import annotations

import re

from tracker.parse.document import Block, Document
from tracker.plan.fields import labelled, labelled_lines, read_plan_document, strip_markup
from tracker.plan.model import Criterion, Plan, PlanError, PlanPhase, PlanTask, TaskState, phase_of

_STATES: dict[str, TaskState] = {
    " ": "planned", "x": "done", "X": "done", "!": "blocked", "?": "question",
    "~": "in_progress", "/": "in_progress", "-": "in_progress",
}
_BOX = re.compile(r"^\[(?P<mark>[ xX!?~/-])\]\s+")
_TASK = re.compile(
    r"^(?:\*\*(?:task\s+)?(?P<bold>[A-Za-z]{0,3}\d+(?:[.-]\d+)*)\.?:?\*\*:?"  # **3.6**, **Task 3.6:**
    r"|(?P<plain>\d+(?:\.\d+)+)[:.]?(?=\s))"  # 3.6 (a bare id must be dotted)
    r"\s*(?:\[(?P<category>[^\]]{1,40})\])?\s*(?P<title>.*)$",
    re.DOTALL | re.IGNORECASE,
)
_PHASE_HEADING = re.compile(
    r"^\W*(?:phase|stage|milestone)\s+(?P<id>\d+(?:\.\d+)?)\s*[:.)—–-]*\s*(?P<title>.*)$", re.IGNORECASE
)
_DEFERRED_PHASE = re.compile(
    r"\b(deferred|backlog|icebox|future|post[-–— ]?(?:milestone|launch|mvp|v\d)|out of scope|later)\b",
    re.IGNORECASE,
)
_KNOWN_FIELDS = {"action": "action", "validation": "validation", "security": "security"}

RALPH_TASK_LINE = re.compile(
    r"^\s*[-*+]\s+\[[ xX!?~/-]\]\s+\*\*(?:task\s+)?[A-Za-z]{0,3}\d+(?:[.-]\d+)*\.?:?\*\*",
    re.MULTILINE | re.IGNORECASE,
)
"""What makes a markdown file a RALPH task list (used by format detection)."""


def read_ralph(text: str, source: str) -> Plan:
    doc = read_plan_document(text, source)
    plan = Plan(source=source, format="ralph", title=_title(doc), warnings=list(doc.warnings))
    phases: dict[str, PlanPhase] = {}
    heading_phase: PlanPhase | None = None
    current: PlanTask | None = None
    for block in doc.blocks:
        if block.kind == "heading":
            current = None
            heading_phase = _phase_from_heading(block, phases)
            continue
        if block.kind not in ("item", "paragraph"):
            continue
        task = _task_from_item(block) if block.kind == "item" else None
        if task is not None:
            _place(task, heading_phase, phases, plan)
            current = task
            for label, value, line in labelled_lines(list(block.raw_lines())[1:]):
                _attach(task, (label, value), line)
            continue
        fields = labelled_lines(block.raw_lines()) if labelled(block.raw) else []
        if fields and current is not None:
            for label, value, line in fields:
                _attach(current, (label, value), line)
        elif block.kind == "item" and current is None:
            criterion = _criterion(block)
            if criterion is not None:
                plan.criteria.append(criterion)
    if not plan.tasks:
        raise PlanError("no tasks found (expected items like `- [ ] **1.1** Title`)", path=source)
    plan.phases = sorted(phases.values(), key=lambda p: _numeric(p.id))
    _check_duplicates(plan)
    return plan


def _title(doc: Document) -> str | None:
    return next((b.text for b in doc.blocks if b.kind == "heading" and b.level == 1), None)


def _phase_from_heading(block: Block, phases: dict[str, PlanPhase]) -> PlanPhase | None:
    match = _PHASE_HEADING.match(block.text)
    if match is None:
        return None if block.level <= 2 else _enclosing_phase(block, phases)
    phase_id = ".".join(str(int(p)) for p in match.group("id").split("."))
    title = match.group("title").strip() or None
    phase = phases.get(phase_id)
    if phase is None:
        phase = phases[phase_id] = PlanPhase(id=phase_id, title=title, line=block.line)
    elif phase.line is None:
        phase.title, phase.line = title, block.line
    phase.deferred = bool(title and _DEFERRED_PHASE.search(title))
    return phase


def _enclosing_phase(block: Block, phases: dict[str, PlanPhase]) -> PlanPhase | None:
    """A sub-heading ("### Database Schema") stays inside the phase heading above it."""
    section = block.section.parent if block.section else None
    while section is not None:
        match = _PHASE_HEADING.match(section.title)
        if match is not None:
            return phases.get(".".join(str(int(p)) for p in match.group("id").split(".")))
        section = section.parent
    return None


def _task_from_item(block: Block) -> PlanTask | None:
    raw = block.raw.split("\n", 1)[0]  # later lines of the item are its fields, not its title
    state: TaskState | None = None
    if block.checked is not None:
        state = "done" if block.checked else "planned"
    else:
        box = _BOX.match(raw)
        if box is None:
            return None
        state = _STATES[box.group("mark")]
        raw = raw[box.end():]
    match = _TASK.match(raw.strip())
    if match is None:
        return None
    title = strip_markup(match.group("title"))
    if not title:
        return None
    task_id = match.group("bold") or match.group("plain")
    return PlanTask(id=task_id, title=title, category=match.group("category"), state=state,
                    line=block.line)


def _place(task: PlanTask, heading_phase: PlanPhase | None, phases: dict[str, PlanPhase], plan: Plan) -> None:
    """The id's own phase wins over the heading above it: reports name the phase by the id."""
    phase_id = phase_of(task.id) or (heading_phase.id if heading_phase else None)
    task.phase = phase_id
    if phase_id is not None and phase_id not in phases:
        phases[phase_id] = PlanPhase(id=phase_id, deferred=bool(heading_phase and heading_phase.deferred))
    if heading_phase is not None and phase_id is not None and heading_phase.id != phase_id:
        plan.warnings.append(
            f"{plan.source}:{task.line}: task {task.id} sits under the heading of phase {heading_phase.id}"
        )
    plan.tasks.append(task)


def _attach(task: PlanTask, field: tuple[str, str], line: int) -> None:
    label, value = field
    name = _KNOWN_FIELDS.get(label.lower())
    if name is not None and getattr(task, name) is None:
        setattr(task, name, value)
    else:
        task.fields[label] = value
    task.field_lines.setdefault(name or label, line)


def _criterion(block: Block) -> Criterion | None:
    if block.checked is None:
        return None
    return Criterion(text=strip_markup(block.raw), line=block.line, checked=block.checked,
                     section=block.section_title)


def _check_duplicates(plan: Plan) -> None:
    seen: dict[str, int | None] = {}
    for task in plan.tasks:
        if task.id in seen:
            plan.warnings.append(
                f"{plan.source}:{task.line}: task {task.id} appears twice (first at line {seen[task.id]})"
            )
        else:
            seen[task.id] = task.line


def _numeric(phase_id: str) -> tuple[float, str]:
    try:
        return float(phase_id), phase_id
    except ValueError:
        return float("inf"), phase_id
