"""Find "Key: value" statements in any block: bold fields, plain lines, headings, 2-cell rows.

Agents write the same field as `**Status:** PASS`, `**Status**: PASS`, `- **Completed:** ...`,
`## Status: ✅ COMPLETED`, `STATUS: partial`, `*Completed: 2026-03-11*` or a `| Status | ✅ |`
row. Markup is already gone from `block.text`, so one rule over each text line covers them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from tracker.parse.document import Block, Document

_FIELD = re.compile(  # "📅 Completed: ..." and "🎯 Status: ..." carry a leading emoji
    r"^\s*(?:[-*+]\s+)?(?:[^\w\s]{1,3}\s*)?(?P<key>[A-Za-z][\w /&()-]{0,40}?)\s*:\s*(?P<value>.*?)\s*$")
_LEADING_MARKS = re.compile(r"^[\W_]*?(?=[A-Za-z])")
_SEGMENT = re.compile(r"\s+[·•]\s+(?=[A-Za-z][\w /&()-]{0,40}?\s*:|(?:completed|finished|ended)\b)", re.I)


_DASHED_FIELD = re.compile(r"^\W*(?P<key>status|result|outcome|state)\s+[—–]\s+(?P<value>[^\n]+)", re.I)
"""A verdict field written with a dash instead of a colon: only the few keys a status goes by."""


_TASK_COLUMNS = frozenset({"task", "ticket", "id", "story", "issue", "task id"})
"""A one-row table speaks for the report only when its row is a task ("| Task | Result | Finished |");
a one-row "| Check | Result |" table is one check's result."""


def _single_row_tables(doc: Document) -> set[int]:
    """Lines of the data rows that are alone in their table (a table: a header row and the rows
    after it, up to the next header row or non-row block)."""
    alone: set[int] = set()
    run: list[Block] = []
    for block in [*doc.blocks, None]:
        if block is not None and block.kind == "row" and not (block.is_header and run):
            run.append(block)
            continue
        data = [row for row in run if not row.is_header]
        if len(data) == 1 and len(data[0].header) >= 3 and normalise_key(data[0].header[0]) in _TASK_COLUMNS:
            alone.add(data[0].line)
        run = [block] if block is not None and block.kind == "row" else []
    return alone


def _yaml_header(doc: Document) -> Block | None:
    """A YAML code block right under the title, before any prose: the report's fields written as
    a front matter that is not one. A YAML block further down is an example or a config file."""
    for block in doc.blocks:
        if block.kind == "heading":
            continue
        if block.kind == "code" and block.info.strip().lower() in ("yaml", "yml"):
            return block
        return None
    return None


def line_segments(text: str) -> list[str]:
    """A metadata line ("Agent: Claude Code · Completed 2026-11-22 · Result: PASS") states several
    things; it splits only where a dot is followed by another statement, so a value keeps its dots."""
    return _SEGMENT.split(text) if "·" in text or "•" in text else [text]


@dataclass(frozen=True, slots=True)
class FieldLine:
    key: str  # lower-case, single spaces, leading emoji dropped
    value: str
    line: int
    block: Block


@lru_cache(maxsize=4096)
def normalise_key(key: str) -> str:
    """"📅 Completed (UTC)" -> "completed": marks and parenthetical remarks are not part of the name.

    Cached: reports repeat the same few keys ("Status", "Completed") thousands of times an ingest."""
    key = _LEADING_MARKS.sub("", key)
    key = re.sub(r"\s*\([^)]*\)", "", key)
    return re.sub(r"\s+", " ", key).strip().lower()


ALL_KINDS = ("heading", "paragraph", "item", "row")


def field_lines(doc: Document, *, kinds: tuple[str, ...] = ALL_KINDS) -> Iterator[FieldLine]:
    """Every `key: value` line of the document, in source order (code blocks never count)."""
    found = doc.derived.get("field_lines")
    if found is None:  # several extractors ask; the document's blocks don't change
        found = doc.derived["field_lines"] = list(_field_lines(doc))
    if kinds == ALL_KINDS:
        return iter(found)
    return (f for f in found if f.block.kind in kinds)


def _field_lines(doc: Document) -> Iterator[FieldLine]:
    header = _yaml_header(doc)
    single_rows = _single_row_tables(doc)
    for block in doc.blocks:
        if block is header:  # "```yaml\nstatus: done\nfinished: ...\n```" as the report's header
            for line, text in block.text_lines():
                match = _FIELD.match(text)
                if match:
                    yield FieldLine(normalise_key(match.group("key")), match.group("value"), line, block)
            continue
        if block.kind not in ALL_KINDS:
            continue
        if block.kind == "row":
            # a header row counts too: `| Status | ✅ PASS |` is often written as the table's first row
            if len(block.cells) >= 2 and block.cells[0]:
                key = block.cells[0].rstrip(":").strip()
                if len(key) <= 40:
                    yield FieldLine(normalise_key(key), block.cells[1].strip(), block.line, block)
            if block.line in single_rows:
                # "| Task | Result | Finished |" over one row: each column is a field of that row
                for key, value in zip(block.header[1:], block.cells[1:], strict=False):
                    if key.strip() and len(key) <= 40:
                        yield FieldLine(normalise_key(key), value.strip(), block.line, block)
            continue
        if dashed := _DASHED_FIELD.match(block.text):  # "Status — ✅ done (2026-07-08)"; its line has no
            key, value = dashed.group("key").lower(), dashed.group("value").strip()  # colon field
            yield FieldLine(key, value, block.content_line, block)
        if ":" not in block.text:
            continue  # `_FIELD` needs a colon; most blocks have none
        for line, whole in block.text_lines():
            for text in line_segments(whole):
                match = _FIELD.match(text) if ":" in text else None
                if match:
                    yield FieldLine(normalise_key(match.group("key")), match.group("value"), line, block)
