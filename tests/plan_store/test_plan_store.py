"""Plans in the store: import, re-import with change events, several files per project, and the
comparison `tracker plan` shows, on fictional plans and reports written here."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tracker.errors import UsageError
from tracker.plan.model import PlanError
from tracker.plan_query import plan_status, plan_task, plan_views
from tracker.store import Store
from tracker.store.plans import import_plan_file, stored_plans
from tracker.store.schema import EventRow, PlanPhaseRow, PlanTaskRow

PLAN = """# Kiln Booking: Task List

## Phase 1: Bookings

- [x] **1.1** [DB] Slot Table
  - **Action:** Create the `slots` table
  - **Validation:** `alembic upgrade head` succeeds

- [ ] **1.2** [API] Book a Slot
  - **Action:** POST /bookings
  - **Validation:** Double booking returns 409

- [ ] **1.3** [API] Cancel a Booking
  - **Action:** DELETE /bookings/{id}

## Phase 2: Reminders

- [ ] **2.1** [Mail] Firing Reminder Email
  - **Action:** Send a reminder the day before
"""

EDITED = """# Kiln Booking: Task List

## Phase 1: Bookings

- [x] **1.1** [DB] Slot Table
  - **Action:** Create the `slots` table
  - **Validation:** `alembic upgrade head` succeeds

- [ ] **1.2** [API] Reserve a Slot
  - **Action:** POST /bookings
  - **Validation:** Double booking returns 409

## Phase 2: Reminders

- [ ] **2.1** [Mail] Firing Reminder Email
  - **Action:** Send a reminder the day before

- [ ] **2.2** [Mail] Cancellation Email
  - **Action:** Tell the customer their slot is free again
"""

ROADMAP = """# Roadmap: Kiln Booking

## Phases

- [ ] **Phase 3: Glaze Stock** - inventory of glazes

## Phase Details

### Phase 3: Glaze Stock
**Goal**: Potters see which glazes are in stock
**Plans**: 2 plans

Plans:
- [ ] 03-01-PLAN.md — glaze table
- [ ] 03-02-PLAN.md — stock page
"""

REPORT_1_1 = """# Task 1.1 Execution Summary: Slot Table

**Status:** PASS
**Completed:** 2026-11-02T10:00:00Z

## Validation Results

- `alembic upgrade head` succeeds ✅ (exit code 0, 3 migrations applied)
"""

REPORT_1_2 = """# Task 1.2 Execution Summary: Book a Slot

**Status:** PASS
**Completed:** 2026-11-03T10:00:00Z
**Validation:** PASS (unit tests only; double booking will be validated in task 1.4)
"""

REPORT_9_9 = """# Task 9.9 Execution Summary: Something Unplanned

**Status:** PASS
**Completed:** 2026-11-04T10:00:00Z
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest(store: Store, folder: Path, project: str) -> None:
    from tracker.ingest import collect_sources
    from tracker.ingest import ingest as run

    summary = run(store, collect_sources([str(folder)], project=project))
    assert summary.failed == 0


@pytest.fixture
def store():
    with Store.open() as opened:
        yield opened


def test_import_stores_tasks_phases_and_plan_text(store: Store, tmp_path: Path) -> None:
    plan = write(tmp_path, "RALPH.md", PLAN)
    result = import_plan_file(store, plan, "kiln")
    assert (result.outcome, result.tasks, result.phases, result.format) == ("imported", 4, 2, "ralph")
    with store.session() as session:
        tasks = list(session.scalars(select(PlanTaskRow).order_by(PlanTaskRow.position)))
        phases = list(session.scalars(select(PlanPhaseRow).order_by(PlanPhaseRow.position)))
    assert [t.task_key for t in tasks] == ["1.1", "1.2", "1.3", "2.1"]
    assert tasks[1].validation == "Double booking returns 409"
    assert tasks[1].action == "POST /bookings"
    assert tasks[0].state == "done"
    assert [p.phase_key for p in phases] == ["1", "2"]
    (stored,) = stored_plans(store, "kiln")
    assert stored.plan.task("1.2").title == "Book a Slot"


def test_reimport_unchanged_then_changed_records_each_task_change(store: Store, tmp_path: Path) -> None:
    plan = write(tmp_path, "RALPH.md", PLAN)
    import_plan_file(store, plan, "kiln")
    assert import_plan_file(store, plan, "kiln").outcome == "unchanged"
    plan.write_text(EDITED, encoding="utf-8")
    result = import_plan_file(store, plan, "kiln")
    assert result.outcome == "updated"
    kinds = {(c.kind, c.task_id) for c in result.changes}
    assert {("renamed", "1.2"), ("removed", "1.3"), ("added", "2.2")} <= kinds
    with store.session() as session:
        events = {(e.action, e.reason.split(" ")[0]) for e in session.scalars(
            select(EventRow).where(EventRow.action.like("plan-%")))}
    assert {("plan-import", str(plan.resolve()) + ":"), ("plan-renamed", "1.2"), ("plan-removed", "1.3"),
            ("plan-added", "2.2")} <= events
    (stored,) = stored_plans(store, "kiln")
    assert [t.id for t in stored.plan.tasks] == ["1.1", "1.2", "2.1", "2.2"]
    with store.session() as session:
        title = session.scalar(select(PlanTaskRow.title).where(PlanTaskRow.task_key == "1.2"))
        assert title == "Reserve a Slot"
        assert len(list(session.scalars(select(PlanTaskRow)))) == 4


def test_comparison_through_the_store(store: Store, tmp_path: Path) -> None:
    reports = tmp_path / "kiln"
    reports.mkdir()
    write(reports, "task1_1.md", REPORT_1_1)
    write(reports, "task1_2.md", REPORT_1_2)
    write(reports, "task9_9.md", REPORT_9_9)
    ingest(store, reports, "kiln")
    import_plan_file(store, write(tmp_path, "RALPH.md", PLAN), "kiln")
    (view,) = plan_views(store, "kiln")
    assert (view.planned, view.reported) == (4, 2)
    assert [m["task_id"] for m in view.missing] == ["1.3", "2.1"]
    assert [u["task_id"] for u in view.unplanned] == ["9.9"]
    verdicts = {e["task_id"]: e["verdict"] for e in view.evidence}
    assert verdicts == {"1.1": "evidenced", "1.2": "deferred"}
    assert [(t["task_id"], t["target"]) for t in view.targets_not_in_plan] == [("1.2", "1.4")]
    phases = {p["phase"]: p for p in view.phases}
    assert phases["2"]["missing"] == ["2.1"] and phases["1"]["missing"] == ["1.3"]
    status = plan_status(store)["kiln"]
    assert (status.planned, status.reported, status.missing, status.unplanned) == (4, 2, 2, 1)
    assert status.missing_phases == ["2"]
    task = plan_task(store, "kiln", "1.2")
    assert task is not None and task.validation == "Double booking returns 409"
    assert plan_task(store, "kiln", "9.9") is None


def test_a_waived_deferral_no_longer_covers_the_check(store: Store, tmp_path: Path) -> None:
    reports = tmp_path / "kiln"
    reports.mkdir()
    write(reports, "task1_2.md", REPORT_1_2)
    ingest(store, reports, "kiln")
    import_plan_file(store, write(tmp_path, "RALPH.md", PLAN), "kiln")
    from tracker.query import deferred_items

    for item in deferred_items(store, project="kiln"):
        store.set_item_state(item.id, "waived", reason="not needed")
    (view,) = plan_views(store, "kiln")
    assert {e["task_id"]: e["verdict"] for e in view.evidence} == {"1.2": "no evidence"}


def test_a_closed_deferral_counts_as_the_check_done(store: Store, tmp_path: Path) -> None:
    reports = tmp_path / "kiln"
    reports.mkdir()
    write(reports, "task1_2.md", REPORT_1_2)
    ingest(store, reports, "kiln")
    import_plan_file(store, write(tmp_path, "RALPH.md", PLAN), "kiln")
    from tracker.query import deferred_items

    (item,) = [i for i in deferred_items(store, project="kiln") if i.target == "1.4"]
    store.set_item_state(item.id, "closed", reason="409 seen in the staging run")
    (view,) = plan_views(store, "kiln")
    (verdict,) = view.evidence
    assert verdict["verdict"] == "evidenced"
    assert "409 seen in the staging run" in verdict["checks"][0]["quote"]
    shown = plan_task(store, "kiln", "1.2")
    assert shown is not None and shown.verdict == "evidenced"


def test_two_plan_files_make_one_plan(store: Store, tmp_path: Path) -> None:
    import_plan_file(store, write(tmp_path, "RALPH.md", PLAN), "kiln")
    planning = tmp_path / ".planning"
    planning.mkdir()
    import_plan_file(store, write(planning, "ROADMAP.md", ROADMAP), "kiln")
    (view,) = plan_views(store, "kiln")
    assert [p.format for p in view.plans] == ["ralph", "gsd-roadmap"]
    assert view.planned == 6
    assert [p["phase"] for p in view.phases] == ["1", "2", "3"]
    assert [m["task_id"] for m in view.missing][-2:] == ["03-01", "03-02"]


def test_project_is_chosen_from_folder_or_the_only_project(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "kiln"
    folder.mkdir()
    plan = write(folder, "RALPH.md", PLAN)
    assert import_plan_file(store, plan).project == "kiln"  # empty database: the folder's name
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert import_plan_file(store, write(other, "RALPH.md", PLAN)).project == "kiln"  # the only project
    store_second = write(other, "PLAN2.md", PLAN)
    import_plan_file(store, store_second, "pottery")
    with pytest.raises(UsageError, match="give --project"):
        import_plan_file(store, write(tmp_path, "RALPH.md", PLAN))


def test_not_a_plan_is_one_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="not a known plan layout"):
        import_plan_file(store, write(tmp_path, "notes.md", "# Notes\n\nNothing planned here.\n"), "kiln")
    assert stored_plans(store) == []


def test_downgrade_below_plans_drops_only_the_plan_tables(store: Store) -> None:
    from sqlalchemy import inspect

    from tracker.store.migrate import downgrade, upgrade

    downgrade(store.engine, "0001_initial")
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert "plans" not in tables and "plan_tasks" not in tables and "reports" in tables
    upgrade(store.engine)
    with store.engine.connect() as conn:
        assert {"plans", "plan_tasks", "plan_phases"} <= set(inspect(conn).get_table_names())


PRD = """{"tasks": [
  {"id": "1.1", "phase": 1, "title": "Slot Table", "passes": true, "completed_at": "2026-11-02T10:00:00Z"},
  {"id": "1.2", "phase": 1, "title": "Book a Slot", "passes": false, "in_progress": true}
]}"""


def test_runner_state_is_kept_and_a_pass_without_report_is_flagged(store: Store, tmp_path: Path) -> None:
    import_plan_file(store, write(tmp_path, "prd.json", PRD), "kiln")
    with store.session() as session:
        runner = dict(session.execute(select(PlanTaskRow.task_key, PlanTaskRow.runner)).all())
    assert runner["1.1"]["passes"] is True and runner["1.2"]["in_progress"] is True
    (view,) = plan_views(store, "kiln")
    assert [(r["task_id"], r["kind"], r["via"]) for r in view.runner] == [
        ("1.1", "passed without report", "runner")]
    assert plan_status(store)["kiln"].runner == 1
