"""Checklist lines: task-list boxes (`- [x]`, `- [ ]`) and lines starting with ✅ ⚠️ ❌ ⏳.

A supervisor counts what an agent ticked, warned about or left open; each line keeps the
section it sits in, so "⚠️ Docker not installed" under "Validation Results" reads as a
validation warning. Code blocks never count: test output is evidence, not a checklist.
"""

from __future__ import annotations

from tracker.model import ChecklistItem
from tracker.parse.document import Document
from tracker.parse.status_words import check_state


def extract_checklist(doc: Document) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    for block in doc.blocks:
        section = block.section_title if block.kind != "heading" else (
            block.section.parent.title if block.section and block.section.parent else None)
        if block.kind == "item" and block.checked is not None:
            text = " ".join(block.text.split())
            if text:
                items.append(ChecklistItem(text=text, state="done" if block.checked else "open",
                                           section=section, line=block.line))
            continue
        if block.kind not in ("item", "paragraph", "heading"):
            continue
        for line, text in block.text_lines():
            found = check_state(text)
            if found is not None:
                state, rest = found
                items.append(ChecklistItem(text=rest, state=state, section=section, line=line))
    return items
