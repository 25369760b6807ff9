"""The life of a deferred item, as pure functions over plain data (the store persists it).

An item opens when a report defers something, keeps a short ID that survives edits of
that report, and leaves `open` only on evidence (a later report closes it, or proposes a
`candidate`) or by a person (close, waive). Every change is an `Event`. Closing looks in
both directions so ingest order doesn't matter: a new report is matched against open
items (`find_closures`), a new item against stored later reports (`closures_for_item`),
and `best_closure` picks the same winner whatever order the pairs were seen in.

Wiring into ingest (the store persists TrackedItem/Closure/Event; nothing here touches a DB):
  new report   -> for items of its task: `reconcile` (kept -> `refresh`/`restore`, withdrawn ->
                  `withdraw`, added -> `open_item` + `opened_event`); for items closed by an
                  earlier revision of this same file: `revoke_closure`; then
                  `find_closures(report, text, active items of the project)` -> `apply_closure`.
  new item     -> `closures_for_item(item, stored reports of the project)` -> `best_closure`
                  -> `apply_closure` (stored reports as (Report, text) or (Report, ReportEvidence)).
  listings     -> `item_flags(item, project reports, now)`: missed, target not reported, age.
  commands     -> `close`, `waive`, `reopen`, `confirm`, `reject` raise TrackerError when illegal.
An explicit reference ("Closes: ...") closes even when report order is unknown; evidence from a
report whose order can't be told (no comparable task ids or times) only proposes a candidate.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache, total_ordering
from typing import TYPE_CHECKING, Literal, NamedTuple

from tracker.errors import TrackerError
from tracker.taskids import (
    TaskKey,
    _is_range,
    beyond_target,
    compare_tasks,
    is_group_target,
    is_later,
    parse_time,
    scheme_letters,
    target_covers,
    task_key,
)
from tracker.terms import key_terms

if TYPE_CHECKING:  # closing/evidence pull in the markdown parser: listings (flags) must not pay for it
    from tracker.evidence import ReportEvidence
    from tracker.model import DeferredItem, DeferredKind, DeferredReason, Report

ItemState = Literal["open", "candidate", "closed", "waived", "withdrawn"]
ClosureState = Literal["closed", "candidate"]
ClosureRule = Literal["explicit-id", "explicit", "evidence"]
Action = Literal[
    "open", "propose", "auto-close", "close", "confirm", "reject", "waive", "reopen", "withdraw", "restore",
]
ACTIVE_STATES: tuple[ItemState, ...] = ("open", "candidate")
SYSTEM_ACTOR = "tracker"
ID_LENGTH = 7


# --- data --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Closure:
    """A report's claim that it closes (or may close) an item, with the line that says so."""

    item_id: str
    state: ClosureState
    source: str
    line: int
    evidence: str
    score: float
    rule: ClosureRule
    task_id: str | None = None
    lines: tuple[int, ...] = ()
    confirmed_by: str | None = None  # the person who confirmed a candidate: reports no longer move it


@dataclass(frozen=True, slots=True)
class TrackedItem:
    """One deferred item as tracker follows it, from the report that opened it on."""

    id: str
    project: str
    task_id: str | None
    fingerprint: str
    text: str
    kind: DeferredKind
    reason: DeferredReason | None
    target: str | None
    source: str
    line: int
    lines: tuple[int, ...] = ()
    opened_completed: str | None = None  # the opening report's completion time (ISO), for order
    opened_at: datetime | None = None  # when the deferral was made (report time, else ingest time)
    state: ItemState = "open"
    closure: Closure | None = None  # the evidence of a `closed`/`candidate` item; None when closed by hand
    note: str | None = None  # the person's close note or waiver reason
    rejected: tuple[str, ...] = ()  # "source:line" of candidates a person said are not evidence
    withdrawn_from: ItemState | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES


@dataclass(frozen=True, slots=True)
class Event:
    item_id: str
    at: datetime
    actor: str
    action: Action
    from_state: ItemState | None
    to_state: ItemState
    reason: str | None = None
    source: str | None = None
    line: int | None = None


class Transition(NamedTuple):
    item: TrackedItem
    event: Event


@dataclass(frozen=True, slots=True)
class ItemFlags:
    missed: bool  # its target task reported (latest revision) and didn't close it
    target_reported: bool | None  # None when the target is not a task ("deployment", "later", none)
    target_not_reported: bool
    age_days: float | None
    tasks_since: int  # distinct tasks that reported after the item opened


@dataclass(slots=True)
class Reconciliation:
    """How a re-ingested report's deferrals line up with the items it opened before."""

    kept: list[tuple[TrackedItem, DeferredItem]] = field(default_factory=list)
    added: list[DeferredItem] = field(default_factory=list)
    withdrawn: list[TrackedItem] = field(default_factory=list)


# --- identity ----------------------------------------------------------------------------------


def fingerprint(item: DeferredItem, task_id: str | None) -> str:
    """Identity of a deferral across edits: kind + key terms; not lines, case or punctuation."""
    return text_fingerprint(item.text, item.kind, task_id)


def text_fingerprint(text: str, kind: str, task_id: str | None) -> str:
    # Words only: code spans already contribute their words ("render_pdf()" -> render, pdf), and
    # anchors depend on backticks and case, which an edit of the report may change.
    key = " ".join(sorted(key_terms(text).words))
    payload = f"{(task_id or '').strip().lower()}|{kind}|{key}"
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def short_id(project: str, task_id: str | None, fp: str, length: int = ID_LENGTH) -> str:
    """A short, stable, typeable ID (lowercase base32) for listings and `tracker close ID`."""
    digest = hashlib.sha256(f"{project}|{task_id or ''}|{fp}".encode()).digest()
    return base64.b32encode(digest).decode().lower()[:length]


def unique_id(project: str, task_id: str | None, fp: str, taken: Iterable[str]) -> str:
    """`short_id`, lengthened only in the unlikely case it collides with an existing ID."""
    taken = set(taken)
    for length in range(ID_LENGTH, 53):
        candidate = short_id(project, task_id, fp, length)
        if candidate not in taken:
            return candidate
    raise TrackerError(f"cannot make a unique ID for fingerprint {fp}")


def open_item(
    item: DeferredItem, report: Report, project: str, *, ingested_at: datetime | None = None,
    taken_ids: Iterable[str] = (),
) -> TrackedItem:
    """A new TrackedItem for a deferral read from `report`."""
    task_id = report.task.id
    fp = fingerprint(item, task_id)
    opened = parse_time(report.timestamps.completed) or _naive(ingested_at) or _naive(now_utc())
    return TrackedItem(
        id=unique_id(project, task_id, fp, taken_ids), project=project, task_id=task_id, fingerprint=fp,
        text=item.text, kind=item.kind, reason=item.reason, target=item.target, source=report.source,
        line=item.line, lines=tuple(item.lines or [item.line]), opened_completed=report.timestamps.completed,
        opened_at=opened,
    )


def refresh(tracked: TrackedItem, item: DeferredItem, report: Report) -> TrackedItem:
    """The same item re-read from an edited report: new text/lines, same ID and state."""
    return replace(
        tracked, fingerprint=fingerprint(item, report.task.id), text=item.text, kind=item.kind,
        reason=item.reason, target=item.target, source=report.source, line=item.line,
        lines=tuple(item.lines or [item.line]), opened_completed=report.timestamps.completed,
    )


RECONCILE_SIMILARITY = 0.6


def reconcile(
    existing: Sequence[TrackedItem], current: Sequence[DeferredItem], task_id: str | None,
) -> Reconciliation:
    """Pair a re-ingested report's deferrals with the items it opened before.

    Same fingerprint first; then the most similar text of the same kind (an agent reworded
    the line). Unpaired old items are `withdrawn`; unpaired new ones are `added`.
    """
    result = Reconciliation()
    remaining = list(existing)
    unmatched: list[DeferredItem] = []
    for item in current:
        fp = fingerprint(item, task_id)
        hit = next((t for t in remaining if t.fingerprint == fp), None)
        if hit is None:
            unmatched.append(item)
        else:
            remaining.remove(hit)
            result.kept.append((hit, item))
    pairs = sorted(
        ((_similarity(t.text, d.text), i, j) for i, t in enumerate(remaining) for j, d in enumerate(unmatched)
         if t.kind == d.kind),
        reverse=True,
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, i, j in pairs:
        if score < RECONCILE_SIMILARITY or i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        result.kept.append((remaining[i], unmatched[j]))
    result.added = [d for j, d in enumerate(unmatched) if j not in used_new]
    result.withdrawn = [t for i, t in enumerate(remaining) if i not in used_old and t.state != "withdrawn"]
    return result


def _similarity(a: str, b: str) -> float:
    ta, tb = key_terms(a), key_terms(b)
    sa, sb = ta.words | ta.anchors, tb.words | tb.anchors
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


# --- closing by reports --------------------------------------------------------------------------


def find_closures(report: Report, text: str, items: Sequence[TrackedItem]) -> list[Closure]:
    """What a newly ingested report closes among a project's active items (new report direction)."""
    from tracker.evidence import scan_text

    return closures_from_evidence(report, scan_text(text, report.source), items)


def closures_for_item(
    item: TrackedItem, reports: Iterable[tuple[Report, str | ReportEvidence]],
) -> list[Closure]:
    """What already-stored reports say about a newly opened item (out-of-order direction).

    Each report comes with its text, or its `scan_text` result when the caller caches it.
    """
    from tracker.evidence import scan_text

    out: list[Closure] = []
    for report, text in reports:
        evidence = scan_text(text, report.source) if isinstance(text, str) else text
        out.extend(closures_from_evidence(report, evidence, [item]))
    return out


def closures_from_evidence(
    report: Report, evidence: ReportEvidence, items: Sequence[TrackedItem],
) -> list[Closure]:
    """`find_closures` over a pre-scanned report (the store may cache `scan_text`)."""
    from tracker import closing

    candidates: list[TrackedItem] = []
    order: dict[str, bool | None] = {}
    for item in items:
        if not item.active or item.source == report.source:
            continue
        later = is_later(report.task.id, report.timestamps.completed, item.task_id, item.opened_completed)
        if later is False or (report.task.id and compare_tasks(report.task.id, item.task_id) == 0):
            continue
        order[item.id] = later
        candidates.append(item)
    explicit = closing.match_explicit(
        evidence, [closing.ItemRef(i.id, i.task_id, i.text) for i in candidates]
    )
    out: list[Closure] = []
    for item in candidates:
        match = explicit.get(item.id)
        if match is None:
            match = closing.match_evidence(
                item.text, item.kind, evidence,
                target_report=target_covers(item.target, report.task.id),
                order_known=order[item.id] is True,
            )
        if match is None or f"{report.source}:{match.line}" in item.rejected:
            continue
        out.append(Closure(
            item_id=item.id, state=match.state, source=report.source, line=match.line,  # type: ignore[arg-type]
            evidence=match.evidence, score=match.score, rule=match.rule,  # type: ignore[arg-type]
            task_id=report.task.id, lines=match.lines,
        ))
    return out


_RULE_RANK = {"explicit-id": 2, "explicit": 1, "evidence": 0}


def closure_rank(closure: Closure) -> tuple:
    """Total order on closures: closed > candidate, explicit > evidence, score, then the
    earliest report (so the result doesn't depend on which report was ingested first)."""
    return (
        closure.state == "closed", _RULE_RANK[closure.rule], closure.score,
        _Earlier(closure.task_id, closure.source), -closure.line,
    )


@total_ordering
class _Earlier:
    """Sort helper: the report with the earlier task id (then source) ranks higher."""

    __slots__ = ("source", "task_id")

    def __init__(self, task_id: str | None, source: str) -> None:
        self.task_id, self.source = task_id, source

    def __lt__(self, other: _Earlier) -> bool:
        order = compare_tasks(self.task_id, other.task_id)
        if order:
            return order > 0
        return self.source > other.source

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Earlier) and (self.task_id, self.source) == (other.task_id, other.source)

    def __hash__(self) -> int:
        return hash((self.task_id, self.source))


def best_closure(closures: Iterable[Closure]) -> Closure | None:
    return max(closures, key=closure_rank, default=None)


def apply_closure(item: TrackedItem, closure: Closure, *, at: datetime | None = None) -> Transition | None:
    """Record a report's closure on an item; None when it changes nothing.

    An open item becomes closed/candidate; a candidate is upgraded by a better claim; an item
    closed by evidence moves to stronger evidence (order independence). Decisions a person
    made (closed by hand, waived) and withdrawn items are never overridden by a report.
    """
    if closure.item_id != item.id:
        raise TrackerError(f"closure for {closure.item_id} applied to item {item.id}")
    if item.state in ("waived", "withdrawn") or (item.state == "closed" and item.closure is None):
        return None
    if item.closure is not None and item.closure.confirmed_by is not None:
        return None
    if item.closure is not None and closure_rank(closure) <= closure_rank(item.closure):
        return None
    if item.state == "closed" and closure.state == "candidate":
        return None
    action: Action = "auto-close" if closure.state == "closed" else "propose"
    new = replace(item, state=closure.state, closure=closure)
    reason = f"{closure.rule} (score {closure.score:g}): {closure.evidence}"
    return Transition(new, _event(item, new, action, SYSTEM_ACTOR, reason, at, closure.source, closure.line))


def revoke_closure(
    item: TrackedItem, source: str, *, reason: str | None = None, at: datetime | None = None,
) -> Transition | None:
    """A revised report no longer shows the evidence that closed or proposed to close `item`.

    The store calls this for items whose closure came from `source` before matching the new
    revision (`find_closures`), so the item is judged on what the report says now. Decisions
    a person made (confirmed, closed by hand, waived) stand.
    """
    closure = item.closure
    if closure is None or closure.source != source or closure.confirmed_by is not None:
        return None
    if item.state not in ("closed", "candidate"):
        return None
    new = replace(item, state="open", closure=None)
    why = reason or f"the evidence at {source}:{closure.line} is gone from the revised report"
    return Transition(new, _event(item, new, "reopen", SYSTEM_ACTOR, why, at, source, closure.line))


# --- flags -----------------------------------------------------------------------------------


def item_flags(item: TrackedItem, reports: Sequence[Report], now: datetime | None = None) -> ItemFlags:
    """Flags over the project's reports (latest revision of each task is what counts)."""
    task_ids = [r.task.id for r in _latest(reports) if r.task.id]
    # The deferring task's own report never counts as its target reporting.
    others = [t for t in task_ids if compare_tasks(t, item.task_id) != 0 and t != item.task_id]
    known = [*task_ids, item.target]
    target_is_task = bool(item.target) and any(target_covers(item.target, t) for t in known)
    target_reported = any(target_covers(item.target, t) for t in others) if target_is_task else None
    missed = False
    if item.active and target_reported and item.target:
        if is_group_target(item.target, task_ids):
            missed = any(beyond_target(item.target, t) for t in task_ids)
        else:
            missed = True
    since = {
        r.task.id or r.source for r in _latest(reports)
        if r.source != item.source
        and is_later(r.task.id, r.timestamps.completed, item.task_id, item.opened_completed) is True
    }
    return ItemFlags(
        missed=missed, target_reported=target_reported,
        target_not_reported=bool(item.active and target_reported is False),
        age_days=_age_days(item, now), tasks_since=len(since),
    )


def _age_days(item: TrackedItem, now: datetime | None) -> float | None:
    if item.opened_at is None:
        return None
    return (_naive(now or now_utc()) - _naive(item.opened_at)).total_seconds() / 86400


class FlagIndex:
    """`item_flags` for many items of one project without rescanning its reports per item.

    Built once from the project's reports (O(reports)); each item then costs a few dict
    lookups and bisections, so listing every open item stays linear, not items x reports.
    Gives exactly what `item_flags` gives (tests compare the two).
    """

    def __init__(self, reports: Sequence[Report]) -> None:
        from bisect import insort

        latest = _latest(reports)
        self._by_source = {r.source: r for r in latest}
        self._keys: list[tuple[str, TaskKey]] = []
        self._exact: dict[tuple[str, tuple[int, ...]], list[str]] = {}
        self._prefix: dict[tuple[str, tuple[int, ...]], list[str]] = {}
        self._singles: list[tuple[int, str]] = []
        self._numbers: dict[str, list[tuple[int, ...]]] = {}
        self._times: list[datetime] = []
        self._scheme_times: dict[str, list[datetime]] = {}
        self._covered: dict[str, list[str]] = {}
        self._beyond: dict[str, bool] = {}
        for report in latest:
            tid = report.task.id
            key = task_key(tid)
            done = parse_time(report.timestamps.completed)
            if done is not None:
                insort(self._times, done)
            if key is None:
                continue
            self._numbers.setdefault(key.scheme, []).append(key.numbers)
            if done is not None:
                insort(self._scheme_times.setdefault(key.scheme, []), done)
            if not tid:
                continue
            self._keys.append((tid, key))
            self._exact.setdefault((key.scheme, key.numbers), []).append(tid)
            letters = scheme_letters(key.scheme)
            for cut in range(1, len(key.numbers)):
                self._prefix.setdefault((letters, key.numbers[:cut]), []).append(tid)
            if len(key.numbers) == 1:
                self._singles.append((key.numbers[0], tid))
        for numbers in self._numbers.values():
            numbers.sort()
        self._singles.sort()

    def covered(self, target: str | None) -> list[str]:
        """The latest reports' task ids that `target_covers` (cached per target)."""
        if not target:
            return []
        found = self._covered.get(target)
        if found is None:
            found = self._covered[target] = self._find_covered(target)
        return found

    def _find_covered(self, target: str) -> list[str]:
        from bisect import bisect_left, bisect_right

        tk = task_key(target)
        if tk is None:
            return []
        span = _is_range(target)
        found: list[str] = []
        if span is not None:
            low = bisect_left(self._singles, (span[0], ""))
            high = bisect_right(self._singles, (span[1], "\U0010ffff"))
            found += [tid for _, tid in self._singles[low:high]]
        # Same scheme: equal numbers; a range target never shares a scheme with one-number ids.
        found += self._exact.get((tk.scheme, tk.numbers), [])
        # A shorter id of the same letters is a group over the longer ids it prefixes.
        found += self._prefix.get((scheme_letters(tk.scheme), tk.numbers), [])
        return found

    def _beyond_any(self, target: str) -> bool:
        hit = self._beyond.get(target)
        if hit is None:
            covered = set(self.covered(target))
            hit = self._beyond[target] = any(
                tid not in covered and beyond_target(target, tid) for tid, _ in self._keys)
        return hit

    def _later_count(self, task_id: str | None, completed: str | None) -> int:
        """Latest reports `is_later` than (task_id, completed), as counts over sorted lists."""
        from bisect import bisect_right

        count = 0
        key = task_key(task_id)
        if key is not None:
            numbers = self._numbers.get(key.scheme, [])
            count += len(numbers) - bisect_right(numbers, key.numbers)
        when = parse_time(completed)
        if when is not None:
            count += len(self._times) - bisect_right(self._times, when)
            if key is not None:  # same-scheme reports were ordered by id above, not by time
                same = self._scheme_times.get(key.scheme, [])
                count -= len(same) - bisect_right(same, when)
        return count

    def _target_reported(self, task_id: str | None, target: str | None) -> bool | None:
        """Did a task other than the deferring one report under `target`? None: not a task target."""
        covered = self.covered(target)
        if not target or not (covered or target_covers(target, target)):
            return None
        return any(_compare(t, task_id) != 0 and t != task_id for t in covered)

    def _past_target(self, target: str) -> bool:
        """The target reported; a group target is missed only once the project moved beyond it."""
        group = any(_compare(target, t) != 0 for t in self.covered(target))
        return self._beyond_any(target) if group else True

    def missed(self, task_id: str | None, target: str | None) -> bool:
        """`flags(item).missed` of an active item, without the rest (what `status` counts)."""
        return bool(self._target_reported(task_id, target)) and self._past_target(target)  # type: ignore[arg-type]

    def flags(self, item: TrackedItem, now: datetime | None = None) -> ItemFlags:
        target = item.target
        target_reported = self._target_reported(item.task_id, target)
        missed = bool(item.active and target_reported and target) and self._past_target(target)  # type: ignore[arg-type]
        since = self._later_count(item.task_id, item.opened_completed)
        own = self._by_source.get(item.source)
        if own is not None and is_later(
                own.task.id, own.timestamps.completed, item.task_id, item.opened_completed) is True:
            since -= 1
        return ItemFlags(
            missed=missed, target_reported=target_reported,
            target_not_reported=bool(item.active and target_reported is False),
            age_days=_age_days(item, now), tasks_since=since,
        )


def order_text(numbers: Sequence[int]) -> str:
    """Task-id numbers as text that sorts like the tuple, so SQL can range over task ids: each
    number as its digit count then its digits, joined by "." ((3,) < (3, 1) < (4,) as "013" <
    "013.011" < "014"). Counts of 90 digits or more are written "9" + four digits."""
    parts = []
    for number in numbers:
        digits = str(number)
        size = len(digits)
        parts.append(f"{size:02d}{digits}" if size < 90 else f"9{size:04d}{digits}")
    return ".".join(parts)


@lru_cache(maxsize=1 << 14)
def target_bounds(target: str | None) -> tuple[tuple[str, str], ...]:
    """`order_text` ranges [low, high) holding every task id `target` can cover (a superset:
    callers keep those `target_covers` accepts): its own numbers and every id they prefix, and
    for a range target ("11-14") the single numbers in it. Empty when the target is no task id."""
    key = task_key(target)
    if key is None or target is None:
        return ()
    own = order_text(key.numbers)
    bounds = ((own, own + "/"),)  # "/" sorts right after ".", the separator
    span = _is_range(target)
    if span is not None:
        bounds += ((order_text(span[:1]), order_text(span[1:]) + "/"),)
    return bounds


class MissedIndex:
    """`FlagIndex.missed` for one project from a few indexed lookups instead of every report.

    `candidates[target]`: task ids of current reports whose `order_text` lies in
    `target_bounds(target)`; `furthest`: the largest `order_text` among current reports;
    `all_ids`: every current task id, needed only by range targets ("11-14"). Gives exactly
    the `missed` of `item_flags` for active items (tests compare the two).
    """

    def __init__(self, candidates: dict[str, Sequence[str]], furthest: str | None,
                 all_ids: Sequence[str] | None = None) -> None:
        self._covered = {target: [t for t in dict.fromkeys(ids) if target_covers(target, t)]
                         for target, ids in candidates.items()}
        self._furthest = furthest
        self._all_ids = all_ids
        self._beyond: dict[str, bool] = {}

    def reported(self, task_id: str | None, target: str | None) -> bool | None:
        """`item_flags(...).target_reported`: did a task other than `task_id` report under the
        target? None when the target is no task id."""
        if not target or task_key(target) is None:
            return None
        return any(_compare(t, task_id) != 0 and t != task_id for t in self._covered.get(target, []))

    def missed(self, task_id: str | None, target: str | None) -> bool:
        key = task_key(target)
        if key is None or not target:
            return False
        covered = self._covered.get(target, [])
        if not any(_compare(t, task_id) != 0 and t != task_id for t in covered):
            return False
        if not any(_compare(target, t) != 0 for t in covered):
            return True  # not a group target: reporting it is enough
        hit = self._beyond.get(target)
        if hit is None:
            hit = self._beyond[target] = self._past(target, key.numbers)
        return hit

    def _past(self, target: str, numbers: tuple[int, ...]) -> bool:
        """Did any task move beyond the group target (`beyond_target`)?"""
        if _is_range(target) is not None:
            if self._all_ids is None:
                raise ValueError(f"range target {target!r} needs all_ids")
            return any(beyond_target(target, t) for t in self._all_ids)
        # Ids beyond `numbers` are exactly those whose order text passes every id it prefixes.
        return self._furthest is not None and self._furthest > order_text(numbers) + "/"


def _compare(a: str | None, b: str | None) -> int | None:
    """`compare_tasks` over cached keys (listings compare the same few ids many times)."""
    ka, kb = task_key(a), task_key(b)
    if ka is None or kb is None or ka.scheme != kb.scheme:
        return None
    return (ka.numbers > kb.numbers) - (ka.numbers < kb.numbers)


def _latest(reports: Sequence[Report]) -> list[Report]:
    """One report per task id: the last one given (the store passes revisions oldest first)."""
    by_task: dict[str, Report] = {}
    loose: list[Report] = []
    for report in reports:
        if report.task.id:
            by_task[report.task.id] = report
        else:
            loose.append(report)
    return [*by_task.values(), *loose]


# --- manual transitions --------------------------------------------------------------------------

_ALLOWED: dict[Action, tuple[ItemState, ...]] = {
    "close": ("open", "candidate"),
    "waive": ("open", "candidate"),
    "confirm": ("candidate",),
    "reject": ("candidate",),
    "reopen": ("closed", "waived"),
    "withdraw": ("open", "candidate", "closed", "waived"),
    "restore": ("withdrawn",),
}
_WHY_NOT: dict[tuple[Action, ItemState], str] = {
    ("close", "closed"): "it is already closed",
    ("close", "waived"): "it is waived; reopen it first",
    ("close", "withdrawn"): "it was withdrawn (its report no longer states it)",
    ("waive", "closed"): "it is closed; reopen it first",
    ("waive", "waived"): "it is already waived",
    ("waive", "withdrawn"): "it was withdrawn (its report no longer states it)",
    ("confirm", "open"): "it has no candidate closure to confirm; use close with a note",
    ("reject", "open"): "it has no candidate closure to reject",
    ("reopen", "open"): "it is already open",
    ("reopen", "candidate"): "it is open (with a candidate closure); use reject to dismiss the candidate",
    ("reopen", "withdrawn"): "it was withdrawn because its report no longer states it; re-ingest a "
                             "report that states it to restore it",
    ("withdraw", "withdrawn"): "it is already withdrawn",
}


def _check(item: TrackedItem, action: Action) -> None:
    if item.state not in _ALLOWED[action]:
        why = _WHY_NOT.get((action, item.state), f"it is {item.state}")
        raise TrackerError(f"cannot {action} {item.id}: {why}")


def _require(text: str | None, what: str, action: Action, item: TrackedItem) -> str:
    if text is None or not text.strip():
        raise TrackerError(f"cannot {action} {item.id}: a {what} is required")
    return text.strip()


def close(
    item: TrackedItem, note: str, *, actor: str | None = None, at: datetime | None = None,
) -> Transition:
    """A person closes the item; the note says where the evidence is."""
    _check(item, "close")
    note = _require(note, "note", "close", item)
    new = replace(item, state="closed", closure=None, note=note)
    return Transition(new, _event(item, new, "close", actor, note, at))


def waive(
    item: TrackedItem, reason: str, *, actor: str | None = None, at: datetime | None = None,
) -> Transition:
    """A person decides the check will not be done; the reason is kept."""
    _check(item, "waive")
    reason = _require(reason, "reason", "waive", item)
    new = replace(item, state="waived", note=reason)
    return Transition(new, _event(item, new, "waive", actor, reason, at))


def confirm(
    item: TrackedItem, note: str | None = None, *, actor: str | None = None, at: datetime | None = None,
) -> Transition:
    """A person accepts the candidate closure as evidence: it becomes a close, evidence kept."""
    _check(item, "confirm")
    assert item.closure is not None
    actor = actor or default_actor()
    closure = replace(item.closure, state="closed", confirmed_by=actor)
    new = replace(item, state="closed", closure=closure, note=note)
    return Transition(new, _event(item, new, "confirm", actor, note, at, closure.source, closure.line))


def reject(
    item: TrackedItem, reason: str | None = None, *, actor: str | None = None, at: datetime | None = None,
) -> Transition:
    """A person says the candidate is not evidence: back to open, never proposed again."""
    _check(item, "reject")
    assert item.closure is not None
    old = item.closure
    new = replace(item, state="open", closure=None, rejected=(*item.rejected, f"{old.source}:{old.line}"))
    return Transition(new, _event(item, new, "reject", actor, reason, at, old.source, old.line))


def reopen(
    item: TrackedItem, reason: str | None = None, *, actor: str | None = None, at: datetime | None = None,
) -> Transition:
    """Undo a close or a waiver: the item is owed again (its evidence, if any, is dropped)."""
    _check(item, "reopen")
    rejected = item.rejected
    if item.closure is not None:
        rejected = (*rejected, f"{item.closure.source}:{item.closure.line}")
    new = replace(item, state="open", closure=None, note=None, rejected=rejected)
    return Transition(new, _event(item, new, "reopen", actor, reason, at))


def withdraw(
    item: TrackedItem, reason: str = "no longer stated in its edited report", *,
    actor: str | None = None, at: datetime | None = None,
) -> Transition:
    """The item vanished from a re-ingested report: kept (not deleted) as `withdrawn`."""
    _check(item, "withdraw")
    new = replace(item, state="withdrawn", withdrawn_from=item.state)
    return Transition(new, _event(item, new, "withdraw", actor or SYSTEM_ACTOR, reason, at, item.source))


def restore(
    item: TrackedItem, reason: str = "stated again in its re-ingested report", *,
    actor: str | None = None, at: datetime | None = None,
) -> Transition:
    """A withdrawn item reappeared: back to the state it had when withdrawn."""
    _check(item, "restore")
    new = replace(item, state=item.withdrawn_from or "open", withdrawn_from=None)
    return Transition(new, _event(item, new, "restore", actor or SYSTEM_ACTOR, reason, at, item.source))


def opened_event(item: TrackedItem, *, at: datetime | None = None) -> Event:
    """The first event of every item."""
    return Event(item.id, at or now_utc(), SYSTEM_ACTOR, "open", None, "open",
                 f"deferred ({item.kind}) in {item.source}", item.source, item.line)


def _event(
    old: TrackedItem, new: TrackedItem, action: Action, actor: str | None, reason: str | None,
    at: datetime | None, source: str | None = None, line: int | None = None,
) -> Event:
    return Event(old.id, at or now_utc(), actor or default_actor(), action, old.state, new.state,
                 reason, source, line)


def default_actor() -> str:
    """The OS user, as `--by` defaults to."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def now_utc() -> datetime:
    return datetime.now(UTC)


def _naive(value: datetime | None) -> datetime | None:
    """Report times are often local and offset-less; compare everything as naive."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


# --- the closing convention agents are told to follow -----------------------------------------

CLOSING_CONVENTION = """\
## Closing deferred items

When this task does a check or delivers work that an earlier report deferred, say so in
your report so tracker can close the item:

```markdown
## Deferred Items Closed
- Closes: <ID> <what was deferred> — <evidence: the command you ran and its result, or the figure measured>
```

- `<ID>` is the short ID listed above (or the task id that deferred it, e.g. `Closes: 3.6 Docker build`).
- Only list an item when the deferred check actually ran and passed, or the postponed work is
  delivered. Quote the evidence (command and output, test counts, measured size).
- A check you ran but that failed, or that you could only partly do, is not closed: report it
  under your own deferred items instead.
"""


def closing_convention(items: Sequence[TrackedItem] = ()) -> str:
    """The convention, with a ready-to-fill line per item the agent owes."""
    if not items:
        return CLOSING_CONVENTION
    lines = [CLOSING_CONVENTION.rstrip(), "", "Lines to fill in for the items above:", ""]
    for item in items:
        summary = " ".join(item.text.split())[:80]
        lines.append(f"- Closes: {item.id} {summary} — <evidence>")
    return "\n".join(lines) + "\n"

