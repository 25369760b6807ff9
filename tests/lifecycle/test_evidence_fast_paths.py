"""The evidence scanner's shortcuts give exactly what its plain rules give.

`scan_document` runs a line's regexes only when the literal gate says they can match (`_says`),
works out each section's facts once per document, and builds `to_data` without `asdict`. Checked
against the plain functions (`passes`, `negated`, `delivers`, the regexes themselves) on random
text and on every line of the reports in the repository, and against a reference scanner (the
rules written out plainly, as before the shortcuts) on whole documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import evidence as ev
from tracker.parse.document import Block, Document, read_document
from tracker.parse.prefilter import required_literals

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("sample_reports/**/*.md"), *ROOT.glob("tests/fixtures/**/*.md")])
WORDS = sorted({w for p in ev._GATED for part in required_literals(p) for w in part})
pieces = st.one_of(
    st.sampled_from(WORDS), st.sampled_from([" ", "  ", "\t", "`", "-", "_", ".", "(", ")", "[ ]", ":"]),
    st.sampled_from(["no errors", "0 failed", "without warnings", "not a code issue", "replaced the stub",
                     "placeholder is gone", "type errors", "errors in", "İ", "ſ", "ı", "K", "⚠️", "✅"]),
    st.text(max_size=6),
)
texts = st.lists(pieces, max_size=14).map("".join)


def _agrees(text: str) -> None:
    says = ev._says(text)
    assert ev._negated(text, says) == ev.negated(text), text
    assert ev._passes(text, says) == ev.passes(text), text
    assert ev._weak(text, says) == bool(ev._WEAK_PASS.search(text)), text
    for index, pattern in enumerate(ev._GATED):
        assert index in says or pattern.search(text) is None, (text, pattern.pattern)


@settings(max_examples=3000, deadline=None)
@given(text=texts)
def test_gated_rules_agree_with_the_plain_ones_on_random_text(text: str) -> None:
    _agrees(text)
    _agrees(text.upper())


@pytest.mark.parametrize("text", [
    "type no warnings errors",  # a substitution that makes a negative phrase appear
    "to no errors be", "Build passed with no errors; replaced the stub instead of the mock",
    "0 failures, will be validated later", "NO ERRORS", "İNTEGRATİON TESTS PASSED", "teſts paſſed",
    "p95 12ms", "took 3.5 s", "٣ MB", "50%", "BUILDS", "rebuilds", "ran", "verified",
])
def test_gated_rules_agree_on_corner_cases(text: str) -> None:
    _agrees(text)


def test_gated_rules_agree_on_every_line_of_the_repository_reports() -> None:
    for path in FILES:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            _agrees(line.strip())


def _reference_block(block: Block) -> Iterator[ev.EvidenceLine]:
    """`_block_evidence` as the rules read, without gate or per-section memo."""
    if block.kind == "html":
        return
    section = ev._section_path(block)
    if block.kind == "heading":
        parent = block.section.parent if block.section else None
        context = parent.title if parent is not None and parent.level > 1 else ""
        if ev.passes(block.text) and not ev.negated(block.text) and not ev._EXCLUDED_SECTION.search(section):
            yield ev.EvidenceLine(block.line, block.raw.strip(), context, strong=True, weak=False)
        return
    explicit_section = bool(block.section and block.section.within(ev._CLOSING_SECTION.search))
    if block.kind == "code":
        body = [(n, t.strip()) for n, t in block.raw_lines() if t.strip()]
        passing = [n for n, t in body if ev.passes(t)]
        heading = ev._heading(block)
        if not passing and body and ev.passes(heading) and not ev.negated(heading):
            passing = [body[0][0]]
        if not passing or any(ev.negated(t) for _, t in body) or ev._EXCLUDED_SECTION.search(section):
            return
        text = "\n".join(ev._code_as_text(t) for _, t in body)
        yield ev.EvidenceLine(passing[0], text, heading, strong=True, weak=False,
                              first_line=body[0][0], end_line=body[-1][0])
        return
    for line, raw in block.raw_lines():
        text = raw.strip()
        if not text:
            continue
        explicit = ev._explicit_reference(text, explicit_section and block.kind == "item")
        if explicit is not None:
            yield ev.EvidenceLine(line, text, ev._heading(block), strong=True, weak=False, explicit=explicit)
            continue
        if ev._EXCLUDED_SECTION.search(section) or ev.negated(text) or block.checked is False:
            continue
        strong = ev.passes(text) or block.checked is True
        if block.kind == "row":
            strong = strong or any(ev.passes(c) for c in block.cells)
        weak = not strong and bool(ev._WEAK_PASS.search(text))
        made = bool(ev._MADE.search(text))
        delivered = ev.delivers(text)
        if strong or weak or made or delivered:
            yield ev.EvidenceLine(line, text, ev._heading(block), strong=strong, weak=weak, made=made,
                                  delivers=delivered)


def _reference_scan(doc: Document) -> dict:
    lines = [line for block in doc.blocks for line in _reference_block(block)]
    return {"version": ev.EVIDENCE_VERSION, "source": doc.source, "lines": [asdict(e) for e in lines]}


def test_scan_gives_what_the_reference_scanner_gives_on_every_repository_report() -> None:
    assert len(FILES) > 50
    for path in FILES:
        doc = read_document(path.read_text(encoding="utf-8", errors="replace"), str(path))
        # as JSON text: the stored column keeps the keys' order too
        assert json.dumps(ev.scan_document(doc).to_data()) == json.dumps(_reference_scan(doc)), path


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.one_of(
    texts, texts.map(lambda t: f"- {t}"), texts.map(lambda t: f"## {t}"),
    texts.map(lambda t: f"| {t} | ✅ |"),
    st.sampled_from(["## Next steps", "## Deferred items closed", "```", "- [ ] todo", "- [x] done",
                     "Closes: 3.6 the image build", "| a | b |", "|---|---|"])), max_size=12))
def test_scan_gives_what_the_reference_scanner_gives_on_random_documents(lines: list[str]) -> None:
    doc = read_document("# Report\n\n" + "\n".join(lines) + "\n", "r.md")
    assert json.dumps(ev.scan_document(doc).to_data()) == json.dumps(_reference_scan(doc))
