"""`tracker ingest --format json|csv`: what a supervising agent reads back after storing reports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_reports"


def _report(task: str, body: str) -> str:
    return (f"# Execution Summary - Task {task}: Add Export Endpoint\n\n**Status:** ✅ PASS\n"
            f"**Completed:** 2026-03-02 14:05 UTC\n\n{body}\n")


DEFERS = "## Notes\n- E2E export test requires a staging API key; deferred to Task 2.3.\n"


def test_json_counts_every_item_change_and_lists_each_stored_file(run_cli) -> None:
    result = run_cli("ingest", str(SAMPLES), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    items = json.loads(run_cli("deferred", "--state", "all", "-f", "json").stdout)
    stored = sorted(str(p.resolve()) for p in SAMPLES.rglob("*.md"))
    assert sorted(f["file"] for f in data["files"]) == stored
    assert {f["outcome"] for f in data["files"]} == {"ingested"}
    assert data["ingested"] == len(stored) and data["unchanged"] == data["failed"] == 0
    assert data["items"]["opened"] == sum(f["opened"] for f in data["files"]) == len(items)
    closed = [i for i in items if i["state"] == "closed"]
    assert data["items"]["closed"] == sum(f["closed"] for f in data["files"]) == len(closed) > 0
    closers = {f["file"]: f["closed"] for f in data["files"] if f["closed"]}
    assert closers == {path: sum(i["closed_by"].startswith(f"{path}:") for i in closed) for path in closers}

    again = json.loads(run_cli("ingest", str(SAMPLES), "--format", "json").stdout)
    assert again["files"] == [] and again["unchanged"] == len(stored)


def test_revision_and_failure_are_told_apart(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "invoices"
    folder.mkdir()
    (folder / "task_2_1.md").write_text(_report("2.1", "All checks ran."))
    run_cli("ingest", str(folder))
    (folder / "task_2_1.md").write_text(_report("2.1", DEFERS))
    (folder / "broken.md").write_bytes(b"**Status:** PASS\nCaf\xe9\n")
    result = run_cli("ingest", str(folder), "-f", "json")
    assert result.exit_code == 1
    by_name = {Path(f["file"]).name: f for f in json.loads(result.stdout)["files"]}
    assert by_name["task_2_1.md"]["outcome"] == "revised"
    assert by_name["task_2_1.md"]["opened"] == 1
    assert by_name["broken.md"]["outcome"] == "failed"
    assert by_name["broken.md"]["error"].endswith("broken.md:2: error: not UTF-8 (byte 0xe9); "
                                                 "re-save the file as UTF-8")


def test_csv_has_a_row_per_stored_file(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "invoices"
    folder.mkdir()
    (folder / "task_2_1.md").write_text(_report("2.1", DEFERS))
    (folder / "task_2_2.md").write_text(_report("2.2", "All checks ran."))
    rows = list(csv.DictReader(io.StringIO(run_cli("ingest", str(folder), "-f", "csv").stdout)))
    shown = sorted((Path(r["file"]).name, r["outcome"], r["opened"]) for r in rows)
    assert shown == [("task_2_1.md", "ingested", "1"), ("task_2_2.md", "ingested", "0")]


def test_table_says_what_happened_to_deferred_items(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "invoices"
    folder.mkdir()
    (folder / "task_2_1.md").write_text(_report("2.1", DEFERS))
    out = run_cli("ingest", str(folder)).stdout.splitlines()
    assert out == ["ingested 1, unchanged 0, failed 0", "deferred items: 1 opened"]
    assert run_cli("ingest", str(folder)).stdout.splitlines() == ["ingested 0, unchanged 1, failed 0"]


def test_watch_keeps_to_its_line_per_change(run_cli, tmp_path: Path) -> None:
    result = run_cli("ingest", str(tmp_path), "--watch", "-f", "json")
    assert result.exit_code == 2
    assert "--watch prints a line per change" in result.stderr
