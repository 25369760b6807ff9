"""Task identity and status fields (scaffold: replaced by the full extractor)."""

from __future__ import annotations

from tracker.model import Format, StatusField, TaskRef
from tracker.parse.document import Document


def extract_task(doc: Document, fmt: Format) -> TaskRef:
    return TaskRef()


def extract_status(doc: Document, fmt: Format) -> StatusField:
    return StatusField()


def extract_validation(doc: Document, fmt: Format) -> StatusField | None:
    return None
