"""Which family of agent wrote the report: decides where the task id and status usually live.

- gsd: get-shit-done plan summaries: YAML front matter with phase/plan or key-files, or (without
  front matter) a "Phase N Plan M" title or an `NN-MM-SUMMARY.md` file name.
- ralph: "Execution Summary - Task N.M" titles, or a bold `Task ID` field next to a Status field.
- generic: everything else.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from tracker.model import Format
from tracker.parse.document import Document
from tracker.parse.field_lines import field_lines

_RALPH_TITLE = re.compile(r"execution\s+summary\b.*\btask\b|\btask\b.*\bexecution\s+summary\b", re.I)
_GSD_TITLE = re.compile(
    r"\bphase\s*\d+(?:\.\d+)?[\s,:-]*plan\s*\d+\b"
    r"|^\W*\d{1,2}(?:\.\d+)?-\d{2}\b\s*(?:summary\b|plan\b|[:—–-])", re.I)  # "# 03-01 Summary: ..."
_GSD_FILE = re.compile(r"^\d+(?:\.\d+)?-\d+-SUMMARY\.md$", re.I)
_GSD_KEYS = ("plan", "key-files", "key_files", "subsystem", "verified", "source")
"""Beside `phase`: a plan summary's keys, `verified` (a phase VERIFICATION report) or `source` (the
summaries a phase UAT file tested)."""


def detect_format(doc: Document) -> Format:
    fm = doc.front_matter or {}
    if "phase" in fm and any(key in fm for key in _GSD_KEYS):
        return "gsd"
    headings = [b for b in doc.blocks if b.kind == "heading"]
    first = headings[0] if headings else None
    if first is not None and _RALPH_TITLE.search(first.text):
        return "ralph"
    if first is not None and _GSD_TITLE.search(first.text):
        return "gsd"
    if _GSD_FILE.match(PurePath(doc.source).name):
        return "gsd"
    keys = {f.key for f in field_lines(doc, kinds=("paragraph", "item"))}
    if "task id" in keys and "status" in keys:
        return "ralph"
    return "generic"
