"""Inline SVG charts for the HTML summary: plain markup, no script, scaling with the page width."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

STATUS_COLOURS = {
    "pass": "#2e7d32", "fail": "#c62828", "blocked": "#6a1b9a", "partial": "#ef6c00",
    "in_progress": "#1565c0", "unknown": "#757575",
}
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 24, 40


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def _axis(top: int, label: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top * i // 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{value}</text>')
    middle = TOP + plot_h / 2
    parts.append(f'<text x="12" y="{middle:.1f}" class="tick" transform="rotate(-90 12 {middle:.1f})" '
                 f'text-anchor="middle">{escape(label)}</text>')
    return parts


def _svg(title: str, chart_id: str, body: list[str]) -> str:
    return (f'<svg id="{chart_id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-title">{escape(title)}</title>' + "".join(body) + "</svg>")


def open_items_trend(points: Sequence[tuple[str, int]], chart_id: str = "chart-open-trend") -> str:
    """A line of open deferred items at the end of each week, with the value on every point."""
    top = _nice_max(max((v for _, v in points), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(points) - 1)
    xy = [(LEFT + step * i if len(points) > 1 else LEFT + plot_w / 2, TOP + plot_h - plot_h * v / top)
          for i, (_, v) in enumerate(points)]
    body = _axis(top, "open items")
    body.append('<polyline class="trend" fill="none" points="'
                + " ".join(f"{x:.1f},{y:.1f}" for x, y in xy) + '"/>')
    for (label, value), (x, y) in zip(points, xy, strict=True):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="dot"><title>{escape(label)}: {value}'
                    "</title></circle>")
        body.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" class="value">{value}</text>')
        body.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" class="tick">'
                    f"{escape(label[-3:])}</text>")
    return _svg("Deferred items open at the end of each week", chart_id, body)


def statuses_by_day(days: Sequence[tuple[str, dict[str, int]]], chart_id: str = "chart-statuses") -> str:
    """Stacked bars: tasks per day by status of their last report this week, with a legend."""
    statuses = [s for s in STATUS_COLOURS if any(counts.get(s, 0) for _, counts in days)] or ["pass"]
    top = _nice_max(max((sum(c.values()) for _, c in days), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(days))
    bar = min(48.0, slot * 0.6)
    body = _axis(top, "tasks")
    for i, (label, counts) in enumerate(days):
        x = LEFT + slot * i + (slot - bar) / 2
        y = TOP + plot_h
        for status in statuses:
            n = counts.get(status, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                        f'fill="{STATUS_COLOURS[status]}" class="bar bar-{status}"><title>{escape(label)}: '
                        f"{n} {status}</title></rect>")
        body.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                    f'class="tick">{escape(label)}</text>')
    legend_x = LEFT
    for status in statuses:
        body.append(f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="10" height="10" '
                    f'fill="{STATUS_COLOURS[status]}"/>')
        body.append(f'<text x="{legend_x + 14}" y="{HEIGHT - 5}" class="tick">{escape(status)}</text>')
        legend_x += 24 + 7 * len(status)
    return _svg("Tasks by status, per day", chart_id, body)
