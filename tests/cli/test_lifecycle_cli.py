"""The lifecycle from the command line: the sample project's story, the gate, briefs, and Tynebase."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_reports"
EDITED = REPO / "sample_edits" / "task2_1.md"
TYNEBASE = REPO.parent / "shared" / "corpus" / "tynebase"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    if not SAMPLE.is_dir():
        pytest.skip("sample_reports absent")
    folder = tmp_path / "sample_reports"
    shutil.copytree(SAMPLE, folder)
    return folder


def items(run_cli, *args: str) -> list[dict]:
    result = run_cli("deferred", "--state", "all", "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def find(rows: list[dict], file: str, line: int) -> dict:
    return next(r for r in rows if r["path"].endswith(file) and r["line"] == line)


def test_the_sample_story_end_to_end(run_cli, sample: Path) -> None:
    assert run_cli("ingest", str(sample)).exit_code == 0
    rows = items(run_cli)
    docker = find(rows, "ralph/task1_3.md", 5)
    assert docker["state"] == "closed" and docker["target"] == "1.5"
    assert docker["closed_by"] == f"{sample / 'ralph/task1_5.md'}:40"
    assert "Closes: 1.3 Docker build validation" in docker["evidence"]
    stub = find(rows, "gsd/03-01-SUMMARY.md", 79)
    assert stub["state"] == "closed" and stub["closed_by"].startswith(f"{sample / 'gsd/03-02-SUMMARY.md'}:")
    webhook = find(rows, "ralph/task2_1.md", 5)
    assert (webhook["state"], webhook["target"], webhook["missed"]) == ("open", "2.3", True)
    missed = json.loads(run_cli("deferred", "--missed", "-f", "json").stdout)
    assert [r["id"] for r in missed] == [webhook["id"]]

    status = json.loads(run_cli("status", "-f", "json").stdout)[0]
    assert (status["missed"], status["candidates"], status["waived"]) == (1, 0, 0)

    failed = run_cli("check", "--fail-on", "missed")
    assert failed.exit_code == 1
    assert f"missed: {webhook['id']}" in failed.stdout and "check failed: 1 missed" in failed.stdout

    waived = run_cli("waive", webhook["id"][:5], "--reason", "covered by the staging smoke run",
                     "--by", "ann")
    assert waived.exit_code == 0, waived.stderr
    assert "open -> waived by ann" in waived.stdout
    passed = run_cli("check", "--fail-on", "missed")
    assert passed.exit_code == 0 and "check passed" in passed.stdout
    after = find(items(run_cli), "ralph/task2_1.md", 5)
    assert (after["state"], after["waived_reason"], after["missed"]) == (
        "waived", "covered by the staging smoke run", False)
    status = json.loads(run_cli("status", "-f", "json").stdout)[0]
    assert (status["missed"], status["waived"]) == (0, 1)


def test_the_edited_2_1_report_keeps_ids_and_states_and_withdraws_the_replay(run_cli, sample: Path) -> None:
    run_cli("ingest", str(sample))
    before = items(run_cli, "--task", "2.1")
    shutil.copyfile(EDITED, sample / "ralph" / "task2_1.md")
    assert "ingested 1, unchanged 10" in run_cli("ingest", str(sample)).stdout
    after = {r["id"]: r for r in items(run_cli, "--task", "2.1")}
    assert set(after) == {r["id"] for r in before}  # nothing duplicated, nothing deleted
    webhook = next(r for r in after.values() if r["target"] == "2.3")
    assert (webhook["state"], webhook["missed"]) == ("open", True)
    assert sorted(r["state"] for r in after.values()) == ["open", "withdrawn"]
    docker = find(items(run_cli), "ralph/task1_3.md", 5)
    assert docker["state"] == "closed"


def test_out_of_order_ingest_of_the_sample_gives_the_same_states(run_cli, sample: Path, tmp_path) -> None:
    run_cli("ingest", str(sample))
    in_order = {(r["id"], r["state"], r["closed_by"]) for r in items(run_cli)}
    other = str(tmp_path / "reverse.db")
    files = sorted(sample.rglob("*.md"), reverse=True)  # 1.5 before 1.3, 03-02 before 03-01
    for path in files:
        assert run_cli("ingest", str(path), "--project", "sample_reports", "--db", other).exit_code == 0
    reverse = {(r["id"], r["state"], r["closed_by"]) for r in items(run_cli, "--db", other)}
    assert reverse == in_order


def test_brief_lists_what_the_next_task_owes_and_ends_with_the_convention(run_cli, sample: Path) -> None:
    run_cli("ingest", str(sample))
    rows = items(run_cli)
    webhook = find(rows, "ralph/task2_1.md", 5)
    aimed = [r["id"] for r in rows if r["target"] == "2.4" and r["state"] == "open"]  # 2.2's bounce handling
    text = run_cli("brief", "2.4").stdout
    assert "## Missed items of this phase" in text and f"`{webhook['id']}`" in text
    assert text.rstrip().splitlines()[-1].startswith(f"- Closes: {webhook['id']} ")
    assert "## Deferred Items Closed" in text
    data = json.loads(run_cli("brief", "2.4", "-f", "json").stdout)
    assert [i["id"] for i in data["missed"]] == [webhook["id"]]
    assert [i["id"] for i in data["owed"]] == aimed
    assert data["convention"].startswith("## Closing deferred items")
    owed = json.loads(run_cli("brief", "2.3", "-f", "json").stdout)
    assert webhook["id"] in [i["id"] for i in owed["owed"]]


def test_check_policy_from_pyproject_and_usage_errors(run_cli, sample: Path, tmp_path, monkeypatch) -> None:
    run_cli("ingest", str(sample))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.tracker]\nfail-on = ["unverified"]\n')
    result = run_cli("check", "-f", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and data["ok"] is False
    assert data["policy"]["source"] == "pyproject.toml"
    assert {v["task"] for v in data["violations"]} == {"2.1", "2.3"}  # passes with validation still owed
    assert run_cli("check", "--fail-on", "candidates").exit_code == 0  # flags win over the table
    overdue = run_cli("check", "--fail-on", "overdue", "--max-age", "1d")
    assert overdue.exit_code == 1 and "overdue:" in overdue.stdout
    assert run_cli("check", "--fail-on", "overdue").exit_code == 2
    assert run_cli("check", "--fail-on", "everything").exit_code == 2
    assert run_cli("check", "--max-age", "soon").exit_code == 2
    assert run_cli("deferred", "--older-than", "soon").exit_code == 2


def test_manual_commands_exit_codes(run_cli, sample: Path) -> None:
    run_cli("ingest", str(sample))
    item = find(items(run_cli), "ralph/task2_1.md", 25)["id"]
    assert run_cli("close", "nosuch", "--note", "x").exit_code == 1
    assert run_cli("close", item).exit_code == 2  # --note is required
    assert run_cli("confirm", item).exit_code == 1  # not a candidate
    closed = run_cli("close", item, "--note", "replayed by hand on staging", "--by", "bo", "-f", "json")
    assert json.loads(closed.stdout) == {
        "id": item, "task": "2.1", "action": "close", "from_state": "open", "to_state": "closed",
        "actor": "bo", "reason": "replayed by hand on staging"}
    assert run_cli("reopen", item, "--by", "bo").exit_code == 0
    assert find(items(run_cli), "ralph/task2_1.md", 25)["state"] == "open"


def test_tynebase_docker_items_stay_open_with_target_not_reported(run_cli) -> None:
    if not TYNEBASE.is_dir():
        pytest.skip("../shared/corpus/tynebase absent")
    assert run_cli("ingest", str(TYNEBASE), "--project", "tynebase").exit_code in (0, 1)
    rows = [r for r in items(run_cli, "--task", "3.6") if "docker" in r["text"].lower()]
    assert rows, "no Docker deferral found in task 3.6"
    build = [r for r in rows if r["target"] == "3.7"]
    assert build
    for row in build:
        assert row["state"] == "open"
        assert row["target_not_reported"] is True and row["missed"] is False
