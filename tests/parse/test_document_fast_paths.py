"""The document reader's shortcuts give exactly what plain markdown-it gives.

`read_document` tries only the block rules a line's first character allows, leaves inline
content unparsed until someone reads its children, and takes the plain text of markup-free
content without parsing it. These tests compare each shortcut with markdown-it-py itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from tracker.parse.document import (
    FLATTEN_DEPTH,
    _inline_text,
    _LazyInline,
    markdown,
    plain_text,
    read_document,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def reference_markdown() -> MarkdownIt:
    """markdown-it-py as tracker used it before the shortcuts: its own block loop, inline parsed."""
    md = MarkdownIt("commonmark", {"tasklists": True}).enable("table").use(front_matter_plugin)
    flat = MarkdownIt("commonmark").enable("table").disable(["list", "blockquote"]).block
    nested = md.block.tokenize

    def tokenize(state: Any, start: int, end: int) -> None:
        if state.level < FLATTEN_DEPTH:
            nested(state, start, end)
            return
        state.env.setdefault("flattened_at", start + 1)
        flat.tokenize(state, start, end)

    md.block.tokenize = tokenize  # type: ignore[method-assign]
    return md


REFERENCE = reference_markdown()


def fast_tokens(text: str) -> tuple[list[Token], dict[str, Any], list[str]]:
    """Tokens from tracker's parser with every inline token parsed, and the shortcut texts."""
    env: dict[str, Any] = {}
    tokens = markdown().parse(text, env)
    texts = []
    for token in tokens:
        if token.type == "inline":
            lazy = _LazyInline(token, env)
            texts.append(_inline_text(lazy))
            lazy.token()
    return tokens, env, texts


def assert_same_as_reference(text: str) -> None:
    env: dict[str, Any] = {}
    expected = REFERENCE.parse(text, env)
    tokens, fast_env, texts = fast_tokens(text)
    assert tokens == expected
    assert fast_env == env
    assert texts == [plain_text(t) for t in expected if t.type == "inline"]


def test_the_shortcut_assumes_commonmarks_inline_rules() -> None:
    """`_INLINE_MARKUP` lists where these rules start; another rule would need its character added."""
    md = markdown()
    assert md.inline.ruler.get_active_rules() == [
        "text", "newline", "escape", "backticks", "emphasis", "link", "image", "autolink",
        "html_inline", "entity"]
    assert md.core.ruler.get_active_rules() == ["normalize", "block"]


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.md")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_tokens_match_markdown_it(path: Path) -> None:
    assert_same_as_reference(path.read_text(encoding="utf-8").replace("\r\n", "\n"))


NESTED = "\n".join(f"{'  ' * depth}- level {depth} `x`" for depth in range(30)) + "\n\nafter\n"
QUOTED = "\n".join(">" * depth + f" quote {depth}" for depth in range(1, 30)) + "\n"

EDGE_CASES = [
    "", "plain", "a  \nb\t \n  c \t\nd  ", "# Title *x*\n\ntext\n===\n", "---\na: 1\n---\n# h\n",
    "| a | b |\n|---|:-:|\n| `c` | d \\| e |\n", "- [ ] todo\n- [x] done\n  1. one\n  2) two\n",
    "***\n___\n- - -\n+ plus\n* star\n", "    code\n\n```py\nx\n```\n~~~\ny\n~~~\n",
    "[ref]: https://example.com\n\n[ref] and <https://a.b> &amp; <b>x</b>\n", "<div>\nhtml\n</div>\n",
    "1. a\n\n   para\n\n   > quote\n", "- .---x\n:  :\n", NESTED, QUOTED,
    "\\# not a heading\n\\- not a list\n",
    # setext underlines, and lines that look like them but are not
    "a\n===\n", "a\nb\n---\n", "- a\n  ---\n", "- a\n- b\n", "a\n    ---\n", "> a\n---\n", "- a\n ==\n",
    # every rule that can end a paragraph, a quote, a list or a table without an empty line
    "a\n# h\n", "a\n```\nx\n```\n", "a\n> q\n", "a\n- l\n", "a\n1. x\n", "a\n2. x\n", "a\n<div>\n",
    "a\n***\n", "| a |\n|---|\n| b |\n# h\n", "> q\n- l\n", "- l\n***\n", "[x]: /u\n# h\n",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_match_markdown_it(text: str) -> None:
    assert_same_as_reference(text)


def test_deep_nesting_still_flattened_with_a_warning() -> None:
    doc = read_document(NESTED)
    assert any("nested too deep" in warning for warning in doc.warnings)
    assert doc.blocks[-1].text == "after"


MARKDOWNISH = st.lists(
    st.sampled_from([*"ab -*_+#>`~[]()!<&\\|:=1.\t \n", "\n\n", "- ", "1. ", "```", "&amp;", "  \n", "---"]),
    max_size=60,
).map("".join)


@given(MARKDOWNISH)
def test_random_markdown_matches_markdown_it(text: str) -> None:
    assert_same_as_reference(text)


def assert_inline_shortcuts_match(content: str) -> None:
    """Text and children tracker computes for one inline token equal markdown-it's own."""
    expected = REFERENCE.parseInline(content)[0]
    token = Token("inline", "", 0, content=content, children=[])
    lazy = _LazyInline(token, {})
    assert _inline_text(lazy) == plain_text(expected)
    assert lazy.token().children == expected.children


@given(st.text(st.sampled_from(list("ab \t\n.,:-#|")), max_size=40))
def test_plain_text_shortcut_matches_the_inline_parser(content: str) -> None:
    assert_inline_shortcuts_match(content)


@given(st.text(st.sampled_from(list("ab `\t\n\u00a0")), max_size=40))
def test_code_span_shortcut_matches_the_inline_parser(content: str) -> None:
    assert_inline_shortcuts_match(content)


@given(st.text(st.sampled_from(list("ab *_`\t\n.:(\u00a0é1")), max_size=30))
def test_underscore_and_bold_shortcuts_match_the_inline_parser(content: str) -> None:
    assert_inline_shortcuts_match(content)
    plain = content.replace("*", "")
    assert_inline_shortcuts_match(f"**{plain}** {plain}")
    assert_inline_shortcuts_match(f"**{plain}**{plain}")


@pytest.mark.parametrize("content", [
    "`a`", "``a`b``", "` a `", "`  `", "`a` \nb", "`a`  \nb", "a  \n  b", "a\t \nb", "`a\nb`", "``a`",
    "a ` b",
    "`a`\n`b`", "x ``` y ``` z `", "**b** `c`", "user_model.py", "`a_b.py` x_y", "_a_", "a_ b", "a__b",
    "**Status:** done", "**Status:**done", "**(a)** b", "** a** b", "**a **b", "**a**", "**a** `b` c",
    "***a** b",
])
def test_inline_shortcut_cases(content: str) -> None:
    assert_inline_shortcuts_match(content)


def test_inline_children_are_parsed_only_when_read() -> None:
    doc = read_document("Updated the readme\n\nUpdated `a.py` and **b.py**\n")
    plain, marked = doc.blocks
    assert plain.lazy_inline is not None and plain.lazy_inline._parsed is False
    assert [c.type for c in plain.inline.children or []] == ["text"]  # type: ignore[union-attr]
    assert marked.text == "Updated a.py and b.py"
    assert [c.type for c in marked.inline.children or []][:3] == ["text", "code_inline", "text"]  # type: ignore[union-attr]
