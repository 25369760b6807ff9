"""A report with one very long line must not hang the parser (a regex that backtracks over the
line is quadratic: a 1 MB line would take hours). Not a speed target: a linear parser reads
these 32 KB lines in well under a second; the 10 s limit only catches runaway backtracking.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

LINE_CHARS = 32_000
HANG_LIMIT_SECONDS = 10
PARSE_STDIN = "import sys; from tracker.parse import parse_text; parse_text(sys.stdin.read(), 'long.md')"

def report_with_long_line(piece: str) -> str:
    line = piece * (LINE_CHARS // len(piece)) + "x"
    return f"# Task 1.1: Long line\n\n**Status:** ✅ Complete\n\n{line}\n\n- [ ] {line}\n"


@pytest.mark.parametrize("piece", [
    "word ", "`code` ", "**Status:** ", "<a ", "src/app/ ", "✅ ",
    " ", "- ", "| ", ": ", "— ", "⚠️ ", "1. ", "Validation:  ",
], ids=repr)
def test_long_line_does_not_hang(piece: str) -> None:
    done = subprocess.run([sys.executable, "-c", PARSE_STDIN], input=report_with_long_line(piece),
                          text=True, capture_output=True, timeout=HANG_LIMIT_SECONDS, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
