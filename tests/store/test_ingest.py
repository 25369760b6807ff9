"""`tracker ingest`: files, folders, stdin, idempotence, revisions, bad files, project names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

import tracker.ingest
from tracker.store import Store
from tracker.store.schema import Project, ReportRow, Task


def ralph(task: str, status: str = "✅ PASS", title: str = "Add Export Endpoint") -> str:
    return (
        f"# Execution Summary - Task {task}: [Backend] {title}\n\n"
        f"**Status:** {status}\n"
        "**Completed:** 2026-03-02 14:05 UTC\n\n"
        "## Files Created\n"
        "- `api/export.py` - export endpoint\n"
    )


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "invoices"
    (folder / "phase2").mkdir(parents=True)
    (folder / "task_2_1.md").write_text(ralph("2.1"))
    (folder / "task_2_2.md").write_text(ralph("2.2", "❌ FAIL", "Send Reminder Emails"))
    (folder / "phase2" / "task_2_3.md").write_text(ralph("2.3"))
    (folder / "notes.txt").write_text("not a report")
    return folder


def stored(what: str = "reports") -> list[tuple]:
    with Store.open() as store, store.session() as session:
        if what == "reports":
            return session.execute(
                select(Project.name, Task.task_key, ReportRow.status, ReportRow.revision,
                       ReportRow.is_current)
                .join(Task, Task.id == ReportRow.task_id).join(Project, Project.id == ReportRow.project_id)
                .order_by(Task.task_key, ReportRow.revision)).all()
        return [(session.scalar(select(func.count()).select_from(ReportRow)),)]


def test_folder_is_ingested_recursively_under_its_name(run_cli, reports: Path) -> None:
    result = run_cli("ingest", str(reports))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ingested 3, unchanged 0, failed 0"
    assert stored() == [("invoices", "2.1", "pass", 1, True), ("invoices", "2.2", "fail", 1, True),
                        ("invoices", "2.3", "pass", 1, True)]


def test_reingest_of_unchanged_files_changes_nothing_and_parses_nothing(
        run_cli, reports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("ingest", str(reports)).exit_code == 0

    def no_parsing(*_args: object) -> None:
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(tracker.ingest, "read_source", no_parsing)  # what parse_source calls too
    (reports / "task_2_1.md").touch()  # new mtime, same bytes: the hash decides, still no parse
    os.utime(reports / "task_2_2.md", (1, 1))
    result = run_cli("ingest", str(reports))
    assert result.stdout.strip() == "ingested 0, unchanged 3, failed 0"
    assert result.exit_code == 0
    assert len(stored()) == 3


def test_edited_file_becomes_a_new_current_revision(run_cli, reports: Path) -> None:
    run_cli("ingest", str(reports))
    (reports / "task_2_2.md").write_text(ralph("2.2", "✅ PASS", "Send Reminder Emails"))
    result = run_cli("ingest", str(reports))
    assert result.stdout.strip() == "ingested 1, unchanged 2, failed 0"
    rows = [r for r in stored() if r[1] == "2.2"]
    assert rows == [("invoices", "2.2", "fail", 1, False), ("invoices", "2.2", "pass", 2, True)]


def test_bad_files_fail_alone_with_one_line_each(run_cli, reports: Path) -> None:
    (reports / "binary.md").write_bytes(b"\x89PNG\r\n\x00\x00\x00")
    (reports / "latin1.md").write_bytes(b"**Status:** PASS\nCaf\xe9 au lait\n")
    (reports / "empty.md").write_bytes(b"")
    result = run_cli("ingest", str(reports))
    assert result.exit_code == 1
    assert result.stdout.strip() == "ingested 3, unchanged 0, failed 3"
    errors = sorted(result.stderr.strip().splitlines())
    base = reports.resolve().as_posix()
    assert errors == [
        f"{base}/binary.md: error: binary file (contains NUL bytes), not a markdown report",
        f"{base}/empty.md: error: empty file",
        f"{base}/latin1.md:2: error: not UTF-8 (byte 0xe9); re-save the file as UTF-8",
    ]
    assert "Traceback" not in result.stderr
    assert len(stored()) == 3  # only the good ones, each complete
    again = run_cli("ingest", str(reports))
    assert again.stdout.strip() == "ingested 0, unchanged 3, failed 3"


def test_parser_crash_costs_one_file_not_the_ingest(run_cli, reports: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import tracker.parse.pipeline

    real = tracker.parse.pipeline.parse_document  # what ingest parses with

    def flaky(text: str, source: str = "<text>"):
        if source.endswith("task_2_2.md"):
            raise IndexError("list index out of range")
        return real(text, source)

    monkeypatch.setattr(tracker.parse.pipeline, "parse_document", flaky)
    result = run_cli("ingest", str(reports))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "task_2_2.md: error: parser failed (IndexError: list index out of range)")
    assert result.stdout.strip() == "ingested 2, unchanged 0, failed 1"


def test_stdin_with_a_name(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("ingest", "-", "--name", "agent-run-7.md", "--project", "invoices",
                     stdin=ralph("4.2").encode())
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "ingested 1, unchanged 0, failed 0"
    again = run_cli("ingest", "-", "--name", "agent-run-7.md", "--project", "invoices",
                    stdin=ralph("4.2").encode())
    assert again.stdout.strip() == "ingested 0, unchanged 1, failed 0"
    with Store.open() as store:
        assert list(store.known_sources("invoices")) == ["agent-run-7.md"]


def test_stdin_project_defaults_to_the_working_folder(run_cli, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "billing-service"
    work.mkdir()
    monkeypatch.chdir(work)
    assert run_cli("ingest", "-", stdin=ralph("1.1").encode()).exit_code == 0
    assert stored()[0][:2] == ("billing-service", "1.1")


def test_project_option_overrides_the_folder_name(run_cli, reports: Path) -> None:
    run_cli("ingest", str(reports), "--project", "acme")
    assert {row[0] for row in stored()} == {"acme"}


def test_single_file_belongs_to_its_git_work_tree(run_cli, tmp_path: Path) -> None:
    repo = tmp_path / "shop-api"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs" / "reports").mkdir(parents=True)
    report = repo / "docs" / "reports" / "task_1_1.md"
    report.write_text(ralph("1.1"))
    assert run_cli("ingest", str(report)).exit_code == 0
    assert stored()[0][:2] == ("shop-api", "1.1")


def test_glob_picks_other_files(run_cli, reports: Path) -> None:
    (reports / "summary.markdown").write_text(ralph("9.9"))
    result = run_cli("ingest", str(reports), "--glob", "*.markdown")
    assert result.stdout.strip() == "ingested 1, unchanged 0, failed 0"


@pytest.mark.parametrize("args", [
    ("ingest", "/no/such/folder"),
    ("ingest", "-", "-"),
    ("ingest", "--name", "x.md", "somewhere"),
    ("ingest", "--jobs", "0", "-"),
])
def test_usage_errors_exit_2(run_cli, args: tuple[str, ...], tmp_path: Path) -> None:
    if args[-1] == "somewhere":
        args = (*args[:-1], str(tmp_path))
    result = run_cli(*args, stdin=b"")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "error:" in result.stderr
    assert stored("count") == [(0,)]


def test_parallel_parsing_stores_the_same(run_cli, reports: Path) -> None:
    (reports / "empty.md").write_bytes(b"")
    result = run_cli("ingest", str(reports), "--jobs", "2")
    assert result.exit_code == 1
    assert result.stdout.strip() == "ingested 3, unchanged 0, failed 1"
    assert result.stderr == f"{reports.resolve().as_posix()}/empty.md: error: empty file\n"
    assert [r[1:3] for r in stored()] == [("2.1", "pass"), ("2.2", "fail"), ("2.3", "pass")]


def test_unchanged_stat_skips_even_reading(run_cli, reports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_cli("ingest", str(reports))

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"{self} was read although its size and mtime did not change")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert run_cli("ingest", str(reports)).stdout.strip() == "ingested 0, unchanged 3, failed 0"


def test_database_that_is_not_one_is_a_one_line_error(run_cli, reports: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("# not a database\n" * 200)
    result = run_cli("ingest", str(reports), "--db", str(bogus))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bogus}: error: cannot open database")
    assert result.stderr.count("\n") == 1


def test_lifecycle_hook_runs_once_per_stored_revision_with_its_text(
        run_cli, reports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int, str | None]] = []

    def record(self: Store, session, report: ReportRow, text: str | None) -> None:
        assert session.get(ReportRow, report.id) is report  # inside the storing transaction
        calls.append((Path(report.source_path).name, report.revision, text))

    monkeypatch.setattr(Store, "apply_lifecycle", record)
    run_cli("ingest", str(reports))
    (reports / "task_2_1.md").write_text(ralph("2.1", "❌ FAIL"))
    run_cli("ingest", str(reports))
    assert sorted(c[:2] for c in calls) == [("task_2_1.md", 1), ("task_2_1.md", 2), ("task_2_2.md", 1),
                                            ("task_2_3.md", 1)]
    assert calls[-1] == ("task_2_1.md", 2, ralph("2.1", "❌ FAIL"))


def test_dependency_folders_are_skipped_but_hidden_planning_folders_are_not(run_cli, tmp_path: Path) -> None:
    repo = tmp_path / "webapp"
    for folder in ("node_modules/left-pad", ".git", ".planning/phases/01-setup"):
        (repo / folder).mkdir(parents=True)
    (repo / "node_modules" / "left-pad" / "README.md").write_text("# left-pad\n")
    (repo / ".git" / "NOTES.md").write_text("# notes\n")
    (repo / ".planning" / "phases" / "01-setup" / "01-01-SUMMARY.md").write_text(ralph("01-01"))
    result = run_cli("ingest", str(repo))
    assert result.stdout.strip() == "ingested 1, unchanged 0, failed 0"
    assert [r[:2] for r in stored()] == [("webapp", "01-01")]


def test_glob_with_a_folder_part_matches_relative_paths(run_cli, reports: Path) -> None:
    result = run_cli("ingest", str(reports), "--glob", "phase2/*.md")
    assert result.stdout.strip() == "ingested 1, unchanged 0, failed 0"
    assert [r[1] for r in stored()] == ["2.3"]
