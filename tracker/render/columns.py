"""Aligned columns of short cells, printed in one go.

Rich's `Table` measures and lays out every cell through its renderable machinery, about 1 ms a
row: 0.25 s of a cold `tracker status` on 200 projects. Rows of plain text cells need only
padding, so the read commands build their tables here and keep Rich for colour and terminal
detection. The last column may wrap (long item texts); the others never do.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console

Cell = str | tuple[str, str] | Text
"""A cell: its text, (text, Rich style) such as ("3", "red"), or a `Text` of several styles."""

GAP = "  "


def plain(cell: Cell) -> str:
    """The text a cell shows, without its styles."""
    if isinstance(cell, str):
        return cell
    return cell.plain if isinstance(cell, Text) else cell[0]


def widths(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[int]:
    """The width of each column: its widest cell or header."""
    out = [cell_len(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            size = cell_len(plain(cell))
            if size > out[index]:
                out[index] = size
    return out


def natural_width(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> int:
    """How wide the table is when no column wraps."""
    sizes = widths(headers, rows)
    return sum(sizes) + len(GAP) * (len(sizes) - 1)


def print_columns(out: Console, headers: Sequence[str], rows: Sequence[Sequence[Cell]], *,
                  right: frozenset[int] = frozenset(), wrap_last_at: int | None = None) -> None:
    """Print a header line and one line per row, columns padded to line up (`right`: the
    indexes of right-aligned columns). With `wrap_last_at` the last column is at most that wide
    and longer cells continue on the next lines under it."""
    sizes = widths(headers, rows)
    if wrap_last_at is not None:
        sizes[-1] = min(sizes[-1], max(wrap_last_at, 1))
    indent = " " * (sum(sizes[:-1]) + len(GAP) * (len(sizes) - 1))
    lines = [_line([(h, "bold") for h in headers], sizes, right, None)]
    for row in rows:
        lines.append(_line(row, sizes, right, wrap_last_at and indent))
    print_lines(out, lines)


def print_lines(out: Console, lines: Sequence[Text]) -> None:
    """Print finished lines as they are (never re-wrapped). Without colours (a pipe, NO_COLOR)
    the text goes straight to the file: Rich's segment rendering would only strip the styles."""
    if out.color_system is None and not out.is_jupyter and not out.record:
        out.file.write("".join(line.plain + "\n" for line in lines))
        return
    out.print(Text("\n").join(lines), soft_wrap=True, markup=False, highlight=False)


def _line(row: Sequence[Cell], sizes: list[int], right: frozenset[int], indent: str | None) -> Text:
    parts: list[str | tuple[str, str] | Text] = []
    last = len(row) - 1
    for index, cell in enumerate(row):
        text = plain(cell)
        if index == last and indent is not None and cell_len(text) > sizes[index]:
            parts.append(Text("\n" + indent).join(_wrapped(cell, sizes[index])))
            break
        pad = " " * (sizes[index] - cell_len(text))
        if index in right:
            parts.append(pad)
        parts.append(cell)
        if index == last:
            break
        if index not in right:
            parts.append(pad)
        parts.append(GAP)
    return Text.assemble(*parts)


def _wrapped(cell: Cell, width: int) -> list[Text]:
    """A cell's text in lines of at most `width` cells, broken between words; styles kept."""
    styled = cell if isinstance(cell, Text) else Text(cell) if isinstance(cell, str) else Text(*cell)
    lines = textwrap.wrap(styled.plain, width, break_on_hyphens=False) or [styled.plain]
    pieces: list[Text] = []
    position = 0
    for line in lines:
        start = styled.plain.find(line, position)
        if start < 0:  # textwrap changed the whitespace: keep the plain line
            return [Text(line) for line in lines]
        pieces.append(styled[start:start + len(line)])
        position = start + len(line)
    return pieces
