"""Whatever an agent leaves in a reports folder, `parse` answers each file with a Report or one
`path[:line]: error: …` line, and the good files around it are still read.

Each case is checked twice: through `parse_file` and through `tracker parse --json`, where it
must appear as a `{"source", "error", "line"}` line in argument order.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.errors import ReportError
from tracker.model import Report
from tracker.parse import parse_file
from tracker.parse.document import read_document
from tracker.parse.pipeline import DEFAULT_MAX_SIZE, INTERNAL_ERROR

GOOD = """# Task 2.3: Add CSV export

**Status:** ✅ Complete
**Completed:** 2026-03-04T10:20:00Z

## Files Changed
- `src/export/csv_writer.py` (created)

## Checklist
- [x] Unit tests pass
- [ ] Load test will be validated during deployment
"""
GOOD_STATUS_LINE = 3
NOT_A_REPORT = "is this an agent report?"

README = """# fastgrid

A tiny grid layout library for terminal apps.

## Installation

```bash
pip install fastgrid
```

## Usage

Import `Grid` and add cells. See the usage guide for more.

## License

MIT
"""

CHANGELOG = """# Changelog

All notable changes to this project are documented here.

## [1.2.0] - 2025-06-01
### Added
- Column spans.
### Fixed
- Crash on empty rows.

## [1.1.0] - 2025-04-11
### Changed
- Faster layout pass.
"""

BILLION_LAUGHS = "---\n" + "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
) + "---\n" + GOOD


@dataclass
class Case:
    name: str
    write: Callable[[Path], None]
    error: str | None = None  # a substring of the one-line error, or None for a Report
    line: int | None = None  # the line the error names
    check: Callable[[Report], None] | None = None
    warning: str | None = None  # a substring one of the Report's warnings must contain
    extra_args: list[str] = field(default_factory=list)


def text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def raw(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)  # no disk used: the limit is checked before reading
    return write


def status_on(line: int, value: str = "pass") -> Callable[[Report], None]:
    def check(report: Report) -> None:
        assert (report.status.value, report.status.line) == (value, line)
    return check


def unknown_status(report: Report) -> None:
    assert report.status.value == "unknown"
    assert any(NOT_A_REPORT in w for w in report.warnings), report.warnings


def table_rows(report: Report) -> None:
    assert report.status.line == 3 and len(report.files) >= 9_999


TABLE = (
    "# Task 4.1: Bulk import\n\n**Status:** ✅ Complete\n\n## Files Changed\n\n| File | Action |\n|---|---|\n"
    + "".join(f"| `src/gen/module_{i}.py` | Created |\n" for i in range(10_000))
)

CASES = [
    Case("binary.md", raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
         error="binary file"),
    Case("latin1.md", text("# Task 1.1: Caf\u00e9 menu\n\n**Status:** d\u00e9j\u00e0 fait\n", "latin-1"),
         error="not UTF-8 (byte 0xe9); re-save the file as UTF-8", line=1),
    Case("latin1_line3.md", raw(b"# Task 1.1\n\n**Status:** caf\xe9\n"), error="re-save the file as UTF-8",
         line=3),
    Case("utf16.md", text("\ufeff" + GOOD, "utf-16"), check=status_on(GOOD_STATUS_LINE)),
    Case("utf16_no_bom.md", text(GOOD, "utf-16-le"), error="UTF-16"),
    Case("bom.md", text("\ufeff" + GOOD), check=status_on(GOOD_STATUS_LINE)),
    Case("crlf.md", text(GOOD.replace("\n", "\r\n")), check=status_on(GOOD_STATUS_LINE)),
    Case("lone_cr.md", text(GOOD.replace("\n", "\r")), check=status_on(GOOD_STATUS_LINE)),
    Case("mixed_endings.md", text("# Task 2.3: Add CSV export\r\n\r**Status:** ✅ Complete\n"),
         check=status_on(3)),
    Case("empty.md", raw(b""), error="empty file"),
    Case("whitespace.md", text(" \n\t\n\r\n   \n"), error="empty file"),
    Case("bom_only.md", raw(b"\xef\xbb\xbf\n"), error="empty file"),
    Case("huge.md", sparse(50 * 1024 * 1024), error=f"over the {DEFAULT_MAX_SIZE:,}-byte limit"),
    Case("over_custom_limit.md", text(GOOD), error="over the 100-byte limit (raise it with --max-size)",
         extra_args=["--max-size", "100"]),
    Case("billion_laughs.md", text(BILLION_LAUGHS), check=status_on(GOOD_STATUS_LINE + 12),
         warning="alias"),
    Case("recursive_alias.md", text("---\nloop: &loop [*loop]\n---\n" + GOOD),
         check=status_on(GOOD_STATUS_LINE + 3), warning="alias"),
    Case("deep_front_matter.md", text("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n" + GOOD),
         check=status_on(GOOD_STATUS_LINE + 3), warning="nested more than"),
    Case("list_front_matter.md", text("---\n- one\n- two\n---\n" + GOOD),
         check=status_on(GOOD_STATUS_LINE + 4), warning="not a mapping"),
    Case("scalar_front_matter.md", text("---\njust a sentence\n---\n" + GOOD),
         check=status_on(GOOD_STATUS_LINE + 3), warning="not a mapping"),
    Case("bad_front_matter.md", text("---\nphase: 2\nplan: [1, 2\nstatus: done\n---\n" + GOOD),
         error="unparseable front matter", line=4),
    Case("bad_date_front_matter.md", text("---\nphase: 2\ncompleted: 2026-02-30\n---\n" + GOOD),
         error="unparseable front matter", line=3),
    Case("deep_list.md", text("- " * 10_000 + "x\n\n" + GOOD), check=status_on(GOOD_STATUS_LINE + 2)),
    Case("deep_quote.md", text(">" * 10_000 + " x\n\n" + GOOD), check=status_on(GOOD_STATUS_LINE + 2)),
    Case("deep_list_lines.md", text("".join("  " * i + "- step\n" for i in range(300)) + "\n" + GOOD),
         check=status_on(GOOD_STATUS_LINE + 301), warning="nested too deep"),
    Case("deep_quote_lines.md", text("".join(">" * i + " x\n" for i in range(1, 300)) + "\n" + GOOD),
         check=status_on(GOOD_STATUS_LINE + 300), warning="nested too deep"),
    Case("big_table.md", text(TABLE), check=table_rows),
    Case("open_fence.md", text(GOOD + "\n```bash\nnpm test\n**Status:** ❌ FAILED\n"),
         check=status_on(GOOD_STATUS_LINE)),
    Case("html_page.md", text("<!DOCTYPE html>\n<html><head><title>x</title></head>\n<body>\n"
                              + "<div><p>hello</p></div>\n" * 500 + "</body></html>\n"),
         check=unknown_status),
    Case("readme.md", text(README), check=unknown_status),
    Case("changelog.md", text(CHANGELOG), check=unknown_status),
]


def assert_one_line_error(exc: ReportError, path: Path, case: Case) -> None:
    message = str(exc)
    assert "\n" not in message
    assert message.startswith(f"{path}:{case.line}: error: " if case.line else f"{path}: error: ")
    assert case.error and case.error in message
    assert INTERNAL_ERROR not in message


def assert_report(report: Report, case: Case) -> None:
    assert not [e for e in report.errors if e.startswith(INTERNAL_ERROR)]
    if case.check:
        case.check(report)
    if case.warning:
        assert any(case.warning in w for w in report.warnings), report.warnings


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_parse_file_gives_report_or_one_line_error(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.name
    case.write(path)
    max_size = int(case.extra_args[1]) if case.extra_args else DEFAULT_MAX_SIZE
    if case.error:
        with pytest.raises(ReportError) as caught:
            parse_file(path, max_size=max_size)
        assert_one_line_error(caught.value, path, case)
    else:
        assert_report(parse_file(path, max_size=max_size), case)


def test_cli_json_keeps_order_and_reads_good_files_between_bad_ones(tmp_path: Path) -> None:
    paths: list[Path] = []
    expected: list[Case | None] = []
    for case in CASES:
        if case.extra_args:
            continue
        good = tmp_path / f"good_before_{case.name}"
        good.write_text(GOOD, encoding="utf-8")
        path = tmp_path / case.name
        case.write(path)
        paths += [good, path]
        expected += [None, case]
    result = CliRunner().invoke(app, ["parse", "--json", *map(str, paths)])
    assert result.exit_code == 1  # some files failed
    lines = result.stdout.splitlines()
    assert len(lines) == len(paths)
    for path, case, line in zip(paths, expected, lines, strict=True):
        record = json.loads(line)
        assert record["source"] == str(path)
        if case is not None and case.error:
            assert set(record) == {"source", "error", "line"}
            assert case.error in record["error"] and record["line"] == case.line
        else:
            report = Report.model_validate(record)
            assert_report(report, case or Case("good", text(GOOD), check=status_on(GOOD_STATUS_LINE)))


def test_cli_honours_max_size(tmp_path: Path) -> None:
    path = tmp_path / "small.md"
    path.write_text(GOOD, encoding="utf-8")
    refused = CliRunner().invoke(app, ["parse", "--json", "--max-size", "100", str(path)])
    assert json.loads(refused.stdout)["error"].startswith("file is ")
    assert "--max-size" in json.loads(refused.stdout)["error"]
    accepted = CliRunner().invoke(app, ["parse", "--json", "--max-size", str(len(GOOD.encode())), str(path)])
    assert json.loads(accepted.stdout)["status"]["value"] == "pass"


def test_real_command_prints_one_line_per_bad_file_and_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, not just the Typer app: stderr has one line per bad file."""
    files = {"a.md": GOOD.encode(), "bin.md": b"\x00\x01\x02", "nothing.md": b"", "b.md": GOOD.encode(),
             "dir.md": None, "latin1.md": b"**Status:** caf\xe9\n"}
    for name, data in files.items():
        if data is None:
            (tmp_path / name).mkdir()
        else:
            (tmp_path / name).write_bytes(data)
    args = [str(tmp_path / name) for name in files] + [str(tmp_path / "missing.md")]
    done = subprocess.run([sys.executable, "-m", "tracker", "parse", *args],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = done.stderr.strip().splitlines()
    assert errors == [
        f"{tmp_path / 'bin.md'}: error: binary file (contains NUL bytes), not a markdown report",
        f"{tmp_path / 'nothing.md'}: error: empty file",
        f"{tmp_path / 'dir.md'}: error: Is a directory",
        f"{tmp_path / 'latin1.md'}:1: error: not UTF-8 (byte 0xe9); re-save the file as UTF-8",
        f"{tmp_path / 'missing.md'}: error: No such file or directory",
    ]


def test_deep_nesting_keeps_every_line_after_it() -> None:
    """markdown-it alone drops everything after its nesting limit; the lines must survive."""
    doc = read_document("- " * 50 + "deep\n\n# After\n\ntext after\n", "deep.md")
    assert [(b.kind, b.text, b.line) for b in doc.blocks if b.line > 1] == [
        ("heading", "After", 3), ("paragraph", "text after", 5)]


def test_big_table_is_read_row_by_row() -> None:
    doc = read_document(TABLE, "table.md")
    rows = [b for b in doc.blocks if b.kind == "row" and not b.is_header]
    assert len(rows) == 10_000
    assert (rows[0].line, rows[-1].line) == (9, 10_008)
    assert rows[-1].cells == ("src/gen/module_9999.py", "Created")
