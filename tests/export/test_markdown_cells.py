"""The Markdown cells' fast path (text already folded) gives exactly the reference folding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.export.markdown import cell, short

WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT = st.text(alphabet=st.sampled_from(list(WHITESPACE) + list("ab|é…\x00\u200b")), max_size=12) | st.text()


def reference_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.replace("|", "\\|").split())


def reference_short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@given(TEXT)
def test_cell_matches_reference(text: str) -> None:
    assert cell(text) == reference_cell(text)


@given(st.one_of(st.none(), st.integers(), st.booleans(), st.floats(allow_nan=False)))
def test_cell_of_non_text(value: object) -> None:
    assert cell(value) == reference_cell(value)


@given(TEXT, st.integers(min_value=1, max_value=20))
def test_short_matches_reference(text: str, limit: int) -> None:
    assert short(text, limit) == reference_short(text, limit)
