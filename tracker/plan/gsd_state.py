"""get-shit-done `.planning/STATE.md`: where the project says it stands right now.

The front matter (milestone, status, stopped_at) and the "Current Position" section
(`Phase: 3 of 6 (Name)`, `Plan: 2 of 4`, `Status: ...`) are both optional; whatever is
there is kept with its line, nothing is guessed.
"""

from __future__ import annotations

import re

from tracker.plan.fields import read_plan_document, strip_markup
from tracker.plan.model import PlanPosition, plan_id

_POSITION_LINE = re.compile(
    r"^\s*\**(?P<label>phase|plan|status)\**\s*:\s*\**\s*(?P<value>.+)$", re.IGNORECASE
)
_PHASE_NUMBER = re.compile(r"^(?:phase\s+)?(?P<id>\d+(?:\.\d+)?)\b", re.IGNORECASE)
_PLAN_NUMBER = re.compile(r"^(?P<id>\d{2,}(?:\.\d+)?-\d{2,})\b|^(?P<n>\d+)\s+of\s+\d+", re.IGNORECASE)


def read_state(text: str, source: str) -> PlanPosition:
    doc = read_plan_document(text, source)
    meta = doc.front_matter or {}
    position = PlanPosition(
        source=source,
        milestone=_text(meta.get("milestone")),
        status=_text(meta.get("status")),
        stopped_at=_text(meta.get("stopped_at")),
        line=doc.front_matter_lines.get(("status",)),
    )
    phase_text: str | None = None
    for block in doc.blocks:
        section = block.section
        if section is None or section.within(lambda t: "position" in t.lower()) is None:
            continue
        if block.kind not in ("paragraph", "item"):
            continue
        for line_no, raw in block.raw_lines():
            match = _POSITION_LINE.match(raw)
            if match is None:
                continue
            label, value = match.group("label").lower(), strip_markup(match.group("value"))
            if label == "phase":
                phase_text = value
                number = _PHASE_NUMBER.match(value)
                position.phase = number.group("id") if number else None
                position.line = line_no
            elif label == "plan":
                number = _PLAN_NUMBER.match(value)
                if number is not None and number.group("id"):
                    position.plan = number.group("id")
                elif number is not None and position.phase is not None:
                    position.plan = plan_id(position.phase, int(number.group("n")))
            elif label == "status":
                position.status = value
                position.line = position.line or line_no
    if position.phase is None and phase_text is not None and position.status is None:
        position.status = phase_text
    return position


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
