"""`FlagIndex` (what listings use) gives exactly `item_flags` (the rule), for any project history."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.lifecycle import FlagIndex, MissedIndex, TrackedItem, item_flags, order_text, target_bounds
from tracker.store.lifecycle_store import ReportRef
from tracker.taskids import task_key

TASK_IDS = st.sampled_from([
    None, "1", "2", "3", "12", "1.1", "1.2", "2.1", "2.10", "3.1.2", "02", "02-01", "02-02", "03-01",
    "I1", "I1.2", "I2.1", "Task 2.1", "task-007", "Phase 2", "11-14", "2-4",
])
TARGETS = st.sampled_from([
    None, "", "deployment", "1", "2", "3", "1.2", "2.1", "02", "02-02", "03", "I1", "I2", "2-4", "11-14",
    "3.1", "Phase 2", "12",
])
TIMES = st.sampled_from([None, "2026-01-05T10:00:00", "2026-01-06", "2026-01-06T09:00:00+02:00", "junk"])


@st.composite
def histories(draw: st.DrawFn) -> list[ReportRef]:
    """Current reports, oldest first; one current revision per file, as the store keeps them."""
    count = draw(st.integers(0, 12))
    return [ReportRef(i, f"r{i}.md", draw(TASK_IDS), draw(TIMES)) for i in range(count)]


@settings(max_examples=400, deadline=None)
@given(histories(), TASK_IDS, TARGETS, TIMES, st.sampled_from(["r0.md", "r1.md", "r5.md", "x.md"]),
       st.sampled_from(["open", "candidate", "closed", "waived"]))
def test_index_flags_equal_item_flags(reports: list[ReportRef], task_id: str | None, target: str | None,
                                      completed: str | None, source: str, state: str) -> None:
    item = TrackedItem(
        id="abc1234", project="p", task_id=task_id, fingerprint="", text="x", kind="validation",
        reason="other", target=target, source=source, line=1, opened_completed=completed,
        opened_at=datetime(2026, 1, 5), state=state,  # type: ignore[arg-type]
    )
    now = datetime(2026, 2, 1)
    assert FlagIndex(reports).flags(item, now=now) == item_flags(item, reports, now=now)  # type: ignore[arg-type]


def test_one_index_answers_many_items() -> None:
    reports = [ReportRef(1, "a.md", "2.1", None), ReportRef(2, "b.md", "2.2", None),
               ReportRef(3, "c.md", "3.1", None)]
    index = FlagIndex(reports)  # type: ignore[arg-type]
    reported = TrackedItem(id="i1", project="p", task_id="2.1", fingerprint="", text="x",
                           kind="validation", reason="other", target="2.2", source="a.md", line=3)
    unreported = TrackedItem(id="i2", project="p", task_id="2.1", fingerprint="", text="y",
                             kind="validation", reason="other", target="4.1", source="a.md", line=4)
    assert index.flags(reported).missed and index.flags(reported).tasks_since == 2
    assert index.flags(unreported).target_not_reported and not index.flags(unreported).missed


def _missed_index(reports: list[ReportRef], targets: list[str | None]) -> MissedIndex:
    """What `query._missed_counts` reads from SQL, computed in Python from the same columns."""
    orders = {r.task_id: order_text(k.numbers) for r in reports
              if r.task_id and (k := task_key(r.task_id)) is not None}
    candidates = {t: [tid for tid, order in orders.items()
                      if any(low <= order < high for low, high in target_bounds(t))]
                  for t in targets if t}
    return MissedIndex(candidates, max(orders.values(), default=None), list(orders))


@settings(max_examples=600, deadline=None)
@given(histories(), TASK_IDS, TARGETS)
def test_missed_index_equals_item_flags(reports: list[ReportRef], task_id: str | None,
                                        target: str | None) -> None:
    item = TrackedItem(
        id="abc1234", project="p", task_id=task_id, fingerprint="", text="x", kind="validation",
        reason="other", target=target, source="x.md", line=1, state="open",
    )
    expected = item_flags(item, reports)  # type: ignore[arg-type]
    index = _missed_index(reports, [target])
    assert index.missed(task_id, target) == expected.missed
    assert index.reported(task_id, target) == expected.target_reported


@given(st.lists(st.lists(st.integers(0, 10**12), min_size=1, max_size=4), min_size=2, max_size=2))
def test_order_text_sorts_like_the_numbers(pair: list[list[int]]) -> None:
    a, b = (tuple(p) for p in pair)
    assert (order_text(a) < order_text(b)) == (a < b)
    assert order_text((10**95,)) > order_text((10**94,)) > order_text((99,))
