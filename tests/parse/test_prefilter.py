"""The literal prefilter may only skip patterns that cannot match: it must never hide a deferral."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.parse import deferral_phrases as vocab
from tracker.parse.prefilter import LiteralGate, fold, required_literals

CUE_PATTERNS = [cue.pattern for cue in vocab.LINE_CUES]
GATE = LiteralGate(CUE_PATTERNS)
REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"


def matching(text: str) -> set[int]:
    return {i for i, pattern in enumerate(CUE_PATTERNS) if pattern.search(text)}


def test_required_literals_of_a_sequence_are_all_its_parts() -> None:
    pattern = re.compile(r"\b(deferred|postponed)\s+until\b", re.IGNORECASE)
    assert required_literals(pattern) == (frozenset({"deferred", "postponed"}), frozenset({"until"}))


def test_optional_parts_and_classes_require_nothing() -> None:
    assert required_literals(re.compile(r"(maybe )?[a-z]+", re.IGNORECASE)) == ()
    assert required_literals(re.compile(r"x|[0-9]", re.IGNORECASE)) == ()


def test_case_sensitive_patterns_are_never_filtered() -> None:
    gate = LiteralGate([re.compile("Deferred")])
    assert gate.candidates("nothing here") == [0]


def test_a_line_without_any_cue_word_runs_no_pattern() -> None:
    assert GATE.candidates("Added the invoice table and its migration.") == []


def test_a_deferral_line_keeps_its_pattern() -> None:
    text = "Docker build will be validated during deployment"
    assert matching(text)
    assert matching(text) <= set(GATE.candidates(text))


@pytest.mark.parametrize("text", ["İNTEGRATİON TESTS NOT RUN", "teſts were ſkipped", "PENDİNG ⏳"])
def test_case_folding_matches_what_ignorecase_matches(text: str) -> None:
    assert matching(text) <= set(GATE.candidates(text))


def test_fold_maps_ignorecase_equivalents_to_ascii() -> None:
    assert fold("ſKİı") == "skii"


CUE_WORDS = sorted({w for cue in CUE_PATTERNS for part in required_literals(cue) for w in part})
pieces = st.one_of(
    st.sampled_from(CUE_WORDS),
    st.sampled_from(["validated", "during deployment", "API key", "manual", "not", "yet", "task 3.2", "⚠️"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
    st.sampled_from([" ", " ", "İ", "ı", "ſ", "K", "'", '"', "{", "}", ".", ":"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(pieces, max_size=14).map("".join))
def test_every_matching_pattern_is_a_candidate(text: str) -> None:
    assert matching(text) <= set(GATE.candidates(text))


def _report_lines() -> list[str]:
    folders = [REPO / "sample_reports", REPO / "tests" / "fixtures"]
    if CORPUS.is_dir():
        folders.append(CORPUS)
    lines: list[str] = []
    for folder in folders:
        for path in sorted(folder.rglob("*.md")):
            lines.extend(path.read_text(encoding="utf-8", errors="replace").splitlines())
    return lines


def test_no_real_report_line_loses_a_match() -> None:
    lines = _report_lines()
    missed = [line for line in lines if not matching(line) <= set(GATE.candidates(line))]
    assert len(lines) > 1000
    assert missed == []
