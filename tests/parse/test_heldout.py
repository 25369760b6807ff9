"""Held-out reports: fictional layouts the parser was not tuned on, scored by the shared scorer.

The corpus scorer only tells us how well we fit the reports we studied; this set, written
without reading the parser, tells us whether the rules generalise to other agents' styles.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCORER = REPO.parent / "shared" / "eval" / "score.py"
HELDOUT = REPO / "tests" / "fixtures" / "heldout"

# Floors sit a little below what the parser measured when this set was written;
# a drop below them means a change made the parser worse on unfamiliar layouts.
FLOORS = {
    "status": 0.95,
    "task_id": 0.95,
    "completed": 0.95,
    "files_f1": 0.95,
    "report_f1": 0.90,
    "item_f1": 0.90,
    "target": 0.85,
}


def run_scorer() -> dict[str, float]:
    cmd = f"{sys.executable} -m tracker parse --json"
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(HELDOUT / "labels.jsonl"), str(HELDOUT), "--cmd", cmd],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    match = re.search(r"^SUMMARY (.*)$", proc.stdout, re.MULTILINE)
    assert match, f"scorer printed no SUMMARY line:\n{proc.stdout}\n{proc.stderr}"
    return {key: float(value) for key, value in re.findall(r"(\w+)=([0-9.]+)", match.group(1))}


@pytest.fixture(scope="module")
def summary() -> dict[str, float]:
    if not SCORER.exists():
        pytest.skip("../shared/eval/score.py is absent")
    return run_scorer()


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_heldout_metric_stays_above_floor(summary: dict[str, float], metric: str) -> None:
    assert summary[metric] >= FLOORS[metric], f"{metric}={summary[metric]:.3f} < floor {FLOORS[metric]}"


def test_every_heldout_report_is_labelled() -> None:
    labelled = {
        line.split('"file": "', 1)[1].split('"', 1)[0]
        for line in (HELDOUT / "labels.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    on_disk = {p.relative_to(HELDOUT).as_posix() for p in HELDOUT.rglob("*.md")}
    assert labelled == on_disk
