"""The weekly summary as Markdown: headings and pipe tables, readable in a terminal and on a code host."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from tracker.export.weekly import Counts, GroupSummary, WeeklySummary

HEADLINE = (
    ("Tasks completed", "completed"), ("Tasks failed", "failed"), ("Tasks blocked", "blocked"),
    ("Tasks partial", "partial"), ("Unverified passes", "unverified_passes"),
    ("Deferred items opened", "items_opened"), ("Deferred items closed", "items_closed"),
    ("Deferred items waived", "items_waived"), ("Deferred items still open at week end", "items_open_at_end"),
    ("Missed targets", "missed_targets"), ("Reports that failed to parse", "failed_reports"),
)
GROUP_COLUMNS = (
    ("Done", "completed"), ("Failed", "failed"), ("Blocked", "blocked"), ("Partial", "partial"),
    ("Unverified", "unverified_passes"), ("Opened", "items_opened"), ("Closed", "items_closed"),
    ("Waived", "items_waived"), ("Open at end", "items_open_at_end"), ("Missed", "missed_targets"),
)


def cell(value: object) -> str:
    if value.__class__ is int:  # most cells are counts: nothing to escape or fold
        return str(value)
    text = "" if value is None else str(value)
    if text.isprintable() and "  " not in text and "|" not in text and text[:1] != " " and text[-1:] != " ":
        return text  # `_plain` inlined: this runs for every cell of every table
    return " ".join(text.replace("|", "\\|").split())


def _plain(text: str) -> bool:
    """Would `" ".join(text.split())` give `text` back? True when its only whitespace is single
    inner ASCII spaces: `isprintable` is False for every other whitespace character (C checks,
    no new string for the ~90k open items of a 100k database)."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        texts = [v if v.__class__ is str else "" if v is None else str(v) for v in row]
        line = "| " + " | ".join(texts) + " |"
        # Every cell is already what `cell` gives when the line is printable, has no double space
        # (a cell's edge space would make one next to a separator) and no `|` but the separators:
        # one check per line instead of a call per cell (~570k cells in a 100k database's week).
        if not (line.isprintable() and "  " not in line and line.count("|") == len(texts) + 1):
            line = "| " + " | ".join([cell(v) for v in row]) + " |"
        lines.append(line)
    return lines


def short(text: str, limit: int = 120) -> str:
    if not _plain(text):
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_where(summary: WeeklySummary, project: str, where: str | None) -> str:
    """`path:line` relative to the project's folder when it lies below it (a forwarded summary
    should not carry one machine's absolute paths)."""
    if not where:
        return ""
    root = summary.project_roots.get(project)
    if root:
        prefix = root.rstrip("/") + "/"
        if where.startswith(prefix):
            return where[len(prefix):]
    return where


def weekday(day: str) -> str:
    return date.fromisoformat(day).strftime("%a %d")


def title(summary: WeeklySummary) -> str:
    w = summary.window
    return f"Weekly summary {w['label']}: {w['first_day']} to {w['last_day']} ({w['time_zone']})"


def headline_value(counts: Counts, key: str) -> int:
    return int(getattr(counts, key))


def _groups(groups: list[GroupSummary], first: str, days: list[str]) -> list[str]:
    header = [first, *(h for h, _ in GROUP_COLUMNS), *(f"Done {weekday(d)}" for d in days)]
    rows = [[g.name, *(getattr(g.counts, k) for _, k in GROUP_COLUMNS),
             *(g.done_per_day.get(d, 0) for d in days)] for g in groups]
    return table(header, rows)


def not_listed(summary: WeeklySummary, item_limit: int | None) -> str | None:
    """The line under a cut list of open items: how many more, and where to see them."""
    hidden = len(summary.open_items) - (len(summary.open_items) if item_limit is None else item_limit)
    if hidden <= 0:
        return None
    return (f"… {hidden:,} more open items not listed (oldest first above): `tracker weekly --limit 0` "
            "lists them all, `--format json` has every item.")


def render(summary: WeeklySummary, *, item_limit: int | None = None) -> str:
    """`item_limit`: list at most this many open items (None: all)."""
    days = [d.day for d in summary.days]
    out = [f"# {title(summary)}", "", f"Projects: {', '.join(summary.projects) or '(none)'}", "",
           "## Headline", ""]
    out += table(["", "Count"], [(label, headline_value(summary.headline, key)) for label, key in HEADLINE])
    out += ["", "## Statuses by day", ""]
    statuses = ("pass", "fail", "blocked", "partial", "in_progress", "unknown")
    out += table(["Day", *statuses], [[weekday(d.day), *(d.statuses.get(s, 0) for s in statuses)]
                                      for d in summary.days])
    out += ["", "## Per project", "", *_groups(summary.by_project, "Project", days)]
    out += ["", "## Per phase or category", "", *_groups(summary.by_group, "Phase or category", days)]
    out += ["", "## Deferred items still open at week end (oldest first)", ""]
    open_rows = [(i.id, i.project, i.task, i.age_days, (i.target or "") + (" (missed)" if i.missed else ""),
                  i.state, shown_where(summary, i.project, i.where), short(i.text))
                 for i in summary.open_items[:item_limit]]
    out += table(["ID", "Project", "Task", "Age (days)", "Target", "State", "Where", "What"], open_rows) \
        if open_rows else ["None."]
    more = not_listed(summary, item_limit)
    if more:
        out += ["", more]
    for heading, items in (("Deferred items closed this week", summary.closed_items),
                           ("Deferred items waived this week", summary.waived_items)):
        out += ["", f"## {heading}", ""]
        out += table(["ID", "Task", "When", "By", "Evidence", "Evidence at", "Item"],
                     [(s.id, s.task, s.at, s.actor if s.action in ("close", "waive", "confirm") else s.action,
                       short(s.evidence or "", 160), shown_where(summary, s.project, s.evidence_where),
                       short(s.text, 80))
                      for s in items]) if items else ["None."]
    out += ["", "## Unverified passes", ""]
    out += table(["Project", "Task", "Title", "Completed", "Report", "Items owed"],
                 [(u.project, u.task, u.title, u.completed, shown_where(summary, u.project, u.where),
                   " ".join(u.items))
                  for u in summary.unverified_passes]) if summary.unverified_passes else ["None."]
    if summary.missing_from_plan is not None:
        out += ["", "## Tasks missing from the plan", ""]
        out += table(["Project", "Task", "Title", "Phase"],
                     [(m.project, m.task, m.title, m.phase) for m in summary.missing_from_plan]) \
            if summary.missing_from_plan else ["None."]
    out += ["", "## Trend: deferred items open at the end of each week", ""]
    out += table(["Week", "Open"], [(p.week, p.open_items) for p in summary.trend])
    if summary.notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in summary.notes]
    return "\n".join(out) + "\n"
