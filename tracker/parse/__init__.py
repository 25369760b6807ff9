"""Report parsing: text → markdown-it blocks → extractors → `tracker.model.Report`.

Usable without the CLI: `parse_file(path)` or `parse_text(text, source)`.
"""

from tracker.parse.pipeline import parse_file, parse_text, read_report_text

__all__ = ["parse_file", "parse_text", "read_report_text"]
