"""Does a later report close a deferred item? Text analysis behind `lifecycle.find_closures`.

Precision first: a false close hides exactly the forgotten check tracker exists to surface,
so a report closes an item only by an explicit reference (the closing convention) or by a
passing check that names the same commands/files and the same subject. Anything weaker is
a `candidate` for a person to confirm. Mentions, restatements and plans never close: lines
that negate, defer, plan or sit under "Next steps"/"Known limitations" are not evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from tracker.parse.document import Block, Document, read_document

# --- key terms -------------------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _wordset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing done down during each either else
etc every few for from further had has have having here how however if in into is it its itself
just may me might more most must my no nor not now of off on once only or other our out over own
per same she should so some such than that the their them then there these they this those
through to too under until up upon us very via was we were what when where whether which while
who why will with within without would yet you your i e g ie eg vs
""")

# Words every deferral and every report uses: they say nothing about WHICH check it is.
GENERIC_WORDS = _wordset("""
test tests tested testing validate validated validation validating verify verified verification
check checked checking run running ran runs execute executed perform performed full fully
complete completed completion pending defer deferred later future follow followup need needs
needed require requires required requirement manual manually task tasks plan plans phase phases
step steps next todo note notes status pass passed passing fail failed failure success successful
successfully work works working done still yet currently actual actually real proper properly
available possible ensure confirm confirmed item items section report summary issue issues known
limitation limitations result results expected expect outside scope new use used using make made
one two three first all both
""")

_WORD = re.compile(r"[a-z][a-z0-9]+")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FILE_LIKE = re.compile(r"(?<![\w/])(\.?[\w-]+(?:[/.][\w-]+)*\.[a-z][a-z0-9]{0,4})(?![\w/])", re.I)
_COMMAND_HEAD = re.compile(
    r"^(npm|npx|pnpm|yarn|bun|node|deno|go|cargo|make|docker|fly|flyctl|kubectl|pytest|python3?|pip|uv|"
    r"poetry|ruff|mypy|tsc|eslint|jest|vitest|supabase|psql|curl|git|gradle|mvn|dotnet|cmake|terraform|"
    r"bundle|rake|rails|php|composer|mix|swift|xcodebuild|helm)\b"
)


def stem(word: str) -> str:
    """Crude suffix stripping so "builds"/"building"/"built" meet; enough for overlap counting."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: len(word) - len(suffix)] + keep
    return word


@dataclass(frozen=True, slots=True)
class Terms:
    """What a piece of text is about: content words and code anchors (commands, files)."""

    words: frozenset[str]
    anchors: frozenset[str]
    qualifiers: frozenset[str] = frozenset()

    @property
    def commands(self) -> frozenset[str]:
        return frozenset(a for a in self.anchors if _COMMAND_HEAD.match(a))

    @property
    def checks(self) -> frozenset[str]:
        """Commands whose success IS a check (build, test, lint), not a means (dev server, start)."""
        return frozenset(
            a for a in self.commands if _CHECK_COMMAND.search(a) and not _MEANS_COMMAND.search(a)
        )


# The point of many deferrals is WHERE or HOW a check runs: a pass without the same qualifier
# ("tested with fixtures" for "not tested with live events") is not the owed check.
_QUALIFIER = re.compile(
    r"\b(live|real|production|prod|staging|deployed|deployment|actual|e2e|end-to-end|manual(?:ly)?|"
    r"by hand|device|devices|browser|hardware|in ci|on ci|windows|macos|linux|ios|android)\b",
    re.I,
)
_CHECK_COMMAND = re.compile(
    r"\b(build|test|tests|lint|typecheck|type-check|tsc|vet|check|pytest|jest|vitest|mypy|ruff|eslint|"
    r"hadolint|compile|tidy|download|migrate|migration|validate|verify|audit)\b|test\w*\.|\.test\.|_test\b",
    re.I,
)
_MEANS_COMMAND = re.compile(r"\b(dev|start|serve|server|watch|preview|open|install)\b", re.I)
_BY_A_PERSON = re.compile(
    r"\b(manual(?:ly)?|by hand|click\w*|visual(?:ly)?|eyeball|human|person|sign-?off|in (?:a|the) browser|"
    r"on (?:a )?(?:real )?device|in (?:a|the) daw)\b",
    re.I,
)


def qualifiers(text: str) -> frozenset[str]:
    return frozenset(q.lower().replace("manually", "manual") for q in _QUALIFIER.findall(text))


# Commands written without backticks (the detector gives plain text; many reports never quote
# commands). Case-sensitive: commands are typed in lowercase, product names in prose are not
# ("via Supabase client" is not a command). Only tools whose name is not an everyday word, or
# a word plus a known subcommand; arguments stop at the first ordinary word.
_PLAIN_COMMAND = re.compile(
    r"(?<![\w/.-])(?:"
    r"(?:npm|npx|pnpm|yarn|docker|flyctl|kubectl|pytest|cargo|tsc|eslint|vitest|jest|supabase|psql|"
    r"terraform|gradle|mvn|dotnet|cmake|xcodebuild|poetry|ruff|mypy|hadolint)"
    r"|go (?:build|test|vet|run|mod|get|install|generate)|fly (?:deploy|launch|secrets|scale)"
    r"|node [\w./-]+\.[cm]?[jt]s|python3? (?:-m )?[\w./-]+|git (?:commit|push|tag|merge)"
    r")(?![\w-])(?: [\w./:@=*-]+){0,3}"
)
_ARGUMENT_STOP = STOPWORDS | _wordset(
    "passes passed pass fails failed fail succeeds succeeded runs ran then could did not was were"
)


def _plain_commands(text: str) -> Iterator[str]:
    for match in _PLAIN_COMMAND.finditer(text):
        words = match.group(0).split(" ")
        keep = [words[0]]
        for word in words[1:]:
            if word.lower().strip(".,;:") in _ARGUMENT_STOP:
                break
            keep.append(word)
        anchor = normalise_anchor(" ".join(keep))
        if " " in anchor:
            yield anchor


def normalise_anchor(text: str) -> str:
    text = text.strip().strip(".,;:()[]'\"").lower()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"(/\.\.\.|/\*|\.\.\.)$", "", text)
    return text.rstrip("/")


@lru_cache(maxsize=4096)
def key_terms(text: str) -> Terms:
    anchors: set[str] = set()
    for span in _CODE_SPAN.findall(text):
        anchor = normalise_anchor(span)
        if len(anchor) >= 3:
            anchors.add(anchor)
    anchors.update(_plain_commands(_CODE_SPAN.sub(" ", text)))
    for token in _FILE_LIKE.findall(_CODE_SPAN.sub(" ", text)):
        anchor = normalise_anchor(token)
        if len(anchor) >= 4 and not re.fullmatch(r"[\d.]+", anchor) and not _looks_like_prose(anchor):
            anchors.add(anchor)
    words = {
        stem(w) for w in _WORD.findall(text.lower().replace("_", " "))
        if w not in STOPWORDS and len(w) >= 3
    }
    words -= {stem(w) for w in GENERIC_WORDS}
    words -= GENERIC_WORDS
    return Terms(frozenset(words), frozenset(anchors), qualifiers(text))


def _looks_like_prose(token: str) -> bool:
    """"e.g." or "i.e." or a sentence end glued to the next word are not file names."""
    return bool(re.fullmatch(r"[a-z]{1,2}\.[a-z]{1,2}", token))


def anchors_match(a: str, b: str) -> bool:
    """Same command or file, allowing a path pattern ("go build ./cmd/...") to cover a member."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 6 or not long_.startswith(short):
        return False
    return not long_[len(short)].isalnum()


def matched_anchors(wanted: Iterable[str], offered: Iterable[str]) -> set[str]:
    offered = list(offered)
    return {a for a in wanted if any(anchors_match(a, b) for b in offered)}


def word_overlap(item: Terms, other: Terms) -> tuple[int, float]:
    """Shared content words, and the share of the item's words the other text covers."""
    if not item.words:
        return 0, 0.0
    shared = len(item.words & other.words)
    return shared, shared / len(item.words)


# --- what a line says ------------------------------------------------------------------------

_STRONG_PASS = re.compile(
    r"✅|✓|✔|☑|\bpass(?:ed|es)?\b|\bsucceed(?:s|ed)?\b|\bsuccess(?:ful(?:ly)?)?\b|\bgreen\b|"
    r"\b\d+\s+(?:tests?\s+)?pass(?:ed|ing)?\b|\b0 (?:errors?|failures?|failed)\b|\bno (?:\w+ )?errors\b|"
    r"\bexit(?:ed)? (?:code )?0\b|\bcompiles? (?:cleanly|successfully|clean)\b|\bwithout errors\b",
    re.I,
)
_WEAK_PASS = re.compile(
    r"\b(?:verified|confirmed|works|working|ran|executed|completed|validated|builds?|compiles?|"
    r"deployed|applied|measured)\b|\d+(?:\.\d+)?\s?(?:mb|kb|gb|ms|s|%|req/s)\b",
    re.I,
)
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
_STUBBED = re.compile(
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
        return {"version": EVIDENCE_VERSION, "source": self.source,
                "lines": [asdict(line) for line in self.lines]}

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
    for block in doc.blocks:
        out.extend(_block_evidence(doc, block))
    return ReportEvidence(doc.source, tuple(out))


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


def _block_evidence(doc: Document, block: Block) -> Iterator[EvidenceLine]:
    if block.kind in ("heading", "html"):
        return
    section = _section_path(block)
    explicit_section = bool(block.section and block.section.within(_CLOSING_SECTION.search))
    if block.kind == "code":
        # Command output: a block with a pass marker and no failure is one piece of evidence,
        # placed at its first passing line (code that merely mentions a subject is not).
        body = [(n, t.strip()) for n, t in block.raw_lines() if t.strip()]
        passing = [n for n, t in body if _passes(t)]
        if not passing or any(_negated(t) for _, t in body) or _EXCLUDED_SECTION.search(section):
            return
        text = "\n".join(_code_as_text(t) for _, t in body)
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
        if _EXCLUDED_SECTION.search(section) or _negated(text) or block.checked is False:
            continue
        strong = _passes(text) or block.checked is True
        if block.kind == "row":
            strong = strong or any(_passes(c) for c in block.cells)
        weak = not strong and bool(_WEAK_PASS.search(text))
        made = bool(_MADE.search(text))
        delivers = _delivers(text)
        if strong or weak or made or delivers:
            yield EvidenceLine(line, text, _heading(block), strong=strong, weak=weak, made=made,
                               delivers=delivers)


def _explicit_reference(text: str, in_closing_section: bool) -> str | None:
    match = _EXPLICIT_LINE.match(text)
    if match:
        return match.group(1).strip()
    if in_closing_section:
        return re.sub(r"^\s*(?:[-*+]|\d+[.)])\s*(?:\[[xX ]\]\s*)?", "", text).strip() or None
    return None


def _passes(text: str) -> bool:
    return bool(_STRONG_PASS.search(text))


def _negated(text: str) -> bool:
    text = _DELIVERS.sub(" ", _POSITIVE_NEGATIONS.sub(" ", text))
    return bool(_NEGATIVE.search(text))


def _delivers(text: str) -> bool:
    return bool(_DELIVERS.search(text))


_SHELL_LINE = re.compile(r"^(?:\$|>|PS>|#)?\s*(?=\S)")


def _code_as_text(line: str) -> str:
    """A shell command in a code block becomes a code span, so it is an anchor like `cmd`."""
    command = _SHELL_LINE.sub("", line, count=1)
    return f"`{command}`" if _COMMAND_HEAD.match(command) and "`" not in command else line


# --- matching an item against a report's evidence --------------------------------------------

MatchState = str  # "closed" | "candidate"


@dataclass(frozen=True, slots=True)
class Match:
    state: str  # "closed" | "candidate"
    rule: str  # "explicit-id" | "explicit" | "evidence"
    line: int
    lines: tuple[int, ...]
    evidence: str
    score: float


CANDIDATE_MIN_WORDS = 3
CANDIDATE_MIN_COVERAGE = 0.3
CLOSE_MIN_WORDS = 4
CLOSE_MIN_OWN_WORDS = 3  # on the evidence line itself, not only in its heading
CLOSE_MIN_COVERAGE = 0.6


def match_evidence(
    item_text: str, kind: str, evidence: ReportEvidence, *, target_report: bool, order_known: bool = True,
) -> Match | None:
    """The strongest claim this report makes about the item, or None.

    closed: every command the item owes passes here; or, in the target's own report, a
    passing line covers most of the item's subject and all its owed files (validation), or
    lines say each owed stub/file was replaced (work). Anything weaker is a candidate.
    """
    item = owed_terms(item_text)
    lines = [e for e in evidence.lines if e.explicit is None]
    if not lines or (not item.words and not item.anchors):
        return None
    closed = None
    if kind == "validation":
        by_a_person = bool(_BY_A_PERSON.search(item_text))
        closed = _close_by_commands(item, lines, by_a_person=by_a_person) or (
            _close_by_subject(item, lines) if target_report else None
        )
    elif target_report:
        closed = _close_by_delivery(item, lines)
    if closed is not None:
        return closed if order_known else _as_candidate(closed)
    return _best_candidate(item, lines, kind)


_CLAUSE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(])|;\s+|\n")


def owed_terms(text: str) -> Terms:
    """The item's terms, with anchors narrowed to what is owed.

    A deferral line often says what did pass too ("package builds (`go build ./x`) succeed;
    the full binary build (`go build ./cmd/app`) could not complete"): only anchors in
    clauses that defer, negate or stub are owed; when no clause says so, all of them are.
    """
    terms = key_terms(text)
    owed: set[str] = set()
    done: set[str] = set()
    for clause in _CLAUSE.split(text):
        anchors = key_terms(clause).anchors
        if _negated(clause) or _STUBBED.search(clause):
            owed |= anchors
        elif _passes(clause):
            done |= anchors
    anchors = owed or (terms.anchors - done)
    return Terms(terms.words, frozenset(anchors), terms.qualifiers)


def _keeps_qualifiers(item: Terms, line: EvidenceLine) -> bool:
    """Every where/how qualifier of the item ("live", "staging", "manual") is on the evidence too."""
    return item.qualifiers <= qualifiers(f"{line.text} {line.context}")


def _close_by_delivery(item: Terms, lines: list[EvidenceLine]) -> Match | None:
    """Postponed work is closed in its target's report when every owed anchor (the stubbed
    function or file) appears on a line saying it was replaced, or on a passing check."""
    if not item.anchors:
        return None
    hits: dict[str, EvidenceLine] = {}
    delivered = False
    for line in lines:
        if not (line.delivers or line.strong):
            continue
        found = matched_anchors(item.anchors, key_terms(line.text).anchors)
        for anchor in found:
            hits.setdefault(anchor, line)
        delivered = delivered or (line.delivers and bool(found))
    if not delivered or set(hits) != set(item.anchors):
        return None
    used = sorted({n for h in hits.values() for n in h.span})
    text = " / ".join(dict.fromkeys(h.text for h in sorted(hits.values(), key=lambda e: e.line)))
    first = min(h.line for h in hits.values())
    return Match("closed", "evidence", first, tuple(used), text, 1.0)


def _close_by_commands(item: Terms, lines: list[EvidenceLine], *, by_a_person: bool) -> Match | None:
    """Every owed check command passes. Not for checks a person must do: there a command is
    only the way in ("start `npm run dev` and click through checkout")."""
    commands = item.checks
    if not commands or by_a_person:
        return None
    hits: dict[str, EvidenceLine] = {}
    for line in lines:
        if not line.strong or not _keeps_qualifiers(item, line):
            continue
        for command in matched_anchors(commands, key_terms(line.text).anchors):
            hits.setdefault(command, line)
    if set(hits) != set(commands):
        return None
    used = sorted({n for h in hits.values() for n in h.span})
    text = " / ".join(dict.fromkeys(h.text for h in sorted(hits.values(), key=lambda e: e.line)))
    first = min(h.line for h in hits.values())
    return Match("closed", "evidence", first, tuple(used), text, 1.0)


def _close_by_subject(item: Terms, lines: list[EvidenceLine]) -> Match | None:
    best: Match | None = None
    for line in lines:
        if not line.strong or not _keeps_qualifiers(item, line):
            continue
        own, context = key_terms(line.text), key_terms(line.context)
        seen = Terms(own.words | context.words, own.anchors)
        shared, coverage = word_overlap(item, seen)
        if len(own.words & item.words) < CLOSE_MIN_OWN_WORDS or len(item.words) < CLOSE_MIN_WORDS:
            continue
        if shared < CLOSE_MIN_WORDS or coverage < CLOSE_MIN_COVERAGE:
            continue
        if matched_anchors(item.anchors, own.anchors) != set(item.anchors):
            continue
        if best is None or coverage > best.score:
            best = Match("closed", "evidence", line.line, line.span, line.text, round(coverage, 3))
    return best


def _best_candidate(item: Terms, lines: list[EvidenceLine], kind: str) -> Match | None:
    """The line most like evidence for the item: a pass or a run for a check, and also
    something built or replaced for postponed work. Shown for review, never a close."""
    best: Match | None = None
    for line in lines:
        usable = line.strong or line.weak or (kind == "work" and (line.made or line.delivers))
        if not usable:
            continue
        own, context = key_terms(line.text), key_terms(line.context)
        anchors = matched_anchors(item.anchors, own.anchors)
        if len(own.words & item.words) < 2 and not anchors:
            continue
        if not line.strong and not anchors:
            continue
        shared, coverage = word_overlap(item, Terms(own.words | context.words, own.anchors))
        anchor_share = len(anchors) / len(item.anchors) if item.anchors else 0.0
        by_words = shared >= CANDIDATE_MIN_WORDS and coverage >= CANDIDATE_MIN_COVERAGE
        if not ((anchors and shared >= 1) or by_words):
            continue
        score = round((0.5 * coverage + 0.5 * anchor_share) * (1.0 if line.strong else 0.8), 3)
        if best is None or score > best.score:
            best = Match("candidate", "evidence", line.line, line.span, line.text, score)
    return best


def _as_candidate(match: Match) -> Match:
    return Match("candidate", match.rule, match.line, match.lines, match.evidence, match.score)


# --- explicit references ("Closes: 3.6 Docker build validation") ------------------------------

_TASK_IN_REF = re.compile(
    r"(?:\b(?:task|plan|item)\s*#?\s*)?\b([A-Za-z]?\d+(?:[.-]\d+)+|[A-Za-z]\d+)\b", re.I
)


@dataclass(frozen=True, slots=True)
class ItemRef:
    """What explicit matching needs to know about one open item."""

    id: str
    task_id: str | None
    text: str


EXPLICIT_CLOSE_SIMILARITY = 0.5
EXPLICIT_CANDIDATE_SIMILARITY = 0.25


def match_explicit(evidence: ReportEvidence, items: Iterable[ItemRef]) -> dict[str, Match]:
    """Items this report's "Closes:" lines name: by ID (closed), or by task id + text."""
    items = list(items)
    found: dict[str, Match] = {}
    for line in evidence.lines:
        if line.explicit is None:
            continue
        for item_id, match in _resolve_reference(line, items).items():
            previous = found.get(item_id)
            if previous is None or _rank(match) > _rank(previous):
                found[item_id] = match
    return found


def _rank(match: Match) -> tuple[int, int, float]:
    return (match.state == "closed", match.rule == "explicit-id", match.score)


_HEDGED = re.compile(
    r"\b(?:not yet|still (?:open|pending|blocked|failing|not)|partial(?:ly)?|in part|cannot|can't|unable|"
    r"does(?: not|n't) close|blocked|fail(?:s|ed|ing)?)\b|❌|⚠|⏳",
    re.I,
)


def _resolve_reference(line: EvidenceLine, items: list[ItemRef]) -> dict[str, Match]:
    """Match one "Closes:" line; a hedged one ("partly", "still failing") only proposes."""
    found = _resolve_unhedged(line, items)
    if _HEDGED.search(line.explicit or ""):
        return {key: _as_candidate(match) for key, match in found.items()}
    return found


def _resolve_unhedged(line: EvidenceLine, items: list[ItemRef]) -> dict[str, Match]:
    ref = line.explicit or ""
    tokens = {t.lower() for t in re.findall(r"[A-Za-z0-9]+", ref)}
    by_id = [i for i in items if i.id.lower() in tokens]
    if by_id:
        return {i.id: Match("closed", "explicit-id", line.line, (line.line,), line.text, 1.0) for i in by_id}
    named_tasks = {m.group(1).lower() for m in _TASK_IN_REF.finditer(ref)}
    ref_terms = key_terms(_TASK_IN_REF.sub(" ", ref))
    scored: list[tuple[float, ItemRef]] = []
    for item in items:
        same_task = item.task_id is not None and item.task_id.lower() in named_tasks
        if named_tasks and not same_task:
            continue
        scored.append((_reference_similarity(ref_terms, key_terms(item.text)), item))
    if not scored:
        return {}
    scored.sort(key=lambda pair: -pair[0])
    out: dict[str, Match] = {}
    if named_tasks and not ref_terms.words:
        # "Closes: 3.6": unambiguous when task 3.6 has one open item; else each is a candidate.
        state, score = ("closed", 1.0) if len(scored) == 1 else ("candidate", 0.5)
        return {i.id: Match(state, "explicit", line.line, (line.line,), line.text, score) for _, i in scored}
    top, runner_up = scored[0][0], (scored[1][0] if len(scored) > 1 else 0.0)
    for score, item in scored:
        if score < EXPLICIT_CANDIDATE_SIMILARITY:
            continue
        clear_winner = score == top and top - runner_up >= 0.15
        sure = named_tasks and clear_winner and score >= EXPLICIT_CLOSE_SIMILARITY
        state = "closed" if sure else "candidate"
        out[item.id] = Match(state, "explicit", line.line, (line.line,), line.text, round(score, 3))
    return out


def _reference_similarity(ref: Terms, item: Terms) -> float:
    """Share of the reference's words found in the item: references are short summaries."""
    words = ref.words
    if not words:
        return 0.0
    hits = len(words & item.words) + 0.5 * len(matched_anchors(ref.anchors, item.anchors))
    return min(1.0, hits / len(words))
