"""Deferred checks and postponed work (scaffold: replaced by the full detector)."""

from __future__ import annotations

from tracker.model import DeferredItem, Report
from tracker.parse.document import Document


def extract_deferred(doc: Document, report: Report) -> list[DeferredItem]:
    return []
