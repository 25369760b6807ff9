"""`tracker status`, `show` and `deferred` in table, JSON and CSV, on a database built in the test."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tracker.model import (
    ChecklistItem,
    DeferredItem,
    FileChange,
    Report,
    StatusField,
    TaskRef,
    Timestamps,
)
from tracker.store import SourceMeta, Store

DOCKER = "Docker build will be validated during Fly.io deployment"
SMOKE = "Smoke tests against staging are left for task 3.7"
STUB = "Invoice PDF renderer is a stub until task 4.1"


def _report(task: str, status: str, completed: str, deferred=(), validation: str | None = None,
            qualifier: str | None = None) -> Report:
    return Report(
        source=f"/proj/quill/task{task}.md", format="ralph",
        task=TaskRef(id=task, title=f"Title {task}", category="Infra", line=1),
        status=StatusField(value=status, raw=status.upper(), line=3),
        validation=StatusField(value=validation, raw="PASS", qualifier=qualifier, line=5)
        if validation else None,
        timestamps=Timestamps(completed=completed),
        files=[FileChange(path="backend/Dockerfile", action="created", line=20),
               FileChange(path="fly.toml", action="modified", line=21)],
        checklist=[ChecklistItem(text="a", state="done", line=30),
                   ChecklistItem(text="b", state="done", line=31),
                   ChecklistItem(text="c", state="pending", line=32)],
        deferred=[DeferredItem(text=t, kind=k, target=tg, reason=r, line=ln, end_line=ln, lines=[ln])
                  for t, k, tg, r, ln in deferred],
    )


@pytest.fixture
def quill() -> None:
    """Project quill: 3.6 passes with two open validation deferrals, 3.7 fails, 4.0 has a stub."""
    with Store.open(actor="tester") as store:
        store.store_report("quill", _report(
            "3.6", "pass", "2026-01-25T12:32:00Z", validation="pass",
            qualifier="Syntax verified, Docker build will be validated during Fly.io deployment",
            deferred=[(DOCKER, "validation", "3.7", "deployment", 5),
                      (SMOKE, "validation", "3.7", "later", 60)]),
            SourceMeta("/proj/quill/task3.6.md", "a" * 64, 10, None))
        store.store_report("quill", _report("3.7", "fail", "2026-01-26T09:00:00Z"),
                           SourceMeta("/proj/quill/task3.7.md", "b" * 64, 10, None))
        store.store_report("quill", _report("4.0", "pass", "2026-01-27",
                                            deferred=[(STUB, "work", "4.1", "stub", 12)]),
                           SourceMeta("/proj/quill/task4.0.md", "c" * 64, 10, None))
        store.store_report("other", _report("1.1", "partial", "2026-01-20T10:00:00Z"),
                           SourceMeta("/proj/other/task1.1.md", "d" * 64, 10, None))
        smoke = next(i for i in _items(store) if i.text == SMOKE)
        store.set_item_state(smoke.id, "waived", reason="covered by deploy pipeline", action="waive")


def _items(store: Store):
    from tracker.query import deferred_items

    return deferred_items(store, state="all")


def test_status_json(run_cli, quill) -> None:
    result = run_cli("status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {r["project"]: r for r in json.loads(result.stdout)}
    assert rows["quill"] == {
        "project": "quill", "tasks": 3, "tasks_by_status": {"fail": 1, "pass": 2}, "reports": 3,
        "revisions": 3,
        "open_deferred": 2, "deferred_by_state": {"open": 2, "waived": 1}, "unverified_passes": 1,
        "last_report_at": "2026-01-27T00:00:00", "missed": 1, "candidates": 0, "waived": 1,
    }
    assert rows["other"]["tasks_by_status"] == {"partial": 1}


def test_status_csv_and_project_filter(run_cli, quill) -> None:
    result = run_cli("status", "--format", "csv", "--project", "quill")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    row = rows[0]
    assert (row["project"], row["tasks"], row["pass"], row["fail"], row["reports"]) == (
        "quill", "3", "2", "1", "3")
    assert (row["open_deferred"], row["unverified_passes"]) == ("2", "1")


def test_status_table(run_cli, quill) -> None:
    result = run_cli("status")
    assert result.exit_code == 0
    quill_line = next(line for line in result.stdout.splitlines() if line.strip().startswith("quill"))
    assert "2 pass" in quill_line and "1 fail" in quill_line and "2026-01-27 00:00" in quill_line


def test_status_on_an_empty_database(run_cli) -> None:
    assert json.loads(run_cli("status", "-f", "json").stdout) == []
    assert "no reports yet" in run_cli("status").stdout


def test_status_unknown_project_is_one_line_error(run_cli, quill) -> None:
    result = run_cli("status", "--project", "nope")
    assert result.exit_code == 1
    assert result.stderr == "error: no project named 'nope'\n"


def test_deferred_lists_open_items_by_default(run_cli, quill) -> None:
    items = json.loads(run_cli("deferred", "-f", "json").stdout)
    assert [(i["task"], i["text"], i["state"]) for i in items] == [
        ("3.6", DOCKER, "open"), ("4.0", STUB, "open")]
    docker = items[0]
    assert docker["kind"] == "validation" and docker["target"] == "3.7"
    assert docker["where"] == "/proj/quill/task3.6.md:5"
    assert docker["age_days"] >= 300 and len(docker["id"]) >= 6


def test_deferred_filters(run_cli, quill) -> None:
    def texts(*args: str) -> list[str]:
        result = run_cli("deferred", "-f", "json", *args)
        assert result.exit_code == 0, result.stderr
        return [i["text"] for i in json.loads(result.stdout)]

    assert texts("--kind", "work") == [STUB]
    assert texts("--target", "3.7") == [DOCKER]
    assert texts("--task", "4.0") == [STUB]
    assert texts("--state", "waived") == [SMOKE]
    assert texts("--state", "all", "--task", "3.6") == [DOCKER, SMOKE]
    assert texts("--project", "other") == []
    assert run_cli("deferred", "--state", "lost").exit_code == 2
    assert run_cli("deferred", "--kind", "vibes").exit_code == 2


def test_deferred_csv_and_table(run_cli, quill) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("deferred", "-f", "csv").stdout)))
    assert [(r["task"], r["kind"], r["target"], r["path"], r["line"]) for r in rows] == [
        ("3.6", "validation", "3.7", "/proj/quill/task3.6.md", "5"),
        ("4.0", "work", "4.1", "/proj/quill/task4.0.md", "12")]
    table = run_cli("deferred").stdout
    assert rows[0]["id"] in table and "/proj/quill/task3.6.md:5" in table and "Fly.io" in table


def test_show_json(run_cli, quill) -> None:
    result = run_cli("show", "3.6", "-f", "json")
    assert result.exit_code == 0, result.stderr
    view = json.loads(result.stdout)
    assert (view["task"], view["project"], view["status"], view["validation"]) == (
        "3.6", "quill", "pass", "pass")
    assert view["validation_qualifier"].startswith("Syntax verified")
    assert view["completed"] == "2026-01-25T12:32:00Z"
    assert view["checklist"] == {"done": 2, "pending": 1}
    assert [(f["path"], f["action"]) for f in view["files"]] == [
        ("backend/Dockerfile", "created"), ("fly.toml", "modified")]
    assert [(d["state"], d["where"]) for d in view["deferred"]] == [
        ("open", "/proj/quill/task3.6.md:5"), ("waived", "/proj/quill/task3.6.md:60")]
    assert view["revisions"] == []


def test_show_revisions(run_cli, quill) -> None:
    with Store.open() as store:
        store.store_report("quill", _report("3.7", "pass", "2026-01-28T09:00:00Z"),
                           SourceMeta("/proj/quill/task3.7.md", "e" * 64, 11, None))
    status = json.loads(run_cli("status", "-f", "json", "-p", "quill").stdout)[0]
    assert (status["reports"], status["revisions"]) == (3, 4)
    view = json.loads(run_cli("show", "3.7", "--revisions", "-f", "json").stdout)
    assert view["status"] == "pass" and view["revision"] == 2
    assert [(r["revision"], r["status"], r["current"]) for r in view["revisions"]] == [
        (1, "fail", False), (2, "pass", True)]
    rows = list(csv.reader(io.StringIO(run_cli("show", "3.7", "--revisions", "-f", "csv").stdout)))
    assert rows[0] == ["section", "name", "value", "path", "line"]
    assert ["revision", "1", "fail", "/proj/quill/task3.7.md", ""] in rows
    table = run_cli("show", "3.7", "--revisions").stdout
    assert "revision 2" in table and "current" in table


def test_show_csv_and_table(run_cli, quill) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("show", "4.0", "-f", "csv").stdout)))
    by_name = {(r["section"], r["name"]): r for r in rows}
    assert by_name[("task", "status")]["value"] == "pass"
    assert by_name[("checklist", "done")]["value"] == "2"
    deferred = [r for r in rows if r["section"] == "deferred"]
    assert [(d["value"], d["line"]) for d in deferred] == [(STUB, "12")]
    table = run_cli("show", "3.6").stdout
    assert "Title 3.6" in table and "Syntax verified" in table and "/proj/quill/task3.6.md:5" in table


def test_show_unknown_task_and_ambiguous_task(run_cli, quill) -> None:
    missing = run_cli("show", "9.9")
    assert (missing.exit_code, missing.stderr) == (1, "error: no task '9.9'\n")
    with Store.open() as store:
        store.store_report("other", _report("3.6", "fail", "2026-01-21T10:00:00Z"),
                           SourceMeta("/proj/other/task3.6.md", "f" * 64, 10, None))
    ambiguous = run_cli("show", "3.6")
    assert ambiguous.exit_code == 2 and "give --project" in ambiguous.stderr
    assert json.loads(run_cli("show", "3.6", "-p", "other", "-f", "json").stdout)["status"] == "fail"


def test_db_option_points_at_another_database(run_cli, quill, tmp_path) -> None:
    other = tmp_path / "elsewhere.db"
    assert json.loads(run_cli("status", "-f", "json", "--db", str(other)).stdout) == []
    assert other.exists()


def test_deferred_on_a_narrow_terminal_prints_two_lines_per_item(run_cli, quill, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = run_cli("deferred").stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "/proj/quill/task3.6.md:5" in line)
    assert "3.6 → 3.7" in lines[first] and "validation/deployment" in lines[first]
    assert lines[first + 1].strip() == DOCKER


def test_status_on_a_narrow_terminal_keeps_every_count(run_cli, quill, monkeypatch) -> None:
    """Rich's table squeezed tasks, statuses and reports out of sight at 80 columns."""
    monkeypatch.setenv("COLUMNS", "80")
    lines = run_cli("status").stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("quill"))
    assert "3 tasks: 1 fail, 2 pass" in lines[first] and "3 reports" in lines[first]
    assert lines[first + 1].split() == ["open", "2", "missed", "1", "candidates", "0", "waived", "1",
                                        "unverified", "1"]
    assert all(len(line) <= 80 for line in lines)
