"""Turn markdown text into a flat list of blocks, each with its section and source lines.

Every extractor reads these blocks instead of raw text, so headings, list items,
table cells and code are told apart by the markdown-it AST, and every fact keeps
the line it came from (`token.map` is 0-based [begin, end); blocks hold 1-based lines).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from tracker.errors import ReportError

BlockKind = Literal["heading", "paragraph", "item", "row", "code", "html"]


FLATTEN_DEPTH = 16
"""Token nesting (a list level counts 2, a quote level 1) past which lists and quotes are read flat.

markdown-it drops everything after its nesting limit (20), to the end of the file; reading the
deeper lines as plain paragraphs keeps them (and the rest of the report) with their lines.
The limit itself stays at 20: inline link parsing costs time in proportion to it."""

MAX_FRONT_MATTER_CHARS = 64 * 1024
"""Real front matter is a few KB; PyYAML takes seconds per MB, so a bigger block is refused."""

MAX_FRONT_MATTER_DEPTH = 50
"""Deeper YAML makes PyYAML's scanner quadratic and its composer recurse past Python's limit."""

MAX_FRONT_MATTER_NODES = 20_000


@cache
def markdown() -> MarkdownIt:
    """One configured parser per process: building it costs more than parsing a small report."""
    md = MarkdownIt("commonmark", {"tasklists": True})
    md.enable("table").use(front_matter_plugin)
    flat = MarkdownIt("commonmark").enable("table").disable(["list", "blockquote"]).block
    nested = md.block.tokenize

    def tokenize(state: Any, start: int, end: int) -> None:
        if state.level < FLATTEN_DEPTH:
            nested(state, start, end)
            return
        state.env.setdefault("flattened_at", start + 1)
        flat.tokenize(state, start, end)  # no list or quote rule: cannot nest any deeper

    md.block.tokenize = tokenize  # type: ignore[method-assign]
    return md


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    level: int
    line: int
    parent: Section | None = None

    def path(self) -> tuple[str, ...]:
        """Titles from the outermost heading down to this one."""
        out: list[str] = []
        node: Section | None = self
        while node is not None:
            out.append(node.title)
            node = node.parent
        return tuple(reversed(out))

    def within(self, predicate: Any) -> Section | None:
        """The nearest section (this or an ancestor) whose title satisfies `predicate`."""
        node: Section | None = self
        while node is not None:
            if predicate(node.title):
                return node
            node = node.parent
        return None


@dataclass(slots=True)
class Block:
    """One unit of content: a heading, a paragraph, a list item's first paragraph, a table row, code."""

    kind: BlockKind
    raw: str
    text: str
    line: int
    end_line: int
    section: Section | None
    depth: int = 0
    checked: bool | None = None
    ordered: bool = False
    cells: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    is_header: bool = False
    info: str = ""
    inline: Token | None = None
    level: int = 0

    @property
    def content_line(self) -> int:
        """1-based line of the first content line (a fenced code body starts after its fence)."""
        return self.line + 1 if self.kind == "code" and self.info != "<indented>" else self.line

    def raw_lines(self) -> Iterator[tuple[int, str]]:
        """The raw source of the block, line by line, with 1-based line numbers."""
        return _numbered(self.raw, self.content_line)

    def text_lines(self) -> Iterator[tuple[int, str]]:
        """Plain text (markup removed) line by line, with 1-based line numbers."""
        return _numbered(self.text, self.content_line)

    @property
    def section_title(self) -> str | None:
        return self.section.title if self.section else None


@dataclass(slots=True)
class Document:
    source: str
    text: str
    blocks: list[Block]
    sections: list[Section]
    front_matter: dict[str, Any] | None = None
    front_matter_lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    body_start: int = 1
    warnings: list[str] = field(default_factory=list)
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What several extractors compute from the same blocks (e.g. field lines), computed once."""

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line_text(self, line: int) -> str:
        """The source text of a 1-based line, or '' past the end."""
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""


def _numbered(text: str, first: int) -> Iterator[tuple[int, str]]:
    for offset, line in enumerate(text.split("\n")):
        yield first + offset, line


def plain_text(inline: Token) -> str:
    """The visible text of an inline token: emphasis markers dropped, code spans kept."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("text", "code_inline", "html_inline") or child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def read_document(text: str, source: str = "<text>") -> Document:
    """Parse report text into blocks. Raises ReportError for unusable front matter."""
    text = normalize_newlines(text.removeprefix("\ufeff"))
    env: dict[str, Any] = {}
    tokens = markdown().parse(text, env)
    doc = Document(source=source, text=text, blocks=[], sections=[])
    _walk(tokens, doc)
    if "flattened_at" in env:
        doc.warnings.append(
            f"lists or quotes nested too deep at line {env['flattened_at']}; "
            "the deeper lines were read as plain paragraphs")
    return doc


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF, as markdown-it counts them, so every line number agrees."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _front_matter(token: Token, doc: Document) -> None:
    start_line = (token.map[0] if token.map else 0) + 2  # first line after the opening ---
    doc.body_start = (token.map[1] if token.map else 0) + 1
    try:
        node, data = _load_yaml(token.content)
    except _RefusedYaml as exc:
        doc.warnings.append(f"front matter line {start_line + exc.line}: {exc}; front matter ignored")
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = start_line + mark.line if mark is not None else start_line
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        lenient = _quote_reserved_scalars(token.content)
        try:
            node, data = _load_yaml(lenient)
        except (yaml.YAMLError, _RefusedYaml):
            raise ReportError(f"unparseable front matter: {reason}", path=doc.source, line=line) from exc
        doc.warnings.append(
            f"front matter line {line}: {reason}; read with values starting with ` or @ quoted")
    if data is None:
        return
    if not isinstance(data, dict):
        doc.warnings.append(f"front matter at line {start_line - 1} is not a mapping; ignored")
        return
    doc.front_matter = data
    if node is not None:
        _record_lines(node, (), start_line, doc.front_matter_lines)


_RESERVED_START = re.compile(r"^(?P<lead>\s*(?:-\s+|[\w.-]+:\s+))(?P<value>[`@].*?)\s*$")


def _quote_reserved_scalars(text: str) -> str:
    """Agents write "- `dem` binary" in GSD front matter; YAML forbids ` and @ at a value's start.

    Quoting just those values lets a real report be read instead of rejected (the line-count
    is unchanged, so recorded line numbers stay right).
    """
    out = []
    for line in text.split("\n"):
        match = _RESERVED_START.match(line)
        out.append(f"{match.group('lead')}{json.dumps(match.group('value'))}" if match else line)
    return "\n".join(out)


class _RefusedYaml(Exception):
    """Front matter tracker will not load (too big, too deep, aliases); `line` is 0-based within it."""

    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.line = line


def _load_yaml(content: str) -> tuple[yaml.Node | None, Any]:
    """Compose and construct YAML once, after refusing what would hang or explode.

    Aliases are refused outright: `_record_lines` and every extractor walk the data, and a
    "billion laughs" block expands to 10^9 nodes from a few lines. Errors a constructor raises
    outside PyYAML's hierarchy (a 30 February date, a 5000-digit int) become YAMLErrors with a mark.
    """
    if len(content) > MAX_FRONT_MATTER_CHARS:
        raise _RefusedYaml(f"{len(content):,} characters, over the {MAX_FRONT_MATTER_CHARS:,} limit", 0)
    if _FAST_LOADER is not yaml.SafeLoader:
        try:
            return _load_yaml_with(content, _FAST_LOADER)
        except yaml.YAMLError:
            pass  # libyaml's messages differ: let the pure-Python loader report the error
    return _load_yaml_with(content, yaml.SafeLoader)


_FAST_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser and composer (node marks kept, so lines survive) are several times faster."""


def _load_yaml_with(content: str, loader_class: type) -> tuple[yaml.Node | None, Any]:
    depth = nodes = 0
    for event in yaml.parse(content, Loader=loader_class):
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedYaml(f"YAML alias *{event.anchor} (tracker does not expand aliases)",
                               event.start_mark.line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_FRONT_MATTER_DEPTH:
                raise _RefusedYaml(f"nested more than {MAX_FRONT_MATTER_DEPTH} levels deep",
                                   event.start_mark.line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        nodes += isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent))
        if nodes > MAX_FRONT_MATTER_NODES:
            raise _RefusedYaml(f"more than {MAX_FRONT_MATTER_NODES:,} values", event.start_mark.line)
    loader = loader_class(content)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        try:
            return node, loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read value: {exc}", _unconstructible_mark(node)) from exc
    finally:
        loader.dispose()


def _unconstructible_mark(root: yaml.Node) -> yaml.Mark:
    """Where the first scalar PyYAML cannot turn into a value sits (depth is already bounded)."""
    pending = [root]
    while pending:
        node = pending.pop(0)
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                return node.start_mark
        elif isinstance(node, yaml.MappingNode):
            pending.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return root.start_mark


def _record_lines(node: yaml.Node, path: tuple[Any, ...], offset: int, out: dict) -> None:
    """Remember the source line of every key and list entry of the front matter."""
    out[path] = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            key_path = (*path, key.value)
            out[key_path] = key.start_mark.line + offset
            _record_lines(value, key_path, offset, out)
            out[key_path] = key.start_mark.line + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), offset, out)


def _walk(tokens: list[Token], doc: Document) -> None:
    section: Section | None = None
    items: list[dict[str, Any]] = []  # open list items, innermost last
    lists: list[bool] = []  # open lists: ordered?
    header: tuple[str, ...] = ()
    row: dict[str, Any] | None = None
    in_thead = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "front_matter":
            _front_matter(tok, doc)
        elif kind == "heading_open":
            inline = tokens[i + 1]
            title = plain_text(inline).strip()
            level = int(tok.tag[1])
            parent = section
            while parent is not None and parent.level >= level:
                parent = parent.parent
            section = Section(title=title, level=level, line=tok.map[0] + 1, parent=parent)
            doc.sections.append(section)
            doc.blocks.append(Block(
                kind="heading", raw=inline.content, text=title, line=tok.map[0] + 1,
                end_line=tok.map[1], section=section, inline=inline, level=level,
            ))
            i += 2
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            items.append({"checked": tok.meta.get("checked"), "first": True,
                          "line": tok.map[0] + 1, "end": tok.map[1]})
        elif kind == "list_item_close":
            items.pop()
        elif kind == "paragraph_open":
            inline = tokens[i + 1]
            first_of_item = bool(items) and items[-1]["first"]
            if first_of_item:
                items[-1]["first"] = False
            doc.blocks.append(Block(
                kind="item" if first_of_item else "paragraph",
                raw=inline.content, text=plain_text(inline),
                line=tok.map[0] + 1, end_line=tok.map[1], section=section,
                depth=len(items), checked=items[-1]["checked"] if first_of_item else None,
                ordered=bool(lists) and lists[-1] and first_of_item, inline=inline,
            ))
            i += 2
        elif kind == "thead_open":
            in_thead = True
        elif kind == "thead_close":
            in_thead = False
        elif kind == "tr_open":
            row = {"cells": [], "line": tok.map[0] + 1 if tok.map else 0, "inlines": []}
        elif kind == "inline" and row is not None:
            row["cells"].append(plain_text(tok).strip())
            row["inlines"].append(tok)
        elif kind == "tr_close" and row is not None:
            cells = tuple(row["cells"])
            if in_thead:
                header = cells
            doc.blocks.append(Block(
                kind="row", raw=" | ".join(t.content for t in row["inlines"]),
                text=" | ".join(cells), line=row["line"], end_line=row["line"],
                section=section, cells=cells, header=header, is_header=in_thead,
                depth=len(items),
            ))
            row = None
        elif kind in ("fence", "code_block"):
            body = tok.content[:-1] if tok.content.endswith("\n") else tok.content
            info = tok.info.strip() if kind == "fence" else "<indented>"
            doc.blocks.append(Block(
                kind="code", raw=body, text=body, line=tok.map[0] + 1, end_line=tok.map[1],
                section=section, info=info, depth=len(items),
            ))
        elif kind == "html_block":
            body = tok.content.rstrip("\n")
            doc.blocks.append(Block(
                kind="html", raw=body, text=body, line=tok.map[0] + 1, end_line=tok.map[1],
                section=section, depth=len(items),
            ))
        i += 1
