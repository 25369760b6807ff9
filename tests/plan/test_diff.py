"""Re-importing a plan: tasks added, removed, renamed, renumbered and edited come back as data."""

from __future__ import annotations

from pathlib import Path

from tracker.plan.detect import load_plan, parse_plan
from tracker.plan.diff import diff_plans

FIXTURES = Path(__file__).parent.parent / "fixtures" / "plan" / "reimport"


def summary(diff):
    return [(c.kind, c.task_id, c.old_id, c.old_title) for c in diff.changes]


def test_reimport_changes():
    before, after = load_plan(FIXTURES / "before.md"), load_plan(FIXTURES / "after.md")
    diff = diff_plans(before, after)
    assert summary(diff) == [
        ("renamed", "1.2", None, "Book a Slot"),
        ("changed", "1.2", None, None),
        ("renumbered", "1.3", "1.4", "Firing Reminder Email"),
        ("added", "2.1", None, None),
        ("removed", "1.3", None, None),
    ]
    changed = diff.of_kind("changed")[0]
    assert set(changed.fields) == {"state", "validation"}
    assert changed.fields["state"] == ("planned", "done")
    assert diff.of_kind("removed")[0].title == "Cancel a Booking"
    assert diff.of_kind("added")[0].line == 18


def test_same_plan_twice_is_no_change():
    plan = load_plan(FIXTURES / "before.md")
    assert diff_plans(plan, load_plan(FIXTURES / "before.md")).empty


def test_runner_progress_is_a_change():
    before = parse_plan('[{"id": "1.1", "title": "A", "passes": false}]', "PRD.json")
    after = parse_plan('[{"id": "1.1", "title": "A", "passes": true, "completed_at": "2026-02-02"}]',
                       "PRD.json")
    (change,) = diff_plans(before, after).changes
    assert change.kind == "changed"
    assert set(change.fields) == {"state", "runner"}


def test_swapped_titles_are_renumbers_not_renames():
    before = parse_plan("## Phase 1: A\n\n- [ ] **1.1** Alpha\n- [ ] **1.2** Beta\n", "p.md")
    after = parse_plan("## Phase 1: A\n\n- [ ] **1.1** Beta\n- [ ] **1.2** Alpha\n", "p.md")
    assert summary(diff_plans(before, after)) == [
        ("renumbered", "1.1", "1.2", "Beta"),
        ("renumbered", "1.2", "1.1", "Alpha"),
    ]
