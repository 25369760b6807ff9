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
from dataclasses import dataclass

from tracker.model import DeferredItem, Report
from tracker.parse.deferral_sections import section_groups
from tracker.parse.deferral_statements import (
    GENERIC_REASONS,
    Group,
    Statement,
    list_keys,
    next_step_statements,
    phrase_statements,
    terms,
)
from tracker.parse.document import Document
from tracker.parse.targets import TaskContext, find_target, task_context

_REASON_TARGET: dict[str, str] = {
    "deployment": "deployment", "credentials": "credentials", "manual": "manual",
    "environment": "environment", "tool-missing": "environment",
}
_WILL_DEPLOY = re.compile(r"\bwill (deploy|release|ship|run the deployment)\b", re.IGNORECASE)
_TASK_WILL = re.compile(r"\b(task|plan|phase)\s+[\w.-]+\s+will\b", re.IGNORECASE)


def extract_deferred(doc: Document, report: Report) -> list[DeferredItem]:
    """Every deferral this report states, one item per distinct thing, in source order."""
    ctx = task_context(doc, report.task.id if report.task else None, report.format)
    keys = list_keys(doc.blocks)
    failed = report.status.value == "fail"
    sections, claimed = section_groups(doc, ctx, keys, in_progress=report.status.value == "in_progress",
                                       failed=failed)
    statements = phrase_statements(doc, ctx, keys, failed=failed)
    statements += next_step_statements(doc, ctx, keys, statements)
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
    groups = sections + _join_restatements(sections, _merge(loose, doc), doc)
    handovers = Handovers.read(doc, ctx, keys)
    items = [_to_item(g, doc, handovers) for g in groups if g.statements]
    items.sort(key=lambda it: (it.line, it.end_line))
    return items


# ---------------------------------------------------------------- merging and output

def _merge(statements: list[Statement], doc: Document) -> list[Group]:
    """Statements about the same subject become one item; siblings in one list stay apart."""
    statements = sorted(statements, key=lambda s: s.line)
    parent = list(range(len(statements)))
    members: dict[int, list[Statement]] = {i: [st] for i, st in enumerate(statements)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # only pairs in one block or sharing a subject word can merge: index them instead of trying all
    by_key: dict[object, list[int]] = {}
    for i, st in enumerate(statements):
        for key in (("block", st.block), *st.terms):
            by_key.setdefault(key, []).append(i)
    for i, a in enumerate(statements):
        later: set[int] = set()
        for key in (("block", a.block), *a.terms):
            later.update(j for j in by_key[key] if j > i)
        for j in sorted(later):
            b = statements[j]
            same_block = a.block == b.block
            shared = a.terms & b.terms
            ra, rb = find(i), find(j)
            if ra == rb:
                continue
            group_a, group_b = members[ra], members[rb]
            keys_a = {(x.list_key, x.block) for x in group_a if x.list_key is not None}
            if any(y.list_key == key and y.block != block for y in group_b for key, block in keys_a):
                continue
            if not same_block and not _compatible(group_a, group_b, len(shared)):
                continue
            parent[rb] = ra
            members[ra] = group_a + members.pop(rb)
    return [Group(statements=group) for group in members.values()]


def _compatible(a: list[Statement], b: list[Statement], shared: int) -> bool:
    """Can be one item: at most one specific reason, no two task targets, and the same kind
    unless the subject overlap is strong (a "download deferred" line restating a work item)."""
    if not {s.kind for s in a} & {s.kind for s in b} and shared < 2:
        return False
    reasons = {s.reason for s in a} | {s.reason for s in b}
    targets = {s.target for s in a} | {s.target for s in b}
    if len(targets - {None}) > 1:
        return False
    if targets - {None} and all(s.target for s in (*a, *b)):
        return True  # both sent to the same task: the reasons are two sides of one check
    return len(reasons - GENERIC_REASONS - {"estimate"}) <= 1


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
            } or len(reasons - GENERIC_REASONS) > 1:
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
    return terms(" ".join(texts))


@dataclass(frozen=True, slots=True)
class Handovers:
    """Where this report says a later task takes over, read once per report."""

    in_list: dict[tuple[int, int], list[tuple[int, str]]]
    """List key -> (block index, task) of items such as "Task 3.7 will deploy this Dockerfile"."""
    deploying: str | None
    """The one task the report says will do the deployment, if exactly one."""

    @classmethod
    def read(cls, doc: Document, ctx: TaskContext, keys: dict[int, tuple[int, int]]) -> Handovers:
        in_list: dict[tuple[int, int], list[tuple[int, str]]] = {}
        deploying: set[str] = set()
        for index, block in enumerate(doc.blocks):
            if block.kind == "code":
                continue
            will_deploy = bool(_WILL_DEPLOY.search(block.text))
            if not (will_deploy or _TASK_WILL.search(block.text)):
                continue
            target = find_target(block.text, ctx)
            if target is None:
                continue
            if will_deploy:
                deploying.add(target)
            if index in keys:
                in_list.setdefault(keys[index], []).append((index, target))
        return cls(in_list=in_list, deploying=deploying.pop() if len(deploying) == 1 else None)

    def for_statements(self, statements: list[Statement]) -> str | None:
        """The task a sibling item says will take over: what these statements wait for happens there.

        "Next Steps: Task 3.7 will deploy this Dockerfile / Actual image size will be confirmed
        during deployment": the second line waits for the deployment the first assigns to 3.7.
        """
        for st in statements:
            if st.list_key is None or st.reason not in ("deployment", "later", "not-run"):
                continue
            for index, target in self.in_list.get(st.list_key, []):
                if index != st.block:
                    return target
        return None


def _to_item(group: Group, doc: Document, handovers: Handovers) -> DeferredItem:
    statements = sorted(group.statements, key=lambda s: s.line)
    first = statements[0]
    lines = sorted({s.line for s in statements} | group.extra_lines)
    reason = next((s.reason for s in statements if s.reason not in GENERIC_REASONS), first.reason)
    target = group.fixed_target or next((s.target for s in statements if s.target), None)
    if target is None:
        target = handovers.for_statements(statements)
    if target is None and reason == "deployment":
        target = handovers.deploying
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
