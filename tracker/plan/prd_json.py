"""ralph-runner state files (`PRD.json`, `prd_integration.json`, or the same shape in YAML):
a list of tasks, or an object holding one under `tasks` / `userStories` / `stories`.

Each task's `passes` / `in_progress` / `blocked` / `started_at` / `completed_at` is what the
runner itself recorded; it is kept apart from the plan text so it can be held against reports.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from tracker.plan.fields import strip_markup
from tracker.plan.model import Plan, PlanError, PlanPhase, PlanTask, RunnerState, TaskState, phase_of

_LIST_KEYS = ("tasks", "userStories", "user_stories", "stories", "items")
_VALIDATION_KEYS = ("validation", "acceptanceCriteria", "acceptance_criteria", "verification", "tests")
_ACTION_KEYS = ("action", "description", "details")


def read_prd(text: str, source: str, *, yaml_text: bool = False) -> Plan:
    data = _load(text, source, yaml_text)
    entries, title = _entries(data, source)
    plan = Plan(source=source, format="prd-json", title=title)
    phases: dict[str, PlanPhase] = {}
    search_from = 0
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise PlanError(f"task #{index + 1} is {type(entry).__name__}, not an object", path=source,
                            line=_line_at(text, search_from))
        raw_id = entry.get("id", entry.get("task_id"))
        if raw_id is None or str(raw_id).strip() == "":
            raise PlanError(f"task #{index + 1} has no id", path=source, line=_line_at(text, search_from))
        task_id = str(raw_id).strip()
        line, search_from = _locate(text, task_id, search_from)
        task = PlanTask(
            id=task_id,
            title=_text(entry.get("title") or entry.get("name")) or task_id,
            phase=_phase(entry, task_id),
            category=_text(entry.get("category")),
            action=_first(entry, _ACTION_KEYS),
            validation=_first(entry, _VALIDATION_KEYS),
            security=_text(entry.get("security")),
            line=line,
            runner=_runner(entry, source, line),
        )
        task.state = _state(task.runner)
        plan.tasks.append(task)
        if task.phase is not None and task.phase not in phases:
            phases[task.phase] = PlanPhase(id=task.phase, line=line)
    if not plan.tasks:
        raise PlanError("no tasks in the runner file", path=source)
    plan.phases = list(phases.values())
    return plan


def _load(text: str, source: str, yaml_text: bool) -> Any:
    try:
        return yaml.safe_load(text) if yaml_text else json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(f"invalid JSON: {exc.msg}", path=source, line=exc.lineno) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PlanError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", path=source,
                        line=mark.line + 1 if mark is not None else None) from exc


def _entries(data: Any, source: str) -> tuple[list[Any], str | None]:
    if isinstance(data, list):
        return data, None
    if isinstance(data, dict):
        title = _text(data.get("project") or data.get("title") or data.get("name"))
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key], title
        phases = data.get("phases")
        if isinstance(phases, list) and all(isinstance(p, dict) for p in phases):
            return [dict(t, phase=t.get("phase", p.get("id"))) for p in phases
                    for t in p.get("tasks", []) if isinstance(t, dict)], title
    raise PlanError("expected a list of tasks or an object with a `tasks` list", path=source, line=1)


def _locate(text: str, task_id: str, start: int) -> tuple[int | None, int]:
    """Line of this task's `"id": ...` key; JSON loaders forget positions, the text does not."""
    pattern = re.compile(r"""["']?(?:id|task_id)["']?\s*:\s*["']?""" + re.escape(task_id) + r"""(?![\w.-])""")
    match = pattern.search(text, start)
    if match is None:
        return None, start
    return text.count("\n", 0, match.start()) + 1, match.end()


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _phase(entry: dict[str, Any], task_id: str) -> str | None:
    """"Phase 3", 3 and "03" all name phase "3"; a named phase ("setup") is kept as written."""
    value = entry.get("phase")
    if value is None:
        return phase_of(task_id)
    text = str(value).strip()
    number = re.fullmatch(r"(?:phase\s*)?(\d+(?:\.\d+)?)", text, re.IGNORECASE)
    if number is None:
        return text or None
    return ".".join(str(int(part)) for part in number.group(1).split("."))


def _runner(entry: dict[str, Any], source: str, line: int | None) -> RunnerState:
    values: dict[str, Any] = {}
    for key in ("passes", "in_progress", "blocked"):
        value = entry.get(key)
        if value is not None and not isinstance(value, bool):
            raise PlanError(f"`{key}` of task {entry.get('id')} is {value!r}, expected true/false",
                            path=source, line=line)
        values[key] = value
    for key in ("started_at", "completed_at"):
        value = entry.get(key)
        values[key] = None if value in (None, "") else str(value)
    return RunnerState(**values)


def _state(runner: RunnerState | None) -> TaskState:
    if runner is None:
        return "planned"
    if runner.passes:
        return "done"
    if runner.blocked:
        return "blocked"
    if runner.in_progress:
        return "in_progress"
    return "planned"


def _first(entry: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value if v is not None)
        if value is not None and not isinstance(value, dict | list):
            text = " ".join(str(value).split())  # markup kept: code spans anchor evidence
            if text:
                return text
    return None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = strip_markup(str(value))
    return text or None
