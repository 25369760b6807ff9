"""The order the extractors run in; each one reads the same block list."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tracker.errors import ReportError
from tracker.model import Report
from tracker.parse import checklists, deferred, fields, files, profiles, references, timestamps
from tracker.parse.document import Document, normalize_newlines, read_document

DEFAULT_MAX_SIZE = 5 * 1024 * 1024
"""Agent reports are a few KB; a file this big is almost surely not one (override with --max-size)."""


def read_report_text(path: Path | str, *, max_size: int = DEFAULT_MAX_SIZE) -> str:
    """Read a report as text with every line ending turned into '\\n'; ReportError if unusable."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size <= max_size:
                data = handle.read(max_size + 1)  # a pipe or /dev/zero reports size 0
                size = len(data)
    except OSError as exc:
        raise ReportError(exc.strerror or str(exc), path=str(path)) from exc
    if size > max_size:
        raise ReportError(
            f"file is {size:,} bytes, over the {max_size:,}-byte limit (raise it with --max-size)"
            if size > max_size + 1 else
            f"file is over the {max_size:,}-byte limit (raise it with --max-size)",
            path=str(path),
        )
    return decode_report(data, str(path))


def decode_report(data: bytes, source: str) -> str:
    """Bytes to text: refuses binary and non-UTF-8 data with the line where it goes wrong."""
    if not data:
        raise ReportError("empty file", path=source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
            codecs.BOM_UTF32_LE):
        text = _decode_utf16(data, source)  # Windows PowerShell's `>` writes UTF-16 with a BOM
    elif b"\x00" in data[:8192]:
        raise ReportError(_nul_problem(data[:8192]), path=source)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReportError(
                f"not UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8",
                path=source, line=data.count(b"\n", 0, exc.start) + 1,
            ) from exc
    if not text.strip():
        raise ReportError("empty file", path=source)
    return normalize_newlines(text)


def _decode_utf16(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise ReportError(
            f"starts with a UTF-16 byte order mark but is not valid UTF-16 (file offset {exc.start}); "
            "re-save the file as UTF-8", path=source) from exc


def _nul_problem(head: bytes) -> str:
    """Why NUL bytes are there: UTF-16 without a BOM puts one in every other byte of ASCII text."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if len(head) >= 8 and max(even, odd) >= 0.9 * (len(head) // 2) and min(even, odd) <= 0.1 * len(head):
        return "looks like UTF-16 text without a byte order mark; re-save the file as UTF-8"
    return "binary file (contains NUL bytes), not a markdown report"


INTERNAL_ERROR = "internal error in "
"""Prefix of `Report.errors` entries for an extractor that crashed (a tracker bug, not the file's)."""

T = TypeVar("T")


def _isolated(report: Report, extract: Callable[..., T], *args: Any, default: T) -> T:
    """Run one extractor; if it crashes, say so in the report and keep what the others read.

    One odd report must not stop an ingest of thousands, nor lose the facts the other
    extractors found. TRACKER_DEBUG=1 lets the exception through with its traceback.
    """
    try:
        return extract(*args)
    except Exception as exc:
        if os.environ.get("TRACKER_DEBUG"):
            raise
        report.errors.append(
            f"{INTERNAL_ERROR}{extract.__module__}.{extract.__qualname__}: "
            f"{type(exc).__name__}: {exc}; please report this file")
        return default


def parse_text(text: str, source: str = "<text>") -> Report:
    """Parse report text. Raises ReportError only for text that cannot be a report at all."""
    return parse_document(text, source)[0]


def parse_document(text: str, source: str = "<text>") -> tuple[Report, Document]:
    """The report and the document it was read from, for callers that read more from the same
    blocks (ingest scans them for closing evidence) without parsing the markdown twice."""
    try:
        doc = read_document(text, source)
    except ReportError:
        raise
    except Exception as exc:  # a markdown-it or PyYAML bug: one line, not a traceback mid-ingest
        if os.environ.get("TRACKER_DEBUG"):
            raise
        raise ReportError(f"{INTERNAL_ERROR}the markdown reader: {type(exc).__name__}: {exc}; "
                          "please report this file", path=source) from exc
    report = Report(source=source, warnings=list(doc.warnings))
    fmt = report.format = _isolated(report, profiles.detect_format, doc, default=report.format)
    report.task = _isolated(report, fields.extract_task, doc, fmt, default=report.task)
    report.status = _isolated(report, fields.extract_status, doc, fmt, default=report.status)
    report.validation = _isolated(report, fields.extract_validation, doc, fmt, default=None)
    report.timestamps = _isolated(report, timestamps.extract_timestamps, doc, fmt,
                                  default=report.timestamps)
    report.files = _isolated(report, files.extract_files, doc, fmt, default=[])
    report.checklist = _isolated(report, checklists.extract_checklist, doc, default=[])
    report.deferred = _isolated(report, deferred.extract_deferred, doc, report, default=[])
    report.references = _isolated(report, references.extract_references, doc, report, default=[])
    if report.status.value == "unknown" and report.task.id is None and not report.files:
        report.warnings.append("no task id, status or file list found: is this an agent report?")
    return report, doc


def parse_file(path: Path | str, *, max_size: int = DEFAULT_MAX_SIZE) -> Report:
    return parse_text(read_report_text(path, max_size=max_size), str(path))
