"""Reading RALPH task lists: ids, phases, checkbox states, fields and their lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.plan.detect import load_plan, parse_plan
from tracker.plan.model import PlanError

FIXTURE = Path(__file__).parent.parent / "fixtures" / "plan" / "ralph_tasks.md"


@pytest.fixture(scope="module")
def plan():
    return load_plan(FIXTURE)


def test_reads_every_task_once_in_order(plan):
    assert plan.format == "ralph"
    assert [t.id for t in plan.tasks] == ["1.1", "1.2", "1.3", "1.4", "2.1", "3.1"]


def test_code_block_examples_are_not_tasks(plan):
    assert plan.task("0.1") is None


def test_task_fields_keep_markup_and_lines(plan):
    task = plan.task("1.1")
    assert task.title == "Create Sailings Table"
    assert task.category == "DB"
    assert task.phase == "1"
    assert task.line == 17
    assert task.action == "Migration `001_sailings.sql` with route, departs_at, vessel"
    assert task.validation == '`psql -c "\\d sailings"` lists the table, migration runs twice without error'
    assert task.security == "No credentials in the migration"
    assert task.field_lines == {"action": 18, "validation": 19, "security": 20}


def test_unknown_labels_are_kept_as_extra_fields(plan):
    assert plan.task("1.2").fields == {"Depends": "1.1"}


def test_checkbox_states(plan):
    states = {t.id: t.state for t in plan.tasks}
    assert states["1.1"] == "done"
    assert states["1.2"] == "planned"
    assert states["1.3"] == "blocked"
    assert states["1.4"] == "question"


def test_misindented_task_still_gets_its_own_fields(plan):
    """`  - [?] **1.4**` sits inside 1.3's list; its fields must not land on 1.3."""
    assert plan.task("1.3").action == "GET /departures?route=..."
    assert plan.task("1.4").action == "POST /notices with the reason"
    assert plan.task("1.4").validation == "Notice appears in the departures feed"


def test_phases_from_headings(plan):
    phases = {p.id: p for p in plan.phases}
    assert list(phases) == ["1", "2", "3"]
    assert phases["1"].title == "Schedule Data"
    assert phases["1"].line == 13
    assert not phases["2"].deferred
    assert phases["3"].deferred


def test_checkboxes_without_id_are_plan_criteria(plan):
    assert [(c.text, c.checked, c.line) for c in plan.criteria] == [
        ("Timetable matches the printed leaflet", False, 47),
        ("Harbour master signed off", True, 48),
    ]


def test_duplicate_ids_warn():
    text = "## Phase 1: A\n\n- [ ] **1.1** One\n- [ ] **1.1** Again\n"
    plan = parse_plan(text, "dup.md")
    assert plan.warnings == ["dup.md:4: task 1.1 appears twice (first at line 3)"]


def test_markdown_without_tasks_is_a_one_line_error():
    with pytest.raises(PlanError) as err:
        parse_plan("# Notes\n\nNothing planned here.\n", "notes.md")
    assert str(err.value).startswith("notes.md: error: not a known plan layout")


def test_fields_written_as_lines_under_the_task_item():
    text = (
        "## Phase 2: Reports\n\n"
        "- [x] **Task 2.1:** [CSV] Monthly Export\n"
        "  **Action:** Stream rows to a CSV file\n"
        "  **Validation:** Export of 10k rows finishes,\n"
        "  file opens in a spreadsheet\n"
    )
    task = parse_plan(text, "tasks.md").task("2.1")
    assert (task.title, task.category, task.state) == ("Monthly Export", "CSV", "done")
    assert task.action == "Stream rows to a CSV file"
    assert task.validation == "Export of 10k rows finishes, file opens in a spreadsheet"
    assert task.field_lines == {"action": 4, "validation": 5}


def test_fields_as_a_paragraph_after_the_task():
    text = (
        "## Phase 1: Setup\n\n"
        "- [ ] **1.1** Scaffold\n\n"
        "  **Action:** Create the app\n"
        "  **Validation:** `make test` passes\n"
    )
    task = parse_plan(text, "tasks.md").task("1.1")
    assert (task.action, task.validation) == ("Create the app", "`make test` passes")
    assert task.field_lines == {"action": 5, "validation": 6}
