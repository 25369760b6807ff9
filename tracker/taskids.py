"""Ordering task ids and deciding whether a task id falls under a deferral's target.

Agents number work as "3.6", "I4.2", GSD plans "02-01", phases "06", ranges "11-14".
The closer and the flags only compare ids written in the same scheme (same shape
of letters and separators); mixed schemes are "unknown order", never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

_NUMBER = re.compile(r"\d+")
_RANGE = re.compile(r"([1-9]\d*)\s*[-–]\s*([1-9]\d*)")


@dataclass(frozen=True, slots=True, order=True)
class TaskKey:
    """A comparable task id: the non-digit skeleton ("#.#", "I#.#") plus its numbers."""

    scheme: str
    numbers: tuple[int, ...]


_WORD_PREFIX = re.compile(r"^(?:task|plan|phase|step|story|ticket)[\s_#:-]*(?=\w)", re.I)


@lru_cache(maxsize=1 << 16)  # status and the lifecycle compare the same ids thousands of times
def task_key(task_id: str | None) -> TaskKey | None:
    """"Task 3.7", "task-007", "Plan 01-02" and "Phase 6" compare as "3.7", "007", "01-02", "6"."""
    if not task_id:
        return None
    text = _WORD_PREFIX.sub("", task_id.strip())
    numbers = tuple(int(n) for n in _NUMBER.findall(text))
    if not numbers:
        return None
    scheme = _NUMBER.sub("#", text).lower()
    return TaskKey(scheme, numbers)


def compare_tasks(a: str | None, b: str | None) -> int | None:
    """-1/0/1 like cmp for ids in the same scheme; None when they can't be ordered."""
    ka, kb = task_key(a), task_key(b)
    if ka is None or kb is None or ka.scheme != kb.scheme:
        return None
    return (ka.numbers > kb.numbers) - (ka.numbers < kb.numbers)


def parse_time(value: str | None) -> datetime | None:
    """An ISO date/time as the parser keeps it; offsets dropped so mixed reports still compare."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def is_later(
    task_id: str | None, completed: str | None, than_task: str | None, than_completed: str | None,
) -> bool | None:
    """Was report (task_id, completed) written after (than_task, than_completed)?

    Task order wins (it is the plan's order and survives missing clocks); the completion
    time decides only when ids can't be compared. None means "can't tell".
    """
    order = compare_tasks(task_id, than_task)
    if order is not None:
        return order > 0
    a, b = parse_time(completed), parse_time(than_completed)
    if a is not None and b is not None and a != b:
        return a > b
    return None


@lru_cache(maxsize=1 << 12)
def _is_range(target: str) -> tuple[int, int] | None:
    match = _RANGE.fullmatch(target.strip())
    if not match:
        return None
    low, high = int(match.group(1)), int(match.group(2))
    return (low, high) if low < high else None


def target_covers(target: str | None, task_id: str | None) -> bool:
    """Does a report of `task_id` count as a report of the deferral's `target`?

    Exact ids match ("3.7"); a shorter id is a group ("06" covers plan "06-02", "6" covers
    "6.3"); "11-14" written without zero padding is a range over single-number tasks.
    """
    tk, kk = task_key(target), task_key(task_id)
    if tk is None or kk is None or target is None:
        return False
    span = _is_range(target)
    if span is not None and len(kk.numbers) == 1:
        return span[0] <= kk.numbers[0] <= span[1]
    if tk.scheme == kk.scheme:
        return tk.numbers == kk.numbers
    return (
        scheme_letters(tk.scheme) == scheme_letters(kk.scheme)
        and len(tk.numbers) < len(kk.numbers)
        and kk.numbers[: len(tk.numbers)] == tk.numbers
    )


@lru_cache(maxsize=1 << 12)
def scheme_letters(scheme: str) -> str:
    """The words of an id scheme without separators ("plan #-#" -> "plan"): a group target and
    the ids it covers may be punctuated differently."""
    return re.sub(r"[^a-z]", "", scheme)


def is_group_target(target: str | None, known_ids: list[str]) -> bool:
    """A phase or range target: several tasks may report under it before it is finished."""
    if target is None or task_key(target) is None:
        return False
    return any(target_covers(target, tid) and compare_tasks(target, tid) != 0 for tid in known_ids)


def beyond_target(target: str, task_id: str | None) -> bool:
    """Has the project moved past a group target (a task after the whole phase or range)?"""
    kk = task_key(task_id)
    if kk is None or target_covers(target, task_id):
        return False
    span = _is_range(target)
    if span is not None and len(kk.numbers) == 1:
        return kk.numbers[0] > span[1]
    tk = task_key(target)
    if tk is None:
        return False
    head = kk.numbers[: len(tk.numbers)]
    return head > tk.numbers
