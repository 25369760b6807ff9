"""`**Label:** value` lines, the way RALPH task lists and GSD roadmaps attach facts to a task or phase."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tracker.errors import ReportError
from tracker.parse.document import Document, read_document
from tracker.plan.model import PlanError

_LABELLED = re.compile(
    r"^\s*\*\*(?P<label>[A-Za-z][\w /&-]{0,40}?)\s*(?::\*\*|\*\*\s*:)\s*(?P<value>.*)$", re.DOTALL
)


def labelled(raw: str) -> tuple[str, str] | None:
    """("Validation", "value text") for "**Validation:** value text" or "**Validation**: value text"."""
    match = _LABELLED.match(raw)
    if match is None:
        return None
    value = " ".join(line.strip() for line in match.group("value").split("\n")).strip()
    return match.group("label").strip(), value


def labelled_lines(lines: Iterable[tuple[int, str]]) -> list[tuple[str, str, int]]:
    """Every `**Label:** value` in a block, with its line; unlabelled lines continue the value above."""
    found: list[tuple[str, str, int]] = []
    for line_no, raw in lines:
        field = labelled(raw)
        if field is not None:
            found.append((field[0], field[1], line_no))
        elif found and raw.strip():
            label, value, first = found[-1]
            found[-1] = (label, f"{value} {raw.strip()}".strip(), first)
    return found


def strip_markup(text: str) -> str:
    """Plain text of a short markdown value: emphasis and code ticks removed, spaces collapsed."""
    text = re.sub(r"(\*\*|__|`)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def read_plan_document(text: str, source: str) -> Document:
    """The report block walker, with its errors (bad front matter) reported as plan errors."""
    try:
        return read_document(text, source)
    except ReportError as exc:
        raise PlanError(exc.message, path=exc.path, line=exc.line) from exc
