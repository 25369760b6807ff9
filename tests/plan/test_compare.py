"""Holding a plan against reports: missing, unplanned, runner disagreements, stray targets, evidence.

Reports are built directly (not parsed) so these tests pin the comparison, not the parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.model import DeferredItem, Report, StatusField, TaskRef
from tracker.plan.compare import by_phase, compare
from tracker.plan.detect import load_plan, parse_plan
from tracker.plan.model import combine_plans

FIXTURES = Path(__file__).parent.parent / "fixtures" / "plan"


def report(task_id: str | None, status: str = "pass", *, deferred: list[DeferredItem] | None = None,
           source: str | None = None) -> Report:
    return Report(source=source or f"reports/task{task_id}.md", task=TaskRef(id=task_id, line=1),
                  status=StatusField(value=status, line=3), deferred=deferred or [])


def item(text: str, line: int, target: str | None = None) -> DeferredItem:
    return DeferredItem(text=text, kind="validation", target=target, line=line, end_line=line, lines=[line])


REPORT_1_1 = """# Execution Summary - Task 1.1: Create Sailings Table

**Status:** PASS

## Validation Results

```
$ psql -c "\\d sailings"
                Table "public.sailings"
 Column     | Type
```

- ✅ Migration runs twice without error (second run is a no-op)
"""

REPORT_1_2 = """# Execution Summary - Task 1.2: Import Winter Timetable

**Status:** PASS

## What Was Implemented

The CSV importer is written. The import will be run against the winter timetable next week,
when 412 sailings are expected to be stored.
"""

REPORT_1_3 = """# Execution Summary - Task 1.3: Departures Endpoint

**Status:** PASS

## Validation Results

```console
$ pytest tests/test_departures.py
....
4 passed in 0.31s
```

- ✅ p95 latency about 20 ms (estimated from a single request)

## Deferred

- p95 latency under load will be measured on staging
"""


@pytest.fixture(scope="module")
def ralph_plan():
    return load_plan(FIXTURES / "ralph_tasks.md")


@pytest.fixture(scope="module")
def ralph_result(ralph_plan):
    reports = [
        report("1.1"),
        report("1.2"),
        report("1.3", deferred=[
            item("p95 latency under load will be measured on staging", 18, target="1.9"),
            item("load test on staging", 18, target="2.1"),
            item("rerun after deploy", 18, target="deployment"),
            item("revisit in the deferred-ideas phase", 18, target="3"),
        ]),
        report("2.5", source="reports/task2_5.md"),
        report("9.9", source="reports/task9_9.md"),
        report(None, source="reports/notes.md"),
    ]
    texts = {"reports/task1.1.md": REPORT_1_1, "reports/task1.2.md": REPORT_1_2,
             "reports/task1.3.md": REPORT_1_3}
    return compare(ralph_plan, reports, texts=texts)


def test_planned_tasks_without_a_report_are_missing(ralph_plan, ralph_result):
    missing = {m.task_id: m for m in ralph_result.missing}
    assert list(missing) == ["1.4", "2.1", "3.1"]
    assert missing["1.4"].line == 35
    assert not missing["2.1"].phase_deferred
    assert missing["3.1"].phase_deferred
    assert ralph_result.missing_phases(ralph_plan) == ["2", "3"]


def test_reports_are_matched_by_task_id(ralph_result):
    assert ralph_result.matched == {"1.1": ["reports/task1.1.md"], "1.2": ["reports/task1.2.md"],
                                    "1.3": ["reports/task1.3.md"]}
    assert ralph_result.unidentified == ["reports/notes.md"]


def test_reports_for_unplanned_tasks(ralph_result):
    unplanned = {u.task_id: u.phase_known for u in ralph_result.unplanned}
    assert unplanned == {"2.5": True, "9.9": False}


def test_deferred_targets_missing_from_the_plan(ralph_result):
    stray = ralph_result.targets_not_in_plan
    found = [(s.source, s.task_id, s.target, s.line) for s in stray]
    assert found == [("reports/task1.3.md", "1.3", "1.9", 18)]


def test_checkboxes_the_agent_changed_are_claims(ralph_result):
    """1.3 is flagged [!] in the plan but its report says PASS; untouched [ ] boxes claim nothing."""
    found = [(m.task_id, m.via, m.runner, m.report_status, m.kind) for m in ralph_result.runner]
    assert found == [("1.3", "checkbox", "blocked", "pass", "status disagrees")]


def test_ticked_checkbox_without_report():
    plan = parse_plan("## Phase 1: A\n\n- [x] **1.1** Done here\n- [x] **1.2** Ticked only\n", "p.md")
    result = compare(plan, [report("1.1")], texts={})
    assert [(m.task_id, m.kind, m.line) for m in result.runner] == [("1.2", "passed without report", 4)]


def test_evidence_verdicts(ralph_result):
    verdicts = {v.task_id: v for v in ralph_result.evidence}
    assert verdicts["1.1"].verdict == "evidenced"
    assert [c.line for c in verdicts["1.1"].checks] == [8, 13]
    assert verdicts["1.2"].verdict == "no evidence"
    assert verdicts["1.3"].verdict == "deferred"
    first, second = verdicts["1.3"].checks
    assert (first.status, first.line) == ("evidenced", 8)
    assert (second.status, second.line) == ("deferred", 18)


def test_runner_state_against_reports():
    plan = load_plan(FIXTURES / "prd.json")
    reports = [report("1.1"), report("2.1"), report("2.2"), report("2.3", "fail")]
    result = compare(plan, reports, texts={r.source: "# Summary\n\n**Status:** see above\n" for r in reports})
    found = [(m.task_id, m.kind, m.runner, m.report_status) for m in result.runner]
    assert found == [
        ("1.2", "passed without report", "passed", None),
        ("2.1", "status disagrees", "in_progress", "pass"),
        ("2.2", "status disagrees", "blocked", "pass"),
    ]
    assert [m.task_id for m in result.missing] == ["1.2"]


def test_unreadable_report_text_is_a_warning_not_a_crash(ralph_plan):
    result = compare(ralph_plan, [report("1.1", source="/nonexistent/task1_1.md")])
    assert result.evidence == []
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("/nonexistent/task1_1.md: error:")


def test_two_plan_files_of_one_project_are_compared_together():
    ralph = parse_plan("## Phase 1: Setup\n\n- [x] **1.1** Scaffold\n- [x] **1.2** Schema\n", "RALPH.md")
    roadmap = parse_plan("## Phases\n\n- [ ] **Phase 2: Billing** (1 plans)\n- [ ] **Phase 1: Setup**\n",
                         "ROADMAP.md")
    combined = combine_plans([ralph, roadmap])
    assert [t.id for t in combined.tasks] == ["1.1", "1.2", "02-01"]
    assert [p.id for p in combined.phases] == ["1", "2"]
    late = report("1.2", deferred=[item("billing run on staging", 9, target="02-01")])
    result = compare(combined, [report("1.1"), late, report("02-01")], texts={})
    assert result.missing == [] and result.unplanned == [] and result.targets_not_in_plan == []
    assert result.warnings == []


def test_by_phase_groups_what_tracker_plan_lists(ralph_plan, ralph_result):
    rows = {r.phase: r for r in by_phase(ralph_plan, ralph_result)}
    assert list(rows) == ["1", "2", "3", "9"]
    one = rows["1"]
    assert (one.planned, one.reported, one.missing, one.runner) == (4, 3, ["1.4"], ["1.3"])
    assert (one.evidenced, one.deferred_checks, one.no_evidence) == (["1.1"], ["1.3"], ["1.2"])
    assert one.targets_not_in_plan == ["1.3 → 1.9"]
    assert rows["2"].unplanned == ["2.5"]
    assert rows["3"].deferred and rows["3"].missing == ["3.1"]
    assert rows["9"].unplanned == ["9.9"] and rows["9"].title is None


def test_an_already_read_document_is_used_as_is(ralph_plan):
    from tracker.parse.document import read_document

    doc = read_document(REPORT_1_1, "reports/task1.1.md")
    result = compare(ralph_plan, [report("1.1")], texts={"reports/task1.1.md": doc})
    assert [v.verdict for v in result.evidence] == ["evidenced"]
