"""Every output format parsed back: Markdown tables, HTML (with its SVG charts), JSON, CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from tracker.export import csv_out, html, json_out, markdown
from tracker.export.weekly import SCHEMA, WeeklySummary
from tracker.store import Store

from .conftest import ralph_report, summary_for


@pytest.fixture
def summary(store: Store, add: Callable[[str, str], None]) -> WeeklySummary:
    add("r/7_1.md", ralph_report("7.1", "Wick | trimmer <fast>", "2026-11-17T10:00:00Z",
                                 validation="PASS (docker build will be validated in task 7.3)"))
    add("r/7_2.md", ralph_report("7.2", "Glass", "2026-11-18T10:00:00Z", status="❌ FAIL"))
    add("r/7_3.md", ralph_report("7.3", "Oil", "2026-11-19", status="PARTIAL"))
    return summary_for(store, "2026-W47")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_markdown_has_the_sections_and_well_formed_tables(summary: WeeklySummary) -> None:
    text = markdown.render(summary)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    for wanted in ("## Headline", "## Statuses by day", "## Per project", "## Per phase or category",
                   "## Deferred items still open at week end (oldest first)", "## Unverified passes",
                   "## Trend: deferred items open at the end of each week"):
        assert wanted in headings
    assert "| Tasks completed | 1 |" in text and "| Tasks failed | 1 |" in text
    assert "Wick \\| trimmer <fast>" in text  # a pipe in a cell is escaped
    # Each table's rows have the width of its header (escaped pipes add no column).
    blocks = text.split("\n\n")
    for block in blocks:
        lines = [ln for ln in block.splitlines() if ln.startswith("|")]
        if lines:
            widths = {len(ln.replace("\\|", "").split("|")) for ln in lines}
            assert len(widths) == 1, block


def test_html_is_self_contained_with_two_charts(summary: WeeklySummary) -> None:
    text = html.render(summary)
    page = Page()
    page.feed(text)
    page.close()
    tags = [t for t, _ in page.tags]
    assert tags[0] == "html" and "body" in tags
    assert "script" not in tags
    for _tag, attrs in page.tags:  # nothing fetched from anywhere
        for key in ("src", "href"):
            assert not (attrs.get(key) or "").startswith(("http:", "https:", "//"))
    assert "link" not in tags
    charts = [a.get("id") for t, a in page.tags if t == "svg"]
    assert charts == ["chart-open-trend", "chart-statuses"]
    assert tags.count("polyline") == 1
    bars = [a for t, a in page.tags if t == "rect" and "bar" in (a.get("class") or "")]
    assert sorted(a["class"] for a in bars) == ["bar bar-fail", "bar bar-partial", "bar bar-pass"]
    assert "&lt;fast&gt;" in text and "<fast>" not in text  # the unverified pass's title, escaped
    assert "@media print" in text and "viewport" in text


def test_json_has_the_versioned_schema_and_plain_values(summary: WeeklySummary) -> None:
    data = json.loads(json_out.render(summary))
    assert data["schema"] == SCHEMA == "tracker.weekly/1"
    assert set(data) >= {"window", "projects", "headline", "by_project", "by_group", "days", "open_items",
                         "closed_items", "waived_items", "unverified_passes", "missing_from_plan", "trend",
                         "events", "notes", "failed_reports"}
    assert data["window"]["iso_week"] == "2026-W47" and data["window"]["time_zone"] == "UTC"
    assert data["headline"]["completed"] == 1 and data["headline"]["failed"] == 1
    assert data["headline"]["partial"] == 1
    assert all(isinstance(v, int) for v in data["headline"].values())
    assert len(data["trend"]) == 8
    assert data["trend"][-1]["open_items"] == data["headline"]["items_open_at_end"]
    for item in data["open_items"]:
        assert "project_id" not in item and item["where"].count(":") >= 1


def test_csv_has_one_row_per_task_week_event(summary: WeeklySummary) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_out.render(summary))))
    assert rows and list(rows[0]) == list(csv_out.HEADER)
    reported = sorted((r["task"], r["status"]) for r in rows if r["what"] == "reported")
    assert reported == [("7.1", "pass"), ("7.2", "fail"), ("7.3", "partial")]
    opened = [r for r in rows if r["what"] == "opened"]
    assert len(opened) == summary.headline.items_opened
    assert all(r["item"] for r in opened)
    assert {r["when"] for r in rows if r["task"] == "7.3"} == {"2026-11-19"}


@pytest.fixture
def busy_week(store: Store, add: Callable[[str, str], None]) -> WeeklySummary:
    """Five tasks, each leaving one check open at the end of the week."""
    for n in range(1, 6):
        add(f"r/8_{n}.md", ralph_report(f"8.{n}", f"Part {n}", f"2026-11-1{n + 6}T10:00:00Z",
                                        validation=f"PASS (smoke test will be validated in task 9.{n})"))
    return summary_for(store, "2026-W47")


def test_md_and_html_list_the_oldest_open_items_up_to_the_limit_and_say_how_many_more(
        busy_week: WeeklySummary) -> None:
    assert busy_week.headline.items_open_at_end == len(busy_week.open_items) == 5
    oldest = [i.id for i in busy_week.open_items]
    text = markdown.render(busy_week, item_limit=2)
    section = text.split("## Deferred items still open at week end (oldest first)")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ID")]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == oldest[:2]
    assert "… 3 more open items not listed" in section
    assert "| Deferred items still open at week end | 5 |" in text  # the headline counts them all
    page = html.render(busy_week, item_limit=2).split("still open at week end (oldest first)</h2>")[1]
    page = page.split("<h2>")[0]
    assert [item for item in oldest if item in page] == oldest[:2] and "3 more open items not listed" in page
    assert "more open items" not in markdown.render(busy_week, item_limit=None)
    assert "more open items" not in markdown.render(busy_week, item_limit=5)
    assert len(json.loads(json_out.render(busy_week))["open_items"]) == 5


def test_weekly_limit_option(run_cli, store: Store, busy_week: WeeklySummary) -> None:
    week = ("weekly", "--week", "2026-W47", "--tz", "UTC", "--db", store.engine.url.render_as_string(False))
    assert "… 4 more open items not listed" in run_cli(*week, "--limit", "1").stdout
    assert "more open items" not in run_cli(*week, "--limit", "0").stdout
    bad = run_cli(*week, "--limit", "-1")
    assert bad.exit_code != 0 and "--limit must be 0 (all) or more" in bad.stderr
