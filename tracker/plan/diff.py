"""What changed between two imports of the same plan file, as data the store records as events.

A task keeps its identity by id. A task whose id vanished while a new id appeared with the
same title was renumbered, not removed and added: history (reports, deferrals) follows it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tracker.plan.fields import strip_markup
from tracker.plan.model import Plan, PlanTask, _Model, id_key

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
    """Each new task is the old task with its id, unless its title names another old task exactly
    (then it was renumbered: "1.4 Reminder Email" became "1.3 Reminder Email")."""
    old_by_id = {id_key(t.id): t for t in old.tasks}
    new_by_id = {id_key(t.id): t for t in new.tasks}
    old_by_title = _unique_titles(old.tasks)
    claimed: set[str] = set()
    pairs: list[tuple[PlanTask | None, PlanTask]] = []
    for task in new.tasks:
        same_id = old_by_id.get(id_key(task.id))
        if same_id is not None and _clean(same_id.title) == _clean(task.title):
            pairs.append((same_id, task))
            claimed.add(id_key(same_id.id))
            continue
        moved = old_by_title.get(_clean(task.title) or "")
        if moved is not None and id_key(moved.id) not in claimed and _left_behind(moved, new_by_id):
            pairs.append((moved, task))
            claimed.add(id_key(moved.id))
            continue
        pairs.append((None, task))
    changes: list[PlanChange] = []
    for before, after in pairs:
        if before is None:
            same_id = old_by_id.get(id_key(after.id))
            if same_id is not None and id_key(same_id.id) not in claimed and not _moved_away(same_id, new):
                claimed.add(id_key(same_id.id))
                changes.append(PlanChange(kind="renamed", task_id=after.id, title=after.title,
                                          old_title=same_id.title, line=after.line))
                changes.extend(_changed(same_id, after))
            else:
                changes.append(PlanChange(kind="added", task_id=after.id, title=after.title, line=after.line))
            continue
        if id_key(before.id) != id_key(after.id):
            changes.append(PlanChange(kind="renumbered", task_id=after.id, old_id=before.id,
                                      title=after.title, old_title=before.title, line=after.line))
        changes.extend(_changed(before, after))
    changes.extend(PlanChange(kind="removed", task_id=t.id, title=t.title, line=t.line)
                   for t in old.tasks if id_key(t.id) not in claimed)
    return PlanDiff(changes=changes)


def _unique_titles(tasks: list[PlanTask]) -> dict[str, PlanTask]:
    seen: dict[str, list[PlanTask]] = {}
    for task in tasks:
        seen.setdefault(_clean(task.title) or "", []).append(task)
    return {title: group[0] for title, group in seen.items() if title and len(group) == 1}


def _left_behind(old_task: PlanTask, new_by_id: dict[str, PlanTask]) -> bool:
    """The old task's id is gone from the new plan or now holds a differently named task."""
    successor = new_by_id.get(id_key(old_task.id))
    return successor is None or _clean(successor.title) != _clean(old_task.title)


def _moved_away(old_task: PlanTask, new: Plan) -> bool:
    """The old task's title lives on under another id, so this id's new task is not a rename of it."""
    return any(_clean(t.title) == _clean(old_task.title) and id_key(t.id) != id_key(old_task.id)
               for t in new.tasks)


def _changed(before: PlanTask, after: PlanTask) -> list[PlanChange]:
    changed = _fields(before, after)
    if not changed:
        return []
    return [PlanChange(kind="changed", task_id=after.id, title=after.title, fields=changed, line=after.line)]


def _fields(before: PlanTask, after: PlanTask) -> dict[str, tuple[str | None, str | None]]:
    changed: dict[str, tuple[str | None, str | None]] = {}
    for name in _COMPARED:
        old_value, new_value = getattr(before, name), getattr(after, name)
        if _clean(old_value) != _clean(new_value):
            changed[name] = (old_value, new_value)
    if (before.runner or None) != (after.runner or None):
        changed["runner"] = (_runner(before), _runner(after))
    return changed


def _clean(value: str | None) -> str | None:
    return strip_markup(value).casefold() if value else None


def _runner(task: PlanTask) -> str | None:
    return task.runner.model_dump_json(exclude_none=True) if task.runner else None
