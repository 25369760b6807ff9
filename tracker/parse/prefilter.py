"""A literal prefilter for many regexes run on every line.

The deferral detector tries about a hundred phrase patterns per line, and almost every line
matches none of them. Each pattern needs some literal text to match ("postponed", "not run",
"⏳"); those literals are read from the compiled pattern itself, so a cue added later is
filtered correctly without anyone listing its keywords. One Aho-Corasick pass per line then
says which patterns can possibly match; only those run. The gate never hides a match: a
pattern whose literals cannot be worked out is always run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import ahocorasick_rs

try:  # the regex parser is private; without it every pattern simply runs unfiltered
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python versions before 3.11 name these sre_*
    _sre = _sre_parse = None  # type: ignore[assignment]

Requirement = tuple[frozenset[str], ...]
"""Each set holds strings (case-folded) of which one occurs in any text the pattern matches;
all the sets must be satisfied."""

_FOLD_FIXES = str.maketrans({"ı": "i", "ſ": "s", "\u0307": None})
"""Characters that `re.IGNORECASE` matches to ASCII letters but `str.lower` does not turn into
them (dotless i, long s; "İ".lower() adds a combining dot)."""


def fold(text: str) -> str:
    """Lower-case text the way `re.IGNORECASE` compares it, for substring tests."""
    lowered = text.lower()
    return lowered if lowered.isascii() else lowered.translate(_FOLD_FIXES)


def required_literals(pattern: re.Pattern[str]) -> Requirement:
    """What any match of `pattern` contains; empty when nothing can be told."""
    if _sre_parse is None or not pattern.flags & re.IGNORECASE:
        return ()  # case-sensitive patterns would need unfolded probes; none are used here
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an unreadable tree only loses the shortcut
        return ()
    parts = sorted(dict.fromkeys(_sequence(list(tree))), key=_selectivity, reverse=True)
    # A set holding a one-character string (" ", "i") is met by nearly every line: it costs
    # hits and filters nothing, so it is dropped unless it is all there is.
    selective = [part for part in parts if _selectivity(part)[0] >= MIN_LITERAL]
    return tuple(selective or parts[:1])


MIN_LITERAL = 2


def _sequence(items: Sequence[tuple[object, object]]) -> list[frozenset[str]]:
    """Everything a sequence requires: what each of its parts requires (all of them must match)."""
    out: list[frozenset[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _sre.LITERAL:
            run.append(fold(chr(arg)))  # type: ignore[arg-type]
            continue
        if run:
            out.append(frozenset({"".join(run)}))
            run = []
        out.extend(_node(op, arg))
    if run:
        out.append(frozenset({"".join(run)}))
    return [required for required in out if all(required)]


def _node(op: object, arg: object) -> list[frozenset[str]]:
    if op is _sre.SUBPATTERN:
        return _sequence(arg[3])  # type: ignore[index]
    if op is _sre.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:  # type: ignore[index]
            required = _sequence(alternative)
            if not required:
                return []  # one alternative needs no literal: neither does the branch
            union |= max(required, key=_selectivity)
        return [frozenset(union)]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, _high, body = arg  # type: ignore[misc]
        return _sequence(body) if low >= 1 else []
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence(arg)  # type: ignore[arg-type]
    return []  # classes, anchors, lookarounds: no literal text of their own


def _selectivity(required: frozenset[str]) -> tuple[int, int]:
    """Longer shortest string first, then fewer alternatives."""
    return min(len(s) for s in required), -len(required)


class LiteralGate:
    """Which of a list of patterns can match a text, found with one multi-string search."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self._always: list[int] = []
        self._needed: dict[int, int] = {}  # pattern -> how many requirement sets it has
        by_literal: dict[str, list[tuple[int, int]]] = {}
        for index, pattern in enumerate(patterns):
            requirement = required_literals(pattern)
            if not requirement:
                self._always.append(index)
                continue
            self._needed[index] = len(requirement)
            for part, literals in enumerate(requirement):
                for literal in literals:
                    by_literal.setdefault(literal, []).append((index, part))
        self._literals = list(by_literal)
        self._owners = [by_literal[literal] for literal in self._literals]
        self._search = ahocorasick_rs.AhoCorasick(self._literals) if self._literals else None

    def candidates(self, text: str) -> list[int]:
        """Indexes (ascending) of the patterns that may match `text`; the others cannot."""
        hits = self._search.find_matches_as_indexes(fold(text), overlapping=True) if self._search else []
        if not hits:
            return self._always
        satisfied: set[tuple[int, int]] = set()
        for literal, _start, _end in hits:
            satisfied.update(self._owners[literal])
        met: dict[int, int] = {}
        for index, _part in satisfied:
            met[index] = met.get(index, 0) + 1
        return sorted([*self._always, *(i for i, n in met.items() if n == self._needed[i])])
