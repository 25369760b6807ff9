"""Small fictional reports written into a folder for the crash and concurrency tests, plus the
checks both make on the database afterwards (every report whole, nothing twice).

Reports are short on purpose: the tests are about what survives a kill or a race, and each report
still has every kind of child row (checklist items, file changes, deferred items with mentions).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, func, select

from tracker.store.schema import ChecklistRow, EventRow, FileChangeRow, MentionRow, ReportRow

AREAS = ["billing", "search", "auth", "export", "uploads", "alerts", "reports", "settings"]
DEFERRALS = [
    "Load test will be validated during staging deployment.",
    "Webhook delivery requires API key for the sandbox, not run locally.",
    "Manual testing required on Safari before release.",
    "Known stubs until plan 03-02 wires the real client.",
    "Docker build will be validated during deployment.",
]


def write_report(folder: Path, number: int, rng: random.Random) -> Path:
    area = rng.choice(AREAS)
    phase, step = divmod(number, 9)
    checks = [f"- [{'x' if rng.random() < 0.7 else ' '}] {area} check {i} for task {phase}.{step}"
              for i in range(rng.randint(1, 4))]
    files = [f"- `src/{area}/module_{number}_{i}.py` - {'created' if i == 0 else 'modified'}"
             for i in range(rng.randint(1, 3))]
    deferred = rng.sample(DEFERRALS, rng.randint(0, 2))
    lines = [
        f"# Execution Summary - Task {phase}.{step}: [{area.upper()}] Change {number} to {area}",
        "",
        f"**Status**: {'✅ PASS' if rng.random() < 0.8 else '⚠️ Partial'}",
        f"**Completed:** 2026-0{1 + number % 9}-1{number % 10} 10:00 UTC",
        "",
        "## What Was Implemented",
        "",
        f"- Reworked the {area} flow for request {number}",
        "",
        "## Files Created/Modified",
        "",
        *files,
        "",
        "## Validation Checklist",
        "",
        *checks,
    ]
    if deferred:
        lines += ["", "## Deferred", "", *[f"- {text}" for text in deferred]]
    path = folder / f"task-{number:04d}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_tree(folder: Path, count: int, *, seed: int = 11, start: int = 0) -> list[Path]:
    """`count` reports numbered from `start`; the same seed gives the same bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed * 100_003 + start)
    return [write_report(folder, number, rng) for number in range(start, start + count)]


@dataclass(frozen=True)
class Expected:
    checklist: int
    files: int
    mentions: int


@cache
def expected_children(path: str) -> Expected:
    """What a fresh parse of the file says the stored report must have."""
    from tracker.lifecycle import fingerprint
    from tracker.parse.pipeline import parse_file

    report = parse_file(Path(path))
    items = {fingerprint(item, report.task.id) for item in report.deferred}
    return Expected(len(report.checklist), len(report.files), len(items))


def check_database(engine: Engine) -> int:
    """Assert every stored report is whole and nothing is stored twice; returns how many are stored."""
    with engine.connect() as conn:
        reports = conn.execute(select(ReportRow.id, ReportRow.source_path, ReportRow.revision,
                                      ReportRow.is_current)).all()

        def per_report(column) -> Counter[int]:
            return Counter(dict(conn.execute(select(column, func.count()).group_by(column)).all()))

        checklist = per_report(ChecklistRow.report_id)
        files = per_report(FileChangeRow.report_id)
        mentions = per_report(MentionRow.report_id)
        ingested_events = Counter(dict(conn.execute(
            select(EventRow.report_id, func.count()).where(EventRow.action == "ingested")
            .group_by(EventRow.report_id)).all()))
    paths = Counter(path for _id, path, _rev, _cur in reports)
    assert [p for p, n in paths.items() if n > 1] == [], "a file was stored more than once"
    assert all(rev == 1 and current for _id, _p, rev, current in reports), "an unchanged file got a revision"
    orphans = (set(checklist) | set(files) | set(mentions)) - {rid for rid, *_ in reports}
    assert not orphans, f"child rows without their report: {sorted(orphans)[:5]}"
    for report_id, path, _rev, _cur in reports:
        want = expected_children(path)
        got = Expected(checklist[report_id], files[report_id], mentions[report_id])
        assert got == want, f"{path}: stored {got}, the file has {want}"
        assert ingested_events[report_id] == 1, f"{path}: {ingested_events[report_id]} 'ingested' events"
    return len(reports)
