"""After a tracker upgrade: stored reports an earlier parser read are named, and `--reparse` reads
them again (a new revision only where the newer parser reads the file differently)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

import tracker.parse.pipeline
import tracker.parser_version
from tracker.parser_version import parser_version
from tracker.store import Store
from tracker.store.schema import EventRow, ReportRow

REPORT = (
    "# Execution Summary - Task 2.1: Export endpoint\n\n**Status:** ✅ PASS\n"
    "**Completed:** 2026-03-02 14:05 UTC\n\n## Notes\n\n"
    "- The E2E export test requires a staging API key; deferred to Task 2.3.\n"
)
PLAIN = "# Execution Summary - Task 2.2: Export button\n\n**Status:** ✅ PASS\n\nAll checks ran.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "invoices"
    folder.mkdir()
    (folder / "task_2_1.md").write_text(REPORT, encoding="utf-8")
    (folder / "task_2_2.md").write_text(PLAIN, encoding="utf-8")
    return folder


@pytest.fixture
def read_by_an_earlier_parser(folder: Path, run_cli: Callable, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder as an earlier tracker stored it: another parser version, one that missed deferrals."""
    real = tracker.parse.pipeline.parse_document

    def missing_deferrals(text: str, source: str = "<text>"):
        report, document = real(text, source)
        return report.model_copy(update={"deferred": []}), document

    with monkeypatch.context() as patch:
        patch.setattr(tracker.parse.pipeline, "parse_document", missing_deferrals)
        patch.setattr(tracker.parser_version, "parser_version", lambda: "earlier")
        assert run_cli("ingest", str(folder)).exit_code == 0
    return folder


def _current_reports() -> list[tuple[str, int, str | None]]:
    with Store.open() as store, store.session() as session:
        rows = session.execute(select(ReportRow.source_path, ReportRow.revision, ReportRow.parser_version)
                               .where(ReportRow.is_current.is_(True)).order_by(ReportRow.source_path))
        return [(Path(path).name, revision, version) for path, revision, version in rows]


def test_every_stored_revision_names_the_parser_that_read_it(folder: Path, run_cli: Callable) -> None:
    run_cli("ingest", str(folder))
    assert _current_reports() == [("task_2_1.md", 1, parser_version()), ("task_2_2.md", 1, parser_version())]
    assert len(parser_version()) == 16


def test_unchanged_files_an_earlier_parser_read_are_named_not_reread(read_by_an_earlier_parser: Path,
                                                                     run_cli: Callable) -> None:
    result = run_cli("ingest", str(read_by_an_earlier_parser))
    assert result.stdout.splitlines() == ["ingested 0, unchanged 2, failed 0"]
    assert "note: 2 unchanged report(s) were read by an earlier tracker parser" in result.stderr
    assert "--reparse" in result.stderr
    assert json.loads(run_cli("ingest", str(read_by_an_earlier_parser), "--json").stdout)["stale"] == 2
    assert [version for *_, version in _current_reports()] == ["earlier", "earlier"]


def test_reparse_stores_a_revision_only_where_the_newer_parser_reads_differently(
        read_by_an_earlier_parser: Path, run_cli: Callable) -> None:
    result = json.loads(run_cli("ingest", str(read_by_an_earlier_parser), "--reparse", "--json").stdout)
    by_name = {Path(f["file"]).name: f for f in result["files"]}
    assert list(by_name) == ["task_2_1.md"]  # task_2_2 reads the same: no new revision
    assert (by_name["task_2_1.md"]["outcome"], by_name["task_2_1.md"]["opened"]) == ("revised", 1)
    assert _current_reports() == [("task_2_1.md", 2, parser_version()), ("task_2_2.md", 1, parser_version())]
    with Store.open() as store, store.session() as session:
        reasons = session.scalars(select(EventRow.reason).where(EventRow.action == "revised")).all()
    assert len(reasons) == 1 and reasons[0].endswith("(same file, read again by a newer parser)")

    again = run_cli("ingest", str(read_by_an_earlier_parser), "--reparse")
    assert again.stdout.splitlines() == ["ingested 0, unchanged 2, failed 0"] and again.stderr == ""
