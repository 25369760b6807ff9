"""Task identity, overall status and validation verdict.

A report states its overall status in one of a few places, tried in this order: a status
field under the title or a second-level heading (`**Status:** ✅ PASS`, `## Status: COMPLETED`,
`STATUS: partial`, a `| Status | ... |` row); a "## Status" heading with the verdict under it;
`status:` in front matter; a self-check verdict ("Self-Check: PASSED"); status fields of its
sub-tasks (partial when they disagree); a heading that announces completion ("✅ Implementation
Complete", "Completed: X"). Anything else ("Successfully implemented ..." in prose) is not a
stated status: `unknown`. Verdict words live in `status_words`.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from tracker.model import Format, StatusField, StatusValue, TaskRef
from tracker.parse.document import Block, Document
from tracker.parse.field_lines import FieldLine, field_lines, normalise_key
from tracker.parse.status_words import STATUS_WORDS, status_of, strip_marks
from tracker.parse.targets import STANDARD_NAMES

STATUS_KEYS = frozenset({
    "status", "overall status", "final status", "task status", "implementation status",
    "completion status", "current status", "overall", "result", "overall result", "final result",
    "outcome", "verdict", "task outcome", "state", "task state", "overall assessment", "final verdict",
    "final outcome",
})
SELF_CHECK_KEYS = frozenset({
    "self-check", "self check", "selfcheck", "self-check result", "self-check results", "self check result",
})
VALIDATION_KEYS = frozenset({
    "validation", "validation status", "validation result", "validation results", "overall validation",
})
TASK_ID_KEYS = frozenset({
    "task id", "task", "task number", "task no", "task #", "task ref", "task reference", "task key", "id",
    "ticket", "ticket id", "ticket number", "story", "story id", "jira", "work item",
})
TITLE_KEYS = frozenset({"title", "task title", "task name", "name"})
_MILESTONE_ID = re.compile(r"^[A-Z]{1,3}\d+(?:\.\d+)?$")
"""A milestone named like a task ("M3"), not a release ("v1.0 MVP")."""

_TASK_IN_TITLE = re.compile(
    r"\b(?:task|sub-?task|ticket|story)[\s_#:-]*(?P<id>(?:[A-Z]{1,4}-)?[A-Z]{0,3}\d+(?:[._-]\d+)*[a-z]?)\b(?P<rest>.*)$",
    re.I)
_PHASE_PLAN = re.compile(
    r"\bphase\s*(?P<phase>\d+(?:\.\d+)?)\b(?P<mid>[\s,:-]*|.{0,80}?\b)plan\s*(?P<plan>\d+)\b(?P<rest>.*)$",
    re.I)
# "# 03-01 Summary: Remote State", "# 02.1-03 Plan: ...": a GSD plan number leading the title
_PLAN_NUMBER_TITLE = re.compile(
    r"^\W*(?P<phase>\d{1,2}(?:\.\d+)?)-(?P<plan>\d{2})\b\s*(?P<rest>(?:summary\b|plan\b|[:—–-]).*)$", re.I)
_COMPLETED_TITLE = re.compile(r"^\W*(?:completed|done|finished)\s*:\s*(?P<title>.+)$", re.I)
_GSD_FILE = re.compile(r"^(?P<phase>\d+(?:\.\d+)?)-(?P<plan>\d+)-SUMMARY\.md$", re.I)
_CATEGORY = re.compile(r"^\s*\[(?P<cat>[^\]]{1,40})\]\s*")
_TITLE_TAIL = re.compile(
    r"\s*[-—–:]?\s*(?:implementation\s+|execution\s+|completion\s+)?(?:summary|report)\s*$", re.I)
_TRACKER_KEY = rf"(?-i:(?!(?:{STANDARD_NAMES})-)[A-Z][A-Z0-9]{{1,9}}-\d+)"
"""An issue-tracker key (RF-118, PROJ-7), not a standard's name (ISO-8601, UTF-8, SHA-256)."""
_ID_VALUE = re.compile(
    rf"(?:task[\s_#-]*)?(?P<id>{_TRACKER_KEY}|(?-i:[A-Z]-\d+)|[A-Z]{{0,3}}\d+(?:[._-]\d+)*[a-z]?)\b", re.I)
# "Backfill gauge history (ticket RF-118)": a title-valued Task field that names its ticket
_ID_IN_VALUE = re.compile(
    rf"\b(?:ticket|story|jira)\s*[#:]?\s*(?P<id>{_TRACKER_KEY}|\d+(?:\.\d+)*)\b"
    rf"|[(\[]\s*(?P<key>{_TRACKER_KEY})\s*[)\]]", re.I)
# "# PAY-907: Refund ledger", "# [OPS-42] Rotate keys": a title led by its tracker key
_KEY_TITLE = re.compile(
    rf"^\W*(?P<id>{_TRACKER_KEY}|(?-i:[A-Z]-\d+)(?=\s*:))(?:\]|\s*:|\s+[—–·|-]\s)(?P<rest>.*)$")
# "# Session log — watchdog for stalled sensors (SPR-31)": the tracker key closing the title
_KEY_AT_END = re.compile(
    rf"^(?P<rest>.*?)\s*(?:[(\[](?P<id>{_TRACKER_KEY})[)\]]|[·|—–]\s*(?P<key>{_TRACKER_KEY}|(?-i:[A-Z]-\d+)))\W*$")
# "# 4.1 Tide chart widget — done": a title led by a dotted task number
_NUMBER_TITLE = re.compile(
    r"^\W*(?P<id>\d{1,3}(?:\.\d{1,3}){1,2})(?:\s*[:—–-]\s*|\s+)(?P<rest>[A-Za-z`].*)$")
# "# SS-08 Gradient-boosted baseline", "# Report — T-033 Backfill": the one tracker key in a title
_KEY_IN_TITLE = re.compile(rf"(?<![\w-])(?P<id>{_TRACKER_KEY}|(?-i:[A-Z]-\d+))(?![\w-])")
_REPORT_WORDS = re.compile(
    r"\b(?:completion|implementation|execution|final|task)?\s*(?:report|summary|completion|done)\b\s*[:—–-]?",
    re.I)
# "# Plan 03-03 — Sample export": a GSD plan number named as a plan, in any layout
_PLAN_TITLE = re.compile(r"^\W*plan\s+(?P<id>\d{1,2}(?:\.\d+)?-\d{2})\b(?P<rest>.*)$", re.I)
# "Task 4.1: `--follow` mode" opening a report that has no heading, or "Task 2.1 (Alarms) is complete."
_TASK_OPENING = re.compile(
    r"^\W*(?:task|ticket|story)\s*#?\s*(?P<id>(?:[A-Z]{1,4}-)?[A-Z]{0,3}\d+(?:[._-]\d+)*[a-z]?)\b"
    r"(?P<rest>.*)$", re.I)
_COMPLETION_HEADING = re.compile(
    r"^(?:(?:the\s+)?(?:implementation|task|work|plan|phase|feature|story|ticket|job|"
    r"everything|all\s+tasks?)(?:\s+[A-Z]{0,3}-?\d+(?:[.-]\d+)*)?\s+)?(?:is\s+|was\s+|has\s+been\s+)?"
    r"(?P<word>complete|completed|done|finished|successful|failed|blocked|partially\s+complete|in\s+progress)"
    r"\s*(?:$|[:!—–(-]|[^\w\s]+\s*$)",  # "Complete ✅" may end in its mark
    re.I,
)
_TITLE_VERDICT = re.compile(r"\s+[—–]\s+|\s+-\s+|:\s+")  # "Implementation Plan — Task 6 complete"
_VERDICT_ONLY = r"(?P<word>complete|completed|done|finished|failed|blocked|partially\s+complete)"
_TASK_SENTENCE = re.compile(  # "Task 2.1 (CloudWatch alarms) is complete." / "This task is done!"
    r"^\W*(?:(?:task|ticket|story)\s*#?\s*(?P<id>(?:[A-Z]{1,4}-)?[A-Z]{0,3}\d+(?:[._-]\d+)*[a-z]?)"
    rf"|(?P<key>{_TRACKER_KEY})"  # "KL-19 (calendar view) is implemented."
    r"|(?:(?:this|the)\s+)?(?:task|ticket|story|implementation)|all\s+tasks"
    r"|all\s+(?:\w+\s+)?(?:plan\s+)?steps)"  # "All four plan steps are complete."
    r"(?:\s*\([^()]{0,120}\))?\s+(?:(?:is|was|are|were|has\s+been|have\s+been)\s+)?(?:now\s+)?"
    r"(?:fully\s+|successfully\s+)?"
    r"(?P<word>complete|completed|done|finished|failed|blocked|partially\s+complete|implemented)"
    r"(?:\s+successfully)?\s*(?:[.!]|$|[^\w\s])", re.I)
_TAG_LINE = re.compile(r"^\s*</?[A-Za-z][\w-]*>\s*$")
# "Resolves ticket **KL-14**", "I've implemented the swell alerts (TP-21)": a prose opening naming
# the tracker key it delivers
_KEY_DELIVERED = re.compile(
    r"\b(?:resolves|closes|fixes|fixed|implements|implemented|completes|completed|delivers|addresses)\b"
    rf"[^.!?]{{0,100}}?(?:\b(?:ticket|issue|story)\s*)?[(*\[`]{{0,2}}(?P<id>{_TRACKER_KEY})\b", re.I)
_OPENING_VERDICT = re.compile(  # Codex: "Done.", "All done!", "Done — added the retry loop."
    r"^(?:all\s+)?" + _VERDICT_ONLY + r"(?:\s*[.!]+|\s+[—–]|\s*:)(?:\s|$)", re.I)
_NOTES_HEADING = re.compile(
    r"^\W*task\s+(?P<id>[A-Z]{0,3}\d+(?:\.\d+)*)\s+(?:completion|implementation)?\s*"
    r"(?:notes|summary|report)\b", re.I)
_OPENING_DONE = re.compile(  # "I've finished the carousel rework.", "All set —"
    r"^(?:(?:I've|I have|I)\s+(?:now\s+|just\s+)?(?:finished|completed)\b"
    r"(?![^.!?\n]*\b(?:but|except|partially|half|blocked|not|couldn't|could not)\b)"
    r"|all\s+set\b(?=\s*[.!—–:]))", re.I)
_TOOL_LOG = re.compile(r"^\s*(?:Applied edit to\s|Commit [0-9a-f]{6,}\b|Tokens:|Added \S+ to the chat)", re.I)
_QUALIFIER = re.compile(r"\((?P<q>[^()]*(?:\([^()]*\)[^()]*)*)\)")


def _pad(number: str) -> str:
    """GSD writes phases and plans with two digits; an inserted phase keeps its decimal ("2.1" -> "02.1")."""
    whole, dot, fraction = number.partition(".")
    return whole.zfill(2) + dot + fraction


def _leading_number(value: Any) -> str | None:
    match = re.match(r"\s*(\d+(?:\.\d+)?)", str(value)) if value is not None else None
    return match.group(1) if match else None


def _clean_title(text: str) -> str | None:
    text = re.sub(r"^\s*[:\-—–]\s*", "", text)
    text = re.sub(r"^\s*(?:summary|report)\s*[:\-—–]\s*", "", text, flags=re.I)
    text = re.sub(r"\s*[-—–:]\s*plan\s*\d+(?=\s*(?:summary|report)?\s*$)", "", text, flags=re.I)
    text = _TITLE_TAIL.sub("", text).strip(" -—–:")
    return text or None


def _split_category(text: str) -> tuple[str | None, str]:
    match = _CATEGORY.match(text)
    return (match.group("cat").strip(), text[match.end():]) if match else (None, text)


def _gsd_task(doc: Document) -> TaskRef | None:
    fm = doc.front_matter or {}
    phase, plan = fm.get("phase"), fm.get("plan")
    heading = next((b for b in doc.blocks if b.kind == "heading"), None)
    title: str | None = str(fm["title"]) if fm.get("title") else None
    category = fm.get("subsystem")
    line = doc.front_matter_lines.get(("phase",))
    task_id: str | None = None
    if plan is not None and re.fullmatch(r"\s*\d+(?:\.\d+)?-\d+\s*", str(plan)):
        first, second = str(plan).strip().split("-")
        task_id = f"{_pad(first)}-{_pad(second)}"
        line = doc.front_matter_lines.get(("plan",), line)
    elif phase is not None and plan is not None and _leading_number(phase) and _leading_number(plan):
        task_id = f"{_pad(_leading_number(phase) or '')}-{_pad(_leading_number(plan) or '')}"
    if heading is not None:
        match = _PHASE_PLAN.search(heading.text)
        if match:
            if task_id is None:
                task_id = f"{_pad(match.group('phase'))}-{_pad(match.group('plan'))}"
                line = heading.line
            title = title or _clean_title(match.group("rest")) or _clean_title(match.group("mid"))
        elif numbered := _PLAN_NUMBER_TITLE.match(heading.text):
            if task_id is None:
                task_id = f"{_pad(numbered.group('phase'))}-{_pad(numbered.group('plan'))}"
                line = heading.line
            title = title or _clean_title(numbered.group("rest"))
        elif title is None and ":" in heading.text:
            title = _clean_title(heading.text.split(":", 1)[1])
    if task_id is None:
        match = _GSD_FILE.match(PurePath(doc.source).name)
        if match:
            task_id = f"{_pad(match.group('phase'))}-{_pad(match.group('plan'))}"
            line = None
    if task_id is None and plan is None and _leading_number(phase):
        task_id = _pad(_leading_number(phase) or "")  # a phase's own report (VERIFICATION, UAT): the phase
    if task_id is None:
        return None
    return TaskRef(id=task_id, title=title, category=str(category) if category else None,
                   phase=str(phase) if phase is not None else None, line=line)


def _title_headings(doc: Document) -> list[Block]:
    """The report's title: its first heading, plus any other top-level heading."""
    headings = [b for b in doc.blocks if b.kind == "heading"]
    if not headings:
        return []
    top = min(h.level for h in headings)
    return [headings[0]] + [h for h in headings[1:] if h.level == top and h.level == 1]


def _front_matter_task(doc: Document) -> TaskRef:
    """`task_id: I4.2` / `task: 3.6` / `title:` in front matter of a non-GSD report."""
    fm = doc.front_matter or {}
    for key in ("task_id", "task-id", "taskId", "task", "id", "ticket"):
        value = fm.get(key)
        match = _ID_VALUE.fullmatch(str(value).strip()) if isinstance(value, str | int | float) else None
        if match:
            title = fm.get("title")
            return TaskRef(id=match.group("id"), title=str(title) if title else None,
                           line=doc.front_matter_lines.get((key,)))
    return TaskRef()


def _opening_paragraph(doc: Document) -> Block | None:
    """The report's first paragraph, when only headings come before it: where a heading-less
    report names its task ("Task 4.1: ...") and a summary states it ("Task 2.1 is complete.")."""
    for block in doc.blocks:
        if block.kind == "paragraph":
            return block
        if block.kind != "heading":
            return None
    return None


def _opening_task(doc: Document) -> TaskRef | None:
    """"Task 4.1: `--follow` mode" or "Task 2.1 (CloudWatch alarms) is complete." opening the report."""
    block = _opening_paragraph(doc)
    if block is None:
        return None
    line, first = next(block.text_lines())
    match = _TASK_OPENING.match(first)
    if match is None:
        return None
    rest = match.group("rest").strip()
    title: str | None = None
    if rest.startswith("("):
        bracket = _QUALIFIER.match(rest)
        title = bracket.group("q").strip() if bracket else None
    elif separator := re.match(r"(?::|[—–]|-(?=\s))\s*", rest):
        title = _TITLE_TAIL.sub("", rest[separator.end():]).strip()
    return TaskRef(id=match.group("id"), title=title or None, line=line)


def extract_task(doc: Document, fmt: Format) -> TaskRef:
    """The report's task; computed once per document (the files and validation extractors ask too)."""
    key = ("task", fmt)
    found = doc.derived.get(key)
    if found is None:
        found = doc.derived[key] = _extract_task(doc, fmt)
    return found.model_copy()


def _extract_task(doc: Document, fmt: Format) -> TaskRef:
    if fmt == "gsd":
        found = _gsd_task(doc)
        if found is not None:
            return found
    ref = _front_matter_task(doc)
    for heading in _title_headings(doc) if ref.id is None else []:
        match = (_TASK_IN_TITLE.search(heading.text) or _KEY_TITLE.match(heading.text)
                 or _PLAN_TITLE.match(heading.text) or _KEY_AT_END.match(heading.text))
        if match:
            category, rest = _split_category(re.sub(r"^\s*[:\-—–]\s*", "", match.group("rest")))
            found_id = match.group("id") or match.groupdict().get("key")
            ref = TaskRef(id=found_id, title=_clean_title(rest), category=category, line=heading.line)
            break
    for found in field_lines(doc, kinds=("paragraph", "item", "row")):
        if found.key in TASK_ID_KEYS and ref.id is None:
            value = _ID_VALUE.match(found.value.strip(" `*"))
            if value:
                ref.id, ref.line = value.group("id"), found.line
            elif found.key in ("task", "story") and (named := _ID_IN_VALUE.search(found.value)):
                ref.id, ref.line = named.group("id") or named.group("key"), found.line
                ref.title = ref.title or _clean_title(
                    _QUALIFIER.sub("", found.value.replace(named.group(0), "")).strip())
        elif found.key == "milestone" and ref.id is None and _MILESTONE_ID.match(found.value.strip(" `*")):
            ref.id, ref.line = found.value.strip(" `*"), found.line  # a milestone's own report: "M3"
        elif found.key in TITLE_KEYS and ref.title is None and found.value:
            category, rest = _split_category(found.value)
            ref.title = _clean_title(rest)
            ref.category = ref.category or category
        elif found.key in ("category", "area", "component") and ref.category is None and found.value:
            ref.category = found.value.strip("[] ")
    if ref.id is None:
        ref = _opening_task(doc) or ref
    if ref.id is None:
        ref = _notes_heading_task(doc) or ref
    if ref.id is None:
        ref = _title_key_task(doc) or ref
    if ref.id is None:
        ref = _delivered_key_task(doc) or ref
    if ref.id is not None and ref.title is None:
        for heading in (b for b in doc.blocks if b.kind == "heading"):
            named = _COMPLETED_TITLE.match(heading.text.strip())
            if named:
                ref.title = _clean_title(named.group("title"))
                break
    if ref.id is None and fmt == "gsd":
        found_gsd = _gsd_task(doc)
        if found_gsd is not None:
            return found_gsd
    return ref


def _field_status(found: FieldLine, raw: str | None = None) -> StatusField | None:
    """Verdict of one field; `raw` is the verdict as written, the bracketed remark goes to `qualifier`."""
    value = status_of(found.value)
    if value is None:
        return None
    qualifier = _qualifier(found.value)
    written = found.value.strip()
    if qualifier is not None:
        written = written.replace(f"({qualifier})", "").strip() or written
    return StatusField(value=value, raw=raw or written or None, qualifier=qualifier, line=found.line)


def _qualifier(value: str) -> str | None:
    """The bracketed remark after the verdict: "PASS (Docker build deferred)" -> "Docker build deferred"."""
    _, rest = strip_marks(value.strip())
    match = _QUALIFIER.search(rest)
    return match.group("q").strip() or None if match else None


def _is_overall(found: FieldLine) -> bool:
    """A field under the title or a second-level section speaks for the whole report."""
    return _is_overall_block(found.block)


def _is_overall_block(block: Block) -> bool:
    section = block.section
    return section is None or section.level <= 2


def _heading_status(block: Block) -> StatusField | None:
    """"### ✅ Implementation Complete", "## Completed: Set up X", "# Task 5 Complete"."""
    text = block.text.strip()
    _, words = strip_marks(text)
    match = _COMPLETION_HEADING.match(words.strip())
    if not match:
        return None
    word = re.sub(r"\s+", " ", match.group("word").lower())
    value: StatusValue | None = "partial" if word == "partially complete" else STATUS_WORDS.get(word)
    if value is None:
        return None
    raw = text[: len(text) - len(words)] + words.strip()[: match.end("word")]
    return StatusField(value=value, raw=raw.strip(), line=block.line)


def _title_verdict(doc: Document) -> StatusField | None:
    """"# dbt models — done ✅", "# Plan — Task 6 complete": a title ending in its verdict."""
    for heading in _title_headings(doc)[:1]:
        parts = _TITLE_VERDICT.split(heading.text.strip())
        if len(parts) < 2:
            continue
        tail = parts[-1]
        status = _heading_status(Block(kind="heading", raw=tail, text=tail, line=heading.line,
                                       end_line=heading.end_line, section=heading.section))
        if status is not None:
            return status
    return None


def _sentence_status(doc: Document, task_id: str | None) -> StatusField | None:
    """"Task 2.1 (CloudWatch alarms) is complete.": a sentence naming this task states its status.

    A sentence about another task ("Task 1.3 was done earlier") says nothing about this one.
    """
    for block in doc.blocks:
        if block.kind != "paragraph" or not _is_overall_block(block):
            continue
        # an agent's answer wrapped in its tool's tags ("<attempt_completion>", "<result>") starts below them
        line, first = next(((n, t) for n, t in block.text_lines() if not _TAG_LINE.match(t)), (0, ""))
        match = _TASK_SENTENCE.match(first.strip())
        if match is None:
            continue
        named = match.group("id") or match.group("key")
        if named is not None and task_id is not None and named.lower() != task_id.lower():
            continue
        word = re.sub(r"\s+", " ", match.group("word").lower())
        value: StatusValue | None = "partial" if word == "partially complete" else STATUS_WORDS.get(word)
        if value is not None:
            return StatusField(value=value, raw=first.strip()[match.start("word"):].strip(), line=line)
    return None


def _title_key_task(doc: Document) -> TaskRef | None:
    """The title names its task without the word "task": a leading dotted number ("# 4.1 Tide
    chart widget") or its only tracker key ("# SS-08 Moisture baseline", "# Report — T-033 ...").
    Read after the explicit fields, which say it more plainly."""
    headings = _title_headings(doc)
    if not headings:
        return None
    title = headings[0]
    if numbered := _NUMBER_TITLE.match(title.text):
        rest = _REPORT_WORDS.sub("", numbered.group("rest"))
        return TaskRef(id=numbered.group("id"), title=_clean_title(rest), line=title.line)
    keys = _KEY_IN_TITLE.findall(title.text)
    if len(keys) != 1:
        return None
    rest = _REPORT_WORDS.sub("", title.text.replace(keys[0], " "))
    return TaskRef(id=keys[0], title=_clean_title(rest.strip(" ·—–-:")), line=title.line)


def _delivered_key_task(doc: Document) -> TaskRef | None:
    """A report that opens in prose (a PR summary, an agent's answer) and says which tracker key it
    delivers: "Resolves ticket KL-14", "KL-19 (calendar view) is implemented." Only the opening
    paragraphs count: a key named later is usually another ticket (a dependency, a follow-up)."""
    paragraphs = 0
    for block in doc.blocks:
        if block.kind in ("heading", "html"):
            continue
        if block.kind != "paragraph" or paragraphs == 3:
            return None
        paragraphs += 1
        lines = list(block.text_lines())
        for number, text in lines:
            sentence = _TASK_SENTENCE.match(text.strip())
            if sentence and sentence.group("key"):
                return TaskRef(id=sentence.group("key"), line=number)
        joined = " ".join(text for _, text in lines)  # "I've fixed the crash in ...\n... (TASK-37)"
        if delivered := _KEY_DELIVERED.search(joined):
            return TaskRef(id=delivered.group("id"), line=lines[_line_index(lines, delivered.start("id"))][0])
    return None


def _line_index(lines: list[tuple[int, str]], offset: int) -> int:
    """Which of `lines` (joined with single spaces) holds character `offset`."""
    for index, (_, text) in enumerate(lines):
        if offset <= len(text):
            return index
        offset -= len(text) + 1
    return len(lines) - 1


def _notes_heading_task(doc: Document) -> TaskRef | None:
    """Kiro appends "## Task 3 Completion Notes" to its tasks.md: the notes name the task reported on."""
    for block in doc.blocks:
        match = _NOTES_HEADING.match(block.text) if block.kind == "heading" else None
        if match:
            return TaskRef(id=match.group("id"), line=block.line)
    return None


def _own_checkbox_status(doc: Document, task_id: str | None) -> StatusField | None:
    """Kiro marks the task being worked on `- [-] 3. Title` in its own task list."""
    if task_id is None:
        return None
    own = re.compile(rf"^\s*(?:[-*+]\s+)?\[-\]\s+{re.escape(task_id)}\.?\s")
    for block in doc.blocks:
        if block.kind == "item":
            for line, raw in block.raw_lines():
                if own.match(raw):
                    return StatusField(value="in_progress", raw=raw.strip(), line=line)
    return None


def _opening_verdict(doc: Document) -> StatusField | None:
    """"Done. Summary of the change:": a report that opens with a one-word verdict (Codex style)."""
    opening = [b for b in doc.blocks[:6] if b.kind != "heading"]
    while opening and opening[0].kind == "paragraph" and all(
        _TOOL_LOG.match(t) for _, t in opening[0].text_lines()
    ):
        opening = opening[1:]  # Aider prints "Applied edit to x.go" and the commit before its answer
    # the verdict opens the first paragraph, or the second under a one-line description of the task
    for first in opening[:2]:
        if first.kind != "paragraph":
            return None
        line, text = next(first.text_lines())
        if _OPENING_DONE.match(text.strip()):
            return StatusField(value="pass", raw=_OPENING_DONE.match(text.strip()).group(0), line=line)
        match = _OPENING_VERDICT.match(text.strip())
        if match is not None:
            word = re.sub(r"\s+", " ", match.group("word").lower())
            value: StatusValue | None = "partial" if word == "partially complete" else STATUS_WORDS.get(word)
            return StatusField(value=value, raw=match.group(0).strip(" —–:"), line=line) if value else None
        if "\n" in first.text.strip() or first is not opening[0]:
            return None  # a longer first paragraph is the answer itself, not a description
    return None


def _status_section(doc: Document, keys: frozenset[str] = STATUS_KEYS) -> StatusField | None:
    """A "## Status" heading whose verdict is the first line under it."""
    for index, block in enumerate(doc.blocks):
        if block.kind != "heading" or normalise_key(block.text.rstrip(":")) not in keys:
            continue
        for following in doc.blocks[index + 1:index + 2]:
            if following.kind in ("paragraph", "item") and following.section is block.section:
                line, first = next(following.text_lines())
                value = status_of(first)
                if value is not None:
                    return StatusField(value=value, raw=first.strip(), qualifier=_qualifier(first), line=line)
    return None


def _front_matter_status(doc: Document) -> StatusField | None:
    """`status: complete` in YAML front matter."""
    fm = doc.front_matter or {}
    for key in ("status", "state", "result"):
        value = fm.get(key)
        if isinstance(value, str) and status_of(value) is not None:
            return StatusField(value=status_of(value) or "unknown", raw=value, qualifier=_qualifier(value),
                               line=doc.front_matter_lines.get((key,)))
    return None


def extract_status(doc: Document, fmt: Format) -> StatusField:
    fields = list(field_lines(doc))
    sub_statuses: list[StatusField] = []
    for found in fields:
        if found.key in STATUS_KEYS:
            status = _field_status(found)
            if status is None:
                continue
            if _is_overall(found):
                return status
            sub_statuses.append(status)
    section_status = _status_section(doc) or _front_matter_status(doc)
    if section_status is not None:
        return section_status
    for found in fields:
        if found.key in SELF_CHECK_KEYS:
            status = _field_status(found, raw=f"Self-Check: {found.value.strip()}")
            if status is not None:
                return status
    self_check_section = _status_section(doc, SELF_CHECK_KEYS)
    if self_check_section is not None:
        return self_check_section
    if sub_statuses:
        values = {s.value for s in sub_statuses}
        first = sub_statuses[0]
        if len(values) == 1:
            return first
        return StatusField(value="partial", raw="; ".join(s.raw or "" for s in sub_statuses),
                           line=first.line)
    for block in doc.blocks:
        if block.kind == "heading":
            heading_status = _heading_status(block)
            if heading_status is not None:
                return heading_status
    task_id = extract_task(doc, fmt).id
    stated = (_title_verdict(doc) or _sentence_status(doc, task_id)
              or _opening_verdict(doc) or _own_checkbox_status(doc, task_id))
    return stated or StatusField()


def extract_validation(doc: Document, fmt: Format) -> StatusField | None:
    """The verdict of a `Validation:` field (or a "## Validation" section's first line).

    A validation field whose words are no verdict ("see below") still says validation was
    reported: it comes back as `unknown` with its raw text, so a reader sees it was there.
    """
    unclear: StatusField | None = None
    for found in field_lines(doc):
        if found.key in VALIDATION_KEYS:
            status = _field_status(found)
            if status is not None:
                return status
            if unclear is None and _is_overall(found) and found.value.strip():
                unclear = StatusField(value="unknown", raw=found.value.strip(), line=found.line)
    return _status_section(doc, VALIDATION_KEYS) or unclear
