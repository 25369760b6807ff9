"""Which deferred items and which stored reports can possibly match: a term index for ingest.

`closing.match_evidence` and `closing.match_explicit` only ever return something for an item
that shares a key with the report's evidence: a content word or code anchor (command, file) of
an evidence line, an item's short id or task id named on a "Closes:" line. So the writer looks
items (and, for a newly opened item, stored reports) up by those keys and runs the exact rules
on the few that share one, instead of on every open item (every stored report) of the project.
The keys are a superset of what the rules need: the index may propose too much, never too little
(`tests/store/test_match_index.py` compares with the exhaustive matching).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.evidence import ReportEvidence

MIN_PREFIX = 6
"""`terms.anchors_match`: a shorter anchor covers a longer one from this many characters on."""

_TOKEN = re.compile(r"[A-Za-z0-9]+")


def anchor_keys(anchor: str) -> set[str]:
    """The anchor and each of its prefixes `terms.anchors_match` would accept as covering it.

    Two anchors match only if they are equal or one is such a prefix of the other, so they
    match only if their key sets intersect.
    """
    keys = {"a:" + anchor}
    for end in range(MIN_PREFIX, len(anchor)):
        if not anchor[end].isalnum():
            keys.add("a:" + anchor[:end])
    return keys


def _terms_keys(words: Iterable[str], anchors: Iterable[str]) -> set[str]:
    keys = {"w:" + w for w in words}
    for anchor in anchors:
        keys |= anchor_keys(anchor)
    return keys


@lru_cache(maxsize=1024)
def item_keys(text: str, short_id: str, task_id: str | None) -> frozenset[str]:
    """Keys of an item: its words and anchors (whole text and owed part), id, task id."""
    from tracker.closing import owed_terms
    from tracker.terms import key_terms

    whole, owed = key_terms(text), owed_terms(text)
    keys = _terms_keys(whole.words | owed.words, whole.anchors | owed.anchors)
    keys.add("id:" + short_id.lower())
    if task_id:
        keys.add("t:" + task_id.lower())
    return frozenset(keys)


MIN_SHARED_WORDS = 2
"""A plain evidence line matches an item only with this many shared words or a shared anchor
(`closing._best_candidate`; closing by subject needs three, by command or delivery an anchor)."""

LineKeys = tuple[frozenset[str], frozenset[str]]
"""One evidence line: word keys (`MIN_SHARED_WORDS` needed) and keys of which one is enough."""


def line_keys(evidence: ReportEvidence) -> list[LineKeys]:
    """Keys of each evidence line; an item can match the report only through one line's keys.

    Plain lines: the anchors of the line's own text, and its words on a passing line only
    (`closing._best_candidate` wants an anchor on any other line; the closing rules want a pass).
    "Closes:" lines: every token (an item id), each task named, and the words and anchors of the
    reference, any one enough (`closing._resolve_unhedged`).
    """
    from tracker.closing import _TASK_IN_REF
    from tracker.terms import key_terms

    out: list[LineKeys] = []
    for line in evidence.lines:
        if line.explicit is None:
            own = key_terms(line.text)
            # Without a pass marker a line supports an item only through a shared anchor.
            words = frozenset("w:" + w for w in own.words) if line.strong else frozenset()
            out.append((words, frozenset(_terms_keys((), own.anchors))))
            continue
        ref = line.explicit
        keys = {"id:" + t.lower() for t in _TOKEN.findall(ref)}
        keys.update("t:" + m.group(1).lower() for m in _TASK_IN_REF.finditer(ref))
        terms = key_terms(_TASK_IN_REF.sub(" ", ref))
        keys |= _terms_keys(terms.words, terms.anchors)
        out.append((frozenset(), frozenset(keys)))
    return out


def evidence_keys(evidence: ReportEvidence) -> set[str]:
    """Every key of a report's evidence lines (an item sharing none cannot match the report)."""
    keys: set[str] = set()
    for words, others in line_keys(evidence):
        keys |= words | others
    return keys


def could_match(item: frozenset[str], lines: list[LineKeys]) -> bool:
    """The index's test: some line shares enough keys with the item (a necessary condition)."""
    return any(len(item & words) >= MIN_SHARED_WORDS or item & others for words, others in lines)


class KeyIndex:
    """Items by key; grows only (a superset of what is current is fine)."""

    __slots__ = ("_by_key",)

    def __init__(self) -> None:
        self._by_key: dict[str, set[int]] = {}

    def add(self, thing_id: int, keys: Iterable[str]) -> None:
        for key in keys:
            found = self._by_key.get(key)
            if found is None:
                self._by_key[key] = {thing_id}
            else:
                found.add(thing_id)

    def lookup(self, keys: Iterable[str]) -> set[int]:
        """Ids having any of `keys`."""
        out: set[int] = set()
        for key in keys:
            found = self._by_key.get(key)
            if found:
                out |= found
        return out

    def matching(self, lines: list[LineKeys]) -> set[int]:
        """Ids that `could_match` a report with these evidence lines."""
        out: set[int] = set()
        for words, others in lines:
            out |= self.lookup(others)
            counts: dict[int, int] = {}
            for key in words:
                for found in self._by_key.get(key, ()):
                    seen = counts[found] = counts.get(found, 0) + 1
                    if seen == MIN_SHARED_WORDS:
                        out.add(found)
        return out


_LINE = 1 << 32
"""A line of a stored report is kept as one int, report id * _LINE + position (not a tuple)."""


class LineIndex:
    """Stored reports by the keys of their evidence lines, for an item opened later."""

    __slots__ = ("_others", "_words")

    def __init__(self) -> None:
        self._words: dict[str, list[int]] = {}
        self._others: dict[str, list[int]] = {}

    def add(self, report_id: int, lines: list[LineKeys]) -> None:
        for n, (words, others) in enumerate(lines):
            line = report_id * _LINE + n
            for key in words:
                self._words.setdefault(key, []).append(line)
            for key in others:
                self._others.setdefault(key, []).append(line)

    def matching(self, item: Iterable[str]) -> dict[int, set[int]]:
        """Report id -> positions of its evidence lines that `could_match` the item of these keys."""
        out: dict[int, set[int]] = {}
        counts: dict[int, int] = {}
        for key in item:
            for line in self._others.get(key, ()):
                out.setdefault(line // _LINE, set()).add(line % _LINE)
            for line in self._words.get(key, ()):
                seen = counts[line] = counts.get(line, 0) + 1
                if seen == MIN_SHARED_WORDS:
                    out.setdefault(line // _LINE, set()).add(line % _LINE)
        return out
