"""Plain aligned columns: what `status` and `deferred` tables are printed with."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from tracker.render.columns import natural_width, print_columns, print_lines


def _console(width: int = 100, colour: bool = False) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=colour,
                   color_system="standard" if colour else None)


def _out(console: Console) -> list[str]:
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def test_columns_line_up_and_right_aligned_numbers_end_together() -> None:
    out = _console()
    print_columns(out, ["project", "open", "last"], [["a", "7", "x"], ["longer-name", ("123", "red"), "y"]],
                  right=frozenset({1}))
    header, first, second = _out(out)
    assert header == "project      open  last"
    assert first == "a               7  x"
    assert second == "longer-name   123  y"
    assert natural_width(["project", "open", "last"], [["longer-name", "123", "y"]]) == len(header)


def test_wide_characters_count_as_two_cells() -> None:
    out = _console()
    print_columns(out, ["a", "b"], [["⚠️⚠️", "x"], ["ab", "y"]])
    lines = _out(out)
    assert lines[1].index("x") == lines[2].index("y")


def test_the_last_column_wraps_under_itself() -> None:
    out = _console()
    print_columns(out, ["id", "text"], [["abc", "one two three four five six"]], wrap_last_at=10)
    assert _out(out) == ["id   text", "abc  one two", "     three four", "     five six"]


def test_styles_reach_a_colour_terminal_and_vanish_in_a_pipe() -> None:
    plain, colour = _console(), _console(colour=True)
    for out in (plain, colour):
        print_lines(out, [Text.assemble("n ", ("3", "red"))])
    assert plain.file.getvalue() == "n 3\n"  # type: ignore[attr-defined]
    assert "\x1b[31m3" in colour.file.getvalue()  # type: ignore[attr-defined]


def test_a_styled_last_cell_wraps_with_its_styles() -> None:
    out = _console(colour=True)
    cell = Text.assemble("1 ", ("fail", "red"), ", 9 ", ("pass", "green"))
    print_columns(out, ["id", "by status"], [["a", cell]], wrap_last_at=7)
    lines = out.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert [Text.from_ansi(line).plain for line in lines] == ["id  by status", "a   1 fail,", "    9 pass"]
    assert "\x1b[31mfail" in lines[1] and "\x1b[32mpass" in lines[2]
