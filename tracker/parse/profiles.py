"""Which family of agent wrote the report: decides where the task id and status usually live."""

from __future__ import annotations

import re

from tracker.model import Format
from tracker.parse.document import Document

_RALPH_TITLE = re.compile(r"execution summary\b.*\btask\b", re.I)


def detect_format(doc: Document) -> Format:
    fm = doc.front_matter or {}
    if "phase" in fm and ("plan" in fm or "key-files" in fm):
        return "gsd"
    first = next((b for b in doc.blocks if b.kind == "heading"), None)
    if first is not None and _RALPH_TITLE.search(first.text):
        return "ralph"
    return "generic"
