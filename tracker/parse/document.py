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
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore, text_join
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
    """One configured parser per process: building it costs more than parsing a small report.

    Inline content is not parsed here (the core "inline" and "text_join" rules are off):
    `read_document` parses each inline token only when its markup matters (see `_LazyInline`).
    """
    md = MarkdownIt("commonmark", {"tasklists": True})
    md.enable("table").use(front_matter_plugin)
    md.disable(["inline", "text_join"])
    flat = MarkdownIt("commonmark").enable("table").disable(["list", "blockquote"]).block
    _use_first_char_rules(md, flat.ruler)
    return md


_RULE_FIRST_CHARS: dict[str, str] = {
    "fence": "`~", "blockquote": ">", "hr": "*-_",
    "list": "*-+0123456789", "reference": "[", "html_block": "<", "heading": "#",
}
"""Block rules that return False, untouched, unless the line's first non-space character is one of these.

Each of them checks that character before anything else (after `is_code_block`, which only
makes them fail sooner), so skipping them on other lines cannot change the tokens.
front_matter returns False on any line but the first (it then reads the file's first character,
not the line's: it matches "- ---" inside a list item on line 1). Rules not listed (table, code,
lheading, paragraph, any plugin's) are always tried."""

_TERMINATOR_CHAINS = ("paragraph", "reference", "blockquote", "list")
"""The rule lists markdown-it's block rules ask for to see whether a line ends their block."""


def _use_first_char_rules(md: MarkdownIt, flat: Ruler) -> None:
    """Make the block loop and the terminator checks skip rules the line's first character rules out.

    Same tokens as markdown-it's own loop; most report lines start with a letter, so they skip
    most rules (and the debug-log call each rule makes on entry).
    """
    ruler = md.block.ruler
    chains = {chain: _RulesByChar(ruler, chain) for chain in _TERMINATOR_CHAINS}
    terminators = {chain: [_any_rule(rules)] for chain, rules in chains.items()}
    get_rules = ruler.getRules

    def rules_for_chain(chain: str = "") -> list[Any]:
        found = terminators.get(chain)
        return found if found is not None else get_rules(chain)

    md.block.tokenize = _BlockTokenizer(  # type: ignore[method-assign]
        _RulesByChar(ruler, ""), _RulesByChar(flat, ""), md.options.maxNesting)
    ruler.getRules = rules_for_chain  # type: ignore[method-assign]


def _any_rule(rules: _RulesByChar) -> Any:
    """One terminator rule standing for a chain: True when any rule of the chain matches the line."""

    def terminates(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        first = state.src[pos] if pos < len(state.src) else ""  # '' (past the text) lets every rule run
        found = rules.get(first) if line else None
        for rule in found if found is not None else rules.for_line(first, line):
            if rule(state, line, end, silent):
                return True
        return False

    return terminates


def _underlined_only(lheading: Any) -> Any:
    """markdown-it's setext-heading rule, run only when a line of the paragraph can be an underline.

    The rule scans the paragraph's lines (checking every terminator on each) for an underline,
    which starts with - or = and is indented 0-3 columns past the block (a list item's next
    "- " line is not); the paragraph rule then scans them all again. Without such a
    line it returns False having only set `parentType` to "paragraph", which this does too.
    """

    def setext_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        src, begins, shifts, ends, indents = state.src, state.bMarks, state.tShift, state.eMarks, state.sCount
        block_indent = state.blkIndent
        line = start + 1
        while line < end:
            pos = begins[line] + shifts[line]
            if pos >= ends[line]:
                break  # an empty line ends the paragraph
            if src[pos] in "-=" and 0 <= indents[line] - block_indent <= 3:
                return bool(lheading(state, start, end, silent))
            line += 1
        if not state.is_code_block(start):
            state.parentType = "paragraph"
        return False

    return setext_heading


class _BlockTokenizer:
    """markdown-it's block loop (`ParserBlock.tokenize`), trying only the rules a line can match.

    Also reads lists and quotes nested past FLATTEN_DEPTH flat (without those two rules).
    """

    def __init__(self, nested: _RulesByChar, flat: _RulesByChar, max_nesting: int) -> None:
        self.max_nesting = max_nesting
        self.nested = nested
        self.flat = flat

    def __call__(self, state: StateBlock, start: int, end: int) -> None:
        if state.level < FLATTEN_DEPTH:
            rules_for = self.nested
        else:
            state.env.setdefault("flattened_at", start + 1)
            rules_for = self.flat  # no list or quote rule: cannot nest any deeper
        line = start
        has_empty_lines = False
        while line < end:
            state.line = line = state.skipEmptyLines(line)
            if line >= end:
                break
            if state.sCount[line] < state.blkIndent:
                break  # end of a nested call (list item, quote)
            if state.level >= self.max_nesting:
                state.line = end
                break
            ok = False
            pos = state.bMarks[line] + state.tShift[line]
            first = state.src[pos] if pos < len(state.src) else ""
            found = rules_for.get(first) if line else None
            for rule in found if found is not None else rules_for.for_line(first, line):
                ok = rule(state, line, end, False)
                if ok:
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            if not ok:
                raise RuntimeError("none of the block rules matched")
            state.tight = not has_empty_lines
            line = state.line
            if (line - 1) < end and state.isEmpty(line - 1):
                has_empty_lines = True
            if line < end and state.isEmpty(line):
                has_empty_lines = True
                line += 1
                state.line = line


class _RulesByChar(dict[str, tuple[Any, ...]]):
    """First character of a line -> the enabled rules of one chain, in order, that can match it."""

    def __init__(self, ruler: Ruler, chain: str) -> None:
        super().__init__()
        names = {id(rule.fn): rule.name for rule in ruler.__rules__}
        self.named = [(names[id(fn)], _underlined_only(fn) if names[id(fn)] == "lheading" else fn)
                      for fn in ruler.getRules(chain)]
        self.first_line: dict[str, tuple[Any, ...]] = {}

    def for_line(self, first: str, line: int) -> tuple[Any, ...]:
        if line == 0:
            found = self.first_line.get(first)
            if found is None:
                found = self.first_line[first] = self._select(first, front_matter=True)
            return found
        found = self.get(first)
        if found is None:
            found = self[first] = self._select(first, front_matter=False)
        return found

    def _select(self, first: str, front_matter: bool) -> tuple[Any, ...]:
        return tuple(
            rule for name, rule in self.named
            if (name != "front_matter" or front_matter) and first in _RULE_FIRST_CHARS.get(name, first))


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
    lazy_inline: _LazyInline | None = field(default=None, repr=False)
    level: int = 0

    @property
    def inline(self) -> Token | None:
        """markdown-it's inline token (children parsed on first use), None for rows, code and html."""
        return self.lazy_inline.token() if self.lazy_inline is not None else None

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
    return enumerate(text.split("\n"), first)  # (line number, text); C-level, unlike a generator


class _LazyInline:
    """An inline token whose children markdown-it parses only when someone reads them.

    Most blocks need only their plain text, which `_inline_text` gets without parsing when
    the content has no inline markup; paths.py reads the children of a few.
    """

    __slots__ = ("_env", "_parsed", "_token")

    def __init__(self, token: Token, env: dict[str, Any]) -> None:
        self._token = token
        self._env = env
        self._parsed = False

    def token(self) -> Token:
        if not self._parsed:
            self._parsed = True
            token = self._token
            if _only_code_spans(token.content):
                token.children = _code_span_tokens(token.content)
                return token
            md = markdown()
            if token.children is None:
                token.children = []
            md.inline.parse(token.content, md, self._env, token.children)
            text_join(StateCore("", md, self._env, [token]))  # what the core rules do after "inline"
        return self._token

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _LazyInline) and self.token() == other.token()

    __hash__ = None  # type: ignore[assignment]


_INLINE_MARKUP = re.compile(r"[\\`*_\[!<&]")
"""Characters where one of commonmark's inline rules (escape, backticks, emphasis, link, image,
autolink, html_inline, entity) can start; text without them is plain text and line breaks."""


_MARKUP_BUT_CODE = re.compile(r"[\\*\[!<&]")
_UNDERSCORES = re.compile(r"_+")
_CODE_OR_BREAK = re.compile(r"[`\n]")


def _only_code_spans(content: str) -> bool:
    """Whether the content's only inline markup is backticks (`_code_span_pieces` reads it then).

    An underscore run between two letters or digits (`user_model.py`) is text: markdown-it's
    emphasis rule lets it neither open nor close, and joins it back into the text around it.
    """
    if _MARKUP_BUT_CODE.search(content) is not None:
        return False
    if "_" in content:
        end = len(content)
        for run in _UNDERSCORES.finditer(content):
            start, stop = run.span()
            if not (start > 0 and stop < end and content[start - 1].isalnum() and content[stop].isalnum()):
                return False
    return True


def _strong_lead_text(content: str) -> str | None:
    """Plain text of "**Label:** rest" (a bold lead-in, then no markup but code spans), else None.

    The opening ** (at the start) can open and the closing one can close when markdown-it's
    flanking rules say so, checked here with markdown-it's own character classes; the pair is
    then strong emphasis, whose markers plain text drops.
    """
    close = content.find("**", 2)
    if close <= 2:
        return None
    inner, rest = content[2:close], content[close + 2:]
    if _INLINE_MARKUP.search(inner) is not None or "\n" in inner or "*" in rest or not _only_code_spans(rest):
        return None
    if isWhiteSpace(ord(inner[0])):
        return None  # the opener is not left-flanking
    last, following = inner[-1], rest[0] if rest else " "
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    following_space = isWhiteSpace(ord(following))
    following_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
    if isWhiteSpace(ord(last)) or (last_punct and not (following_space or following_punct)):
        return None  # the closer is not right-flanking
    return inner + _code_span_text(rest)


def _inline_text(lazy: _LazyInline) -> str:
    """`plain_text` of the token, computed without parsing it when it holds no markup but code spans.

    Without markup markdown-it's inline parser only splits lines: spaces (not tabs) before a
    line break are dropped, spaces and tabs after it too, each break becomes a newline.
    Code spans (half of report lines have one) follow `_code_span_text`.
    """
    content = lazy._token.content
    if _INLINE_MARKUP.search(content) is None:
        if "\n" not in content:
            return content
        lines = content.split("\n")
        last = len(lines) - 1
        return "\n".join(
            (line if index == 0 else line.lstrip(" \t")).rstrip(" ") if index < last else line.lstrip(" \t")
            for index, line in enumerate(lines))
    if _only_code_spans(content):
        return _code_span_text(content)
    if content.startswith("**") and (text := _strong_lead_text(content)) is not None:
        return text
    return plain_text(lazy.token())


def _code_span_text(content: str) -> str:
    """`plain_text` of content whose only markup is backticks (see `_code_span_pieces`)."""
    return "".join("\n" if kind in ("softbreak", "hardbreak") else text
                   for kind, text, _ in _code_span_pieces(content))


def _code_span_tokens(content: str) -> list[Token]:
    """The children markdown-it's inline parser makes of content whose only markup is backticks."""
    children = []
    for kind, text, markup in _code_span_pieces(content):
        if kind == "text":
            children.append(Token("text", "", 0, content=text))
        elif kind == "code_inline":
            children.append(Token("code_inline", "code", 0, content=text, markup=markup))
        else:
            children.append(Token(kind, "br", 0))
    return children


def _code_span_pieces(content: str) -> list[tuple[str, str, str]]:
    """(token type, content, markup) of each child, as markdown-it's rules read markup-free text
    with code spans: text, code_inline, softbreak, hardbreak (adjacent text joined).

    A run of backticks opens a code span if a run of the same length follows (its text has line
    breaks turned into spaces and one space stripped from each side unless all spaces); otherwise
    the run is literal text. At a line break outside code spans the text before it loses its
    trailing spaces (two or more make a hard break) and the next line its leading spaces and tabs.
    """
    out: list[tuple[str, str, str]] = []
    pending: list[str] = []  # text since the last code span or line break
    pos, end = 0, len(content)
    while pos < end:
        char = content[pos]
        if char == "`":
            start = pos
            while pos < end and content[pos] == "`":
                pos += 1
            length = pos - start
            search = pos
            while (close := content.find("`", search)) != -1:
                close_end = close + 1
                while close_end < end and content[close_end] == "`":
                    close_end += 1
                if close_end - close == length:
                    code = content[pos:close].replace("\n", " ")
                    if code.startswith(" ") and code.endswith(" ") and any(c != " " for c in code):
                        code = code[1:-1]
                    if pending:
                        out.append(("text", "".join(pending), ""))
                        pending = []
                    out.append(("code_inline", code, content[start:pos]))
                    pos = close_end
                    break
                search = close_end
            else:
                pending.append(content[start:pos])
        elif char == "\n":
            text = "".join(pending)
            stripped = text.rstrip(" ")
            if stripped:
                out.append(("text", stripped, ""))
            out.append(("hardbreak" if len(text) - len(stripped) >= 2 else "softbreak", "", ""))
            pending = []
            pos += 1
            while pos < end and content[pos] in " \t":
                pos += 1
        else:
            found = _CODE_OR_BREAK.search(content, pos)
            stop = found.start() if found else end
            pending.append(content[pos:stop])
            pos = stop
    if pending:
        out.append(("text", "".join(pending), ""))
    return out


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
    _walk(tokens, doc, env)
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


def _walk(tokens: list[Token], doc: Document, env: dict[str, Any]) -> None:
    section: Section | None = None
    items: list[list[Any]] = []  # open list items, innermost last: [checked, first paragraph still to come]
    lists: list[bool] = []  # open lists: ordered?
    header: tuple[str, ...] = ()
    row_line = 0
    row_cells: list[str] | None = None
    row_raw: list[str] = []
    in_thead = False
    blocks = doc.blocks
    append = blocks.append
    i = 0
    count = len(tokens)
    while i < count:
        tok = tokens[i]
        kind = tok.type
        if kind == "paragraph_open":
            inline = tokens[i + 1]
            lazy = _LazyInline(inline, env)
            first_of_item = bool(items) and items[-1][1]
            if first_of_item:
                items[-1][1] = False
            begin, end = tok.map  # type: ignore[misc]
            append(Block(
                kind="item" if first_of_item else "paragraph",
                raw=inline.content, text=_inline_text(lazy),
                line=begin + 1, end_line=end, section=section,
                depth=len(items), checked=items[-1][0] if first_of_item else None,
                ordered=bool(lists) and lists[-1] and first_of_item, lazy_inline=lazy,
            ))
            i += 3
            continue
        if kind == "list_item_open":
            items.append([tok.meta.get("checked"), True])
        elif kind == "list_item_close":
            items.pop()
        elif kind == "heading_open":
            inline = tokens[i + 1]
            lazy = _LazyInline(inline, env)
            title = _inline_text(lazy).strip()
            level = int(tok.tag[1])
            parent = section
            while parent is not None and parent.level >= level:
                parent = parent.parent
            begin, end = tok.map  # type: ignore[misc]
            section = Section(title=title, level=level, line=begin + 1, parent=parent)
            doc.sections.append(section)
            append(Block(
                kind="heading", raw=inline.content, text=title, line=begin + 1,
                end_line=end, section=section, lazy_inline=lazy, level=level,
            ))
            i += 2
        elif kind == "bullet_list_open" or kind == "ordered_list_open":
            lists.append(kind == "ordered_list_open")
        elif kind == "bullet_list_close" or kind == "ordered_list_close":
            lists.pop()
        elif kind == "inline":
            if row_cells is not None:
                row_cells.append(_inline_text(_LazyInline(tok, env)).strip())
                row_raw.append(tok.content)
        elif kind == "tr_open":
            row_cells, row_raw = [], []
            row_line = tok.map[0] + 1 if tok.map else 0
        elif kind == "tr_close" and row_cells is not None:
            cells = tuple(row_cells)
            if in_thead:
                header = cells
            append(Block(
                kind="row", raw=" | ".join(row_raw),
                text=" | ".join(cells), line=row_line, end_line=row_line,
                section=section, cells=cells, header=header, is_header=in_thead,
                depth=len(items),
            ))
            row_cells = None
        elif kind == "thead_open":
            in_thead = True
        elif kind == "thead_close":
            in_thead = False
        elif kind == "fence" or kind == "code_block":
            body = tok.content[:-1] if tok.content.endswith("\n") else tok.content
            info = tok.info.strip() if kind == "fence" else "<indented>"
            append(Block(
                kind="code", raw=body, text=body, line=tok.map[0] + 1, end_line=tok.map[1],  # type: ignore[index]
                section=section, info=info, depth=len(items),
            ))
        elif kind == "html_block":
            body = tok.content.rstrip("\n")
            append(Block(
                kind="html", raw=body, text=body, line=tok.map[0] + 1, end_line=tok.map[1],  # type: ignore[index]
                section=section, depth=len(items),
            ))
        elif kind == "front_matter":
            _front_matter(tok, doc)
        i += 1
