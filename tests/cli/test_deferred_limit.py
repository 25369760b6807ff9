"""`tracker deferred` as a table shows the oldest items up to a limit and says how many more match;
JSON and CSV still list every item, and the shown items are exactly the first ones of the full list."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from tracker.model import DeferredItem, Report, StatusField, TaskRef, Timestamps
from tracker.query import deferred_items, deferred_page
from tracker.store import SourceMeta, Store


@pytest.fixture
def many_items() -> None:
    """12 reports of project p, each deferring 2 checks to the next task (24 open items)."""
    with Store.open(actor="tester") as store:
        for n in range(1, 13):
            report = Report(
                source=f"/p/task1.{n}.md", format="ralph", task=TaskRef(id=f"1.{n}", line=1),
                status=StatusField(value="pass", raw="PASS", line=3),
                timestamps=Timestamps(completed=f"2026-01-{n:02d}T10:00:00Z"),
                deferred=[DeferredItem(text=f"Load test {n} {w} waits for staging", kind="validation",
                                       target=f"1.{n + 1}", reason="environment", line=5 + i,
                                       end_line=5 + i, lines=[5 + i])
                          for i, w in enumerate(("alpha", "beta"))],
            )
            store.store_report("p", report, SourceMeta(report.source, f"{n:064d}", 10, None))


def test_table_shows_the_oldest_items_and_counts_the_rest(run_cli: Callable[..., Any], many_items) -> None:
    everything = json.loads(run_cli("deferred", "-f", "json").stdout)
    assert len(everything) == 24
    table = run_cli("deferred", "--limit", "5").stdout
    shown = [i["id"] for i in everything if i["id"] in table]
    assert shown == [i["id"] for i in everything[:5]]
    assert "19 more of 24 matching items not shown" in table and "--all" in table
    full = run_cli("deferred", "--all").stdout
    assert all(i["id"] in full for i in everything) and "more of" not in full
    assert "more of" not in run_cli("deferred").stdout  # 24 < the default limit of 100
    assert run_cli("deferred", "--limit", "0").exit_code == 2


def test_json_and_csv_ignore_the_table_limit_unless_asked(run_cli: Callable[..., Any], many_items) -> None:
    assert len(json.loads(run_cli("deferred", "-f", "json").stdout)) == 24
    assert len(json.loads(run_cli("deferred", "-f", "json", "--limit", "3").stdout)) == 3
    assert len(run_cli("deferred", "-f", "csv").stdout.splitlines()) == 25


@pytest.mark.parametrize("kwargs", [{}, {"state": "all"}, {"missed": True}, {"target": "1.5"},
                                    {"target": "1"}, {"task": "1.3"}, {"kind": "validation"},
                                    {"older_than": timedelta(days=30)}, {"project": "p"}])
@pytest.mark.parametrize("since", [True, False])
def test_a_page_is_the_head_of_the_full_list_with_the_same_flags(many_items, kwargs: dict,
                                                                  since: bool) -> None:
    """Also without `tasks_since` (the table): missed / target not reported as the full listing."""
    with Store.open() as store:
        full = deferred_items(store, **kwargs)
        for limit in (1, 3, 7, 100):
            page = deferred_page(store, limit=limit, tasks_since=since, **kwargs)
            assert page.total == len(full)
            expected = full[:limit] if since else [replace(v, tasks_since=0) for v in full[:limit]]
            assert page.items == expected


def test_fast_json_equals_the_generic_encoding(many_items) -> None:
    from tracker.render.deferred_output import item_json
    from tracker.render.formats import jsonable

    with Store.open() as store:
        items = deferred_items(store, state="all")
    assert items and [item_json(i) for i in items] == jsonable(items)
    assert all(list(item_json(i)) == list(jsonable(i)) for i in items)  # same key order
