"""Checklist lines: task-list boxes (`- [x]`, `- [ ]`), lines starting with ✅ ⚠️ ❌ ⏳, status-table rows.

A supervisor counts what an agent ticked, warned about or left open; each line keeps the
section it sits in, so "⚠️ Docker not installed" under "Validation Results" reads as a
validation warning. Code blocks never count: test output is evidence, not a checklist.
"""

from __future__ import annotations

from tracker.model import ChecklistItem, CheckState
from tracker.parse.document import Document
from tracker.parse.field_lines import normalise_key
from tracker.parse.fields import STATUS_KEYS
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
        if block.kind == "row":
            row_item = _row_item(block.cells, block.is_header)
            if row_item is not None:
                state, text = row_item
                items.append(ChecklistItem(text=text, state=state, section=section, line=block.line))
            continue
        if block.kind not in ("item", "paragraph", "heading"):
            continue
        for line, text in block.text_lines():
            found = check_state(text)
            if found is not None:
                state, rest = found
                items.append(ChecklistItem(text=rest, state=state, section=section, line=line))
    return items


def _row_item(cells: tuple[str, ...], is_header: bool) -> tuple[CheckState, str] | None:
    """`| Background sync | ⏳ Pending |`: the first cell is the item, a later cell's mark its state."""
    if is_header or len(cells) < 2 or not cells[0].strip():
        return None
    if normalise_key(cells[0].rstrip(":")) in STATUS_KEYS:
        return None  # `| Status | ✅ Done |` is the report's status field, not a checklist entry
    for cell in cells[1:]:
        found = check_state(cell) or _bare_mark(cell)
        if found is not None:
            return found[0], " ".join(cells[0].split())
    return None


def _bare_mark(cell: str) -> tuple[CheckState, str] | None:
    """A cell holding only a mark ("✅") is a state too."""
    stripped = cell.strip().rstrip("\ufe0f")
    found = check_state(stripped + " x") if len(stripped) == 1 else None
    return (found[0], "") if found else None
