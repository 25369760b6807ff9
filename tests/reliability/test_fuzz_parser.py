"""Property tests: whatever markdown an agent writes, the parser answers with a Report or a
ReportError, every line it cites is in the file, and the JSON contract round-trips.

`HYPOTHESIS_PROFILE=long` turns the 200-example run into the 100k-example soak recorded in
docs/RELIABILITY.md.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from report_pieces import FUZZ, any_text, reports

from tracker.errors import ReportError
from tracker.model import Report
from tracker.parse import parse_text
from tracker.parse.document import normalize_newlines
from tracker.parse.pipeline import INTERNAL_ERROR, decode_report


def cited_lines(report: Report) -> Iterator[tuple[str, int]]:
    """Every line number the JSON contract carries, with the field it sits in."""
    for name, value in (("task.line", report.task.line), ("status.line", report.status.line),
                        ("validation.line", report.validation.line if report.validation else None),
                        ("timestamps.completed_line", report.timestamps.completed_line),
                        ("timestamps.started_line", report.timestamps.started_line)):
        if value is not None:
            yield name, value
    for item in report.files:
        yield "files[].line", item.line
    for item in report.checklist:
        yield "checklist[].line", item.line
    for item in report.deferred:
        yield "deferred[].line", item.line
        yield "deferred[].end_line", item.end_line
        for line in item.lines:
            yield "deferred[].lines", line


def line_count(text: str) -> int:
    return normalize_newlines(text.removeprefix("\ufeff")).count("\n") + 1


def parse_or_refuse(text: str) -> Report | ReportError:
    """The only two outcomes allowed: anything else propagates and fails the property."""
    try:
        return parse_text(text, "fuzz.md")
    except ReportError as exc:
        assert str(exc).startswith("fuzz.md"), "a refusal must name the file"
        assert "\n" not in str(exc), "a refusal is one line"
        assert INTERNAL_ERROR not in exc.message, exc.message
        return exc


def check_report(text: str) -> None:
    result = parse_or_refuse(text)
    if isinstance(result, ReportError):
        assert isinstance(parse_or_refuse(text), ReportError)
        return
    report = result
    crashed = [e for e in report.errors if e.startswith(INTERNAL_ERROR)]
    assert not crashed, crashed
    last = line_count(text)
    for name, line in cited_lines(report):
        assert 1 <= line <= last, f"{name}={line} outside 1..{last}"
    for item in report.deferred:
        assert item.line <= item.end_line, item
    assert Report.model_validate_json(report.model_dump_json()) == report
    again = parse_or_refuse(text)
    assert isinstance(again, Report) and again == report, "parsing the same text twice differs"
    plain = normalize_newlines(text)
    for variant in (plain.replace("\n", "\r\n"), plain.replace("\n", "\r"), "\ufeff" + plain):
        other = parse_or_refuse(variant)
        assert isinstance(other, Report) and other == report, f"CR/CRLF/BOM change the result: {variant!r}"


@FUZZ
@given(reports())
@example("---\na: &x [1]\nb: *x\n---\n**Status:** ✅ Complete\n")
@example("- " * 40 + "x\n\n**Status:** PASS\n")
@example("```\n**Status:** PASS\n")
def test_report_like_markdown_properties(text: str) -> None:
    """Never raises but ReportError; lines in range; JSON round-trips; deterministic; CR/CRLF/BOM-blind."""
    check_report(text)


@FUZZ
@given(any_text)
def test_random_text_properties(text: str) -> None:
    check_report(text)


@FUZZ
@given(st.binary(max_size=300) | reports().flatmap(
    lambda text: st.tuples(st.just(text.encode()), st.integers(0, 400), st.binary(min_size=1, max_size=4))
    .map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1]:])))
def test_any_bytes_become_a_report_or_one_line_error(data: bytes) -> None:
    """The file boundary: corrupted or binary bytes give a ReportError, never a traceback."""
    try:
        text = decode_report(data, "fuzz.md")
    except ReportError as exc:
        assert str(exc).startswith("fuzz.md") and "\n" not in str(exc)
        return
    check_report(text)


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_line_endings_keep_line_numbers(ending: str) -> None:
    text = "# Task 3.1: Add login\n\n**Status:** ✅ Complete\n\n- [x] tests pass\n"
    unix = parse_text(text, "r.md")
    other = parse_text(text.replace("\n", ending), "r.md")
    assert other == unix
