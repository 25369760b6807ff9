"""Fingerprints ignore what an edit of a report changes without changing the item."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tests.lifecycle.conftest import DOCKER_TEXT, SIZE_TEXT, deferred
from tracker.lifecycle import fingerprint

TEXTS = [
    DOCKER_TEXT, SIZE_TEXT, "Known stub: `render_pdf()` returns a placeholder until Plan 03-02",
    "Run npm run typecheck and npm run lint; tests not run here",
]


def restyle(text: str, upper: list[bool], punct: str, line: int) -> tuple[str, int]:
    """Same words, other case, punctuation and markup: what re-saving an edited report does."""
    words = text.split()
    out = [w.upper() if up else w.lower() for w, up in zip(words, upper + [False] * len(words), strict=False)]
    styled = re.sub(r"[;,]", punct, " ".join(out))
    return f"**{styled}**", line


@given(
    text=st.sampled_from(TEXTS),
    upper=st.lists(st.booleans(), max_size=30),
    punct=st.sampled_from([",", ";", " -", " —", ":"]),
    line=st.integers(min_value=1, max_value=5000),
)
def test_fingerprint_ignores_case_punctuation_markup_and_line(text, upper, punct, line) -> None:
    styled, moved = restyle(text, upper, punct, line)
    assert fingerprint(deferred(styled, moved), "2.1") == fingerprint(deferred(text, 9), "2.1")


@given(a=st.sampled_from(TEXTS), b=st.sampled_from(TEXTS))
def test_different_items_have_different_fingerprints(a, b) -> None:
    assert (fingerprint(deferred(a, 1), "2.1") == fingerprint(deferred(b, 1), "2.1")) == (a == b)
