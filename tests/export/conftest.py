"""Fictional reports of one made-up project ("Lantern"), stored through the real ingest path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tracker.export.weekly import WeeklySummary, public_data, weekly_summary
from tracker.export.window import resolve_window
from tracker.ingest import Source, ingest
from tracker.store import Store

PROJECT = "lantern"


def ralph_report(task: str, title: str, completed: str, *, status: str = "✅ PASS",
                 validation: str = "PASS (unit tests green)", warnings: str = "", closes: str = "") -> str:
    """A RALPH-style execution summary, the layout the parser knows best."""
    text = (
        f"# Execution Summary - Task {task}: [Core] {title}\n\n"
        f"**Status:** {status}\n**Completed:** {completed}\n**Validation:** {validation}\n\n"
        "## What Was Implemented\n\n- The lantern lights when the switch is pressed\n\n"
        "## Validation Results\n\n- ✅ `pytest` passes (12 tests)\n"
    )
    if warnings:
        text += f"- ⚠️ {warnings}\n"
    if closes:
        text += f"\n## Deferred Items Closed\n\n- Closes: {closes}\n"
    return text


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(str(tmp_path / "weekly.db"), actor="tester")
    yield opened
    opened.close()


@pytest.fixture
def add(store: Store) -> Callable[[str, str], None]:
    """Ingest one report text under a name, as `tracker ingest` would."""

    def add_report(name: str, text: str, project: str = PROJECT) -> None:
        summary = ingest(store, [Source(name=name, project=project, data=text.encode())])
        assert summary.failed == 0, summary.errors

    return add_report


def summary_for(store: Store, week: str, zone: str = "UTC",
                projects: list[str] | None = None) -> WeeklySummary:
    return weekly_summary(store, resolve_window(week=week, zone=zone), projects)


def stable(summary: WeeklySummary) -> dict:
    """Everything but the moment the summary was made."""
    data = public_data(summary)
    data.pop("generated_at")
    return data
