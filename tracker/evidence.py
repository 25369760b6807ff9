"""Which lines of a report could close something, and what each says (pass, run, made, closes).

A line counts only when it is not negated, deferred or planned and does not sit under a
"Next steps"/"Known limitations"-style heading; a code block counts as one piece of
command output when it shows a pass and no failure. Scanning is per report, so a store can
keep the result (`ReportEvidence.to_data`) instead of the report text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from tracker.parse.document import Block, Document, read_document
from tracker.terms import COMMAND_HEAD

_STRONG_PASS = re.compile(
    r"✅|✓|✔|☑|\bpass(?:ed|es)?\b|\bsucceed(?:s|ed)?\b|\bsuccess(?:ful(?:ly)?)?\b|\bgreen\b|"
    r"\b\d+\s+(?:tests?\s+)?pass(?:ed|ing)?\b|\b0 (?:errors?|failures?|failed)\b|\bno (?:\w+ )?errors\b|"
    r"\bexit(?:ed)? (?:code )?0\b|\bcompiles? (?:cleanly|successfully|clean)\b|\bwithout errors\b",
    re.I,
)
_WEAK_WORD = (r"\b(?:verified|confirmed|works|working|ran|executed|completed|validated|builds?|compiles?|"
              r"deployed|applied|measured)\b")
_WEAK_FIGURE = r"\d+(?:\.\d+)?\s?(?:mb|kb|gb|ms|s|%|req/s)\b"
_WEAK_PASS = re.compile(f"{_WEAK_WORD}|{_WEAK_FIGURE}", re.I)
_WEAK_WORDS = re.compile(_WEAK_WORD, re.I)  # the two halves apart: only the words have literals to gate
_WEAK_FIGURES = re.compile(_WEAK_FIGURE, re.I)
# Making something is evidence for postponed work, never for a check ("created the test script").
_MADE = re.compile(
    r"\b(?:implemented|replac(?:ed|ing)|wired|populated|created|generated|added|installed|configured)\b",
    re.I,
)
_DELIVERS = re.compile(
    r"\b(?:replac(?:es|ed|ing)|instead of(?: returning)?|removed?|no longer(?: \w+)?|swapped out|"
    r"superseded?)\b[\w\s,'\-]{0,30}\b(?:placeholders?|stubs?|stubbed|skeletons?|mocks?|hard-?coded)\b|"
    r"\b(?:placeholders?|stubs?|skeletons?) (?:is |are |was |were |has been |have been )?"
    r"(?:gone|replaced|removed)\b|\bfully implemented\b|\bnow implemented\b",
    re.I,
)
STUBBED = re.compile(
    r"\b(?:stub(?:s|bed)?|placeholders?|skeletons?|mock(?:s|ed)?|hard-?coded|not (?:yet )?implemented|"
    r"todo)\b",
    re.I,
)
_POSITIVE_NEGATIONS = re.compile(
    r"\bno (?:\w+ )?(?:errors?|warnings?|failures?|issues?|regressions?)\b|"
    r"\b0 (?:errors?|failures?|failed)\b|"
    r"\bwithout (?:errors?|warnings?|issues?)\b|\bnot (?:a )?(?:code )?issue\b",
    re.I,
)
_NEGATIVE = re.compile(
    r"\bnot\b|n't\b|\bnever\b|\bfail(?:s|ed|ure|ing)?\b|\bblock(?:ed|s|ing)?\b|\bskip(?:s|ped)?\b|"
    r"\bpending\b|\bdefer(?:s|red)?\b|\brequir(?:e|es|ed|ing)\b|\bwill\b|\bto be\b|\bshould\b|"
    r"\bneeds?\b|\btodo\b|\btbd\b|\bcannot\b|\bunable\b|\brecommend|\bnext steps?\b|\bcan be\b|"
    r"\bonce\b|\buntil\b|\bif needed\b|\bwould\b|\bmock(?:s|ed)?\b|\bsimulat|\bestimat|"
    r"\bexpected to\b|\bpartial(?:ly)?\b|\bplaceholder\b|\bmust\b|\blater\b|\bfuture\b|"
    r"\bmanual(?:ly)? (?:test|verif|check)|\bunverified\b|\buntested\b|\bmissing\b|\bremaining\b|"
    r"\b(?:type|typescript|compil\w*|build|lint|existing|unrelated)\s+errors?\b|"
    r"\berrors? (?:in|prevent\w*|remain\w*)\b|"
    r"\bpre-existing\b|⚠|❌|⏳|⏸|🚧|\[ \]",
    re.I,
)
_EXCLUDED_SECTION = re.compile(
    r"\b(?:next steps?|known (?:limitations?|issues?|stubs?|gaps?)|limitations?|deferred|todo|to[- ]do|"
    r"blockers?|risks?|recommend\w*|manual (?:testing|verification|steps)|pending|remaining|future|"
    r"follow[- ]?ups?|open (?:issues|questions|items)|user setup|not (?:yet )?(?:done|tested|run|verified)|"
    r"threat|how to (?:test|verify|run)|testing (?:instructions|steps|guide)|to verify)\b",
    re.I,
)
_CLOSING_SECTION = re.compile(
    r"\b(?:deferred (?:items? )?(?:closed|resolved|completed|done)|closed deferr\w*|closes|"
    r"closing deferr\w*|resolved deferr\w*)\b",
    re.I,
)
_EXPLICIT_LINE = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\[[xX ]\]\s*)?\**(?:closes|closed|resolves)\**\s*:\**\s*(.+)$", re.I
)


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    """One line of a report that could close something, with what it says."""

    line: int
    text: str
    context: str  # the nearest heading: part of what the line is evidence of
    strong: bool  # a pass marker: ✅, PASS, passed, succeeded, 0 errors ...
    weak: bool  # a completion word or a measured figure without a pass marker
    made: bool = False  # says something was built or added: evidence for work, not for checks
    explicit: str | None = None  # the reference text of a "Closes:" line
    delivers: bool = False  # says a stub/placeholder was replaced: evidence for postponed work
    first_line: int = 0  # a multi-line piece of evidence (command output) spans first_line..end_line
    end_line: int = 0

    @property
    def span(self) -> tuple[int, ...]:
        return tuple(range(min(self.first_line or self.line, self.line), max(self.line, self.end_line) + 1))


@dataclass(frozen=True, slots=True)
class ReportEvidence:
    """The lines of one report that may close items; cheap to keep and rescan.

    A store that does not keep report texts can keep `to_data()` (plain JSON) per revision,
    so items opened later (out-of-order ingest) are still matched against this report.
    """

    source: str
    lines: tuple[EvidenceLine, ...]

    def to_data(self) -> dict[str, Any]:
        """Plain JSON: `dataclasses.asdict` of each line, built directly (asdict deep-copies every
        field, a millisecond per report)."""
        return {"version": EVIDENCE_VERSION, "source": self.source, "lines": [
            {"line": e.line, "text": e.text, "context": e.context, "strong": e.strong, "weak": e.weak,
             "made": e.made, "explicit": e.explicit, "delivers": e.delivers, "first_line": e.first_line,
             "end_line": e.end_line} for e in self.lines]}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ReportEvidence | None:
        """None when the data was written by another version of the scanner: rescan the text."""
        if data.get("version") != EVIDENCE_VERSION:
            return None
        return cls(data["source"], tuple(EvidenceLine(**line) for line in data["lines"]))


EVIDENCE_VERSION = 1
"""Bump when scanning changes, so stored `ReportEvidence.to_data()` is recomputed."""


def scan_text(text: str, source: str = "<text>") -> ReportEvidence:
    return scan_document(read_document(text, source))


def scan_document(doc: Document) -> ReportEvidence:
    out: list[EvidenceLine] = []
    sections = _Sections()
    for block in doc.blocks:
        out.extend(_block_evidence(doc, block, sections))
    return ReportEvidence(doc.source, tuple(out))


class _Sections:
    """What `_block_evidence` asks of a block's section, answered once per section of a document
    (its blocks share their `Section`): path, excluded, under a closing heading."""

    __slots__ = ("_facts",)

    def __init__(self) -> None:
        self._facts: dict[int, tuple[str, bool, bool]] = {}

    def facts(self, block: Block) -> tuple[str, bool, bool]:
        section = block.section
        key = id(section)  # the document holds its sections while it is scanned
        found = self._facts.get(key)
        if found is None:
            path = _section_path(block)
            found = self._facts[key] = (path, bool(_EXCLUDED_SECTION.search(path)),
                                        bool(section and section.within(_CLOSING_SECTION.search)))
        return found


def _section_path(block: Block) -> str:
    """Headings above the block, without the document title (a title like "Task 4: Manual
    testing tooling" says nothing about which part of the report a line is in)."""
    titles: list[str] = []
    node = block.section
    while node is not None:
        if node.level > 1:
            titles.append(node.title)
        node = node.parent
    return " / ".join(reversed(titles))


def _heading(block: Block) -> str:
    """The nearest heading below the document title: it names what a line is evidence of."""
    section = block.section
    return section.title if section is not None and section.level > 1 else ""


def _block_evidence(doc: Document, block: Block, sections: _Sections | None = None) -> Iterator[EvidenceLine]:
    """The evidence lines of one block. Each line's regexes run only when the literal gate says
    they can match it (`_says`): the same answers as `passes`, `negated` and `delivers`."""
    if block.kind == "html":
        return
    _section, excluded, in_closing = (sections or _Sections()).facts(block)
    if block.kind == "heading":
        # "### ✅ `docker build` succeeded": a heading can state a pass on its own.
        parent = block.section.parent if block.section else None
        context = parent.title if parent is not None and parent.level > 1 else ""
        says = _says(block.text)
        if _passes(block.text, says) and not _negated(block.text, says) and not excluded:
            yield EvidenceLine(block.line, block.raw.strip(), context, strong=True, weak=False)
        return
    explicit_section = in_closing
    if block.kind == "code":
        # Command output: a block with a pass marker and no failure is one piece of evidence,
        # placed at its first passing line (code that merely mentions a subject is not).
        body = [(n, t.strip(), _says(t.strip())) for n, t in block.raw_lines() if t.strip()]
        passing = [n for n, t, says in body if _passes(t, says)]
        heading = _heading(block)
        if not passing and body and passes(heading) and not negated(heading):
            passing = [body[0][0]]  # "### Build output ✅" vouches for the block under it
        if not passing or any(_negated(t, says) for _, t, says in body) or excluded:
            return
        text = "\n".join(_code_as_text(t) for _, t, _says_ in body)
        yield EvidenceLine(passing[0], text, _heading(block), strong=True, weak=False,
                           first_line=body[0][0], end_line=body[-1][0])
        return
    for line, raw in block.raw_lines():
        text = raw.strip()
        if not text:
            continue
        explicit = _explicit_reference(text, explicit_section and block.kind == "item")
        if explicit is not None:
            yield EvidenceLine(line, text, _heading(block), strong=True, weak=False, explicit=explicit)
            continue
        if excluded:
            continue
        says = _says(text)
        if _negated(text, says) or block.checked is False:
            continue
        strong = _passes(text, says) or block.checked is True
        if block.kind == "row":
            strong = strong or any(passes(c) for c in block.cells)
        weak = not strong and _weak(text, says)
        made = _MADE_AT in says and bool(_MADE.search(text))
        delivered = _DELIVERS_AT in says and delivers(text)
        if strong or weak or made or delivered:
            yield EvidenceLine(line, text, _heading(block), strong=strong, weak=weak, made=made,
                               delivers=delivered)


def _explicit_reference(text: str, in_closing_section: bool) -> str | None:
    match = _EXPLICIT_LINE.match(text)
    if match:
        return match.group(1).strip()
    if in_closing_section:
        return re.sub(r"^\s*(?:[-*+]|\d+[.)])\s*(?:\[[xX ]\]\s*)?", "", text).strip() or None
    return None


def passes(text: str) -> bool:
    return bool(_STRONG_PASS.search(text))


def negated(text: str) -> bool:
    text = _DELIVERS.sub(" ", _POSITIVE_NEGATIONS.sub(" ", text))
    return bool(_NEGATIVE.search(text))


def delivers(text: str) -> bool:
    return bool(_DELIVERS.search(text))


# --- the literal gate: which of the line regexes can match a line at all ----------------------------

_STRONG, _WEAK, _MADE_AT, _DELIVERS_AT, _POSITIVE, _NEGATIVE_AT = range(6)
_GATED = (_STRONG_PASS, _WEAK_WORDS, _MADE, _DELIVERS, _POSITIVE_NEGATIONS, _NEGATIVE)
_gate: _Gate | None = None


class _Gate:
    """Which of `_GATED` may match a text: those with any of their literals in it (folded as
    `re.IGNORECASE` compares, `tracker.parse.prefilter`). A pattern whose literals cannot be told
    is always run; one with several required parts runs when any part's literal is there (more
    than needed, never less)."""

    def __init__(self) -> None:
        import ahocorasick_rs

        from tracker.parse.prefilter import required_literals

        owners: dict[str, set[int]] = {}
        self.always = frozenset(i for i, p in enumerate(_GATED) if not required_literals(p))
        for index, pattern in enumerate(_GATED):
            for part in required_literals(pattern):
                for literal in part:
                    owners.setdefault(literal, set()).add(index)
        self.owners = [frozenset(found) for found in owners.values()]
        self.search = ahocorasick_rs.AhoCorasick(list(owners))

    def says(self, text: str) -> frozenset[int]:
        from tracker.parse.prefilter import fold

        out = self.always
        for literal, _start, _end in self.search.find_matches_as_indexes(fold(text), overlapping=True):
            out = out | self.owners[literal]
        return out


def _says(text: str) -> Collection[int]:
    """Indexes into `_GATED` of the patterns that may match `text` (the others cannot: each needs
    a literal the text lacks). One multi-string search per line."""
    global _gate
    if _gate is None:
        _gate = _Gate()
    return _gate.says(text)


def _weak(text: str, says: Collection[int]) -> bool:
    """`bool(_WEAK_PASS.search(text))`, given `_says(text)`: a completion word or a figure."""
    return (_WEAK in says and bool(_WEAK_WORDS.search(text))) or bool(_WEAK_FIGURES.search(text))


def _passes(text: str, says: Collection[int]) -> bool:
    """`passes(text)`, given `_says(text)`."""
    return _STRONG in says and bool(_STRONG_PASS.search(text))


def _negated(text: str, says: Collection[int]) -> bool:
    """`negated(text)`, given `_says(text)`: the gate speaks of `text` only, so once a substitution
    changed the text every later pattern runs unfiltered."""
    if _POSITIVE in says:
        text, changed = _POSITIVE_NEGATIONS.subn(" ", text)
        if changed:
            return bool(_NEGATIVE.search(_DELIVERS.sub(" ", text)))
    if _DELIVERS_AT in says:
        text, changed = _DELIVERS.subn(" ", text)
        if changed:
            return bool(_NEGATIVE.search(text))
    return _NEGATIVE_AT in says and bool(_NEGATIVE.search(text))


_SHELL_LINE = re.compile(r"^(?:\$|>|PS>|#)?\s*(?=\S)")


def _code_as_text(line: str) -> str:
    """A shell command in a code block becomes a code span, so it is an anchor like `cmd`."""
    command = _SHELL_LINE.sub("", line, count=1)
    return f"`{command}`" if COMMAND_HEAD.match(command) and "`" not in command else line
