"""Files this task created, modified or deleted (scaffold: replaced by the full extractor)."""

from __future__ import annotations

from tracker.model import FileChange, Format
from tracker.parse.document import Document


def extract_files(doc: Document, fmt: Format) -> list[FileChange]:
    return []
