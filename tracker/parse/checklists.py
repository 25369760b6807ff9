"""Checklist lines: task-list boxes and ✅ ⚠️ ❌ ⏳ markers (scaffold: replaced by the full extractor)."""

from __future__ import annotations

from tracker.model import ChecklistItem
from tracker.parse.document import Document


def extract_checklist(doc: Document) -> list[ChecklistItem]:
    return []
