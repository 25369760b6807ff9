"""The order the extractors run in; each one reads the same block list."""

from __future__ import annotations

from pathlib import Path

from tracker.errors import ReportError
from tracker.model import Report
from tracker.parse import checklists, deferred, fields, files, profiles, references, timestamps
from tracker.parse.document import read_document

DEFAULT_MAX_SIZE = 5 * 1024 * 1024
"""Agent reports are a few KB; a file this big is almost surely not one (override with --max-size)."""


def read_report_text(path: Path | str, *, max_size: int = DEFAULT_MAX_SIZE) -> str:
    """Read a report as text with every line ending turned into '\\n'; ReportError if unusable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_size:
            raise ReportError(
                f"file is {size:,} bytes, over the {max_size:,}-byte limit (raise it with --max-size)",
                path=str(path),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(exc.strerror or str(exc), path=str(path)) from exc
    return decode_report(data, str(path))


def decode_report(data: bytes, source: str) -> str:
    """Bytes to text: refuses binary and non-UTF-8 data with the line where it goes wrong."""
    if not data.strip():
        raise ReportError("empty file", path=source)
    if b"\x00" in data[:8192]:
        raise ReportError("binary file (contains NUL bytes), not a markdown report", path=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReportError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8",
            path=source, line=line,
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_text(text: str, source: str = "<text>") -> Report:
    """Parse report text. Raises ReportError only for text that cannot be a report at all."""
    doc = read_document(text, source)
    fmt = profiles.detect_format(doc)
    report = Report(source=source, format=fmt, warnings=list(doc.warnings))
    report.task = fields.extract_task(doc, fmt)
    report.status = fields.extract_status(doc, fmt)
    report.validation = fields.extract_validation(doc, fmt)
    report.timestamps = timestamps.extract_timestamps(doc, fmt)
    report.files = files.extract_files(doc, fmt)
    report.checklist = checklists.extract_checklist(doc)
    report.deferred = deferred.extract_deferred(doc, report)
    report.references = references.extract_references(doc, report)
    if report.status.value == "unknown" and report.task.id is None and not report.files:
        report.warnings.append("no task id, status or file list found: is this an agent report?")
    return report


def parse_file(path: Path | str, *, max_size: int = DEFAULT_MAX_SIZE) -> Report:
    return parse_text(read_report_text(path, max_size=max_size), str(path))
