"""Does a later report close a deferred item? The rules behind `lifecycle.find_closures`.

Precision first: a false close hides exactly the forgotten check tracker exists to surface,
so a report closes an item only by an explicit reference (the closing convention) or by a
passing check that names the same commands/files and the same subject. Anything weaker is
a `candidate` for a person to confirm. Mentions, restatements and plans never close (see
`tracker.evidence` for which lines count at all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from tracker.evidence import STUBBED, EvidenceLine, ReportEvidence, negated, passes
from tracker.terms import BY_A_PERSON, Terms, key_terms, matched_anchors, qualifiers, word_overlap


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
        by_a_person = bool(BY_A_PERSON.search(item_text))
        closed = _close_by_commands(item, lines, by_a_person=by_a_person) or (
            _close_by_subject(item, lines) if target_report else None
        )
    elif target_report:
        closed = _close_by_delivery(item, lines)
    if closed is not None:
        return closed if order_known else _as_candidate(closed)
    return _best_candidate(item, lines, kind)


_CLAUSE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(])|;\s+|\n")


@lru_cache(maxsize=2048)  # the items a new report may close are matched again by the next reports
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
        if negated(clause) or STUBBED.search(clause):
            owed |= anchors
        elif passes(clause):
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
        own = key_terms(line.text)
        # (most item/line pairs share no anchor: the matching is skipped when either side has none)
        anchors = matched_anchors(item.anchors, own.anchors) if item.anchors and own.anchors else set()
        if len(own.words & item.words) < 2 and not anchors:
            continue
        if not line.strong and not anchors:
            continue
        context = key_terms(line.context)  # only for the lines still in the running
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
