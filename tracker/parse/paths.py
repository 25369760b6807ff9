"""Tell a file path from the other things agents put in backticks and bold (names, calls, versions).

A report's file list mixes `backend/src/server.ts`, `saveState()`, `openai@^4.x` and
"Build Configuration Files"; only the first is a file. Paths with a folder may have any
extension; a bare name needs a known extension so `request.file` or `v1.0.18` never counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

KNOWN_EXTENSIONS = frozenset({
    "md", "mdx", "txt", "rst", "adoc", "ts", "tsx", "js", "jsx", "mjs", "cjs", "json", "jsonc",
    "yaml", "yml", "toml", "ini", "cfg", "conf", "env", "example", "sample", "py", "pyi", "ipynb",
    "go", "mod", "sum", "rs", "java", "kt", "kts", "scala", "groovy", "gradle", "c", "h", "cc",
    "cpp", "cxx", "hpp", "hh", "m", "mm", "cs", "fs", "vb", "swift", "rb", "php", "pl", "lua", "r",
    "dart", "ex", "exs", "erl", "elm", "clj", "hs", "ml", "sql", "prisma", "graphql", "gql",
    "proto", "html", "htm", "css", "scss", "sass", "less", "vue", "svelte", "astro", "sh", "bash",
    "zsh", "fish", "ps1", "psm1", "bat", "cmd", "xml", "plist", "csv", "tsv", "lock", "svg", "png",
    "jpg", "jpeg", "gif", "ico", "webp", "pdf", "jucer", "sln", "csproj", "vcxproj", "xcodeproj",
    "pbxproj", "tf", "tfvars", "hcl", "dockerfile", "dockerignore", "gitignore", "gitattributes",
    "editorconfig", "npmrc", "nvmrc", "prettierrc", "eslintrc", "babelrc", "properties", "template",
    "tmpl", "j2", "jinja", "ejs", "hbs", "njk", "wasm", "map", "snap", "http", "rego", "cue", "nix",
    "bzl", "bazel", "cmake", "mk", "make", "in", "ino", "lockb", "webmanifest", "tfstate", "backup", "bak",
    "po", "pot", "mo", "rake", "erb", "haml", "slim", "twig", "liquid", "sbt", "jl", "zig", "nim",
})

EXTENSIONLESS = frozenset({
    "Makefile", "Dockerfile", "Containerfile", "Procfile", "Gemfile", "Rakefile", "Jenkinsfile",
    "Vagrantfile", "Brewfile", "Justfile", "Taskfile", "LICENSE", "CODEOWNERS", "Caddyfile",
    "Fastfile", "Appfile", "Podfile", "Matchfile", "Snapfile", "Pluginfile", "Berksfile", "Guardfile",
    "Earthfile", "Tiltfile", "Pipfile",
})

# Product names that look like files.
NOT_FILES = frozenset({
    "node.js", "next.js", "nuxt.js", "vue.js", "react.js", "express.js", "three.js", "d3.js",
    "chart.js", "alpine.js", "ember.js", "backbone.js", "p5.js", "socket.io", "deno.land",
})

_BAD_CHARS = re.compile(r"[\s<>|\"'{}=;,^!?$%&+]")
_ROUTE_FILE = re.compile(r"(?:^|/)\+[\w.-]+$")
"""SvelteKit's `src/routes/+page.ts`: a leading `+` names a route file; elsewhere `+` is no path."""
_LINE_SUFFIX = re.compile(r"(?::\d+(?:[-:]\d+)?|#L\d+(?:-L?\d+)?)$")
_EXT = re.compile(r"\.([A-Za-z0-9]{1,12})$")
_SPLIT_EXT = re.compile(r"^(?P<stem>.+\.)(?P<a>[A-Za-z0-9]{1,5})/(?P<b>[A-Za-z0-9]{1,5})$")
_MAN_PAGE = re.compile(r"(?:^|/)man\d?/[^/]+\.[1-9][a-z]?$")
_ANNOTATION = re.compile(r"\s+(?:\(.*\)|[-—–:]\s.*)$")


def clean(candidate: str) -> str:
    """Strip quoting, trailing punctuation, a `:12` line suffix and a trailing (note)."""
    text = candidate.strip().strip("`\"'").strip()
    text = _ANNOTATION.sub("", text)
    text = text.rstrip(".,;:").rstrip()
    text = _LINE_SUFFIX.sub("", text)
    return text.replace("\\", "/")


def is_path(text: str) -> bool:
    """True for text that names a file (not a folder, call, version, URL or sentence)."""
    if not text or len(text) > 260 or "://" in text:
        return False
    if _BAD_CHARS.search(_ROUTE_FILE.sub("/x", text) if "+" in text else text):
        return False
    if text.endswith(("/", "()")) or text.startswith("-"):
        return False
    name = text.rsplit("/", 1)[-1]
    if not name or name in (".", ".."):
        return False
    if name.lower() in NOT_FILES and "/" not in text:
        return False
    if name in EXTENSIONLESS:
        return True
    ext = _EXT.search(name)
    if ext is None or not re.search(r"[A-Za-z]", ext.group(1)):
        return bool(ext and _MAN_PAGE.search(text))  # `man/tool.1`: a numbered section, still a file
    extension = ext.group(1)
    if extension.lower() not in KNOWN_EXTENSIONS and not (extension.islower() or extension.isupper()):
        return False  # `internal/output.WriteJSON` is a Go identifier, not a file
    if "/" in text:
        return "@" not in name
    if name.startswith("."):
        return True
    stem = name[: ext.start()]
    return bool(stem) and ext.group(1).lower() in KNOWN_EXTENSIONS and not stem.replace(".", "").isdigit()


def expand(path: str) -> list[str]:
    """`Source/Editor.h/cpp` is two files; everything else is itself."""
    match = _SPLIT_EXT.match(path)
    known = KNOWN_EXTENSIONS
    if match and match.group("b").lower() in known and match.group("a").lower() in known:
        return [match.group("stem") + match.group("a"), match.group("stem") + match.group("b")]
    return [path]


def paths_in(text: str) -> list[str]:
    """Paths named by one candidate string (after cleaning), expanded; [] when it is not a path."""
    cleaned = clean(text)
    return [p for p in expand(cleaned) if is_path(p)] if cleaned else []


def marked_spans(inline: Token | None) -> Iterator[tuple[int, str]]:
    """(position, text) of code spans and bold spans in an inline token: where agents put paths."""
    if inline is None:
        return
    children = inline.children or []
    bold_depth = 0
    bold_text: list[str] = []
    for index, child in enumerate(children):
        if child.type == "code_inline":
            if bold_depth:
                bold_text.append(child.content)
            else:
                yield index, child.content
        elif child.type == "strong_open":
            bold_depth += 1
            bold_text = []
        elif child.type == "strong_close":
            bold_depth = max(0, bold_depth - 1)
            if not bold_depth:
                yield index, "".join(bold_text)
        elif bold_depth and child.type == "text":
            bold_text.append(child.content)


_LEAD_END = re.compile(r"\s+[-—–]\s+|:\s|\s\(")


def leading_text(inline: Token | None) -> str:
    """Visible text up to the first separator (` - `, ` — `, `: `): where a bare path would sit."""
    if inline is None:
        return ""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            break
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
    text = "".join(parts).strip()
    return _LEAD_END.split(text, maxsplit=1)[0].strip()
