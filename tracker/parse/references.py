"""Other tasks this report names: deferral targets and dependencies."""

from __future__ import annotations

from tracker.model import Report
from tracker.parse.document import Document


def extract_references(doc: Document, report: Report) -> list[str]:
    """Task ids the deferred items point at, in first-seen order, without this task's own id."""
    seen: list[str] = []
    for item in report.deferred:
        target = item.target
        if target and target[0].isdigit() and target != report.task.id and target not in seen:
            seen.append(target)
    return seen
