"""get-shit-done `.planning/ROADMAP.md`: phases (a checklist, "Phase Details" sections, a
progress table), each phase's plans (`01-02`) and success criteria.

Plans are ids of the form `{phase:02}-{plan:02}`, the id GSD SUMMARY reports carry. A roadmap
whose shipped milestones only say "(3/3 plans)" still tells which plans must exist; those are
derived and marked `inferred`.
"""

from __future__ import annotations

import re
from pathlib import Path

from tracker.parse.document import Block
from tracker.plan.fields import labelled, read_plan_document, strip_markup
from tracker.plan.gsd_state import read_state
from tracker.plan.model import Criterion, Plan, PlanError, PlanPhase, PlanTask, TaskState, plan_id

_PHASE = re.compile(
    r"^(?:\[(?P<box>[ xX])\]\s*)?\W*phase\s+(?P<id>\d+(?:\.\d+)?)\s*[:.—–-]\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_COUNT = re.compile(r"\((?:(?P<done>\d+)\s*/\s*)?(?P<total>\d+)\s+plans?\)", re.IGNORECASE)
_PLANS_FIELD = re.compile(r"^(?:(?P<done>\d+)\s*/\s*)?(?P<total>\d+)\s+plans?\b", re.IGNORECASE)
_PLAN_ITEM = re.compile(
    r"^(?:\[(?P<box>[ xX])\]\s*)?\**(?P<id>\d{2,}(?:\.\d+)?-\d{2,})"  # 01-02, 02.1-01
    r"(?:-PLAN(?:\.md)?)?\**\s*[:.—–-]*\s*(?P<title>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_TABLE_PHASE = re.compile(r"^(?P<id>\d+(?:\.\d+)?)\.?\s+(?P<title>.+)$")
_RATIO = re.compile(r"^(?P<done>\d+)\s*/\s*(?P<total>\d+|\?)$")
_DEFERRED = re.compile(r"\b(deferred|backlog|icebox|future)\b", re.IGNORECASE)

GSD_PHASE_LINE = re.compile(
    r"^(?:#{2,4}\s+|\s*[-*]\s+\[[ xX]\]\s+\**)Phase\s+\d+(?:\.\d+)?\s*:", re.MULTILINE
)
"""What makes a markdown file a GSD roadmap (used by format detection)."""


def read_gsd_roadmap(text: str, source: str, *, state_path: Path | None = None) -> Plan:
    doc = read_plan_document(text, source)
    title = next((b.text for b in doc.blocks if b.kind == "heading" and b.level == 1), None)
    if title:
        title = re.sub(r"^roadmap\s*:\s*", "", title, flags=re.IGNORECASE) or title
    plan = Plan(source=source, format="gsd-roadmap", title=title, warnings=list(doc.warnings))
    phases: dict[str, PlanPhase] = {}
    explicit: dict[str, PlanTask] = {}
    counted: set[str] = set()  # phases whose plan count the roadmap states in words, not a table cell
    detail: PlanPhase | None = None
    in_criteria = False
    for block in doc.blocks:
        if block.kind == "heading":
            detail = _detail_heading(block, phases)
            in_criteria = False
            continue
        if block.kind == "row":
            _table_row(block, phases)
            continue
        if block.kind not in ("item", "paragraph"):
            continue
        if block.kind == "item" and _phase_item(block, phases, counted):
            continue
        plan_task = _plan_item(block, detail) if block.kind == "item" else None
        if plan_task is not None:
            explicit.setdefault(plan_task.id, plan_task)
            continue
        if detail is not None:
            in_criteria = _detail_lines(block, detail, in_criteria, counted)
    if not phases:
        raise PlanError("no phases found (expected `### Phase 1: Name` or `- [ ] Phase 1: Name`)",
                        path=source)
    plan.phases = sorted(phases.values(), key=lambda p: [int(x) for x in p.id.split(".")])
    plan.tasks = _plans(plan.phases, explicit, counted)
    if state_path is not None and state_path.is_file():
        try:
            plan.position = read_state(state_path.read_text(encoding="utf-8"), str(state_path))
        except (OSError, UnicodeDecodeError, PlanError) as exc:  # the roadmap stands without its position
            reason = exc if isinstance(exc, PlanError) else f"{state_path}: error: {exc}"
            plan.warnings.append(f"{reason} (STATE.md ignored)")
    return plan


def _norm(phase_id: str) -> str:
    return ".".join(str(int(p)) for p in phase_id.split("."))


def _get(phases: dict[str, PlanPhase], phase_id: str) -> PlanPhase:
    phase_id = _norm(phase_id)
    if phase_id not in phases:
        phases[phase_id] = PlanPhase(id=phase_id)
    return phases[phase_id]


def _detail_heading(block: Block, phases: dict[str, PlanPhase]) -> PlanPhase | None:
    match = _PHASE.match(block.text)
    if match is None:
        return None
    phase = _get(phases, match.group("id"))
    phase.title = phase.title or strip_markup(match.group("rest")) or None
    phase.line = phase.line or block.line
    return phase


def _phase_item(block: Block, phases: dict[str, PlanPhase], counted: set[str]) -> bool:
    """`- [x] **Phase 1: Foundation** (3/3 plans) — completed 2026-03-10` in the phase checklist."""
    match = _PHASE.match(block.text.strip())
    if match is None:
        return False
    phase = _get(phases, match.group("id"))
    rest = match.group("rest")
    name = re.split(r"\s*\(|\s+[—–]\s+|\s+-\s+", rest, maxsplit=1)[0]
    phase.title = phase.title or strip_markup(name) or None
    phase.line = phase.line or block.line
    if block.checked is not None:
        phase.state = "done" if block.checked else phase.state
    count = _COUNT.search(rest)
    if count is not None:
        phase.plan_count = int(count.group("total"))
        counted.add(phase.id)
        if count.group("done") is not None:
            phase.plans_done = int(count.group("done"))
    phase.deferred = phase.deferred or bool(_DEFERRED.search(name))
    return True


def _table_row(block: Block, phases: dict[str, PlanPhase]) -> None:
    """| 1. Foundation | v1.0 | 3/3 | Complete | 2026-03-10 | in the Progress table."""
    if block.is_header or not block.cells:
        return
    header = [h.lower() for h in block.header]
    if not header or "phase" not in header[0]:
        return
    match = _TABLE_PHASE.match(block.cells[0])
    if match is None:
        return
    phase = _get(phases, match.group("id"))
    phase.title = phase.title or match.group("title").strip()
    phase.line = phase.line or block.line
    for name, cell in zip(header[1:], block.cells[1:], strict=False):
        if "milestone" in name and cell and cell != "-":
            phase.milestone = phase.milestone or cell
        elif "plan" in name:
            ratio = _RATIO.match(cell)
            if ratio is not None:
                phase.plans_done = int(ratio.group("done"))
                if ratio.group("total") != "?":
                    phase.plan_count = phase.plan_count or int(ratio.group("total"))
        elif "status" in name:
            status = cell.lower()
            if "complete" in status or "done" in status or "shipped" in status:
                phase.state = "done"
            elif "progress" in status:
                phase.state = "in_progress"
            elif "block" in status:
                phase.state = "blocked"


def _plan_item(block: Block, detail: PlanPhase | None) -> PlanTask | None:
    """`- [x] 01-02-PLAN.md — Auth flow` or `- [ ] 01-02: Auth flow` under a phase."""
    raw = block.raw.strip()
    box = re.match(r"^\[([ xX])\]\s*", raw)
    checked = block.checked
    if box is not None:
        checked = box.group(1) != " "
        raw = raw[box.end():]
    match = _PLAN_ITEM.match(raw)
    if match is None:
        return None
    state: TaskState = "done" if checked else "planned"
    task_id = match.group("id")
    phase = _norm(task_id.split("-")[0])
    title = strip_markup(match.group("title")) or task_id
    return PlanTask(id=task_id, title=title, phase=phase if detail is None else detail.id,
                    state=state, line=block.line)


def _detail_lines(block: Block, phase: PlanPhase, in_criteria: bool, counted: set[str]) -> bool:
    """Reads **Goal**/**Plans**/**Success Criteria** lines of a phase; returns whether criteria follow.

    Line by line, because a `**Plans**: TBD` line right under the last criterion is a lazy
    continuation of that list item in markdown, not a paragraph of its own.
    """
    for index, (line_no, raw_line) in enumerate(block.raw_lines()):
        field = labelled(raw_line)
        if field is not None:
            label, value = field
            key = label.lower()
            in_criteria = "criteria" in key
            if key == "goal":
                phase.goal = strip_markup(value)
            elif key == "plans":
                count = _PLANS_FIELD.match(strip_markup(value))
                if count is not None:
                    phase.plan_count = int(count.group("total"))
                    counted.add(phase.id)
            elif in_criteria and value:
                phase.criteria.append(Criterion(text=strip_markup(value), line=line_no, section=phase.title))
            continue
        head = re.match(r"^\s*\*\*(?P<label>[^*]+)\*\*\s*\(", raw_line)
        if head is not None:
            in_criteria = "criteria" in head.group("label").lower()
            continue
        if not in_criteria:
            continue
        text = strip_markup(re.sub(r"^\s*(\d+[.)]|[-*])\s+", "", raw_line))
        if not text:
            continue
        starts_item = (block.kind == "item" and index == 0) or re.match(r"^\s*(\d+[.)]|[-*])\s+", raw_line)
        if starts_item or not phase.criteria:
            checked = block.checked if block.kind == "item" and index == 0 else None
            phase.criteria.append(Criterion(text=text, line=line_no, checked=checked, section=phase.title))
        else:
            last = phase.criteria[-1]
            last.text = f"{last.text} {text}"
    return in_criteria


def _plans(phases: list[PlanPhase], explicit: dict[str, PlanTask], counted: set[str]) -> list[PlanTask]:
    """Written-out plans first; a phase whose text says "(3/3 plans)" gets 01-01..01-03 derived.

    A bare ratio in the progress table does not: phases run by another planner share that table.
    """
    tasks: list[PlanTask] = []
    for phase in phases:
        own = [t for t in explicit.values() if t.phase == phase.id]
        if own:
            tasks.extend(own)
            continue
        for number in range(1, (phase.plan_count or 0) + 1 if phase.id in counted else 0):
            done = phase.state == "done" or (phase.plans_done or 0) >= (phase.plan_count or 0) > 0
            tasks.append(PlanTask(
                id=plan_id(phase.id, number), title=f"{phase.title or 'Phase ' + phase.id} plan {number}",
                phase=phase.id, state="done" if done else "planned", line=phase.line, inferred=True,
            ))
    known = {p.id for p in phases}
    tasks.extend(t for t in explicit.values() if t.phase not in known)
    return tasks
