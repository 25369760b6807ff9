"""Vocabularies for status values, kept as data so a new agent's wording is a one-line addition.

Agents write the same verdict many ways ("✅ PASS", "COMPLETED", "Self-Check: PASSED",
"success"); every extractor maps them through `status_of` so the mapping lives in one place.
"""

from __future__ import annotations

import re

from tracker.model import CheckState, StatusValue

STATUS_WORDS: dict[str, StatusValue] = {
    # pass
    "pass": "pass", "passed": "pass", "passes": "pass", "passing": "pass",
    "success": "pass", "successful": "pass", "successfully": "pass", "succeeded": "pass",
    "complete": "pass", "completed": "pass", "done": "pass", "finished": "pass",
    "ok": "pass", "green": "pass", "resolved": "pass", "approved": "pass", "verified": "pass",
    "implemented": "pass", "delivered": "pass", "merged": "pass", "shipped": "pass", "accomplished": "pass",
    "achieved": "pass",
    # fail
    "fail": "fail", "failed": "fail", "fails": "fail", "failing": "fail", "failure": "fail",
    "error": "fail", "errored": "fail", "broken": "fail", "red": "fail", "rejected": "fail",
    "unsuccessful": "fail", "aborted": "fail",
    # partial
    "partial": "partial", "partially": "partial", "incomplete": "partial", "mostly": "partial",
    "gaps_found": "partial", "gaps-found": "partial",  # a GSD phase VERIFICATION with must-haves missing
    # blocked
    "blocked": "blocked", "stuck": "blocked", "on hold": "blocked", "waiting": "blocked",
    # in progress
    "in progress": "in_progress", "in_progress": "in_progress", "in-progress": "in_progress",
    "wip": "in_progress", "ongoing": "in_progress", "pending": "in_progress",
    "started": "in_progress", "running": "in_progress", "not started": "in_progress",
    "todo": "in_progress", "to do": "in_progress", "draft": "in_progress",
}

STATUS_EMOJI: dict[str, StatusValue] = {
    "✅": "pass", "✔": "pass", "✓": "pass", "☑": "pass", "🟢": "pass", "🎉": "pass",
    "❌": "fail", "✗": "fail", "✖": "fail", "🔴": "fail",
    "⚠": "partial", "🟡": "partial",
    "⛔": "blocked", "🚫": "blocked", "🛑": "blocked",
    "⏳": "in_progress", "🚧": "in_progress", "🔄": "in_progress", "🕐": "in_progress",
}

CHECK_MARKS: dict[str, CheckState] = {
    "✅": "done", "✔": "done", "✓": "done", "☑": "done",
    "⚠": "warning",
    "❌": "failed", "✗": "failed", "✖": "failed",
    "⏳": "pending", "🔄": "pending", "🚧": "pending",
}

# Words after the verdict that turn "complete" into something weaker ("complete with issues").
WEAKENERS: dict[str, StatusValue] = {
    r"with (?:\w+ )?(?:issues|errors|failures|gaps|items|points|todos|caveats|limitations|exceptions)":
        "partial",
    r"except": "partial",
    r"but": "partial",
    r"(?:partly|partially|still) (?:outstanding|open|pending|unverified|untested)": "partial",
}

_EMOJI_JUNK = "\ufe0f\u200d "
_WORD = re.compile(r"[A-Za-z][A-Za-z_-]*(?:\s+(?:progress|started|hold|do))?", re.I)


def strip_marks(text: str) -> tuple[str, str]:
    """Split leading status emoji (and variation selectors) from the words after them."""
    marks = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in STATUS_EMOJI or ch in _EMOJI_JUNK or ch in "*_`[]":
            if ch in STATUS_EMOJI:
                marks.append(ch)
            i += 1
            continue
        break
    return "".join(marks), text[i:]


# "Not complete" is unfinished work, "not passing" a failure.
NEGATED: dict[StatusValue, StatusValue] = {"pass": "partial", "fail": "fail", "partial": "partial"}
NEGATED_PASS_AS_FAIL = frozenset({"pass", "passed", "passing", "working", "ok", "successful"})
_VERDICT_WINDOW = 4  # a verdict may follow a short subject: "All tests passed", "Build failed"


def _word_status(word: str) -> StatusValue | None:
    return STATUS_WORDS.get(word) or STATUS_WORDS.get(word.split(" ")[0] if word else "")


# Verbs that end a sentence with its verdict: "`cargo build` and `cargo test` (1 test) pass."
CLOSING_VERDICTS: dict[str, StatusValue] = {
    "pass": "pass", "passes": "pass", "passed": "pass", "succeed": "pass", "succeeds": "pass",
    "succeeded": "pass", "fail": "fail", "fails": "fail", "failed": "fail",
}
NEGATORS = frozenset({"not", "no", "never", "without", "don't", "doesn't", "didn't", "cannot", "can't"})
_FIRST_CLAUSE = re.compile(r"^(?P<clause>[^.;!?]*?(?:\.(?=\S)[^.;!?]*?)*)(?:[.;!?](?:\s|$)|$)")


def _closing_verdict(text: str) -> StatusValue | None:
    """The verdict verb that ends the first clause: "`cargo test` (12 tests) pass." -> pass."""
    clause = _QUALIFIER_TEXT.sub(" ", text.replace("`", ""))
    match = _FIRST_CLAUSE.match(clause.strip())
    words = re.findall(r"[A-Za-z'][A-Za-z_'-]*", match.group("clause") if match else "")
    lowered = [w.lower() for w in words]
    if len(words) < 2 or any(w in NEGATORS or w in _UNSURE for w in lowered) or lowered[-2] == "to":
        return None
    return CLOSING_VERDICTS.get(words[-1].lower())


# "to see if they pass", "should pass once merged": a hope, not a verdict
_UNSURE = frozenset({"if", "whether", "until", "unless", "once", "when", "should", "will", "would", "must",
                     "may", "might", "could", "expected", "expect", "expects", "hopefully"})
_QUALIFIER_TEXT = re.compile(r"\([^()]*\)")
_AWAITING_REVIEW = re.compile(
    r"(?:in|ready for|awaiting|pending|under|needs)?\s*(?:code\s+|peer\s+)?review\W*", re.I
)


def status_of(value: str) -> StatusValue | None:
    """The status a field value states, or None when its first words are not a verdict.

    Only the start of the value counts: "PASS (docker build deferred)" is a pass, "All tests
    passed" is a pass, "All components were already wired" is no verdict at all.
    """
    marks, rest = strip_marks(value.strip())
    if _AWAITING_REVIEW.fullmatch(rest.strip()):
        return "in_progress"  # BMAD "Status: Review": handed over, not yet accepted
    words = re.findall(r"[A-Za-z][A-Za-z_-]*", rest.split("(", 1)[0])[:_VERDICT_WINDOW + 1]
    match = _WORD.match(rest.strip())
    word = match.group(0).lower().replace("-", " ") if match else ""
    found: StatusValue | None = None
    if word in ("not", "never") and len(words) > 1:
        negated = words[1].lower()
        inner = _word_status(negated)
        if inner is not None:
            found = "fail" if negated in NEGATED_PASS_AS_FAIL else NEGATED.get(inner, inner)
    elif word.startswith("not ") and word in STATUS_WORDS:
        found = STATUS_WORDS[word]
    else:
        found = _word_status(word)
    if found is None and marks:
        found = STATUS_EMOJI[marks[0]]
    if found is None and not any(w.lower() in ("not", "no", "never", "without") for w in words):
        for later in words[1:_VERDICT_WINDOW]:
            found = _word_status(later.lower())
            if found is not None:
                break
    if found is None and not any(w.lower() in NEGATORS for w in words):
        found = _closing_verdict(rest)
    if found == "pass":
        tail = rest.lower()
        for phrase, weaker in WEAKENERS.items():
            if re.search(rf"\b{phrase}\b", tail[:60]):
                return weaker
    return found


def check_state(text: str) -> tuple[CheckState, str] | None:
    """(state, text without the mark) when a line starts with a checklist mark like ✅ or ⚠️."""
    stripped = text.lstrip()
    if not stripped:
        return None
    first = stripped[0]
    state = CHECK_MARKS.get(first)
    if state is None:
        return None
    rest = stripped[1:].lstrip(_EMOJI_JUNK).strip()
    return (state, rest) if rest else None
