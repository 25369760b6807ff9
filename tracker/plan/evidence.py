"""Does a report show the plan's Validation done, put it off, or only claim it?

Conservative on purpose: a check counts as evidenced only when one report line both names
its subject (every code span of the check, or most of its key words) and shows a result
(a pass marker, command output under a results heading, a measured value for a threshold).
Lines that speak of the future, estimates, next steps or deferred work never count, so
"creates the configuration only; deployment: `fly deploy`" does not evidence "`fly deploy`
succeeds".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import Field

from tracker.model import DeferredItem, Report
from tracker.parse.document import Block, Document
from tracker.plan.model import PlanTask, _Model

Verdict = Literal["evidenced", "deferred", "no evidence"]
IsOpen = Callable[[Report, DeferredItem], bool]

_STOP = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "from",
    "with", "without", "via", "into", "onto", "over", "under", "per", "as", "is", "are", "be", "been",
    "being", "was", "were", "it", "its", "this", "that", "these", "those", "then", "than", "there",
    "their", "each", "both", "all", "any", "every", "some", "no", "not", "only", "also", "same", "new",
    "one", "two", "should", "must", "can", "could", "would", "will", "may", "might", "shall", "does",
    "do", "did", "done", "has", "have", "had", "succeed", "succeeds", "succeeded", "success",
    "successful", "successfully", "work", "works", "working", "pass", "passes", "passed", "passing",
    "run", "runs", "running", "ran", "return", "returns", "returned", "verify", "verified", "confirm",
    "confirmed", "check", "checked", "ensure", "ensures", "test", "tested", "tests", "execute",
    "executed", "using", "use", "used", "correctly", "properly", "correct", "proper", "appears",
    "appear", "exist", "exists", "shows", "show", "see", "seen", "after", "before", "when", "while",
    "where", "which", "who", "what", "how", "can't", "cannot", "upon", "within",
})
_PASS = re.compile(
    r"✅|✔|✓|☑|🟢|\bPASS(?:ED|ES)?\b|\b(?:passed|passes|succeeded|successful(?:ly)?|verified|confirmed)\b"
    r"|\bOK\b|\b0 (?:errors|failures|failed)\b|\bexit (?:code|status):? 0\b",
)
_FAIL = re.compile(r"❌|✗|✘|⚠|\bFAIL(?:ED|S|URE)?\b|\bError:|\bnot (?:ok|passing)\b")
_NOT_YET = re.compile(
    r"\b(?:will|would|to be|should|could|(?<!as )expected|expect|estimat\w*|approx\w*|assum\w*"
    r"|requires?|required|pending|todo|to do"
    r"|defer\w*|postpon\w*|skipp\w*|manual(?:ly)?|next steps?|later|once|until|planned"
    r"|not (?:yet |been |be )?"
    r"(?:run|tested|installed|available|verified|validated|possible|executed|deployed)"
    r"|unable|cannot|can't|could not|couldn't|no access|mock\w*|simulat\w*|placeholder|stub\w*)\b|~\s*\d",
    re.IGNORECASE,
)
_SKIP_SECTION = re.compile(
    r"next step|todo|to do|follow[- ]?up|defer|known (?:issue|limitation)|limitation|blocker|remaining"
    r"|out of scope|future|recommend|plan\b|manual",
    re.IGNORECASE,
)
_RESULT_SECTION = re.compile(
    r"validat|verif|test|result|output|evidence|check|proof|acceptance", re.IGNORECASE
)
_OUTPUT_INFO = frozenset({"", "text", "txt", "console", "shell", "sh", "bash", "zsh", "output", "log",
                          "plaintext", "terminal", "shell-session", "<indented>"})
_PROMPT = re.compile(r"^\s*(?:\$|>|%|#|PS>|❯)\s*")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]+")
_THRESHOLD = re.compile(
    r"(?:<=?|>=?|≤|≥|under|below|over|above|at (?:least|most)|less than|more than|fewer than|within"
    r"|max(?:imum)?|min(?:imum)?)\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[a-z%]+)?",
    re.IGNORECASE,
)


class CheckEvidence(_Model):
    """One clause of a Validation line and what the report shows for it."""

    check: str
    status: Verdict
    source: str | None = None
    line: int | None = None
    quote: str | None = None


class EvidenceVerdict(_Model):
    task_id: str
    validation: str
    verdict: Verdict
    report_status: str | None = None
    sources: list[str] = Field(default_factory=list)
    checks: list[CheckEvidence] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Check:
    text: str
    anchors: tuple[str, ...]
    terms: tuple[str, ...]
    threshold_unit: str | None
    has_threshold: bool


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    line: int
    text: str
    result: bool
    """Shows an outcome: a pass marker on it or its heading, or a command that printed output."""
    context: str = ""
    """The line plus the label it answers ("=== Test 1: no token ===" above "✅ PASS: 401")."""
    command: bool = False

    @property
    def subject(self) -> str:
        return f"{self.context} {self.text}" if self.context else self.text


def split_checks(validation: str) -> list[Check]:
    """"Docker build succeeds, image size < 500MB" → two checks; code spans are never split."""
    parts: list[str] = []
    depth, start, in_code = 0, 0, False
    text = validation.strip()
    for index, char in enumerate(text):
        if char == "`":
            in_code = not in_code
        elif in_code:
            continue
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (char in ",;" or (char == "." and text[index + 1:index + 2] in (" ", ""))):
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    checks: list[Check] = []
    for part in (p.strip(" -–—") for p in parts):
        check = _check(part)
        if check is None:
            continue
        if not check.terms and not check.anchors and checks:
            checks[-1] = _check(f"{checks[-1].text}, {part}") or checks[-1]
        else:
            checks.append(check)
    return [c for c in checks if c.terms or c.anchors]


def _check(text: str) -> Check | None:
    if not text:
        return None
    spans = [_norm(a) for a in _CODE_SPAN.findall(text) if _norm(a)]
    anchors = tuple(a for a in spans if not a.isalpha())  # `main`, `loans`: plain words, not commands
    bare = _CODE_SPAN.sub(lambda m: f" {m.group(1)} " if m.group(1).strip().isalpha() else " ", text)
    threshold = _THRESHOLD.search(bare)
    words = [w for w in _WORD.findall(bare.lower()) if len(w) > 2 and w not in _STOP]
    stems = [stem for stem in map(_stem, words) if stem not in _STOP]
    limit = threshold.group("value") if threshold else None
    numbers = [n for n in _numbers(bare) if n.rstrip("abcdefghijklmnopqrstuvwxyz") != limit]  # 404, 250k
    terms = tuple(dict.fromkeys([*stems, *numbers]))
    unit = threshold.group("unit").lower() if threshold and threshold.group("unit") else None
    return Check(text=text, anchors=anchors, terms=terms, threshold_unit=unit, has_threshold=bool(threshold))


def _numbers(text: str) -> list[str]:
    """Numbers that name a subject: status codes, sizes with a unit ("404", "250k", "15min"), not "1"."""
    found = re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)([a-z]{0,3})(?![\w.])", text.lower())
    return [num + unit for num, unit in found if unit or len(num) >= 2]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _stem(word: str) -> str:
    """Crude plural/tense folding; `_same` then allows a two-letter tail, so this need not be exact."""
    word = word.lower()
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if re.search(r"(?:ss|x|ch|sh)es$", word):
        return word[:-2]
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def evidence_lines(doc: Document, report: Report) -> Iterator[EvidenceLine]:
    """Lines of a report that may show a result: never deferred, future or next-step text."""
    deferred_lines = {n for item in report.deferred
                      for n in (*item.lines, *range(item.line, item.end_line + 1))}
    for block in doc.blocks:
        path = block.section.path() if block.section else ()
        if any(_SKIP_SECTION.search(title) for title in path[1:]):
            continue
        if block.kind == "code":
            yield from _code_lines(block, path, deferred_lines)
            continue
        in_results = any(_RESULT_SECTION.search(title) for title in path)
        for line_no, text in block.raw_lines():
            if line_no in deferred_lines or _NOT_YET.search(text) or _FAIL.search(text):
                continue
            marked = bool(_PASS.search(text)) or (block.kind == "item" and block.checked is True)
            # a ✅ under "Security Considerations" or "What Was Built" describes, it does not show
            yield EvidenceLine(line_no, text, marked and in_results)


def _code_lines(block: Block, path: tuple[str, ...], deferred_lines: set[int]) -> Iterator[EvidenceLine]:
    """Output blocks only (not source code): the first line or a prompt line is the command run."""
    if block.info.lower() not in _OUTPUT_INFO:
        return
    under_results = any(_RESULT_SECTION.search(title) for title in path)
    heading_passed = bool(path) and bool(_PASS.search(path[-1])) and not _FAIL.search(path[-1])
    lines = [(n, t) for n, t in block.raw_lines() if t.strip()]
    label = ""
    for index, (line_no, text) in enumerate(lines):
        if re.search(r"next steps?|todo|to do:", text, re.IGNORECASE):
            return  # what follows in the same block is a list of things not done
        if line_no in deferred_lines or _NOT_YET.search(text) or _FAIL.search(text):
            label = ""
            continue
        prompt = _PROMPT.match(text)
        is_command = bool(prompt) or (index == 0 and len(lines) > 1 and _looks_like_command(text))
        if is_command:
            output = [t for _, t in lines[index + 1:index + 4] if not _PROMPT.match(t)]
            failing = any(_FAIL.search(t) for _, t in lines[index + 1:])
            command = _PROMPT.sub("", text) if prompt else text
            yield EvidenceLine(line_no, command, bool(output) and not failing and under_results,
                               command=True)
            label = command
            continue
        marked = bool(_PASS.search(text))
        yield EvidenceLine(line_no, text, (marked or heading_passed) and under_results,
                           context=label if marked or heading_passed else "")
        if not marked and re.search(r"[A-Za-z0-9]", text):  # a "-----" rule is not a label
            label = text


def _looks_like_command(text: str) -> bool:
    """`npm run dev`, `curl http://…`, `pytest -q`: a program name then arguments, no prose colon."""
    return re.match(r"^\s*[\w./-]+(?:\s+\S+)*\s*$", text) is not None and not text.rstrip().endswith(":")


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    return frozenset({_stem(w) for w in _WORD.findall(text.lower())} | set(_numbers(text)))


def _term_hits(check: Check, text: str) -> int:
    words = _words(text)
    return sum(1 for term in check.terms if any(_same(term, w) for w in words))


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 2


def shows(check: Check, line: EvidenceLine) -> bool:
    """Does this one report line show the whole check done?"""
    if check.anchors:
        return all(_anchor_shown(anchor, line) for anchor in check.anchors) and (
            not check.has_threshold or _threshold_shown(check, line))
    if not line.result or line.command:
        return False
    if check.has_threshold and not _measured(check, line.text):
        return False
    needed = len(check.terms) if len(check.terms) <= 3 else math.ceil(2 * len(check.terms) / 3)
    return _term_hits(check, line.subject) >= needed


def _anchor_shown(anchor: str, line: EvidenceLine) -> bool:
    """A command that ran with output, or a result line that names the code span."""
    if not line.result:
        return False
    subject = _norm(line.subject.replace("`", ""))
    if line.command:
        return any(subject.startswith(form) for form in _anchor_forms(anchor))
    return _anchor_in(anchor, subject)


def _threshold_shown(check: Check, line: EvidenceLine) -> bool:
    words = [t for t in check.terms if t[0].isalpha()]
    hits = sum(1 for t in words if _term_hits(Check(t, (), (t,), None, False), line.subject))
    return line.result and not line.command and _measured(check, line.text) and (not words or hits >= 1)


def _anchor_in(anchor: str, text: str) -> bool:
    return any(form in text for form in _anchor_forms(anchor))


_HTTP_VERB = re.compile(r"^(?:get|post|put|patch|delete|head|options)\s+(?=/)")


def _anchor_forms(anchor: str) -> tuple[str, ...]:
    """How a report may write a code span: in full, by its opening words, or a route without its verb."""
    short = " ".join(anchor.split()[:3]) if len(anchor) > 40 else anchor
    route = _HTTP_VERB.sub("", short)
    return (short, route) if route != short else (short,)


def _measured(check: Check, text: str) -> bool:
    unit = check.threshold_unit
    pattern = r"\d+(?:\.\d+)?\s*" + (re.escape(unit) if unit else "")
    return re.search(pattern, text, re.IGNORECASE) is not None


def covered_by(check: Check, item: DeferredItem) -> bool:
    """An open deferred item covers a check when it names the check's subject (lenient on purpose:
    this only decides between "deferred" and "no evidence", never grants evidence)."""
    text = _norm(item.text)
    if any(_anchor_in(anchor, text) for anchor in check.anchors):
        return True
    anchor_words = tuple(_stem(w) for a in check.anchors for w in _WORD.findall(a) if len(w) > 2)
    limits = tuple(_numbers(threshold.group()) if (threshold := _THRESHOLD.search(check.text)) else ())
    widened = Check(check.text, (), (*check.terms, *anchor_words, *limits), None, False)
    return _term_hits(widened, item.text) >= 1


def assess(task: PlanTask, reports: list[tuple[Report, Document]], *,
           is_open: IsOpen | None = None) -> EvidenceVerdict | None:
    """The verdict for a task's Validation over all its reports; None when it has no Validation."""
    if not task.validation:
        return None
    checks = split_checks(task.validation)
    results: list[CheckEvidence] = []
    lines = [(report, list(evidence_lines(doc, report))) for report, doc in reports]
    open_items = [(report, item) for report, _ in reports for item in report.deferred
                  if is_open is None or is_open(report, item)]
    for check in checks:
        results.append(_assess_check(check, lines, open_items))
    if not results:
        verdict: Verdict = "no evidence"
    elif all(r.status == "evidenced" for r in results):
        verdict = "evidenced"
    elif all(r.status in ("evidenced", "deferred") for r in results):
        verdict = "deferred"
    else:
        verdict = "no evidence"
    last = reports[-1][0] if reports else None
    return EvidenceVerdict(
        task_id=task.id, validation=task.validation, verdict=verdict,
        report_status=last.status.value if last else None,
        sources=[report.source for report, _ in reports], checks=results,
    )


def _assess_check(check: Check, lines: list[tuple[Report, list[EvidenceLine]]],
                  open_items: list[tuple[Report, DeferredItem]]) -> CheckEvidence:
    found = _shown_across_lines(check, lines) if check.anchors else _shown_on_one_line(check, lines)
    if found is not None:
        report, line = found
        return CheckEvidence(check=check.text, status="evidenced", source=report.source,
                             line=line.line, quote=line.text.strip()[:200])
    for report, item in open_items:
        if covered_by(check, item):
            return CheckEvidence(check=check.text, status="deferred", source=report.source,
                                 line=item.line, quote=item.text.strip()[:200])
    return CheckEvidence(check=check.text, status="no evidence")


Found = tuple[Report, EvidenceLine]


def _shown_on_one_line(check: Check, lines: list[tuple[Report, list[EvidenceLine]]]) -> Found | None:
    return next(((r, line) for r, report_lines in lines for line in report_lines if shows(check, line)), None)


def _shown_across_lines(check: Check, lines: list[tuple[Report, list[EvidenceLine]]]) -> Found | None:
    """Each code span shown somewhere (the command ran here, its result is stated there)."""
    hits: list[Found] = []
    for anchor in check.anchors:
        hit = next(((r, line) for r, report_lines in lines for line in report_lines
                    if _anchor_shown(anchor, line)), None)
        if hit is None:
            return None
        hits.append(hit)
    if check.has_threshold:
        measured = next(((r, line) for r, report_lines in lines for line in report_lines
                         if _threshold_shown(check, line)), None)
        if measured is None:
            return None
    return min(hits, key=lambda hit: hit[1].line)
