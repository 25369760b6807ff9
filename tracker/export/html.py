"""The weekly summary as one self-contained HTML page: inline CSS and SVG, no script, no network.

It is meant to be forwarded and printed: tables scroll sideways on a phone instead of squeezing,
charts scale with the width, and print styles drop the colours that waste ink.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from tracker.export import charts
from tracker.export.markdown import GROUP_COLUMNS, HEADLINE, not_listed, short, shown_where, title, weekday
from tracker.export.weekly import GroupSummary, WeeklySummary

STYLE = """
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6474; --line: #d9dde5; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 16px; font: 15px/1.45 system-ui, -apple-system,
       "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card .n { font-size: 1.6rem; font-weight: 600; display: block; }
.card .l { color: var(--muted); font-size: .85rem; }
.card.warn .n { color: #b71c1c; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
figure { margin: 0; } figcaption { color: var(--muted); font-size: .9rem; margin-bottom: 4px; }
svg.chart { width: 100%; height: auto; display: block; }
svg .grid { stroke: var(--line); stroke-width: 1; } svg .tick { font-size: 11px; fill: var(--muted); }
svg .trend { stroke: #1565c0; stroke-width: 2.5; } svg .dot { fill: #1565c0; }
svg .value { font-size: 11px; fill: var(--ink); }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: .85em; white-space: nowrap; }
code.path { white-space: normal; overflow-wrap: anywhere; }
.missed { color: #b71c1c; font-weight: 600; }
.none { color: var(--muted); font-style: italic; }
ul.notes { color: var(--muted); font-size: .9rem; }
@media (max-width: 600px) { body { padding: 8px; font-size: 14px; } .card .n { font-size: 1.3rem; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .card, th { background: none; }
  h2 { break-after: avoid; } tr, figure, .card { break-inside: avoid; }
  .scroll { overflow: visible; }
}
"""


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    def attr(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    head = "".join(f"<th{attr(i)}>{escape(h)}</th>" for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f"<td{attr(i)}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _code(value: object) -> str:
    return f"<code>{_e(value)}</code>" if value else ""


def _path(value: object) -> str:
    return f'<code class="path">{_e(value)}</code>' if value else ""


def _where(summary: WeeklySummary, project: str, where: str | None) -> str:
    return _path(shown_where(summary, project, where))


def _none() -> str:
    return '<p class="none">None.</p>'


def _groups(groups: list[GroupSummary], first: str, days: list[str]) -> str:
    header = [first, *(h for h, _ in GROUP_COLUMNS), *(weekday(d) for d in days)]
    rows = [[_e(g.name), *(_e(getattr(g.counts, k)) for _, k in GROUP_COLUMNS),
             *(_e(g.done_per_day.get(d, 0)) for d in days)] for g in groups]
    return _table(header, rows, numeric=range(1, len(header))) if rows else _none()


def render(summary: WeeklySummary, *, item_limit: int | None = None) -> str:
    """`item_limit`: list at most this many open items (None: all)."""
    days = [d.day for d in summary.days]
    h = summary.headline
    cards = "".join(
        f'<div class="card{" warn" if key in ("failed", "missed_targets") and getattr(h, key) else ""}">'
        f'<span class="n">{getattr(h, key)}</span><span class="l">{escape(label)}</span></div>'
        for label, key in HEADLINE)
    trend = charts.open_items_trend([(p.week, p.open_items) for p in summary.trend])
    by_day = charts.statuses_by_day([(weekday(d.day), d.statuses) for d in summary.days])
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title(summary))}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title(summary))}</h1>",
        f'<p class="sub">Projects: {_e(", ".join(summary.projects) or "(none)")} · as of the end of '
        f'{_e(summary.window["last_day"])} · schema {_e(summary.schema)}</p>',
        f'<section aria-label="Headline"><div class="cards">{cards}</div></section>',
        '<h2>Charts</h2><div class="charts">',
        f"<figure><figcaption>Deferred items open at the end of each week</figcaption>{trend}</figure>",
        f"<figure><figcaption>Tasks by status, per day</figcaption>{by_day}</figure></div>",
        "<h2>Per project</h2>", _groups(summary.by_project, "Project", days),
        "<h2>Per phase or category</h2>", _groups(summary.by_group, "Phase or category", days),
        "<h2>Deferred items still open at week end (oldest first)</h2>",
        _table(["ID", "Task", "Age (days)", "Target", "State", "Where", "What"],
               [[_code(i.id), _e(f"{i.project} {i.task}" if len(summary.projects) > 1 else i.task),
                 _e(i.age_days),
                 _e(i.target) + (' <span class="missed">missed</span>' if i.missed else ""), _e(i.state),
                 _where(summary, i.project, i.where), _e(short(i.text, 160))]
                for i in summary.open_items[:item_limit]],
               numeric=[2])
        if summary.open_items else _none(),
    ]
    more = not_listed(summary, item_limit)
    if more:
        parts.append(f'<p class="sub">{_e(more.replace("`", ""))}</p>')
    for heading, items in (("Deferred items closed this week", summary.closed_items),
                           ("Deferred items waived this week", summary.waived_items)):
        parts.append(f"<h2>{heading}</h2>")
        parts.append(_table(["ID", "Task", "When", "By", "Evidence", "Evidence at", "Item"],
                            [[_code(s.id), _e(s.task), _e(s.at), _e(s.actor),
                              _e(short(s.evidence or "", 200)), _where(summary, s.project, s.evidence_where),
                              _e(short(s.text, 100))]
                             for s in items])
                     if items else _none())
    parts.append("<h2>Unverified passes</h2>")
    parts.append(_table(["Task", "Title", "Completed", "Report", "Items owed"],
                        [[_e(u.task), _e(u.title), _e(u.completed), _where(summary, u.project, u.where),
                          " ".join(_code(i) for i in u.items)] for u in summary.unverified_passes])
                 if summary.unverified_passes else _none())
    if summary.missing_from_plan is not None:
        parts.append("<h2>Tasks missing from the plan</h2>")
        parts.append(_table(["Project", "Task", "Title", "Phase"],
                            [[_e(m.project), _e(m.task), _e(m.title), _e(m.phase)]
                             for m in summary.missing_from_plan]) if summary.missing_from_plan else _none())
    parts.append("<h2>Trend</h2>")
    parts.append(_table(["Week", "Open at week end"], [[_e(p.week), _e(p.open_items)] for p in summary.trend],
                        numeric=[1]))
    if summary.notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{_e(n)}</li>" for n in summary.notes) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
