"""Resolve where a deferral points: a task id of the same project when the text names one.

"task 3.7" -> "3.7", "Task I4.3" -> "I4.3", "Tasks 11-14" -> "11-14", "Plan 01-02" -> "01-02",
in a GSD report of phase 04 "Plan 03" -> "04-03" and "Phase 6" -> "06", "M3" -> "M3".
An id that only sets a precondition ("before Plan 01-02"), names the past ("from plan 06-01")
or is this task itself is not a target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.parse.document import Document

_TASK = r"(?P<task>[A-Z]{0,3}\d+(?:\.\d+)*[a-z]?(?:\s*(?:-|–|to)\s*[A-Z]{0,3}\d+(?:\.\d+)*)?)"
_REF = re.compile(
    r"\b(?P<word>tasks?|subtasks?|plans?|phases?|milestones?|stor(?:y|ies))(?:\s+|[-_](?=[A-Z]{0,3}\d))(?:#\s*)?"
    r"(?:(?P<phase_num>\d+)\s+plan\s+(?P<plan_num>\d+)|" + _TASK + r")\b"
    r"|(?<![\d/-])\b(?P<gsd>\d{2}-\d{2})\b(?![-/]\d)"
    r"|\b(?P<milestone>M\d+)\b",
    re.IGNORECASE,
)
_BLOCKING_BEFORE = re.compile(
    r"\b(before|from|after|since|than|of|like|per|unlike|with)\s+(any\s+|the\s+|running\s+)?$", re.IGNORECASE
)
_ARRIVES_WITH = re.compile(r"\b(arrives?|lands?|comes?|ships?)\s+with\s+(the\s+)?$", re.IGNORECASE)
""""rules arrive with plan 02-03": `with` after a verb of arriving names where the work goes."""
_FORWARD_BEFORE = re.compile(
    r"(\b(in|during|until|till|for|to|by|via|at|when|as)|→|->)\s+(the\s+)?$", re.IGNORECASE
)
_FORWARD_AFTER = re.compile(
    r"^\s*\)?\s*[:,-]?\s*(will|can|shall|implements?|fills?|replaces?|deploys?|needed|is needed|"
    r"\(?will|\(testing|to\b)", re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
"""Every `_REF` match holds a digit; most blocks have none, and this scans them far faster than `_REF`."""
_GSD_PHASE = re.compile(r"^(\d+)")
_DOTTED = re.compile(r"[A-Z]{0,3}\d+(?:\.\d+)+", re.IGNORECASE)
_BARE_ID = re.compile(r"(?<![\w.\-/])([A-Z]{0,3}\d+(?:\.\d+)+)(?![\w\-/]|\.\d)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TaskContext:
    """Who is reporting: their own id (to ignore self-references) and the GSD phase width."""

    own_id: str | None = None
    phase: str | None = None
    gsd: bool = False
    known: frozenset[str] = frozenset()
    """Dotted ids the report names as tasks elsewhere ("task 2.5"), so a bare "once 2.5 is reopened"
    can be read as that task and not as a version number."""

    @property
    def phase_width(self) -> int:
        return max(2, len(self.phase)) if self.phase else 2


def task_context(doc: Document, own_id: str | None, fmt: str) -> TaskContext:
    """Build the context from the parsed task id, falling back to front matter and the title."""
    gsd = fmt == "gsd"
    phase: str | None = None
    fm = doc.front_matter or {}
    if "phase" in fm:
        match = _GSD_PHASE.match(str(fm.get("phase")).strip())
        if match:
            phase = match.group(1).zfill(2)  # GSD numbers phases 01, 02, ... even when written "4"
            gsd = True
    if own_id is None and phase is not None and fm.get("plan") is not None:
        own_id = f"{phase}-{str(fm['plan']).strip().zfill(2)}"
    if own_id is None:
        for block in doc.blocks[:5]:
            match = re.search(r"\btask\s+([A-Z]{0,3}\d+(?:\.\d+)*)\b", block.text, re.IGNORECASE)
            if block.kind == "heading" and match:
                own_id = match.group(1)
                break
    if phase is None and own_id and re.fullmatch(r"\d+-\d+", own_id):
        phase = own_id.split("-")[0]
        gsd = True
    ctx = TaskContext(own_id=own_id, phase=phase, gsd=gsd)
    known = {
        target for block in doc.blocks if block.kind != "code" and _DIGIT.search(block.text)
        for m in _REF.finditer(block.text)
        if m.group("word") and (target := _normalise(m, ctx)) and _DOTTED.fullmatch(target)
        and not _is_self(target, ctx)
    }
    return TaskContext(own_id=own_id, phase=phase, gsd=gsd, known=frozenset(known))


def find_target(text: str, ctx: TaskContext) -> str | None:
    """The task id a deferral statement sends its subject to, or None."""
    best: tuple[int, str] | None = None
    for match in _REF.finditer(text):
        before = text[: match.start()]
        after = text[match.end():]
        arrives = bool(_ARRIVES_WITH.search(before[-24:]))
        if _BLOCKING_BEFORE.search(before[-20:]) and not arrives:
            continue
        target = _normalise(match, ctx)
        if target is None:
            continue
        if _is_self(target, ctx):
            continue
        score = 1
        if arrives or _FORWARD_BEFORE.search(before[-20:]):
            score += 2
        if _FORWARD_AFTER.match(after):
            score += 1
        if best is None or score > best[0]:
            best = (score, target)
    if best is None and _KEY_DIGIT.search(text):
        best = _key_target(text, ctx)
    if best is None and ctx.known:
        for match in _BARE_ID.finditer(text):
            if match.group(1) in ctx.known and not _BLOCKING_BEFORE.search(text[: match.start()][-20:]):
                return match.group(1)
    return best[1] if best else None


STANDARD_NAMES = "ISO|UTF|SHA|CVE|RFC|PEP|GPT|HTTP|TLS|SSL|AES|RSA|ES|MD|IPV"
"""Prefixes of standards' names (ISO-8601, UTF-8, SHA-256): shaped like issue-tracker keys, never one."""
_KEY = re.compile(rf"(?<![\w-])(?P<key>(?!(?:{STANDARD_NAMES})-)[A-Z][A-Z0-9]{{0,9}}-\d+)(?![\w-])")
_KEY_DIGIT = re.compile(r"[A-Z]-\d")
_KEY_FORWARD = re.compile(
    r"(\b(in|until|till|for|to|by|on|into|via|when|belongs to|waiting on|blocked on|blocked by|depends on|"
    r"handed to|moved to|tracked in|scheduled for|left for|deferred to|fix in|follow-?up in|"
    r"(planned|tracked|ticketed|filed|queued|logged) as)|→|->)\s+"
    r"(the\s+)?(ticket\s+|issue\s+|story\s+)?$", re.IGNORECASE)


def _key_target(text: str, ctx: TaskContext) -> tuple[int, str] | None:
    """An issue-tracker key the deferral is sent to ("waiting on TP-26", "belongs to KL-20"). In a
    report whose own id is such a key only keys of the same project prefix count; elsewhere the
    key must follow a word that sends work forward."""
    own = ctx.own_id if ctx.own_id and _KEY.fullmatch(ctx.own_id) else None
    for match in _KEY.finditer(text):
        key = match.group("key")
        if own is not None:
            if key != own and key.split("-")[0] == own.split("-")[0]:
                return (1, key)
        elif _KEY_FORWARD.search(text[: match.start()][-40:]):
            return (1, key)
    return None


def names_self(text: str, ctx: TaskContext) -> bool:
    """Whether the text sends work to this very task ("Task 1.4 follow-up" written in task 1.4)."""
    return any(
        (target := _normalise(m, ctx)) is not None and _is_self(target, ctx) and m.group("word")
        and m.group("word").lower().startswith("task")
        for m in _REF.finditer(text)
    )


def _normalise(match: re.Match[str], ctx: TaskContext) -> str | None:
    if match.group("milestone"):
        return match.group("milestone").upper()
    if match.group("gsd"):
        return match.group("gsd") if ctx.gsd else None
    word = match.group("word").lower()
    width = ctx.phase_width
    if match.group("phase_num"):
        return f"{match.group('phase_num').zfill(width)}-{match.group('plan_num').zfill(2)}"
    task = re.sub(r"\s*(?:–|to)\s*", "-", match.group("task")).replace(" ", "")
    if word.startswith("phase"):
        return task.zfill(width) if ctx.gsd and task.isdigit() else task
    if word.startswith("plan") and ctx.gsd:
        if re.fullmatch(r"\d+-\d+", task):
            return task
        if task.isdigit() and ctx.phase:
            return f"{ctx.phase.zfill(width)}-{task.zfill(2)}"
    if word.startswith(("task", "subtask")) and ctx.gsd and task.isdigit():
        return None  # a GSD plan's "Task 3" is a step inside this plan, not another task
    if word.startswith("milestone"):
        return f"M{task}" if task.isdigit() else task
    return task


def _is_self(target: str, ctx: TaskContext) -> bool:
    if ctx.own_id and target.lower() == ctx.own_id.lower():
        return True
    if ctx.own_id and target.lower().startswith(f"{ctx.own_id.lower()}."):
        return True  # "subtask 5.3" in the report of task 5 is a step of this task
    # "Phase 5" written inside phase 05 is this phase, not a later one
    return bool(ctx.gsd and ctx.phase and target.isdigit() and int(target) == int(ctx.phase))
