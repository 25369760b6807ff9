"""Reading get-shit-done roadmaps: phases, plan ids that match SUMMARY reports, criteria, STATE.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.plan.detect import load_plan, parse_plan
from tracker.plan.model import PlanError, plan_id

FIXTURES = Path(__file__).parent.parent / "fixtures" / "plan" / "gsd"


@pytest.fixture(scope="module")
def plan():
    return load_plan(FIXTURES / "ROADMAP.md")


def test_plan_ids_use_the_summary_report_scheme(plan):
    assert plan.format == "gsd-roadmap"
    assert [t.id for t in plan.tasks] == [
        "01-01", "01-02", "01-03", "02-01", "02-02", "03-01", "03-02", "03-03", "03.1-01",
    ]


def test_shipped_phases_with_only_a_count_get_inferred_plans(plan):
    inferred = [t.id for t in plan.tasks if t.inferred]
    assert inferred == ["01-01", "01-02", "01-03", "02-01", "02-02"]
    assert all(plan.task(i).state == "done" for i in inferred)


def test_written_out_plans_keep_title_state_and_line(plan):
    task = plan.task("03-03")
    assert (task.title, task.state, task.phase, task.line, task.inferred) == (
        "Quiet hours", "planned", "3", 35, False)
    assert plan.task("03-01").state == "done"
    assert plan.task("03.1-01").title == "Back off polling when readings are stable"


def test_phases_with_goal_criteria_and_progress(plan):
    phases = {p.id: p for p in plan.phases}
    assert list(phases) == ["1", "2", "3", "3.1", "4"]
    frost = phases["3"]
    assert frost.title == "Frost Warnings"
    assert frost.goal == "Growers are warned before frost damages blossom"
    assert [(c.text, c.line) for c in frost.criteria] == [
        ("A reading below 1 °C for ten minutes sends one push alert per orchard", 28),
        ("Alerts stop once the temperature rises above 3 °C", 29),
    ]
    assert (frost.plan_count, frost.plans_done, frost.state, frost.milestone) == (3, 2, "in_progress", "v1.1")
    assert phases["1"].state == "done"
    assert phases["4"].plan_count is None
    assert [t for t in plan.tasks if t.phase == "4"] == []


def test_state_md_beside_the_roadmap_gives_the_position(plan):
    position = plan.position
    assert position is not None
    assert (position.phase, position.plan, position.status, position.milestone) == (
        "3", "03-03", "In progress", "v1.1")
    assert position.stopped_at == "Completed 03-02-PLAN.md"
    assert position.line == 12


def test_state_md_alone_is_refused_with_a_hint():
    with pytest.raises(PlanError, match=r"import the ROADMAP\.md beside it"):
        load_plan(FIXTURES / "STATE.md")


def test_roadmap_without_phases_is_an_error():
    with pytest.raises(PlanError):
        parse_plan("# Roadmap\n\n### Phase one: later\n", "ROADMAP.md")


@pytest.mark.parametrize(("phase", "number", "expected"), [("2", 1, "02-01"), ("12", 3, "12-03"),
                                                           ("2.1", 1, "02.1-01")])
def test_plan_id(phase, number, expected):
    assert plan_id(phase, number) == expected


def test_a_broken_state_md_is_a_warning_not_a_failure(tmp_path):
    roadmap = (FIXTURES / "ROADMAP.md").read_text(encoding="utf-8")
    (tmp_path / "ROADMAP.md").write_text(roadmap, encoding="utf-8")
    (tmp_path / "STATE.md").write_text("---\nstatus: [\n---\n# State\n", encoding="utf-8")
    plan = load_plan(tmp_path / "ROADMAP.md")
    assert plan.position is None
    assert len(plan.warnings) == 1
    assert plan.warnings[0].startswith(f"{tmp_path / 'STATE.md'}:2: error: unparseable front matter")


def test_roadmap_with_bold_plan_ids_is_still_a_roadmap():
    text = "# Roadmap\n\n### Phase 1: Setup\n\nPlans:\n- [x] **01-01**: Scaffold\n- [ ] **01-02**: Schema\n"
    plan = parse_plan(text, ".planning/ROADMAP.md")
    assert plan.format == "gsd-roadmap"
    assert [(t.id, t.state, t.title) for t in plan.tasks] == [("01-01", "done", "Scaffold"),
                                                              ("01-02", "planned", "Schema")]
