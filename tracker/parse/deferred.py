"""Deferred checks and postponed work: what this task says it left for later, and for whom.

Two readings are combined. Structure: a section whose heading is itself a deferral ("Manual
Testing Required", "Known Stubs", "User Setup Required" with real steps, "Action Required Before
Deployment") yields one item per distinct entry. Phrases: any line saying a check was not done
here or scope was postponed (vocabulary in `deferral_phrases`). Statements about the same subject
are then merged, so a restatement in "Notes for Supervisor" joins the item it restates instead of
counting twice; the item keeps every line in `lines`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.model import DeferredItem, DeferredKind, DeferredReason, Report
from tracker.parse import deferral_phrases as vocab
from tracker.parse.document import Block, Document, Section
from tracker.parse.targets import TaskContext, find_target, names_self, task_context

_REASON_TARGET: dict[str, str] = {
    "deployment": "deployment", "credentials": "credentials", "manual": "manual",
    "environment": "environment", "tool-missing": "environment",
}
_GENERIC_REASONS = frozenset({"later", "not-run"})
"""Reasons that say only that something is owed, not what stands in the way."""
_FILE_ENTRY = re.compile(r"^\s*`?[\w./\\()\[\]-]+\.[A-Za-z0-9]{1,6}`?\s*[-–—:(]")
_WORD = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9]+)?")
_WILL_DEPLOY = re.compile(r"\bwill (deploy|release|ship|run the deployment)\b", re.IGNORECASE)
_TASK_WILL = re.compile(r"\b(task|plan|phase)\s+[\w.-]+\s+will\b", re.IGNORECASE)
_NEXT_STEPS = re.compile(r"^\W*next steps?\b", re.IGNORECASE)
_CHECK_IMPERATIVE = re.compile(
    r"^\W*(\d+[.)]\s*)?(run|apply|validate|verify|test|check|execute|manually)\b", re.IGNORECASE
)
_QUOTED = re.compile(r"(?<!\w)'[^'\n]*\s[^'\n]*\s[^'\n]*'(?!\w)|\"[^\"\n]*\s[^\"\n]*\s[^\"\n]*\"|\{[^}\n]*\}")
"""Quoted messages and code literals ("Unable to verify ...") are what the code says, not the agent."""
_NEEDS_TASK = re.compile(r"\((task|plan|phase)\s+[\w.-]+\)\s+(is\s+)?(needed|required)\b", re.IGNORECASE)


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


def extract_deferred(doc: Document, report: Report) -> list[DeferredItem]:
    """Every deferral this report states, one item per distinct thing, in source order."""
    ctx = task_context(doc, report.task.id if report.task else None, report.format)
    list_keys = _list_keys(doc.blocks)
    section_groups, claimed = _section_groups(doc, ctx, list_keys)
    statements = _line_statements(doc, ctx, list_keys)
    statements += _next_step_statements(doc, ctx, list_keys, statements)
    loose: list[Statement] = []
    for st in statements:
        owner = claimed.get(st.line)
        if owner is not None:
            if all(st.line != s.line for s in owner.statements):
                owner.extra_lines.add(st.line)
                if owner.fixed_target is None and st.target:
                    owner.fixed_target = st.target
        else:
            loose.append(st)
    groups = section_groups + _join_restatements(section_groups, _merge(loose, doc), doc)
    items = [_to_item(g, doc, ctx) for g in groups if g.statements]
    items.sort(key=lambda it: (it.line, it.end_line))
    return items


# ---------------------------------------------------------------- statements from phrases

def _line_statements(
    doc: Document, ctx: TaskContext, list_keys: dict[int, tuple[int, int]],
) -> list[Statement]:
    out: list[Statement] = []
    intros = _list_intros(doc.blocks)
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
            stmt = _classify(text, context, block, in_code=block.kind == "code")
            if stmt is None and block.kind in ("paragraph", "item"):
                stmt = _pass_qualifier(text)
            if stmt is None:
                continue
            kind, reason = stmt
            if _resolved_after(doc.blocks, index):
                continue
            out.append(Statement(
                line=number, end_line=last, text=_clean(text), kind=kind, reason=reason,
                target=find_target(text, ctx), terms=_terms(f"{text} {intros.get(index, '')}"), block=index,
                list_key=list_keys.get(index), names_self=names_self(text, ctx),
            ))
    return out


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
    return bool(
        previous.strip() and stripped
        and not re.search(r"[.!?:;|]\s*$", previous)
        and (stripped[0].islower() or stripped[0] in "(`\"'")
    )


def _pass_qualifier(text: str) -> tuple[DeferredKind, DeferredReason] | None:
    """ "Validation: PASS (syntax only)": a qualifier that takes part of the pass back is a deferral."""
    match = vocab.PASS_QUALIFIER.match(text)
    if match is None or not vocab.DEFERRING_QUALIFIER.search(match.group("qualifier")):
        return None
    qualifier = match.group("qualifier")
    reason: DeferredReason = "manual" if re.search(r"\bmanual", qualifier, re.IGNORECASE) else "not-run"
    if re.search(r"\bestimat", qualifier, re.IGNORECASE):
        reason = "estimate"
    return "validation", _refine_reason(reason, qualifier)


def _resolved_after(blocks: list[Block], index: int) -> bool:
    """The next block says the check was done after all ("User later ran go test ./... successfully")."""
    block = blocks[index]
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    return bool(nxt is not None and nxt.section is block.section and vocab.RESOLVED.search(nxt.text))


def _classify(
    text: str, context: str, block: Block, *, in_code: bool,
) -> tuple[DeferredKind, DeferredReason] | None:
    """The kind and reason of the earliest cue in a line, or None when it states no deferral."""
    if not text.strip() or vocab.DONE_MARKERS.search(text):
        return None
    text = _QUOTED.sub(" ", text)
    done_led = text.lstrip().startswith("✅")
    file_entry = bool(_FILE_ENTRY.match(text)) and block.kind in ("item", "row")
    best: tuple[tuple[int, int], vocab.Cue] | None = None
    for cue in vocab.LINE_CUES:
        if in_code and not cue.in_code:
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
        position = (match.start(), match.end())  # "requires a server running with credentials": server
        if best is None or position < best[0]:
            best = (position, cue)
    if best is None:
        if _NEEDS_TASK.search(text) and not in_code:
            return "validation", "later"
        return None
    cue = best[1]
    if cue.setup:
        kind: DeferredKind = "validation" if vocab.CHECK_WORDS.search(text) else cue.kind
        return kind, "credentials" if vocab.CREDENTIAL_WORDS.search(text) else cue.reason
    return cue.kind, _refine_reason(cue.reason, text)


def _refine_reason(reason: DeferredReason, text: str) -> DeferredReason:
    """A generic reason ("not run", "later") takes what stood in the way, when the line says it."""
    if reason not in ("later", "not-run"):
        return reason
    for pattern, hint in vocab.REASON_HINTS:
        if pattern.search(text):
            return hint
    return reason


def _next_step_statements(
    doc: Document, ctx: TaskContext, list_keys: dict[int, tuple[int, int]], found: list[Statement],
) -> list[Statement]:
    """Imperative checks in a "Next steps" list restate checks not done here, when the report defers some."""
    if not found:
        return []
    taken = {st.line for st in found}
    intros = _list_intros(doc.blocks)
    out: list[Statement] = []
    for index, block in enumerate(doc.blocks):
        if block.kind != "item" or block.line in taken:
            continue
        heading = block.section.title if block.section else ""
        if not (_NEXT_STEPS.match(intros.get(index, "")) or _NEXT_STEPS.match(heading)):
            continue
        if not _CHECK_IMPERATIVE.match(block.text) or not (
            vocab.CHECK_WORDS.search(block.text) or "run" in block.text.lower()
        ):
            continue
        first = block.text.split("\n")[0]
        reason: DeferredReason = "not-run"
        if re.search(r"\bmanual", first, re.IGNORECASE):
            reason = "manual"
        elif re.search(r"\b(in dev|in staging|environment)\b", first, re.IGNORECASE):
            reason = "environment"
        out.append(Statement(
            line=block.line, end_line=block.line, text=_clean(first), kind="validation", reason=reason,
            target=find_target(first, ctx), terms=_terms(first), block=index, list_key=list_keys.get(index),
        ))
    return out


# ---------------------------------------------------------------- statements from structure

def _section_groups(
    doc: Document, ctx: TaskContext, list_keys: dict[int, tuple[int, int]],
) -> tuple[list[Group], dict[int, Group]]:
    """Items from sections that are deferrals by their heading, and which lines each one owns."""
    groups: list[Group] = []
    claimed: dict[int, Group] = {}
    blocks = doc.blocks
    for index, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        cue = next(((k, r) for p, k, r in vocab.HEADING_CUES if p.search(block.text)), None)
        body = _section_body(blocks, index)
        if cue is None and vocab.INSTRUCTION_HEADINGS.search(block.text) and _is_instructions(body):
            cue = ("validation", "manual")
        if cue is None:
            continue
        kind, reason = cue
        content = [b for _, b in body if b.kind != "heading"]
        if content and vocab.NEGATION_OPENERS.match(content[0].text):
            continue
        if not content and kind == "work":  # a setup or stub heading with nothing under it owes nothing
            continue
        if kind == "work" and reason in ("environment", "deployment"):
            # setup owed before the feature works: provisioning a secret is a credentials matter
            joined = " ".join(b.text for b in content)
            if vocab.CREDENTIAL_WORDS.search(joined):
                reason = "credentials"
        if reason == "stub":
            new = _stub_groups(block, body, ctx, list_keys)
        else:
            new = _entry_groups(block, index, body, kind, reason, ctx, list_keys)
        for group, owned in new:
            groups.append(group)
            for line in owned:
                claimed.setdefault(line, group)
    checklist = _unchecked_checklists(doc, ctx)
    for group, owned in checklist:
        groups.append(group)
        for line in owned:
            claimed.setdefault(line, group)
    return groups, claimed


def _is_instructions(body: list[tuple[int, Block]]) -> bool:
    """Steps for a person to take, with no result reported: the check is still owed."""
    content = [b for _, b in body if b.kind in ("paragraph", "item", "row")]
    if not content or any(vocab.RESULT_MARKERS.search(b.text) for b in content):
        return False
    first = content[0]
    if first.kind == "paragraph" and first.text.rstrip().endswith(":") and len(content) > 1:
        first = content[1]
    return bool(vocab.INSTRUCTION_START.match(first.text))


def _section_body(blocks: list[Block], heading_index: int) -> list[tuple[int, Block]]:
    section = blocks[heading_index].section
    out: list[tuple[int, Block]] = []
    for index in range(heading_index + 1, len(blocks)):
        node: Section | None = blocks[index].section
        inside = False
        while node is not None:
            if node is section:
                inside = True
                break
            node = node.parent
        if not inside:
            break
        out.append((index, blocks[index]))
    return out


def _heading_statement(block: Block, index: int, kind: DeferredKind, reason: DeferredReason,
                       ctx: TaskContext) -> Statement:
    return Statement(
        line=block.line, end_line=block.line, text=_clean(block.text), kind=kind, reason=reason,
        target=find_target(block.text, ctx), terms=_terms(block.text), block=index,
    )


def _entry_groups(
    heading: Block, heading_index: int, body: list[tuple[int, Block]],
    kind: DeferredKind, reason: DeferredReason, ctx: TaskContext, list_keys: dict[int, tuple[int, int]],
) -> list[tuple[Group, set[int]]]:
    """One item per top-level entry when the section lists several distinct things, else one item."""
    all_lines = {n for _, b in body for n in range(b.line, b.end_line + 1)} | {heading.line}
    items = [(i, b) for i, b in body if b.kind == "item"]
    top_depth = min((b.depth for _, b in items), default=0)
    top = [(i, b) for i, b in items if b.depth == top_depth]
    nested = any(b.depth > top_depth for _, b in items)
    intro = [b for _, b in body if b.kind == "paragraph" and (not top or b.line < top[0][1].line)]
    intro_lines = [b.line for b in intro[:1]]
    head = _heading_statement(heading, heading_index, kind, reason, ctx)
    entries_are_things = len(top) >= 2 and nested and all(
        vocab.CHECK_WORDS.search(b.text) or kind == "work" or reason in ("deployment", "manual")
        for _, b in top
    )
    if not entries_are_things:
        group = Group(statements=[head], section=heading.text)
        group.extra_lines.update(intro_lines)
        if not intro_lines and body:
            group.extra_lines.add(body[0][1].line)
        return [(group, all_lines)]
    out: list[tuple[Group, set[int]]] = []
    ends = [b.line for _, b in top[1:]] + [max(all_lines) + 1]
    for (index, block), end in zip(top, ends, strict=True):
        first = block.text.split("\n")[0]
        entry_kind = kind
        if kind == "work" and vocab.VALIDATION_VERBS.match(first):
            entry_kind = "validation"
        st = Statement(
            line=block.line, end_line=block.line, text=_clean(first), kind=entry_kind, reason=reason,
            target=find_target(block.text, ctx) or head.target, terms=_terms(block.text), block=index,
            list_key=list_keys.get(index),
        )
        group = Group(statements=[st], section=heading.text)
        group.extra_lines.update([heading.line, *intro_lines])
        for _, b in body:
            if block.line < b.line < end and b.kind == "item":
                group.extra_lines.add(b.line)
        owned = {n for n in all_lines if block.line <= n < end}
        out.append((group, owned))
    # the heading and intro belong to every entry; lines before the first entry go to the first
    out[0][1].update(n for n in all_lines if n < top[0][1].line)
    return out


def _stub_groups(
    heading: Block, body: list[tuple[int, Block]], ctx: TaskContext, list_keys: dict[int, tuple[int, int]],
) -> list[tuple[Group, set[int]]]:
    """Known-stub rows or items, one item per destination (stubs handed to the same task are one thing)."""
    by_target: dict[str | None, Group] = {}
    owned: dict[str | None, set[int]] = {}
    for index, block in body:
        if block.kind == "row" and block.is_header:
            continue
        if block.kind not in ("row", "item", "paragraph"):
            continue
        if vocab.NEGATION_OPENERS.match(block.text):
            continue
        text = block.text.replace("\n", " ")
        target = find_target(text, ctx)
        if block.kind == "paragraph" and by_target:
            # a closing remark ("all three stubs ... Phase 6") restates the rows above
            key = target if target in by_target else next(iter(by_target))
            by_target[key].extra_lines.add(block.line)
            owned[key].add(block.line)
            continue
        if block.kind == "paragraph":
            continue
        st = Statement(
            line=block.line, end_line=block.line, text=_clean(text), kind="work", reason="stub",
            target=target, terms=_terms(text), block=index, list_key=list_keys.get(index),
        )
        group = by_target.setdefault(target, Group(section=heading.text))
        group.statements.append(st)
        owned.setdefault(target, {heading.line}).add(block.line)
    return [(g, owned[k]) for k, g in by_target.items()]


def _unchecked_checklists(doc: Document, ctx: TaskContext) -> list[tuple[Group, set[int]]]:
    """A checklist of checks under a testing heading with no box ticked: checks still owed."""
    by_section: dict[int, list[tuple[int, Block]]] = {}
    for index, block in enumerate(doc.blocks):
        if block.kind == "item" and block.checked is not None and block.section is not None:
            by_section.setdefault(block.section.line, []).append((index, block))
    out: list[tuple[Group, set[int]]] = []
    for entries in by_section.values():
        section = entries[0][1].section
        if section is None:
            continue
        if any(b.checked for _, b in entries):
            out.extend(_open_boxes(entries, section, ctx))
            continue
        if len(entries) < 2:
            continue
        if not vocab.CHECKLIST_SECTION.search(section.title):
            continue
        index = entries[0][0]
        head = Statement(
            line=section.line, end_line=section.line, text=_clean(section.title), kind="validation",
            reason="manual", target=find_target(section.title, ctx), terms=_terms(section.title), block=index,
        )
        group = Group(statements=[head], section=section.title)
        group.extra_lines.update(b.line for _, b in entries)
        out.append((group, {section.line, *(b.line for _, b in entries)}))
    return out


def _open_boxes(
    entries: list[tuple[int, Block]], section: Section, ctx: TaskContext,
) -> list[tuple[Group, set[int]]]:
    """In a checklist where some boxes are ticked, each box left open is something not done."""
    out: list[tuple[Group, set[int]]] = []
    for index, block in entries:
        if block.checked:
            continue
        first = block.text.split("\n")[0]
        check = bool(vocab.CHECK_WORDS.search(first))
        st = Statement(
            line=block.line, end_line=block.line, text=_clean(first), kind="validation" if check else "work",
            reason=_refine_reason("not-run" if check else "later", first), target=find_target(first, ctx),
            terms=_terms(first), block=index,
        )
        out.append((Group(statements=[st], section=section.title), {block.line}))
    return out


# ---------------------------------------------------------------- merging and output

def _merge(statements: list[Statement], doc: Document) -> list[Group]:
    """Statements about the same subject become one item; siblings in one list stay apart."""
    statements = sorted(statements, key=lambda s: s.line)
    parent = list(range(len(statements)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def members(root: int) -> list[Statement]:
        return [statements[k] for k in range(len(statements)) if find(k) == root]

    for i, a in enumerate(statements):
        for j in range(i + 1, len(statements)):
            b = statements[j]
            ra, rb = find(i), find(j)
            if ra == rb:
                continue
            same_block = a.block == b.block
            shared = a.terms & b.terms
            if not (same_block or len(shared) >= 1):
                continue
            group_a, group_b = members(ra), members(rb)
            if not same_block and not _compatible(group_a, group_b, len(shared)):
                continue
            if any(x.list_key is not None and x.list_key == y.list_key and x.block != y.block
                   for x in group_a for y in group_b):
                continue
            parent[rb] = ra
    groups: dict[int, Group] = {}
    for k, st in enumerate(statements):
        groups.setdefault(find(k), Group()).statements.append(st)
    return list(groups.values())


def _compatible(a: list[Statement], b: list[Statement], shared: int) -> bool:
    """Can be one item: at most one specific reason, no two task targets, and the same kind
    unless the subject overlap is strong (a "download deferred" line restating a work item)."""
    if not {s.kind for s in a} & {s.kind for s in b} and shared < 2:
        return False
    reasons = {s.reason for s in a} | {s.reason for s in b}
    targets = {s.target for s in a} | {s.target for s in b}
    return len(reasons - _GENERIC_REASONS - {"estimate"}) <= 1 and len(targets - {None}) <= 1


def _join_restatements(sections: list[Group], loose: list[Group], doc: Document) -> list[Group]:
    """A loose statement about the subject of a deferral section joins it ("runtime validation
    requires API key" in the Validation field restates the "Runtime Validation (Requires API Key)"
    section); returns the loose groups that stayed on their own."""
    section_terms = [_group_terms(g, doc) for g in sections]
    left: list[Group] = []
    for group in loose:
        terms = frozenset().union(*(s.terms for s in group.statements))
        targets = {s.target for s in group.statements if s.target}
        best: tuple[int, Group] | None = None
        for section, known in zip(sections, section_terms, strict=True):
            shared = len(terms & known)
            own = section.fixed_target or next((s.target for s in section.statements if s.target), None)
            kinds = {s.kind for s in section.statements}
            reasons = {s.reason for s in section.statements} | {s.reason for s in group.statements}
            if shared < 2 or (targets and own and own not in targets) or not kinds & {
                s.kind for s in group.statements
            } or len(reasons - _GENERIC_REASONS) > 1:
                continue
            if best is None or shared > best[0]:
                best = (shared, section)
        if best is None:
            left.append(group)
        else:
            best[1].statements.extend(group.statements)
    return left


def _group_terms(group: Group, doc: Document) -> frozenset[str]:
    texts = [s.text for s in group.statements] + [doc.line_text(n) for n in group.extra_lines]
    return _terms(" ".join(texts))


def _to_item(group: Group, doc: Document, ctx: TaskContext) -> DeferredItem:
    statements = sorted(group.statements, key=lambda s: s.line)
    first = statements[0]
    lines = sorted({s.line for s in statements} | group.extra_lines)
    reason = next((s.reason for s in statements if s.reason not in _GENERIC_REASONS), first.reason)
    target = group.fixed_target or next((s.target for s in statements if s.target), None)
    if target is None:
        target = _context_target(doc, statements, ctx)
    if target is None and reason == "deployment":
        target = _deploying_task(doc, ctx)
    if target is None and any(s.names_self for s in statements):
        target = "later"
    if target is None:
        target = _REASON_TARGET.get(reason, "later")
    section = group.section
    if section is None:
        block = doc.blocks[first.block]
        section = block.section_title
    return DeferredItem(
        text=first.text, kind=first.kind, reason=reason, target=target,
        line=first.line, end_line=first.end_line, lines=lines, section=section,
    )


def _context_target(doc: Document, statements: list[Statement], ctx: TaskContext) -> str | None:
    """The task a sibling item says will take over: what this statement waits for happens there.

    "Next Steps: Task 3.7 will deploy this Dockerfile / Actual image size will be confirmed during
    deployment": the second line waits for the deployment the first one assigns to 3.7.
    """
    keys = _list_keys(doc.blocks)
    for st in statements:
        if st.list_key is None or st.reason not in ("deployment", "later", "not-run"):
            continue
        for index, block in enumerate(doc.blocks):
            if index == st.block or keys.get(index) != st.list_key:
                continue
            if _WILL_DEPLOY.search(block.text) or _TASK_WILL.search(block.text):
                target = find_target(block.text, ctx)
                if target:
                    return target
    return None


def _deploying_task(doc: Document, ctx: TaskContext) -> str | None:
    """The one task this report says will do the deployment ("Task 3.7 will deploy this"), if any."""
    found = {
        target for block in doc.blocks
        if block.kind != "code" and _WILL_DEPLOY.search(block.text)
        and (target := find_target(block.text, ctx))
    }
    return found.pop() if len(found) == 1 else None


def _list_keys(blocks: list[Block]) -> dict[int, tuple[int, int]]:
    """Blocks that are items of the same list share a key (first item's line, depth)."""
    keys: dict[int, tuple[int, int]] = {}
    current: dict[int, tuple[int, int, int]] = {}  # depth -> (start line, last end line, section line)
    for index, block in enumerate(blocks):
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


def _list_intros(blocks: list[Block]) -> dict[int, str]:
    """For each list item, the paragraph that introduces its list ("Testing Notes:", "Next steps:")."""
    out: dict[int, str] = {}
    intro = ""
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            intro = ""
        elif block.kind == "paragraph" and block.depth == 0:
            intro = block.text.strip() if block.text.strip().endswith(":") else ""
        elif block.kind == "item":
            out[index] = intro
    return out




def _terms(text: str) -> frozenset[str]:
    words = _WORD.findall(text.lower())
    return frozenset(w[:6] for w in words if len(w) >= 3 and w not in vocab.STOPWORDS and not w.isdigit())


def _clean(text: str) -> str:
    return " ".join(text.replace("**", "").split()).strip(" -*")
