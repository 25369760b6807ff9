"""Key terms of a deferred item's text, stored with the item so a reworded restatement in an edited
report still finds its earlier self (`similarity`) when the exact fingerprint
(`tracker.lifecycle.fingerprint`) no longer matches.
"""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[a-z0-9]+(?:[._/-][a-z0-9]+)*")
_FILLER = """a an the and or but if then than so of to in on at by for from with without into onto as is are
    was were be been being will would shall should can could may might must not no yes it its this that
    these those there here we our you your they their he she his her them i me my also just only still
    yet once when while until after before during about via per has have had do does did done"""
_STOPWORDS = frozenset(_FILLER.split())
_SUFFIXES = ("ing", "ed", "es", "s")


def key_terms(text: str) -> list[str]:
    """Sorted distinct content words of `text`, lowercased and lightly stemmed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    terms = set()
    for token in _TOKEN.findall(folded):
        if token in _STOPWORDS or (len(token) == 1 and not token.isdigit()):
            continue
        terms.add(_stem(token))
    return sorted(terms)


def _stem(token: str) -> str:
    if not token.isalpha():
        return token
    for suffix in _SUFFIXES:
        if len(token) > len(suffix) + 3 and token.endswith(suffix):
            return token[: -len(suffix)]
    return token


def similarity(a: list[str] | set[str], b: list[str] | set[str]) -> float:
    """Jaccard overlap of two term sets (0..1)."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)
