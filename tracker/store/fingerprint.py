"""Stable identity of a deferred item: its kind plus the key terms of its text, never line numbers.

An agent that edits a report (fixes a typo, moves a paragraph, adds a word) must not turn an old
deferral into a new one, so the fingerprint ignores order, case, punctuation, filler words and
simple inflections; `similarity` catches rewordings the fingerprint cannot.
"""

from __future__ import annotations

import hashlib
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


def fingerprint(kind: str, terms: list[str]) -> str:
    return hashlib.sha1(f"{kind}|{' '.join(terms)}".encode()).hexdigest()[:20]


def similarity(a: list[str] | set[str], b: list[str] | set[str]) -> float:
    """Jaccard overlap of two term sets (0..1)."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)
