"""`tracker ingest`: find report files, skip the unchanged ones cheaply, parse the rest, store them.

Three stages so that parsing can later run in a process pool while one writer stores:
`collect_sources` (paths → Source), `_decide` (stat, then sha256, against the stored current
revision: unchanged files are never parsed), `parse_source` (a pure, picklable function of the
bytes) and `Store.store_report` (one transaction per report).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import ReportError, TrackerError, UsageError

if TYPE_CHECKING:
    from tracker.model import Report
    from tracker.parse.document import Document
    from tracker.store import KnownSource, Store, StoreResult

STDIN = "-"
DEFAULT_GLOB = "*.md"
DEFAULT_MAX_SIZE = 5 * 1024 * 1024
TOUCH_BATCH = 500
"""Touched-but-unchanged files get their new stat remembered in one transaction per this many."""


@dataclass(frozen=True)
class Source:
    """One report to ingest: a file, or stdin's bytes under a name."""

    name: str
    """The path stored and shown (absolute for files, `--name` for stdin)."""
    project: str
    root: str | None = None
    path: Path | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class FileOutcome:
    """What one stored or failed file did: the per-file rows of `tracker ingest --format json`."""

    file: str
    project: str
    outcome: str
    """`ingested` (a new source), `revised` (new content of a stored one) or `failed`."""
    report_id: int | None = None
    opened: int = 0
    closed: int = 0
    proposed: int = 0
    withdrawn: int = 0
    error: str | None = None


@dataclass
class IngestSummary:
    ingested: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    opened: int = 0
    """Deferred items the stored reports opened."""
    closed: int = 0
    """Earlier items closed by the stored reports' evidence."""
    proposed: int = 0
    """Earlier items made candidate closures (awaiting `tracker confirm`)."""
    withdrawn: int = 0
    stale: int = 0
    """Unchanged files whose stored revision an earlier parser read (`--reparse` reads them again)."""
    files: list[FileOutcome] | None = None
    """Per stored or failed file, when the caller asked for them (`keep_files`): unchanged files are
    only counted, so re-ingesting a large tree keeps nothing per file."""

    def line(self) -> str:
        return f"ingested {self.ingested}, unchanged {self.unchanged}, failed {self.failed}"

    def items_line(self) -> str:
        """The deferred items' side of the run, for people: empty when nothing changed."""
        parts = [f"{n} {what}" for n, what in ((self.opened, "opened"), (self.closed, "closed"),
                                                (self.proposed, "proposed for closing"),
                                                (self.withdrawn, "withdrawn")) if n]
        return f"deferred items: {', '.join(parts)}" if parts else ""


def git_toplevel(start: Path) -> Path | None:
    """The enclosing git work tree, found by looking for `.git` (no subprocess)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def default_project(path: Path) -> tuple[str, Path]:
    """A folder given is its own project; a lone file belongs to its git work tree, else its folder."""
    path = path.resolve()
    if path.is_dir():
        return path.name or str(path), path
    folder = git_toplevel(path.parent) or path.parent
    return folder.name or str(folder), folder


SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox",
                             ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages"})
"""Folders that hold other people's markdown (dependencies, VCS internals), never agent reports.
Other hidden folders are searched: GSD keeps its summaries under `.planning/`."""


def find_reports(folder: Path, pattern: str = DEFAULT_GLOB) -> list[Path]:
    """Files under `folder` matching `pattern` (by name, or by relative path if it has a '/').

    What `os.walk` would find (sorted, symlinked folders not entered), with one `scandir` per
    folder and no `stat` per file: a re-ingest of an unchanged tree is mostly this walk.
    """
    found: list[Path] = []
    by_path = "/" in pattern

    def walk(path: str, relative: str) -> None:
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            return
        folders = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                folders.append(entry)
                continue
            target = f"{relative}{entry.name}" if by_path else entry.name
            if fnmatch.fnmatchcase(target, pattern) and entry.is_file():
                found.append(Path(entry.path))
        for entry in folders:
            if entry.name not in SKIPPED_FOLDERS and not entry.is_symlink():
                walk(entry.path, f"{relative}{entry.name}/")

    walk(str(folder), "")
    return found


def collect_sources(paths: Sequence[str], *, glob: str = DEFAULT_GLOB, project: str | None = None,
                    name: str | None = None, stdin: bytes | None = None) -> list[Source]:
    """Expand the command line into sources, in a stable order. UsageError before any work."""
    if not paths:
        raise UsageError("give at least one file, folder or '-' for stdin")
    if name and STDIN not in paths:
        raise UsageError("--name names stdin input: use it together with '-'")
    if list(paths).count(STDIN) > 1:
        raise UsageError("'-' (stdin) can be given only once")
    missing = [p for p in paths if p != STDIN and not Path(p).exists()]
    if missing:
        raise UsageError("no such file or folder", path=missing[0])
    if project is not None and not project.strip():
        raise UsageError("--project must not be empty")
    sources: list[Source] = []
    seen: set[str] = set()
    for given in paths:
        if given == STDIN:
            cwd = Path.cwd()
            folder = git_toplevel(cwd) or cwd
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            sources.append(Source(name=name or "<stdin>", project=project or folder.name,
                                  root=str(folder), data=data))
            continue
        path = Path(given)
        proj, root = default_project(path)
        # Walking the resolved folder yields absolute names already: no resolve() per file.
        files = find_reports(path.resolve(), glob) if path.is_dir() else [path.resolve()]
        for file in files:
            resolved = file.as_posix()
            if resolved in seen:
                continue
            seen.add(resolved)
            sources.append(Source(name=resolved, project=project or proj, root=str(root), path=file))
    return sources


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_source(name: str, data: bytes) -> tuple[Report, str]:
    """Bytes → (Report, text); ReportError for anything that is not a readable report.

    Module-level and pure, so a process pool can run it.
    """
    report, text, _document = read_source(name, data)
    return report, text


def read_source(name: str, data: bytes) -> tuple[Report, str, Document]:
    """`parse_source` plus the markdown document it read (ingest scans it for closing evidence)."""
    from tracker.parse.pipeline import decode_report, parse_document

    text = decode_report(data, name)
    try:
        report, document = parse_document(text, name)
    except TrackerError:
        raise
    except Exception as exc:  # a parser bug must cost one file, not the whole ingest
        raise ReportError(f"parser failed ({type(exc).__name__}: {exc})", path=name) from exc
    return report, text, document


@dataclass(frozen=True)
class _Work:
    source: Source
    data: bytes
    sha256: str
    size: int
    mtime: float | None


def _decide(source: Source, known: KnownSource | None, max_size: int,
            touch: Callable[[int, int, float], None], *, reread: bool = False) -> _Work | None:
    """None when the stored current revision already has this content (stat, then hash).

    `reread`: an earlier parser read the stored revision and the caller wants it read again, so
    same content is no reason to skip it."""
    if reread:
        known = None
    if source.path is None:
        data = source.data or b""
        sha = sha256_hex(data)
        if known is not None and known.sha256 == sha:
            return None
        return _Work(source, data, sha, len(data), None)
    try:
        stat = os.stat(source.path)
        if known is not None and known.size == stat.st_size and known.mtime == stat.st_mtime:
            return None
        if stat.st_size > max_size:
            raise ReportError(f"file is {stat.st_size:,} bytes, over the {max_size:,}-byte limit "
                              "(raise it with --max-size)", path=source.name)
        data = source.path.read_bytes()
    except OSError as exc:
        raise ReportError(exc.strerror or str(exc), path=source.name) from exc
    sha = sha256_hex(data)
    if known is not None and known.sha256 == sha:
        touch(known.report_id, len(data), stat.st_mtime)
        return None
    return _Work(source, data, sha, len(data), stat.st_mtime)


def ingest(store: Store, sources: Iterable[Source], *, max_size: int = DEFAULT_MAX_SIZE,
           executor: Executor | None = None, window: int = 64,
           on_done: Callable[[Source], None] | None = None,
           on_error: Callable[[str], None] | None = None, keep_files: bool = False,
           reparse: bool = False) -> IngestSummary:
    """Ingest every source; one bad file is reported through `on_error` and the rest go on.

    With an `executor` (a process pool) parsing runs in parallel, at most `window` files in
    flight so memory stays flat, while this process remains the only writer. `keep_files` keeps a
    `FileOutcome` per stored or failed file in `summary.files`. `reparse` reads again the files
    whose stored revision an earlier parser read (a new revision only where it reads differently);
    without it they are counted in `summary.stale`.
    """
    from tracker.parser_version import parser_version

    summary = IngestSummary(files=[] if keep_files else None)
    current_parser = parser_version()
    # The current project's stored sources only: sources come project by project, and keeping
    # every project's would grow with the tree (going back to a project reads it again).
    known_project: list[Any] = [None, {}]
    touched: list[tuple[int, int, float | None]] = []

    def touch(report_id: int, size: int, mtime: float | None) -> None:
        touched.append((report_id, size, mtime))
        if len(touched) >= TOUCH_BATCH:
            store.touch_many(touched)
            touched.clear()

    def fail(message: str, source: Source) -> None:
        summary.failed += 1
        summary.errors.append(message)
        if summary.files is not None:
            summary.files.append(FileOutcome(source.name, source.project, "failed", error=message))
        store.record_parse_failure(source.project, source.name, message, root=source.root)
        if on_error:
            on_error(message)

    def work_items() -> Iterator[_Work]:
        for source in sources:
            if known_project[0] != source.project:
                known_project[:] = [source.project, store.known_sources(source.project)]
            known: dict[str, KnownSource] = known_project[1]
            stored = known.get(source.name)
            stale = stored is not None and stored.parser_version != current_parser
            try:
                work = _decide(source, stored, max_size, touch, reread=stale and reparse)
            except ReportError as exc:
                fail(str(exc), source)
                _done(source)
                continue
            if work is None:
                summary.unchanged += 1
                summary.stale += stale
                _done(source)
                continue
            yield work

    def _done(source: Source) -> None:
        if on_done:
            on_done(source)

    for work, parsed in _parsed(work_items(), executor, window):
        if isinstance(parsed, str):
            fail(parsed, work.source)
        else:
            from tracker.store import SourceMeta

            report, text, evidence = parsed
            meta = SourceMeta(work.source.name, work.sha256, work.size, work.mtime, current_parser)
            result = store.store_report(work.source.project, report, meta, root=work.source.root,
                                        text=text, evidence=evidence)
            if result.outcome == "unchanged":
                summary.unchanged += 1
            else:
                _count_stored(summary, work.source, result)
        _done(work.source)
    if touched:
        store.touch_many(touched)
    return summary


def _count_stored(summary: IngestSummary, source: Source, result: StoreResult) -> None:
    summary.ingested += 1
    summary.opened += result.opened
    summary.closed += result.closed
    summary.proposed += result.proposed
    summary.withdrawn += result.withdrawn
    if summary.files is not None:
        summary.files.append(FileOutcome(source.name, source.project, result.outcome, result.report_id,
                                         result.opened, result.closed, result.proposed, result.withdrawn))


def _parse_or_error(name: str, data: bytes) -> tuple[Report, str, dict[str, Any] | None] | str:
    """The report, its text and closing evidence, or its one-line error (a string pickles cleanly).

    The evidence scan runs here, in the parse worker, so the single writer only stores.
    """
    try:
        report, text, document = read_source(name, data)
    except ReportError as exc:
        return str(exc)
    return report, text, _evidence(document)


def _evidence(document: Document) -> dict[str, Any] | None:
    """The closing evidence of the document just parsed (the markdown is not read again)."""
    from tracker.evidence import scan_document

    try:
        return scan_document(document).to_data()
    except Exception:  # the writer scans again and reports it there, as it did before
        return None


def _parse_many(files: list[tuple[str, bytes]]) -> list[tuple[Report, str, dict[str, Any] | None] | str]:
    """`_parse_or_error` over a chunk of files: one round trip to a worker per chunk, not per file."""
    return [_parse_or_error(name, data) for name, data in files]


CHUNK = 8
"""Files per task sent to a parse worker."""

_Parsed = tuple["Report", str, "dict[str, Any] | None"] | str


def _parsed(items: Iterator[_Work], executor: Executor | None,
            window: int) -> Iterator[tuple[_Work, _Parsed]]:
    """Parse in order, in this process or through the executor with a bounded queue.

    With an executor, files go out in chunks of `CHUNK` and at most `window` files are in
    flight: workers parse the next chunks while this process (the writer) stores the results.
    """
    if executor is None:
        for work in items:
            yield work, _parse_or_error(work.source.name, work.data)
        return
    from collections import deque

    pending: deque[tuple[list[_Work], Future[list[_Parsed]]]] = deque()
    most = max(2, window // CHUNK)
    chunk: list[_Work] = []

    def submit() -> None:
        files = [(w.source.name, w.data) for w in chunk]
        pending.append((list(chunk), executor.submit(_parse_many, files)))
        chunk.clear()

    for work in items:
        chunk.append(work)
        if len(chunk) >= CHUNK:
            submit()
        while len(pending) >= most:
            works, future = pending.popleft()
            yield from zip(works, future.result(), strict=True)
    if chunk:
        submit()
    while pending:
        works, future = pending.popleft()
        yield from zip(works, future.result(), strict=True)
