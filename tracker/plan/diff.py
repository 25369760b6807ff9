"""What changed between two imports of the same plan file, as data the store records as events.

A task keeps its identity by id. A task whose id vanished while a new id appeared with the
same title was renumbered, not removed and added: history (reports, deferrals) follows it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tracker.plan.fields import strip_markup
from tracker.plan.model import Plan, PlanTask, _Model, task_key

ChangeKind = Literal["added", "removed", "renamed", "renumbered", "changed"]
_COMPARED = ("phase", "category", "state", "action", "validation", "security")


class PlanChange(_Model):
    kind: ChangeKind
    task_id: str
    """The id in the new plan (the old id for `removed`)."""
    old_id: str | None = None
    title: str
    old_title: str | None = None
    fields: dict[str, tuple[str | None, str | None]] = Field(default_factory=dict)
    """For `changed`: field name → (old value, new value)."""
    line: int | None = None


class PlanDiff(_Model):
    changes: list[PlanChange] = Field(default_factory=list)

    def of_kind(self, kind: ChangeKind) -> list[PlanChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def empty(self) -> bool:
        return not self.changes


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    old_tasks = {task_key(t.id): t for t in old.tasks}
    new_tasks = {task_key(t.id): t for t in new.tasks}
    gone = [t for key, t in old_tasks.items() if key not in new_tasks]
    came = [t for key, t in new_tasks.items() if key not in old_tasks]
    changes: list[PlanChange] = []
    for task in new.tasks:
        before = old_tasks.get(task_key(task.id))
        if before is not None:
            changes.extend(_compare(before, task))
    renumbered = _renumbered(gone, came)
    for before, after in renumbered:
        changes.append(PlanChange(kind="renumbered", task_id=after.id, old_id=before.id, title=after.title,
                                  old_title=before.title, line=after.line))
        changed = _fields(before, after)
        if changed:
            changes.append(PlanChange(kind="changed", task_id=after.id, title=after.title, fields=changed,
                                      line=after.line))
    moved_old = {id(b) for b, _ in renumbered}
    moved_new = {id(a) for _, a in renumbered}
    changes.extend(PlanChange(kind="added", task_id=t.id, title=t.title, line=t.line)
                   for t in came if id(t) not in moved_new)
    changes.extend(PlanChange(kind="removed", task_id=t.id, title=t.title, line=t.line)
                   for t in gone if id(t) not in moved_old)
    return PlanDiff(changes=changes)


def _compare(before: PlanTask, after: PlanTask) -> list[PlanChange]:
    out: list[PlanChange] = []
    if not _same_title(before.title, after.title):
        out.append(PlanChange(kind="renamed", task_id=after.id, title=after.title, old_title=before.title,
                              line=after.line))
    changed = _fields(before, after)
    if changed:
        out.append(PlanChange(kind="changed", task_id=after.id, title=after.title, fields=changed,
                              line=after.line))
    return out


def _fields(before: PlanTask, after: PlanTask) -> dict[str, tuple[str | None, str | None]]:
    changed: dict[str, tuple[str | None, str | None]] = {}
    for name in _COMPARED:
        old_value, new_value = getattr(before, name), getattr(after, name)
        if _clean(old_value) != _clean(new_value):
            changed[name] = (old_value, new_value)
    if (before.runner or None) != (after.runner or None):
        changed["runner"] = (_runner(before), _runner(after))
    return changed


def _renumbered(gone: list[PlanTask], came: list[PlanTask]) -> list[tuple[PlanTask, PlanTask]]:
    """Pairs (old, new) with the same title, only where the title is unambiguous on both sides."""
    def by_title(tasks: list[PlanTask]) -> dict[str, list[PlanTask]]:
        out: dict[str, list[PlanTask]] = {}
        for task in tasks:
            out.setdefault(_clean(task.title) or "", []).append(task)
        return out
    old_titles, new_titles = by_title(gone), by_title(came)
    return [(olds[0], new_titles[title][0]) for title, olds in old_titles.items()
            if title and len(olds) == 1 and len(new_titles.get(title, [])) == 1]


def _same_title(a: str, b: str) -> bool:
    return _clean(a) == _clean(b)


def _clean(value: str | None) -> str | None:
    return strip_markup(value).casefold() if value else None


def _runner(task: PlanTask) -> str | None:
    return task.runner.model_dump_json(exclude_none=True) if task.runner else None
