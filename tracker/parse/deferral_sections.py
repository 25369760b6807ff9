"""Deferrals read from structure: a section whose heading is itself a deferral ("Manual Testing
Required", "Known Stubs", "User Setup Required" with real steps, "Action Required Before
Deployment"), instruction-only test sections, and checklists with boxes left open.
"""

from __future__ import annotations

import re

from tracker.model import DeferredKind, DeferredReason
from tracker.parse import deferral_phrases as vocab
from tracker.parse.deferral_statements import (
    GENERIC_REASONS,
    Group,
    Statement,
    classify_text,
    clean,
    refine_reason,
    terms,
)
from tracker.parse.document import Block, Document, Section
from tracker.parse.targets import TaskContext, find_target


def section_groups(
    doc: Document, ctx: TaskContext, list_keys: dict[int, tuple[int, int]], *, in_progress: bool = False,
    failed: bool = False,
) -> tuple[list[Group], dict[int, Group]]:
    """Items from sections that are deferrals by their heading, and which lines each one owns.

    In a report of a task still in progress, the open boxes of a half-ticked checklist are the rest
    of its plan, not something it claims done and left behind; in a report of a failed task, its
    "What's left" section is the repair of that failure, which its status already says."""
    groups: list[Group] = []
    claimed: dict[int, Group] = {}
    blocks = doc.blocks
    for index, block in enumerate(blocks):
        if block.kind != "heading" or vocab.SETTLED_HEADING.search(block.text):
            continue
        if failed and vocab.REMAINING_HEADING.search(block.text):
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
    checklist = _unchecked_checklists(doc, ctx, in_progress) + _human_judgment(doc, ctx)
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
        line=block.line, end_line=block.line, text=clean(block.text), kind=kind, reason=reason,
        target=find_target(block.text, ctx), terms=terms(block.text), block=index,
    )


_LABELLED = re.compile(r"^\s*(\d+[.)]|[-*+])?\s*(\*\*|__)[^*_\n]{2,80}(\*\*|__)")


def _entry_reason(reason: DeferredReason, text: str) -> DeferredReason:
    """What stands in the way of one entry, when it names it ("only a test-mode key here", "no GPU on
    this machine"), else the section's reason."""
    said = classify_text(text.replace("\n", " "))
    if said is not None and said[1] in ("credentials", "environment", "deployment", "estimate") and (
            reason != "credentials"):  # a secret the section already named stays the obstacle
        reason = said[1]
    if reason != "manual" and vocab.MACHINE_ABSENT.search(text):
        reason = "environment"
    return refine_reason(reason, text)


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
    # a flat bullet list of named checks ("- Webhook signature with the live secret", "- Refund flow")
    # lists distinct things; numbered or imperative entries are the steps of one procedure, except
    # under "What's left" / "Open items", or when each opens with a bold name ("1. **Live SMS** —"):
    # then the numbers count things
    counted = (bool(vocab.REMAINING_HEADING.search(heading.text))
               or all(_LABELLED.match(b.raw) for _, b in top))
    entries_are_things = entries_are_things or (
        (kind == "validation" or reason == "later") and len(top) >= 2 and not nested
        and not any((b.ordered and not counted) or vocab.INSTRUCTION_START.match(b.text) for _, b in top)
    )
    if not entries_are_things:
        first_content = next((b for _, b in body if b.kind in ("paragraph", "item", "row")), None)
        if first_content is not None:  # "User Setup Required" alone says too little to close it by
            head.text = f"{head.text}: {clean(first_content.text.split(chr(10))[0])}"
            head.reason = _entry_reason(reason, first_content.text)
            head.target = head.target or find_target(first_content.text.replace("\n", " "), ctx)
        group = Group(statements=[head], section=heading.text)
        group.extra_lines.update(intro_lines)
        if not intro_lines and body:
            group.extra_lines.add(body[0][1].line)
        return [(group, all_lines)]
    out: list[tuple[Group, set[int]]] = []
    ends = [b.line for _, b in top[1:]] + [max(all_lines) + 1]
    for (index, block), end in zip(top, ends, strict=True):
        first = block.text.split("\n")[0]
        nested_first = next((b for _, b in body if block.line < b.line < end and b.kind == "item"), None)
        label = clean(first)
        if label.endswith(":") and nested_first is not None:  # "Build Verification:" + its first step
            label = f"{label} {clean(nested_first.text.split(chr(10))[0])}"
        entry_kind = kind
        if kind == "work" and vocab.VALIDATION_VERBS.match(first):
            entry_kind = "validation"
        entry_reason = _entry_reason(reason, block.text)
        st = Statement(
            line=block.line, end_line=block.line, text=label, kind=entry_kind, reason=entry_reason,
            target=find_target(block.text, ctx) or head.target, terms=terms(block.text), block=index,
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
        if vocab.NEGATION_OPENERS.match(block.text) or vocab.RESOLVED_HERE.search(block.text):
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
            line=block.line, end_line=block.line, text=clean(text), kind="work", reason="stub",
            target=target, terms=terms(text), block=index, list_key=list_keys.get(index),
        )
        group = by_target.setdefault(target, Group(section=heading.text))
        group.statements.append(st)
        owned.setdefault(target, {heading.line}).add(block.line)
    return [(g, owned[k]) for k, g in by_target.items()]


def _unchecked_checklists(
    doc: Document, ctx: TaskContext, in_progress: bool = False,
) -> list[tuple[Group, set[int]]]:
    """A to-do checklist with no box ticked: checks (for a person) or work still owed; and the open
    boxes of a checklist where others are ticked."""
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
            if not in_progress:
                out.extend(_open_boxes(entries, section, ctx))
            continue
        if len(entries) < 2:
            continue
        if not vocab.CHECKLIST_SECTION.search(section.title):
            continue
        index = entries[0][0]
        checks = any(vocab.CHECK_WORDS.search(f"{section.title} {b.text}") for _, b in entries)
        kind: DeferredKind = "validation" if checks else "work"
        reason: DeferredReason = "manual" if checks else "later"  # an unticked list of checks awaits a person
        head = Statement(
            line=section.line, end_line=section.line, text=clean(section.title), kind=kind,
            reason=reason, target=find_target(section.title, ctx), terms=terms(section.title), block=index,
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
    checks_section = bool(vocab.CHECK_WORDS.search(section.title))
    previous: Statement | None = None
    for index, block in entries:
        if block.checked:
            continue
        first = block.text.split("\n")[0]
        check = bool(vocab.CHECK_WORDS.search(first)) or checks_section  # an open box under "Validation"
        reason = refine_reason("not-run" if check else "later", first)
        if previous is not None and reason in GENERIC_REASONS and vocab.SAME_REASON.search(first):
            reason = previous.reason  # "- [ ] throughput — not measured, same reason"
        st = Statement(
            line=block.line, end_line=block.line, text=clean(first), kind="validation" if check else "work",
            reason=reason, target=find_target(first, ctx), terms=terms(first), block=index,
        )
        previous = st
        out.append((Group(statements=[st], section=section.title), {block.line}))
    return out


def _human_judgment(doc: Document, ctx: TaskContext) -> list[tuple[Group, set[int]]]:
    """GSD front matter `coverage` entries marked `human_judgment: true`: a person must still confirm.

    The rationale says why ("requires manual verification in a browser", "requires a token this
    agent does not hold"), so it gives the reason; the item points at the rationale's line.
    """
    coverage = (doc.front_matter or {}).get("coverage")
    if not isinstance(coverage, list):
        return []
    out: list[tuple[Group, set[int]]] = []
    for index, entry in enumerate(coverage):
        if not isinstance(entry, dict) or entry.get("human_judgment") is not True:
            continue
        rationale = str(entry.get("rationale") or entry.get("description") or "human judgment required")
        lines = doc.front_matter_lines
        line = lines.get(("coverage", index, "rationale")) or lines.get(("coverage", index, "human_judgment"))
        if line is None:
            continue
        found = classify_text(rationale)
        kind, reason = found if found else ("validation", "manual")
        st = Statement(
            line=line, end_line=line, text=clean(rationale), kind=kind, reason=reason,
            target=find_target(rationale, ctx), terms=terms(f"{entry.get('description', '')} {rationale}"),
            block=-1,
        )
        group = Group(statements=[st], section="coverage")
        group.extra_lines.update(
            n for key in ("description", "human_judgment") if (n := lines.get(("coverage", index, key)))
        )
        out.append((group, {line}))
    return out
