"""Extractor shortcuts (cheap pre-checks before a costly regex) find exactly what the full scan finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.parse.document import Document, read_document
from tracker.parse.field_lines import (
    _DASHED_FIELD,
    _FIELD,
    ALL_KINDS,
    field_lines,
    line_segments,
    normalise_key,
)
from tracker.parse.targets import _DOTTED, _REF, TaskContext, _is_self, _normalise, task_context

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"
REPORTS = sorted([*FIXTURES.rglob("*.md"), *SAMPLES.rglob("*.md")])


def documents() -> list[Document]:
    return [read_document(path.read_text(encoding="utf-8"), str(path)) for path in REPORTS]


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return documents()


def test_there_are_reports_to_compare() -> None:
    assert len(REPORTS) > 20


def test_known_task_ids_match_a_scan_of_every_block(docs: list[Document]) -> None:
    for doc in docs:
        for own_id, fmt in ((None, "generic"), ("1.2", "generic"), ("01-02", "gsd")):
            ctx = task_context(doc, own_id, fmt)
            plain = TaskContext(own_id=ctx.own_id, phase=ctx.phase, gsd=ctx.gsd)
            expected = {
                target for block in doc.blocks if block.kind != "code" for m in _REF.finditer(block.text)
                if m.group("word") and (target := _normalise(m, plain)) and _DOTTED.fullmatch(target)
                and not _is_self(target, plain)
            }
            assert ctx.known == frozenset(expected), doc.source


def test_field_lines_match_a_scan_of_every_line(docs: list[Document]) -> None:
    for doc in docs:
        expected = []
        for block in doc.blocks:
            if block.kind not in ALL_KINDS or block.kind == "row":
                continue
            if dashed := _DASHED_FIELD.match(block.text):
                key, value = dashed.group("key").lower(), dashed.group("value").strip()
                expected.append((key, value, block.content_line))
            for line, whole in block.text_lines():
                for text in line_segments(whole):
                    match = _FIELD.match(text)
                    if match:
                        expected.append((normalise_key(match.group("key")), match.group("value"), line))
        # rows are read by cells, a YAML header block line by line (test_fields covers both)
        found = [(f.key, f.value, f.line) for f in field_lines(doc) if f.block.kind not in ("row", "code")]
        assert found == expected, doc.source


def test_numbered_lines_count_from_the_content_line() -> None:
    doc = read_document("# T\n\ntext\nmore\n\n```\ncode\nlines\n```\n")
    paragraph, code = doc.blocks[1], doc.blocks[2]
    assert list(paragraph.text_lines()) == [(3, "text"), (4, "more")]
    assert list(code.raw_lines()) == [(7, "code"), (8, "lines")]
