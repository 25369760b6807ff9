"""The sample project's two weeks, counted by hand from the files in `sample_reports/`.

Completion times (all in ISO weeks 46-47 of 2026; Europe/London is UTC in November):
  W46 Mon 9 Nov - Sun 15 Nov: 1.1 pass (Mon, 09:12+01:00), 1.2 pass (Mon, 14:40 no zone),
      1.3 pass (Tue), 1.4 FAIL (Wed), 1.5 pass (Thu), 2.1 pass (Fri).
  W47 Mon 16 - Sun 22 Nov: 2.2 partial (Mon, date only), 2.3 pass (Tue, 10:15-05:00 = 15:15 UTC),
      03-01 pass (Wed, date only), 03-02 pass (Thu), 03-03 pass (Fri, 08:30+01:00).
Deferred items, from reading each report:
  W46 opens 3: 1.3's Docker build (to 1.5), 2.1's live Stripe webhook test (to 2.3) and its
      duplicate-event replay (manual). 1.5 closes the Docker item ("Closes: 1.3 ..."). Open at the
      end: 2. Unverified passes: 2.1 only (1.3's check was done by 1.5 within the week). Missed: 0
      (2.3 has not reported yet).
  W47 opens 7: 2.2 bounce handling (work, to 2.4) and real-mailbox delivery; 2.3 the 10,000-payment
      runtime estimate and the Stripe test-mode run; 03-01 the render_pdf() stub (to 03-02); 03-03
      the English-only texts (later) and Postmark delivery. 03-02 closes the stub. Open at the
      end: 2 + 7 - 1 = 8. Unverified passes this week: 2.3 and 03-03. Missed: 2.1's webhook test
      (its target 2.3 reported without it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.export.weekly import WeeklySummary
from tracker.ingest import collect_sources, ingest
from tracker.store import Store

from .conftest import summary_for

SAMPLE = Path(__file__).resolve().parents[2] / "sample_reports"


@pytest.fixture
def sample_store(store: Store) -> Store:
    summary = ingest(store, collect_sources([str(SAMPLE)], project="quill"))
    assert summary.failed == 0
    return store


def week(store: Store, label: str) -> WeeklySummary:
    return summary_for(store, label, zone="Europe/London")


def done_per_day(summary: WeeklySummary) -> list[int]:
    return [d.statuses["pass"] for d in summary.days]


def test_week_46_tasks(sample_store: Store) -> None:
    s = week(sample_store, "2026-W46")
    h = s.headline
    assert (h.completed, h.failed, h.blocked, h.partial) == (5, 1, 0, 0)
    assert done_per_day(s) == [2, 1, 0, 1, 1, 0, 0]
    assert [d.statuses["fail"] for d in s.days] == [0, 0, 1, 0, 0, 0, 0]
    assert [g.name for g in s.by_project] == ["quill"]
    assert s.by_project[0].done_per_day["2026-11-09"] == 2
    categories = {g.name: g.counts.completed for g in s.by_group}
    assert categories["Infra"] == 2 and categories["Payments"] == 1 and categories["Setup"] == 1


def test_week_47_tasks(sample_store: Store) -> None:
    s = week(sample_store, "2026-W47")
    h = s.headline
    assert (h.completed, h.failed, h.blocked, h.partial) == (4, 0, 0, 1)
    assert done_per_day(s) == [0, 1, 1, 1, 1, 0, 0]
    assert [d.statuses["partial"] for d in s.days] == [1, 0, 0, 0, 0, 0, 0]


def test_week_46_deferred_items(sample_store: Store) -> None:
    s = week(sample_store, "2026-W46")
    h = s.headline
    assert h.items_opened == 3
    assert (h.items_closed, h.items_open_at_end) == (1, 2)
    assert (h.unverified_passes, h.missed_targets) == (1, 0)
    assert [u.task for u in s.unverified_passes] == ["2.1"]
    assert [c.task for c in s.closed_items] == ["1.3"]
    assert s.closed_items[0].evidence_where and "task1_5.md" in s.closed_items[0].evidence_where


def test_week_47_closures_and_missed_targets(sample_store: Store) -> None:
    s = week(sample_store, "2026-W47")
    h = s.headline
    assert (h.items_closed, h.missed_targets) == (1, 1)
    assert [(i.task, i.target) for i in s.open_items if i.missed] == [("2.1", "2.3")]
    assert [c.task for c in s.closed_items] == ["03-01"]
    assert "03-02-SUMMARY.md:" in (s.closed_items[0].evidence_where or "")


@pytest.mark.xfail(strict=True, reason="parser: 03-01's one stub is read as two items (lines 39 and 79) "
                   "and 03-03's Postmark delivery check as work, not validation; remove this mark when fixed")
def test_week_47_deferred_items(sample_store: Store) -> None:
    s = week(sample_store, "2026-W47")
    h = s.headline
    assert (h.items_opened, h.items_closed, h.items_open_at_end) == (7, 1, 8)
    assert h.unverified_passes == 2
    assert sorted(u.task for u in s.unverified_passes) == ["03-03", "2.3"]
    opened = sorted(e.task for e in s.events if e.what == "opened")
    assert opened == ["03-01", "03-03", "03-03", "2.2", "2.2", "2.3", "2.3"]


def test_open_items_are_oldest_first_with_age_and_place(sample_store: Store) -> None:
    items = week(sample_store, "2026-W47").open_items
    assert [i.opened_at for i in items] == sorted(i.opened_at for i in items)
    oldest = items[0]
    assert oldest.task == "2.1" or oldest.task == "1.3"
    assert oldest.where.rsplit(":", 1)[1].isdigit()
    assert oldest.age_days >= 9


def test_trend_counts_open_items_at_each_week_end(sample_store: Store) -> None:
    s = week(sample_store, "2026-W47")
    assert len(s.trend) == 8
    assert [p.week for p in s.trend][-2:] == ["2026-W46", "2026-W47"]
    assert all(p.open_items == 0 for p in s.trend[:-2])
    assert s.trend[-2].open_items == week(sample_store, "2026-W46").headline.items_open_at_end
    assert s.trend[-1].open_items == s.headline.items_open_at_end


def test_markdown_shows_paths_relative_to_the_project_folder(sample_store: Store) -> None:
    from tracker.export import markdown

    s = week(sample_store, "2026-W47")
    text = markdown.render(s)
    assert "| ralph/task2_1.md:5 |" in text
    assert str(SAMPLE) not in text
    assert s.open_items[0].where.startswith(str(SAMPLE))  # the data keeps the stored path
