"""Deferral statements read from phrases: one per line (or rejoined wrapped line) that says a
check was not done here or scope was left, with the helpers the section reader and the merger share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.model import DeferredKind, DeferredReason
from tracker.parse import deferral_phrases as vocab
from tracker.parse.document import Block, Document
from tracker.parse.prefilter import LiteralGate
from tracker.parse.targets import TaskContext, find_target, names_self

GENERIC_REASONS = frozenset({"later", "not-run"})
"""Reasons that say only that something is owed, not what stands in the way."""
_FILE_ENTRY = re.compile(r"^\s*`?[\w./\\()\[\]-]*[A-Za-z][\w./\\()\[\]-]*\.[A-Za-z0-9]{1,6}`?\s*[-–—:(|]")
"""A line that opens with a file name (a letter in it: "7.3 | ..." is a task row) and a separator."""
_WORD = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9]+)?")
_NEXT_STEPS = re.compile(r"^\W*(next steps?|follow[- ]?ups?)\b", re.IGNORECASE)
_TO_CHECK = re.compile(r"\bto (confirm|verify|check|validate|test|prove|make sure)\b", re.IGNORECASE)
"""An imperative step that exists to check something ("Replay a day of traffic to confirm ...")."""
_CHECK_IMPERATIVE = re.compile(
    r"^\W*(\d+[.)]\s*)?(run|apply|validate|verify|test|check|execute|manually)\b", re.IGNORECASE
)
_STATUS_FIELD = re.compile(r"^\W*(overall )?(status|state)\W*:", re.IGNORECASE)
_QUOTED = re.compile(r"(?<!\w)'[^'\n]*'(?!\w)|\"[^\"\n]*\"|\{[^}\n]*\}")
"""Quoted messages and code literals ("Unable to verify ...") are what the code says, not the agent.
Quotes pair in order, so the text between a quoted word and the next quote stays the agent's."""
_MAY_QUOTE = re.compile(r"['\"{]")
_CUE_GATE = LiteralGate(cue.pattern for cue in vocab.LINE_CUES)


def _blank(match: re.Match[str]) -> str:
    """A quoted phrase (two spaces or more, or any code literal in braces) blanked to its length;
    a quoted word or two ("Reschedule") stays: it names a thing, it is no message."""
    quoted = match.group()
    if quoted[0] != "{" and sum(c.isspace() for c in quoted) < 2:
        return quoted
    return " " * len(quoted)


@dataclass(slots=True)
class Statement:
    """One line (or heading) that states a deferral."""

    line: int
    end_line: int
    text: str
    kind: DeferredKind
    reason: DeferredReason
    target: str | None
    terms: frozenset[str]
    block: int
    list_key: tuple[int, int] | None = None
    """(list start line, depth) of the list item it sits in: siblings are distinct things."""
    names_self: bool = False


@dataclass(slots=True)
class Group:
    statements: list[Statement] = field(default_factory=list)
    extra_lines: set[int] = field(default_factory=set)
    section: str | None = None
    fixed_target: str | None = None


def phrase_statements(
    doc: Document, ctx: TaskContext, list_keys: dict[int, tuple[int, int]], *, failed: bool = False,
) -> list[Statement]:
    """Every line (table row, rejoined wrapped line, test-output line) that states a deferral.

    `failed`: the report says the task failed; its "What's left" list is then the repair of this
    very task (the failure is already its status), not work put off to later."""
    out: list[Statement] = []
    intros = list_intros(doc.blocks)
    for index, block in enumerate(doc.blocks):
        if block.kind == "html":
            continue
        if block.kind == "paragraph" and vocab.NEGATION_OPENERS.match(block.text):
            continue
        if block.kind == "row":
            lines = [(block.line, block.line, block.text)]
        elif block.kind == "code":
            lines = [(n, n, t) for n, t in block.text_lines()]
        else:
            lines = _logical_lines(list(block.text_lines()))
        context = f"{block.section_title or ''} {intros.get(index, '')}"
        for number, last, text in lines:
            found = _classify_at(text, context, block, in_code=block.kind == "code")
            stmt = found[:2] if found else None
            if stmt is None and block.kind in ("paragraph", "item"):
                stmt = _pass_qualifier(text)
            if stmt is None and block.kind == "item" and not block.checked and number == block.line and (
                not failed and vocab.REMAINING_INTRO.match(intros.get(index, ""))
            ):  # "What's left:" then "- Wire the config into the study": unfinished scope of this task
                check = vocab.CHECK_WORDS.search(text) or re.match(r"\W*run\b", text, re.IGNORECASE)
                stmt = ("validation", "not-run") if check else ("work", "later")
            if stmt is None:
                continue
            kind, reason = stmt
            key = list_keys.get(index)
            if out and key is not None and out[-1].list_key == key and vocab.SAME_REASON.search(text):
                reason = out[-1].reason if reason in GENERIC_REASONS else reason  # "— same reason"
            subject = _sentence_at(text, found[2]) if found else text
            if _resolved_after(doc.blocks, index):
                continue
            out.append(Statement(
                line=number, end_line=last, text=clean(text), kind=kind, reason=reason,
                target=find_target(_beside_row_id(block, text), ctx),
                terms=terms(f"{subject} {intros.get(index, '')}"), block=index,
                list_key=list_keys.get(index), names_self=names_self(text, ctx),
            ))
    return out


def _beside_row_id(block: Block, text: str) -> str:
    """A table row opening with an id ("M3-5 | Signed bundles | ⚠️ Deferred | ...") is about that
    subtask: the id names what was deferred, not where it went; the other cells may say that."""
    if block.kind == "row" and len(block.cells) > 1 and _ROW_ID.match(block.cells[0]):
        return " | ".join(block.cells[1:])
    return text


_ROW_ID = re.compile(r"^\W*(?:[A-Z]{1,5}-?)?\d+(?:[.-]\d+)*[a-z]?\W*$")


def _logical_lines(lines: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Rejoin prose hard-wrapped across lines ("will be validated\nduring deployment"), so a phrase
    split by the wrap is still read; field lines ("**Status:** PASS" then "**Validation:** ...") and
    list-like lines stay apart. Returns (first line, last line, text)."""
    out: list[tuple[int, int, str]] = []
    for number, text in lines:
        if out and _continues(out[-1][2], text):
            first, _, joined = out[-1]
            out[-1] = (first, number, f"{joined.rstrip()} {text.strip()}")
        else:
            out.append((number, number, text))
    return out


def _continues(previous: str, text: str) -> bool:
    stripped = text.strip()
    if previous.rstrip().endswith(";"):  # "... a placeholder;" + "it stays until ...": one sentence
        return bool(stripped) and stripped[0].islower()
    return bool(
        previous.strip() and stripped
        and not re.search(r"[.!?:;|]\s*$", previous)
        and (stripped[0].islower() or stripped[0] in "(`\"'" or _REASON_LINE.match(stripped) or (
            len(previous) >= WRAPPED_WIDTH and not _FIELD_START.match(stripped)))
    )


WRAPPED_WIDTH = 60
"""A line this long that stops mid-sentence was wrapped by its writer: the next line goes on with it,
even when that line opens with a capital ("... has no Developer" + "ID certificate yet, ...")."""
_REASON_LINE = re.compile(r"(reason|why|because|cause)\s*:", re.IGNORECASE)
"""A "reason:" line says why the line above it stands ("result: skipped" / "reason: no live secret")."""
_FIELD_START = re.compile(r"(\*\*|__|[-*+>|#]|\d+[.)]|[\w ]{1,30}:)")


def _pass_qualifier(text: str) -> tuple[DeferredKind, DeferredReason] | None:
    """ "Validation: PASS (syntax only)": a qualifier that takes part of the pass back is a deferral."""
    match = vocab.PASS_QUALIFIER.match(text)
    if match is None:
        return None
    qualifier = vocab.NONE_COUNTED.sub(" ", match.group("qualifier"))  # "41/41, 0 skipped": none held back
    if not vocab.DEFERRING_QUALIFIER.search(qualifier):
        return None
    reason: DeferredReason = "manual" if re.search(r"\bmanual", qualifier, re.IGNORECASE) else "not-run"
    if re.search(r"\bestimat", qualifier, re.IGNORECASE):
        reason = "estimate"
    return "validation", refine_reason(reason, qualifier)


def classify_text(text: str) -> tuple[DeferredKind, DeferredReason] | None:
    """Classify free text that has no block of its own (a front matter value)."""
    return _classify(text, "", _FREE_TEXT, in_code=False)


_CLOSES_LINE = re.compile(r"^\W*(closes|closed|resolves|resolved)\s*:", re.IGNORECASE)
_FREE_TEXT = Block(kind="paragraph", raw="", text="", line=0, end_line=0, section=None)


def _resolved_after(blocks: list[Block], index: int) -> bool:
    """The next block says the check was done after all ("User later ran go test ./... successfully")."""
    block = blocks[index]
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    return bool(nxt is not None and nxt.section is block.section and vocab.RESOLVED.search(nxt.text))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*_`\"(])")


def _sentence_at(text: str, offset: int) -> str:
    """The sentence around `offset`: a summary line of five sentences is about the one that defers."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > offset:
            return text[start:match.start()]
        start = match.end()
    return text[start:]


def _classify(
    text: str, context: str, block: Block, *, in_code: bool,
) -> tuple[DeferredKind, DeferredReason] | None:
    """The kind and reason of the earliest cue in a line, or None when it states no deferral."""
    found = _classify_at(text, context, block, in_code=in_code)
    return found[:2] if found else None


def _classify_at(
    text: str, context: str, block: Block, *, in_code: bool,
) -> tuple[DeferredKind, DeferredReason, int] | None:
    """The kind and reason of the earliest cue in a line and where it starts, or None."""
    unquoted = _QUOTED.sub(_blank, text) if _MAY_QUOTE.search(text) else text
    candidates = _CUE_GATE.candidates(unquoted)  # most lines can match no cue at all
    if not candidates:
        return None
    if not text.strip() or (vocab.DONE_MARKERS.search(text) and not vocab.NOTHING_RUN.search(text)):
        return None
    if _CLOSES_LINE.match(text):
        return None  # "Closes: 5.1 migration check (dry run only)" settles an item, it defers nothing
    if _STATUS_FIELD.match(text) or _STATUS_FIELD.match(f"{block.section_title or ''}:"):
        return None  # "Status: ⏳ In progress" is the task's state; a pass qualifier is read apart
    text = unquoted  # quoted text blanked to the same length: offsets stay valid
    done_led = text.lstrip().startswith("✅")
    bug_story = bool(vocab.BUG_CONTEXT.search(text))
    file_entry = bool(_FILE_ENTRY.match(text)) and block.kind in ("item", "row")
    found: list[tuple[tuple[int, int], vocab.Cue]] = []
    for cue in map(vocab.LINE_CUES.__getitem__, candidates):
        if in_code and not cue.in_code:
            continue
        if cue.sections is not None and not cue.sections.search(block.section_title or ""):
            continue
        match = cue.pattern.search(text)
        if match is None:
            continue
        if file_entry and cue.reason != "stub":
            continue
        if cue.needs_check_word and not (
            vocab.CHECK_WORDS.search(text) or (not cue.line_only and vocab.CHECK_WORDS.search(context))
        ):
            continue
        if done_led and cue.reason in ("credentials", "environment"):
            continue
        if cue.kind == "validation" and bug_story:
            continue
        if block.checked and cue.reason == "manual":
            continue  # "[x] Manual check in two terminals": a ticked box reports the check done
        found.append(((match.start(), match.end()), cue))
    if not found:
        return None
    # the earliest cue decides the kind; the reason is the first one that names what is in the way
    # ("requires a server running with credentials": the server; "test requires an API key,
    # deferred to task 2.3": credentials, not just "deferred")
    found.sort(key=lambda f: f[0])
    cue = found[0][1]
    start = found[0][0][0]
    if cue.setup:
        kind: DeferredKind = "validation" if vocab.CHECK_WORDS.search(text) else cue.kind
        return kind, "credentials" if vocab.CREDENTIAL_WORDS.search(text) else cue.reason, start
    specific = [c.reason for _, c in found if c.reason not in GENERIC_REASONS]
    reason = specific[0] if specific else cue.reason
    if reason == "deployment" and "manual" in specific:
        reason = "manual"  # "verified manually before release": a person does the check
    return cue.kind, refine_reason(reason, text), start


def refine_reason(reason: DeferredReason, text: str) -> DeferredReason:
    """A generic reason ("not run", "later") takes what stood in the way, when the line says it."""
    if reason != "manual" and vocab.MACHINE_ABSENT.search(text):
        return "environment"  # "no GPU on this machine", "the DB role does not exist in any environment"
    if reason == "environment" and vocab.CREDENTIAL_ABSENT.search(text):
        return "credentials"  # "no API key in this sandbox": the key is the obstacle, not the sandbox
    if reason not in ("later", "not-run"):
        return reason
    for pattern, hint in vocab.REASON_HINTS:
        if pattern.search(text):
            return hint
    return reason


def next_step_statements(
    doc: Document, ctx: TaskContext, list_keys: dict[int, tuple[int, int]], found: list[Statement],
) -> list[Statement]:
    """Imperative checks in a "Next steps" list restate checks not done here, when the report defers some."""
    if not found:
        return []
    taken = {st.line for st in found}
    intros = list_intros(doc.blocks)
    out: list[Statement] = []
    for index, block in enumerate(doc.blocks):
        if block.kind != "item" or block.line in taken:
            continue
        heading = block.section.title if block.section else ""
        if not (_NEXT_STEPS.match(intros.get(index, "")) or _NEXT_STEPS.match(heading)):
            continue
        first_line = block.text.split("\n")[0]
        imperative_check = _CHECK_IMPERATIVE.match(block.text) and (
            vocab.CHECK_WORDS.search(block.text) or "run" in block.text.lower()
        )
        if not (imperative_check or _TO_CHECK.search(first_line)):
            continue
        first = block.text.split("\n")[0]
        reason: DeferredReason = "not-run"
        if re.search(r"\bmanual", first, re.IGNORECASE):
            reason = "manual"
        elif re.search(r"\b(in dev|in staging|environment)\b", first, re.IGNORECASE):
            reason = "environment"
        out.append(Statement(
            line=block.line, end_line=block.line, text=clean(first), kind="validation", reason=reason,
            target=find_target(first, ctx), terms=terms(first), block=index, list_key=list_keys.get(index),
        ))
    return out


def list_keys(blocks: list[Block]) -> dict[int, tuple[int, int]]:
    """Blocks that are items of the same list share a key (first item's line, depth); rows of one
    table share (first row's line, -1)."""
    keys: dict[int, tuple[int, int]] = {}
    current: dict[int, tuple[int, int, int]] = {}  # depth -> (start line, last end line, section line)
    table_start: int | None = None
    for index, block in enumerate(blocks):
        if block.kind == "row":  # rows of one table are siblings too: each row is its own thing
            if table_start is None:
                table_start = block.line
            keys[index] = (table_start, -1)
            continue
        table_start = None
        if block.kind != "item":
            if block.kind in ("heading", "paragraph") and block.depth == 0:
                current.clear()
            continue
        sec = block.section.line if block.section else 0
        for depth in [d for d in current if d > block.depth]:
            del current[depth]
        prev = current.get(block.depth)
        if prev is None or prev[2] != sec:
            prev = (block.line, block.end_line, sec)
        current[block.depth] = (prev[0], block.end_line, sec)
        keys[index] = (prev[0], block.depth)
    return keys


def list_intros(blocks: list[Block]) -> dict[int, str]:
    """For each list item, the paragraph that introduces its list ("Testing Notes:", "Next steps:")."""
    out: dict[int, str] = {}
    intro = ""
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            intro = ""
        elif block.kind == "paragraph" and block.depth == 0:
            # only the line that introduces the list ("Testing Notes:"), not the prose above it
            intro = block.text.strip().split("\n")[-1] if block.text.strip().endswith(":") else ""
        elif block.kind == "item":
            out[index] = intro
    return out


def terms(text: str) -> frozenset[str]:
    """Subject words, crudely stemmed: two statements sharing one talk about the same thing."""
    words = _WORD.findall(text.lower())
    return frozenset(w[:6] for w in words if len(w) >= 3 and w not in vocab.STOPWORDS and not w.isdigit())


def clean(text: str) -> str:
    """One line of text without emphasis markers or list dashes, for the item's `text`."""
    return " ".join(text.replace("**", "").split()).strip(" -*")
