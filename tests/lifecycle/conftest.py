"""Fictional mini-reports of one project ("Harbor Notes") and helpers to track their deferrals."""

from __future__ import annotations

from datetime import datetime

import pytest

from tracker.lifecycle import TrackedItem, open_item
from tracker.model import DeferredItem, Report, TaskRef, Timestamps

PROJECT = "harbor"

DOCKER_TEXT = (
    "Docker is not installed here, so `docker build` was not run; "
    "the Docker build will be validated in task 2.3"
)
SIZE_TEXT = "Image size under 300MB is an estimate (~120MB); to be measured in task 2.3"


def report(source: str, task_id: str | None, completed: str | None = None) -> Report:
    """A report as the parser would give it; closing reads only its identity and time."""
    return Report(source=source, task=TaskRef(id=task_id), timestamps=Timestamps(completed=completed))


def deferred(text: str, line: int, kind: str = "validation", target: str | None = None) -> DeferredItem:
    return DeferredItem(text=text, kind=kind, target=target, line=line, end_line=line, lines=[line])


@pytest.fixture
def deferring_report() -> Report:
    return report("reports/task2_1.md", "2.1", "2026-03-02T10:00:00Z")


@pytest.fixture
def docker_item(deferring_report: Report) -> TrackedItem:
    return open_item(deferred(DOCKER_TEXT, 9, target="2.3"), deferring_report, PROJECT,
                     ingested_at=datetime(2026, 3, 2, 11))


@pytest.fixture
def size_item(deferring_report: Report) -> TrackedItem:
    return open_item(deferred(SIZE_TEXT, 10, target="2.3"), deferring_report, PROJECT)
