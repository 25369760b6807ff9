"""Files this task created, modified or deleted.

Sources, in order: GSD front matter `key-files`; file-list sections under any of their names
("Files Created/Modified", "Changed Files", "Documentation Created", a `CHANGED FILES:` or
`**Created:**` label followed by a list); inline fields (`**Deleted:** <path>`); and prose lines
that start with a change verb ("Created migration <path>"). Entries marked as unchanged or made
by another task ("created in Task 2.1", "already installed") are not this task's.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from tracker.model import FileAction, FileChange, Format
from tracker.parse.document import Block, Document
from tracker.parse.field_lines import field_lines
from tracker.parse.fields import extract_task
from tracker.parse.paths import is_path, leading_text, marked_spans, paths_in

# Words in a list's title that say what happened to every file in it.
SECTION_ACTIONS: dict[str, FileAction] = {
    "created": "created", "new": "created", "added": "created", "create": "created",
    "modified": "modified", "updated": "modified", "edited": "modified", "modify": "modified",
    "deleted": "deleted", "removed": "deleted", "delete": "deleted",
}
_NOT_CHANGED = {
    "missing", "unchanged", "untouched", "ignored", "excluded", "skipped", "reviewed", "read", "referenced",
    "related", "existing", "relevant", "large", "untracked", "remaining", "other", "reference", "input",
}
_ONE_WORD_LABELS: dict[str, FileAction] = {"touched": "modified", "changed": "modified", "changes": "unknown"}
_VAGUE_ACTIONS = {"changed", "touched", "affected", "landed", "key", "made", "summary", "list"}
_NEUTRAL_WORDS = {"the", "of", "all", "and", "in", "or", "this", "task", "plan", "code", "source",
                  "implementation", "overview", "implemented", "to", "by", "pr"}
# First word of one entry's description.
ITEM_ACTIONS: dict[str, FileAction] = {
    "created": "created", "new": "created", "creates": "created", "create": "created",
    "initial": "created", "generated": "created",
    "modified": "modified", "updated": "modified", "update": "modified", "updates": "modified",
    "added": "modified", "adds": "modified", "enhanced": "modified", "registered": "modified",
    "fixed": "modified", "extended": "modified", "changed": "modified", "integrated": "modified",
    "refactored": "modified", "improved": "modified", "wired": "modified", "adjusted": "modified",
    "rewritten": "modified", "edited": "modified", "replaced": "modified",
    "deleted": "deleted", "removed": "deleted",
}
# Verbs that start a prose line naming a file this task made or removed.
PROSE_VERBS: dict[str, FileAction] = {
    "created": "created", "wrote": "created", "added": "created", "generated": "created",
    "deleted": "deleted", "removed": "deleted",
    "updated": "modified", "modified": "modified", "edited": "modified", "refactored": "modified",
    "extended": "modified", "changed": "modified", "fixed": "modified", "patched": "modified",
    "rewrote": "modified", "reworked": "modified", "renamed": "modified", "moved": "modified",
    "introduced": "created", "implemented": "unknown",
}
# A ticked box states its plan step as an order that was carried out: "- [x] Create `src/user.ts`".
TICKED_VERBS: dict[str, FileAction] = {
    "create": "created", "add": "created", "write": "created", "generate": "created", "scaffold": "created",
    "update": "modified", "modify": "modified", "edit": "modified", "extend": "modified",
    "refactor": "modified", "change": "modified", "delete": "deleted", "remove": "deleted",
}
_INTO_WORDS = frozenset({"in", "into", "to", "inside", "within"})  # "Added a helper in `x.ts`": x.ts existed
_PROSE_WINDOW = 6  # words between the verb and the path: "Created a migration file `x.sql`"
_NOT_THIS_TASK = re.compile(
    r"\b(?:created|added|implemented|modified|written|done)\s+(?:in|by|during)\s+"
    r"(?:task|plan|phase|step|ticket|story)\b\s*(?P<other>[A-Z]{0,3}\d+(?:[._-]\d+)*)?"
    r"|\bunchanged\b|\bno (?:code )?changes\b"
    r"|\bnot (?:modified|changed)\b"
    r"|\buntouched\b|\bread[- ]only\b|\b(?:reference|context) only\b|\(existing\)"
    r"|\bpreviously (?:created|added|implemented)\b",
    re.I,
)
_LABEL_WORDS = re.compile(r"[a-z]+")
_FILES_TITLE_NOUNS = {"files", "file", "changes", "deliverables", "artifacts", "artefacts"}


@dataclass(slots=True)
class _Collected:
    changes: list[FileChange] = field(default_factory=list)
    by_name: dict[str, list[int]] = field(default_factory=dict)  # file name -> indexes in changes
    own_id: str | None = None  # this report's task id: "created in Task 2.4" in 2.4's report is its own

    def add(self, path: str, action: FileAction, line: int, note: str | None = None) -> None:
        """Add a file once: `x.sql` and `supabase/migrations/x.sql` are the same, the longer is kept."""
        name = path.rsplit("/", 1)[-1].lower()
        for index in self.by_name.get(name, []):
            known = self.changes[index]
            if _same_file(known.path, path):
                longer = path if len(path) > len(known.path) else known.path
                better: FileAction = known.action if known.action != "unknown" else action
                self.changes[index] = known.model_copy(
                    update={"path": longer, "action": better, "note": known.note or note})
                return
        self.by_name.setdefault(name, []).append(len(self.changes))
        self.changes.append(FileChange(path=path, action=action, note=note or None, line=line))


    def renumbered(self, path: str) -> bool:
        """True when a listed file is this one under another number: `002_docs.sql` vs `2026..._docs.sql`.

        Agents renumber migrations after writing about them; prose naming the old number means the
        listed file, not a second one.
        """
        name = path.rsplit("/", 1)[-1].lower()
        bare = _NUMBER_PREFIX.sub("", name)
        if bare == name:
            return False
        return any(_NUMBER_PREFIX.sub("", c.path.rsplit("/", 1)[-1].lower()) == bare
                   for c in self.changes if not _same_file(c.path, path))


_NUMBER_PREFIX = re.compile(r"^\d{3,}[_-]")


def _same_file(a: str, b: str) -> bool:
    pa = [x for x in a.lower().split("/") if x and x != "."]
    pb = [x for x in b.lower().split("/") if x and x != "."]
    n = min(len(pa), len(pb))
    return n > 0 and pa[-n:] == pb[-n:]


def title_action(title: str) -> FileAction | None:
    """What a files heading or label says about its entries; None when it is not a file list.

    "Files Created/Modified" -> unknown (mixed), "Modified Files" -> modified,
    "Documentation Created" -> created, "Changes landed in" -> unknown, "Tasks Completed" -> None.
    """
    words = _LABEL_WORDS.findall(title.lower())
    if not words or len(words) > 6:
        return None
    if len(words) == 1 and words[0] in _ONE_WORD_LABELS:
        return _ONE_WORD_LABELS[words[0]]  # "Touched:", "### Changed" over the paths they name
    specific = {SECTION_ACTIONS[w] for w in words if w in SECTION_ACTIONS}
    if _FILES_TITLE_NOUNS & set(words):
        extra = set(words) - _FILES_TITLE_NOUNS - set(SECTION_ACTIONS) - _NEUTRAL_WORDS - _VAGUE_ACTIONS
        # "Test Files", "Config Files" list files too; "Missing Files", "Files Reviewed" do not
        one_describing_word = len(words) == 2 and words[-1] in ("files", "file") and not extra & _NOT_CHANGED
        if extra and not one_describing_word:
            return None
    elif not (len(words) <= 3 and words[-1] in SECTION_ACTIONS) and not (
            words[0] == "what" and words[-1] == "changed" and len(words) <= 4):  # "What I changed"
        return None
    return specific.pop() if len(specific) == 1 else "unknown"


def _item_action(description: str, default: FileAction) -> FileAction:
    text = description.strip().lstrip("-—–:*_([ ").strip()
    first = re.match(r"[A-Za-z]+", text)
    if first:
        found = ITEM_ACTIONS.get(first.group(0).lower())
        if found is not None:
            return found
    return default


def _note(description: str) -> str | None:
    """The entry's description without separators and a leading NEW/MODIFIED marker."""
    text = description.strip().lstrip("-—–:*_ ").strip()
    text = re.sub(r"^(?:(?:NEW|CREATED|MODIFIED|UPDATED|DELETED|REMOVED)\b"
                  r"|\((?i:new|created|modified|updated|deleted)\))\s*(?:[-—–:]\s*)?", "", text)
    return text.strip() or None


def _excluded(description: str, own_id: str | None = None) -> bool:
    """True when the entry says the file is not this task's change ("created in Task 2.1")."""
    opening = re.findall(r"[a-z]+", description.lower())[:6]
    if "already" in opening:
        return True
    match = _NOT_THIS_TASK.search(description)
    return match is not None and not (own_id and match.group("other") == own_id)


_COMMANDS = frozenset({
    "node", "npm", "npx", "pnpm", "yarn", "bun", "deno", "go", "python", "python3", "pytest", "uv", "pip",
    "cargo", "make", "git", "docker", "bash", "sh", "cmake", "dotnet", "mvn", "gradle", "ruby", "bundle",
})
_JOINERS = re.compile(r"\s*(?:,|&|/|\+|and|,\s*and)?\s*")
_ITEM_NUMBER = re.compile(r"^(?:\d+[.)]\s*)")
_WORD_BREAK = re.compile(r"[\s,;]+")
_ENDS_PUNCTUATED = re.compile(r"[.!?;:,]$")
_STEP_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*[.)]?\s+")
_CODE_SPAN = re.compile(r"`([^`]+)`")


def _block_paths(block: Block) -> tuple[list[str], str]:
    """Paths one list entry names, and the description after the leading path.

    An entry that starts with a path names that file (the rest describes it); an entry that
    starts with prose ("Types and schemas in `a.ts`, `b.ts`") names every path in it.
    """
    spans = list(marked_spans(block.inline))
    text = block.text.strip()
    first_line = text.split("\n", 1)[0]
    lead = leading_text(block.inline)
    if spans:
        _, first = spans[0]
        first_paths = paths_in(first)
        stripped = _ITEM_NUMBER.sub("", first_line).lstrip("*_ ")
        if first_paths and stripped.startswith(first.strip()):
            rest = first_line.split(first, 1)[-1]
            for _, span in spans[1:]:  # "`a.ts`, `b.ts` - tests": a run of paths before the description
                between, found_span, after = rest.partition(span)
                if not found_span or not _JOINERS.fullmatch(between):
                    break
                more = paths_in(span)
                if not more:
                    break
                first_paths = first_paths + [p for p in more if p not in first_paths]
                rest = after
            return first_paths, rest
        found: list[str] = []
        for _, span in spans:
            for path in paths_in(span):
                if path not in found:
                    found.append(path)
        if found:
            return found, first_line
    bare = paths_in(lead) if lead else []
    if bare:
        return bare, first_line[len(lead):] if first_line.startswith(lead) else first_line
    # "Updated README.md to mention the flag": a bare path inside the entry's words (not a command line)
    if first_line.split(" ", 1)[0] in _COMMANDS:
        return [], first_line
    words = [paths_in(word) for word in _WORD_BREAK.split(first_line) if "." in word or "/" in word]
    return [path for found in words for path in found], first_line


def _heading_paths(block: Block) -> tuple[list[str], FileAction | None]:
    text = re.sub(r"^\s*\d+[.)]\s*", "", block.text).strip()
    verb = re.match(r"([A-Za-z]+)\s+(.*)$", text)
    action: FileAction | None = None
    if verb and verb.group(1).lower() in ITEM_ACTIONS:
        action = ITEM_ACTIONS[verb.group(1).lower()]
        text = verb.group(2)
    spans = list(marked_spans(block.inline))
    candidates = [s for _, s in spans] or [re.split(r"\s+[-—–]\s+|:\s|\s\(", text, maxsplit=1)[0]]
    return paths_in(candidates[0]) if candidates else [], action


def _list_title(block: Block) -> str | None:
    """The label a paragraph ends with when it introduces a list: "CHANGED FILES:", "**Created:**"."""
    last = block.text.rstrip().rsplit("\n", 1)[-1].strip()
    if not last.endswith(":"):
        return None
    return last[:-1]


_LISTING_VERBS = frozenset({
    "created", "added", "generated", "wrote", "scaffolded", "initialised", "initialized"})


def _bare_title(block: Block) -> str | None:
    """"Changes" or "**Files touched**" on a line of its own: a list title written without a colon."""
    text = block.text.strip()
    if block.kind != "paragraph" or "\n" in text or len(text.split()) > 4 or _ENDS_PUNCTUATED.search(text):
        return None
    return text


def _verb_label_action(label: str) -> FileAction | None:
    """"Created the workspace" / "Added these files" introducing a listing: its verb is the action."""
    first = re.match(r"\s*(?:I\s+)?([A-Za-z]+)\b", label)
    verb = first.group(1).lower() if first else ""
    return "created" if verb in _LISTING_VERBS else "modified" if verb in ("updated", "modified") else None


def _paragraph_list(block: Block, out: _Collected) -> bool:
    """Aider/plain-text style: a label line, then one path per line, inside one paragraph.

        Files edited:
          src/a.ts
        Created:
          src/b.ts
    """
    lines = list(block.text_lines())
    current: FileAction | None = None
    found = False
    for index, (line, text) in enumerate(lines):
        stripped = text.strip()
        label = stripped[:-1] if stripped.endswith(":") else stripped if index == 0 else None
        action = title_action(label) if label and len(label.split()) <= 4 else None
        if action is not None:
            current = action
            continue
        if current is None:
            if found or index == 0:
                return found
            continue
        named: list[tuple[str, FileAction]] = []
        for piece in re.split(r",\s+|;\s+", stripped):  # "`a.ts` (new), `b.ts`"
            lead = re.split(r"\s+[-—–]\s+|:\s|\s\(", piece.strip(), maxsplit=1)[0]
            named += [(path, _item_action(piece.strip()[len(lead):], current)) for path in paths_in(lead)]
        if not named:
            current = None
            continue
        for path, path_action in named:
            out.add(path, path_action, line)
        found = True
    return found


def _files_from_front_matter(doc: Document, out: _Collected) -> None:
    """GSD `key-files: {created: [...], modified: [...]}`; entries may carry "(120 lines)" notes."""
    fm = doc.front_matter or {}
    key = next((k for k in ("key-files", "key_files", "files") if isinstance(fm.get(k), dict)), None)
    if key is None:
        return
    for sub, entries in fm[key].items():
        action: FileAction = SECTION_ACTIONS.get(str(sub).lower(), "unknown")
        if action == "unknown" and str(sub).lower() not in ("changed", "files"):
            continue
        if isinstance(entries, str):
            entries = [entries]
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if isinstance(entry, dict):  # `- path: a.ts` / `purpose: ...`
                entry = next((str(entry[k]) for k in ("path", "file", "name") if entry.get(k)), None)
            if not isinstance(entry, str):
                continue
            line = doc.front_matter_lines.get((key, sub, index)) or doc.front_matter_lines.get((key, sub), 1)
            note = entry.split(" ", 1)[1].strip(" -—()") if " " in entry.strip() else None
            for path in paths_in(entry.strip().split(" ", 1)[0]):
                out.add(path, action, line, note)


def _section_end(blocks: list[Block], start: int) -> int:
    heading = blocks[start]
    for index in range(start + 1, len(blocks)):
        block = blocks[index]
        if block.kind == "heading" and block.level <= heading.level:
            return index
    return len(blocks)


def _collect_list(blocks: list[Block], start: int, end: int, action: FileAction, out: _Collected) -> None:
    """Read entries in blocks[start:end]: list items, rows, sub-headings and sub-labels."""
    claimed_depth: int | None = None  # an entry at this depth named a file: its children describe it
    heading_file_level: int | None = None
    current = action
    for index in range(start, end):
        block = blocks[index]
        if block.kind == "heading":
            if heading_file_level is not None and block.level > heading_file_level:
                continue
            heading_file_level = None
            claimed_depth = None
            refined = title_action(block.text)
            if refined is not None:
                current = refined if refined != "unknown" else action
                continue
            paths, verb_action = _heading_paths(block)
            if paths:
                for path in paths:
                    out.add(path, verb_action or current, block.line)
                heading_file_level = block.level
            continue
        if heading_file_level is not None:
            continue
        if block.kind == "paragraph":
            label = _list_title(block)
            if label is not None and block.text.count("\n") == 0:
                refined = title_action(label)
                if refined is not None:
                    current = refined if refined != "unknown" else action
                    claimed_depth = None
                    continue
            for line, text in block.text_lines():
                paths = paths_in(re.split(r"\s+[-—–]\s+|:\s", text.strip(), maxsplit=1)[0])
                for path in paths:
                    out.add(path, current, line)
            continue
        if block.kind == "row":
            if not block.is_header:
                _row_files(block, current, out)
            continue
        if block.kind == "code":
            _code_files(block, current, out)
            continue
        if block.kind != "item":
            continue
        if claimed_depth is not None and block.depth > claimed_depth:
            continue
        claimed_depth = None
        paths, description = _block_paths(block)
        if not paths:
            label = _list_title(block)
            refined = title_action(label) if label else None
            if refined is not None and refined != "unknown":
                current = refined
            continue
        if _excluded(description, out.own_id):
            claimed_depth = block.depth
            continue
        note = _note(description)
        for path in paths:
            out.add(path, _item_action(description, current), block.line, note)
        claimed_depth = block.depth


_COLUMN_ACTIONS: dict[str, FileAction] = {**ITEM_ACTIONS, "added": "created", "add": "created"}
"""A Change cell that is the one word "added" says the file is new; "Added a dependency" (a longer
cell) or "added X to y" in prose is a change to it."""
_PATH_HEADERS = ("file", "files", "path", "filename", "file path", "location", "module")
_ACTION_HEADERS = ("action", "change", "change type", "type", "status", "operation", "op")


def _row_files(block: Block, default: FileAction, out: _Collected) -> None:
    """A table row of a files section: the path from the File/Path column (else any cell)."""
    header = [h.strip().lower() for h in block.header]
    order = [i for i, h in enumerate(header) if h in _PATH_HEADERS] or list(range(len(block.cells)))
    action = default
    for i, h in enumerate(header):
        if h in _ACTION_HEADERS and i < len(block.cells):
            cell = block.cells[i]
            word = re.match(r"\W*([A-Za-z]+)\W*$", cell) or re.match(r"\W*([A-Za-z]+)", cell)
            actions = _COLUMN_ACTIONS if word and word.end() == len(cell) else ITEM_ACTIONS
            if word and word.group(1).lower() in actions:
                action = actions[word.group(1).lower()]
    for i in order:
        if i >= len(block.cells):
            continue
        paths = paths_in(block.cells[i])
        if paths:
            note = " | ".join(c for j, c in enumerate(block.cells) if j != i and c) or None
            if note and _excluded(note, out.own_id):
                return
            for path in paths:
                out.add(path, action, block.line, note)
            return


_GIT_STATUS = re.compile(r"^\s*(?P<flag>[MADR?]{1,2}|new file:|modified:|deleted:)\s+(?P<path>\S+)\s*$")
_TREE_JUNK = re.compile(r"^[\s│├└─|`+-]*")
_CODE_FLAGS: dict[str, FileAction] = {"A": "created", "M": "modified", "D": "deleted", "R": "modified",
                                      "??": "created", "new file:": "created", "modified:": "modified",
                                      "deleted:": "deleted"}


def _code_files(block: Block, default: FileAction, out: _Collected) -> None:
    """A code block inside a files section: `git status` lines or one path per line."""
    if block.info and block.info.lower() not in ("", "text", "txt", "plain", "<indented>", "diff", "console"):
        return
    entries: list[tuple[int, int, str]] = []  # (line, column where the name starts, name)
    notes: dict[int, str] = {}  # what follows the name on its line: "(new)", "- deleted"
    for line, text in block.text_lines():
        status = _GIT_STATUS.match(text)
        if status:
            for path in paths_in(status.group("path")):
                out.add(path, _CODE_FLAGS.get(status.group("flag"), default), line)
            continue
        junk = _TREE_JUNK.match(text)
        column = junk.end() if junk else 0
        bare = text[column:].split("#", 1)[0].strip()
        token = re.split(r"\s+[-—–|]\s+|\s{2,}|\s\(|\s+\|", bare, maxsplit=1)[0].strip()
        if token:
            entries.append((line, column, token))
            notes[line] = bare[len(token):]
    folders: list[tuple[int, str]] = []  # the open folders of a tree listing: (column, name)
    for index, (line, column, token) in enumerate(entries):
        while folders and folders[-1][0] >= column:
            folders.pop()
        deeper_next = index + 1 < len(entries) and entries[index + 1][1] > column
        if token.endswith("/") or (deeper_next and not paths_in(token) and re.fullmatch(r"[\w.-]+", token)):
            folders.append((column, token.strip("/")))
            continue
        prefix = "/".join(name for _, name in folders)
        action = _item_action(notes.get(line, ""), default) if default in ("unknown", "modified") else default
        for path in paths_in(token):
            out.add(f"{prefix}/{path}" if prefix and not path.startswith("/") else path, action, line)


def extract_files(doc: Document, fmt: Format) -> list[FileChange]:
    out = _Collected(own_id=extract_task(doc, fmt).id)
    _files_from_front_matter(doc, out)
    blocks = doc.blocks
    used_lines: set[int] = set()
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "heading":
            action = title_action(block.text)
            if action is not None:
                end = _section_end(blocks, index)
                before = len(out.changes)
                _collect_list(blocks, index + 1, end, action, out)
                if len(out.changes) > before:  # else its "Created: `a`, `b`" lines are read as fields below
                    used_lines.update(b.line for b in blocks[index:end])
                index = end
                continue
        elif block.kind in ("paragraph", "item"):
            label = _list_title(block) or _bare_title(block)
            action = title_action(label) if label else None
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is not None and following.kind == "code" and label is not None:
                code_action = action or _verb_label_action(label)
                if code_action is not None:  # "Files created:" / "Created the workspace:" over a listing
                    _code_files(following, code_action, out)
                    used_lines.update((block.line, following.line))
                    index += 2
                    continue
            if block.kind == "paragraph" and _paragraph_list(block, out):
                used_lines.add(block.line)
                index += 1
                continue
            if action is not None and following is not None and following.kind == "item":
                end = index + 1
                while end < len(blocks) and blocks[end].kind == "item" and blocks[end].depth >= max(
                        1, block.depth + (1 if block.kind == "item" else 0)):
                    end += 1
                    if "\n" in blocks[end - 1].text.strip() and _list_title(blocks[end - 1]) is not None:
                        break  # "- last.ts\nTESTS:": a new label continues the item and starts another list
                _collect_list(blocks, index + 1, end, action, out)
                used_lines.update(b.line for b in blocks[index:end])
                # a label that ended the list is read again as the start of its own list
                index = end - 1 if end - 1 > index and _list_title(blocks[end - 1]) is not None else end
                continue
        index += 1
    _file_tables(doc, out, used_lines)
    _inline_fields(doc, out, used_lines)
    _prose(doc, out, used_lines)
    _bare_prose(doc, out, used_lines)
    _marked_paths(doc, out, used_lines)
    _path_led_lists(doc, out, used_lines)
    _tool_log_files(doc, out)
    return _without_covered_globs(out.changes)


def _without_covered_globs(changes: list[FileChange]) -> list[FileChange]:
    """`parser/*_test.go` next to the real `parser/events_test.go` adds nothing: drop the glob."""
    def is_glob(path: str) -> bool:
        return "*" in path or "?" in path

    concrete = [c.path for c in changes if not is_glob(c.path)]
    return [c for c in changes
            if not is_glob(c.path) or not any(fnmatch.fnmatchcase(p, c.path) for p in concrete)]


def _file_tables(doc: Document, out: _Collected, used: set[int]) -> None:
    """A "| File | Change |" table outside a files section (under "Changed:", "Touched files"):
    its header says what it lists, wherever it stands."""
    for block in doc.blocks:
        if block.kind != "row" or block.is_header or block.line in used:
            continue
        header = {h.strip().lower() for h in block.header}
        if header.intersection(_PATH_HEADERS) and header.intersection(_ACTION_HEADERS):
            _row_files(block, "unknown", out)
            used.add(block.line)


def _inline_fields(doc: Document, out: _Collected, used: set[int]) -> None:
    """`**Deleted:** \\`x.ts\\``, `**Files modified:** .gitignore`: a files label with paths after it."""
    for found in field_lines(doc, kinds=("paragraph", "item")):
        if found.block.line in used or not found.value:
            continue
        action = title_action(found.key)
        if action is None:
            continue
        spans = [s for _, s in marked_spans(found.block.inline)]
        candidates = [s for s in spans if s in found.value] or re.split(r",\s*|\s+and\s+", found.value)
        for candidate in candidates:
            for path in paths_in(candidate):
                out.add(path, action, found.line)


_PROSE = re.compile(
    r"^\s*(?:\*\*[^*]+\*\*:?\s*|[A-Za-z ]{1,30}:\s+)?(?:(?:I|we)\s+(?:also\s+)?)?(?P<verb>[A-Za-z]+)\b", re.I)


def _prose(doc: Document, out: _Collected, used: set[int]) -> None:
    """"Created migration `x.sql`", "Updated `a.ts` and `b.ts`": a line that starts with a change verb.

    Only the first path near the verb and the paths listed right after it count: in "Created
    `a.ts` instead of extending `b.ts`" the second file was not touched.
    """
    for block in doc.blocks:
        if block.kind not in ("paragraph", "item") or block.line in used or block.lazy_inline is None:
            continue
        if "`" not in block.raw:
            continue
        verbs = {**PROSE_VERBS, **TICKED_VERBS} if block.checked else PROSE_VERBS
        for line, raw_line in block.raw_lines():
            if "`" not in raw_line:
                continue  # only a `code span` names a file here
            for raw in _SENTENCE_BREAK.split(raw_line):
                if "`" in raw:
                    _prose_sentence(raw, line, out, verbs)


def _bare_prose(doc: Document, out: _Collected, used: set[int]) -> None:
    """"- added dunecast/qc/flags.py: range checks": a change verb opening an item or paragraph,
    right before a path written without backticks. Only a path with a folder counts: a bare
    `flags.py` or `README` after a verb is too often a word of the sentence."""
    for block in doc.blocks:
        if block.kind not in ("paragraph", "item") or block.line in used or block.checked is False:
            continue
        for line, raw in block.raw_lines():
            if "/" not in raw:
                continue  # no folder, no bare path
            match = _BARE_PROSE.match(raw)
            if match is None or match.group("verb").lower() not in PROSE_VERBS:
                continue
            path = match.group("path").rstrip(".,;:")
            if "/" in path and is_path(path) and not out.renumbered(path):
                out.add(path, PROSE_VERBS[match.group("verb").lower()], line)


def _path_led_lists(doc: Document, out: _Collected, used: set[int]) -> None:
    """A list without a heading whose every entry opens with a path ("- `a/b.py`: LANGUAGES +
    LocaleMiddleware", "- `c.po` (new)", "- app/calendar/view.py — new month view", a ticked
    "- [x] `api/x.py` — new endpoint") lists changed files: "new" marks a created one, any other
    entry was modified. One such entry alone is too little to tell; an unticked box is a plan."""
    blocks = doc.blocks
    grouped: set[int] = set()
    for index, block in enumerate(blocks):
        if block.kind != "item" or index in grouped:
            continue
        siblings = [index]
        for later in range(index + 1, len(blocks)):
            other = blocks[later]
            if other.kind != "item" or other.depth < block.depth:
                break
            if other.depth == block.depth:
                siblings.append(later)
        grouped.update(siblings)
        run = [blocks[i] for i in siblings]
        section = block.section
        if len(run) < 2 or (section is not None and (section.level > 1 or section.parent)) or any(
                b.line in used or b.checked is False for b in run):
            continue  # under a heading, the heading says what the list is ("Known Stubs"); the
            # report's own title does not
        leads = [_PATH_LED.match(b.raw) for b in run]
        found = [_led_paths(m) for m in leads]
        if not all(found):
            continue
        for entry, lead, paths in zip(run, leads, found, strict=True):
            assert lead is not None
            action: FileAction = "created" if re.match(r"\W*new\b", lead.group("rest"), re.I) else "modified"
            for path in paths:
                if not out.renumbered(path):
                    out.add(path, action, entry.line)


def _led_paths(lead: re.Match[str] | None) -> list[str]:
    if lead is None:
        return []
    if lead.group("code") is not None:
        return paths_in(lead.group("code"))
    bare = lead.group("bare")
    return [bare] if "/" in bare and is_path(bare) else []


_PATH_LED = re.compile(
    r"^\s*(?:`(?P<code>[^`\n]+)`|(?P<bare>[\w.@+-]+(?:/[\w.@+-]+)+))\s*(?=[:(—–]|-\s|$)(?P<rest>.*)")

_BARE_PROSE = re.compile(
    r"^\s*(?:(?:I|we)\s+)?(?P<verb>[A-Za-z]+)\s+(?:(?:the|a|an|new)\s+)?(?P<path>[\w.@+-]+(?:/[\w.@+-]+)+)"
    r"(?=$|[:,;(]|\s(?!\s*(?:to|into|from)\b))")  # "Added x/y.rs to the chat" put it somewhere

# "... URLs 301-redirect. Updated `urls.py`": a change verb may open any sentence of a line
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+(?=[A-Z])")
# "Created `a.py` and modified `b.py`": a second verb takes over for the paths after it
_VERB_JOIN = re.compile(r"\s*[,;]?\s*(?:and\s+)?(?:also\s+)?(?P<verb>[A-Za-z]+)\s+(?:(?:the|a|an)\s+)?")


def _prose_sentence(raw: str, line: int, out: _Collected, verbs: dict[str, FileAction]) -> None:
    raw = _STARTED_EDITING.sub(r"\g<lead>edited", raw)  # "Started editing `x.py`": x.py was touched
    match = _PROSE.match(_STEP_NUMBER.sub("", raw))  # "- [x] 2.1 Create ..."
    if not match or match.group("verb").lower() not in verbs:
        return
    raw = _STEP_NUMBER.sub("", raw)
    action = verbs[match.group("verb").lower()]
    previous_end: int | None = None
    for code in _CODE_SPAN.finditer(raw):
        paths = paths_in(code.group(1))
        if previous_end is None:
            words_before = raw[match.end():code.start()].split()
            if len(words_before) > _PROSE_WINDOW:
                break
            if not paths:
                continue
            last = words_before[-1].lower() if words_before else ""
            if last in _INTO_WORDS and action == "created":
                action = "modified"  # "Added a helper in `x.ts`": x.ts existed
            elif last == "from" and action == "deleted":
                action = "modified"  # "Removed the flag from `deploy.sh`": the file stays
        elif not paths:
            break
        elif not (_JOINERS.fullmatch(raw[previous_end:code.start()])
                  or _COMPANION.fullmatch(raw[previous_end:code.start()])):
            joined = _VERB_JOIN.fullmatch(raw[previous_end:code.start()])
            if joined is None or joined.group("verb").lower() not in verbs:
                break
            action = verbs[joined.group("verb").lower()]
        for path in paths:
            if not out.renumbered(path):
                out.add(path, action, line)
        previous_end = code.end()


_STARTED_EDITING = re.compile(
    r"^(?P<lead>\s*(?:(?:I|we)\s+)?)(?:started|began)\s+(?:editing|modifying|updating|rewriting)\b", re.I)
# "Added `x.go` and its unit test `x_test.go`": the companion file shares the verb
_COMPANION = re.compile(
    r"\s*(?:,\s*)?(?:and|plus|with)\s+(?:its|their|the|a|an)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:tests?|specs?|fixtures?|stories|story|mocks?)\s*", re.I)
_APPLIED_EDIT = re.compile(r"^\s*Applied edit to\s+(?P<path>\S+)\s*$")


def _tool_log_files(doc: Document, out: _Collected) -> None:
    """Aider prints "Applied edit to internal/log/logger.go" for every file it changed."""
    for block in doc.blocks:
        if block.kind != "paragraph":
            continue
        for line, raw in block.raw_lines():
            match = _APPLIED_EDIT.match(raw)
            if match:
                for path in paths_in(match.group("path")):
                    out.add(path, "modified", line)


_MARK_WORDS: dict[str, FileAction] = {
    "new": "created", "created": "created", "added": "created",
    "modified": "modified", "updated": "modified", "edited": "modified", "changed": "modified",
    "deleted": "deleted", "removed": "deleted",
}
_MARK = "(?P<{name}>" + "|".join(_MARK_WORDS) + ")"
_MARKED_PATH = re.compile(
    r"`(?P<p1>[^`]+)`\s*\(\s*" + _MARK.format(name="a1") + r"(?:\s+file)?\s*[),;]"  # `x.py` (created)
    r"|\(\s*`(?P<p2>[^`]+)`\s+" + _MARK.format(name="a2") + r"\s*\)"  # (`x.html` modified)
    r"|\b" + _MARK.format(name="a3") + r"\s*\(\s*`(?P<p3>[^`]+)`\s*\)"  # Docs updated (`README.md`)
    r"|`(?P<p4>[^`]+)`\s+(?!new\b)" + _MARK.format(name="a4")  # `tests/x.py` added with ...
    + r"\b(?!\s+(?:to|into|in|from|by)\b)",  # not "`a.py` added to the allowlist"
    re.I)


def _marked_paths(doc: Document, out: _Collected, used: set[int]) -> None:
    """A path with its action written right next to it, anywhere in the text: "Generate `x.po`
    (created)", "(`a.html` modified)", "Docs updated (`README.md`)". An unticked box is a plan."""
    for block in doc.blocks:
        if block.kind not in ("paragraph", "item") or block.line in used or block.checked is False:
            continue
        if "`" not in block.raw:
            continue
        for line, raw in block.raw_lines():
            if "`" not in raw:
                continue  # every `_MARKED_PATH` form has a code span
            for match in _MARKED_PATH.finditer(raw):
                index = next(i for i in (1, 2, 3, 4) if match.group(f"p{i}") is not None)
                action = _MARK_WORDS[match.group(f"a{index}").lower()]
                for path in paths_in(match.group(f"p{index}")):
                    if not out.renumbered(path):
                        out.add(path, action, line)
