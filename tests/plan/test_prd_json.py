"""Reading ralph-runner state (PRD.json): tasks, phases and what the runner recorded, with lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.plan.detect import load_plan, parse_plan
from tracker.plan.model import PlanError

FIXTURE = Path(__file__).parent.parent / "fixtures" / "plan" / "prd.json"


@pytest.fixture(scope="module")
def plan():
    return load_plan(FIXTURE)


def test_tasks_phases_and_title(plan):
    assert plan.format == "prd-json"
    assert plan.title == "Lantern Library Catalogue"
    assert [(t.id, t.phase, t.title) for t in plan.tasks][:3] == [
        ("1.1", "1", "Create book and loan tables"),
        ("1.2", "1", "Seed demo catalogue"),
        ("2.1", "2", "Barcode lookup endpoint"),
    ]
    assert [p.id for p in plan.phases] == ["1", "2"]


def test_runner_state_is_kept_as_recorded(plan):
    runner = plan.task("1.1").runner
    assert runner.passes is True
    assert runner.started_at == "2026-02-02T09:00:00Z"
    assert runner.completed_at == "2026-02-02T09:40:00Z"
    assert {t.id: t.state for t in plan.tasks} == {
        "1.1": "done", "1.2": "done", "2.1": "in_progress", "2.2": "blocked", "2.3": "planned",
    }


def test_each_task_has_the_line_of_its_id(plan):
    lines = FIXTURE.read_text().split("\n")
    for task in plan.tasks:
        assert f'"id": "{task.id}"' in lines[task.line - 1]


def test_validation_keeps_code_spans(plan):
    assert plan.task("1.1").validation == "Run `alembic upgrade head`, table `loans` exists"


def test_bare_list_and_user_stories_shapes():
    bare = json.dumps([{"id": 7, "title": "Export CSV", "passes": False}])
    assert [t.id for t in parse_plan(bare, "prd_integration.json").tasks] == ["7"]
    stories = json.dumps({"project": "X", "userStories": [
        {"id": "US-002", "title": "Filter by tag", "passes": True,
         "acceptanceCriteria": ["Tag chips shown", "Typecheck passes"]}]})
    task = parse_plan(stories, "prd.json").task("US-002")
    assert task.validation == "Tag chips shown; Typecheck passes"
    assert task.phase is None
    assert task.state == "done"


def test_yaml_runner_file():
    plan = parse_plan("tasks:\n  - id: '3.1'\n    title: Nightly backup\n    blocked: true\n", "prd.yaml")
    assert plan.task("3.1").state == "blocked"
    assert plan.task("3.1").line == 2


def test_broken_json_names_the_line():
    with pytest.raises(PlanError) as err:
        parse_plan('{"tasks": [\n  {"id": "1.1",\n  "title": oops}\n]}', "PRD.json")
    assert str(err.value).startswith("PRD.json:3: error: invalid JSON")


def test_non_boolean_runner_flag_is_refused():
    with pytest.raises(PlanError, match=r"`passes` of task 1\.1 is 'yes'"):
        parse_plan('[{"id": "1.1", "title": "A", "passes": "yes"}]', "PRD.json")


def test_task_without_id_is_refused():
    with pytest.raises(PlanError, match="task #2 has no id"):
        parse_plan('[{"id": "1", "title": "A"}, {"title": "B"}]', "PRD.json")
