"""The real reports in ../shared/corpus ingest cleanly and re-ingest as unchanged (skipped if absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
def test_whole_corpus_ingests_and_reingests_unchanged(run_cli) -> None:
    folders = [str(p) for p in sorted(CORPUS.iterdir()) if p.is_dir()]
    first = run_cli("ingest", *folders)
    assert first.exit_code == 0, first.stderr
    total = sum(1 for f in folders for _ in Path(f).rglob("*.md"))
    count_line, items_line = first.stdout.strip().splitlines()
    assert count_line == f"ingested {total}, unchanged 0, failed 0"
    stored_items = json.loads(run_cli("deferred", "--state", "all", "-f", "json").stdout)
    assert items_line.startswith(f"deferred items: {len(stored_items)} opened, ")
    again = run_cli("ingest", *folders)
    assert again.stdout.strip() == f"ingested 0, unchanged {total}, failed 0"
    projects = {row["project"] for row in json.loads(run_cli("status", "-f", "json").stdout)}
    assert projects == {Path(f).name for f in folders}
