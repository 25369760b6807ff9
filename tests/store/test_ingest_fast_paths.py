"""Fast paths of ingest behave like the plain ones: unchanged trees, touched files, chunked workers."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

import tracker.ingest
from tracker.ingest import _parsed, _Work, collect_sources, ingest
from tracker.store import Store
from tracker.store.schema import ReportRow

ROOT = Path(__file__).resolve().parents[2]


def _copy_samples(tmp_path: Path) -> Path:
    folder = tmp_path / "samples"
    for path in sorted((ROOT / "sample_reports").rglob("*.md")):
        target = folder / path.relative_to(ROOT / "sample_reports")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    return folder


def test_unchanged_tree_opens_no_write_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _copy_samples(tmp_path)
    with Store.open() as store:
        first = ingest(store, collect_sources([str(folder)]))
    assert first.ingested == 11

    writes: list[str] = []
    monkeypatch.setattr(Store, "writing", lambda self: writes.append("writing"))
    monkeypatch.setattr(Store, "touch", lambda self, *a: writes.append("touch"))
    touched: list[list[tuple[int, int, float | None]]] = []
    real_touch_many = Store.touch_many
    monkeypatch.setattr(Store, "touch_many", lambda self, stats: (touched.append(list(stats)),
                                                                  real_touch_many(self, stats)))
    with Store.open() as store:
        again = ingest(store, collect_sources([str(folder)]))
    assert (again.ingested, again.unchanged, writes, touched) == (0, 11, [], [])

    files = sorted(folder.rglob("*.md"))[:3]
    for n, path in enumerate(files):
        os.utime(path, (1_000_000 + n, 1_000_000 + n))  # same bytes, new stat
    with Store.open() as store:
        touched_run = ingest(store, collect_sources([str(folder)]))
        assert (touched_run.ingested, touched_run.unchanged, writes) == (0, 11, [])
        assert len(touched) == 1 and len(touched[0]) == 3  # one batch, one transaction
        with store.session() as session:
            stats = dict(session.execute(select(ReportRow.source_path, ReportRow.mtime)
                                         .where(ReportRow.is_current.is_(True))).all())
    for n, path in enumerate(files):
        assert stats[path.resolve().as_posix()] == 1_000_000 + n


def test_chunked_parsing_yields_every_file_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.ingest import Source

    monkeypatch.setattr(tracker.ingest, "_parse_or_error", lambda name, data: f"{name}:{len(data)}")
    works = [_Work(Source(name=f"f{n}", project="p"), b"x" * n, "", n, None) for n in range(37)]
    serial = [(w.source.name, r) for w, r in _parsed(iter(works), None, 8)]
    with ThreadPoolExecutor(2) as pool:
        for window in (1, 8, 64):
            chunked = [(w.source.name, r) for w, r in _parsed(iter(works), pool, window)]
            assert chunked == serial
    assert serial[5] == ("f5", "f5:5")


def _walk_reference(folder: Path, pattern: str) -> list[Path]:
    """find_reports as it was written with os.walk (the behaviour to keep)."""
    import fnmatch

    from tracker.ingest import SKIPPED_FOLDERS

    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS)
        relative = Path(root).relative_to(folder).as_posix()
        for name in sorted(files):
            target = (name if relative == "." else f"{relative}/{name}") if "/" in pattern else name
            if fnmatch.fnmatchcase(target, pattern) and os.path.isfile(os.path.join(root, name)):
                found.append(Path(root) / name)
    return found


@pytest.mark.parametrize("pattern", ["*.md", "*/*.md", "fixtures/*/*.md", "*"])
def test_find_reports_finds_what_os_walk_finds(tmp_path: Path, pattern: str) -> None:
    from tracker.ingest import find_reports

    tree = tmp_path / "tree"
    (tree / "b" / "node_modules").mkdir(parents=True)
    (tree / "a").mkdir()
    for name in ("b/2.md", "b/1.md", "a/x.md", "top.md", "b/node_modules/dep.md", "a/notes.txt"):
        (tree / name).write_text("# r\n")
    (tree / "linked").symlink_to(tree / "a", target_is_directory=True)  # not entered, as os.walk
    (tree / "alias.md").symlink_to(tree / "top.md")
    (tree / "dangling.md").symlink_to(tree / "missing.md")
    for folder in (tree, ROOT / "tests"):
        assert find_reports(folder, pattern) == _walk_reference(folder, pattern)
