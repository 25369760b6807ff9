"""`tracker ingest --watch DIR...`: keep the database in step with reports as agents write them.

watchfiles groups the writes of one save (debounce); each changed report becomes a stored
revision and each changed plan file that was imported before is imported again. One line per
event; a file that cannot be read costs its own line, never the watcher. Ctrl-C (or the
`stop` event, for tests and embedding) ends it quietly.
"""

from __future__ import annotations

import fnmatch
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import TrackerError, UsageError
from tracker.ingest import DEFAULT_GLOB, DEFAULT_MAX_SIZE, SKIPPED_FOLDERS, STDIN, default_project, sha256_hex
from tracker.query import refresh_status_cache
from tracker.render.formats import shown_path
from tracker.store import SourceMeta, Store
from tracker.store.plans import import_plan_file, plan_sources

DEBOUNCE_MS = 400
"""Long enough to take an editor's write-rename-chmod as one save, short enough to feel immediate."""


@dataclass(frozen=True)
class WatchedRoot:
    path: Path
    project: str
    root: str


def watched_roots(paths: Sequence[str], project: str | None) -> list[WatchedRoot]:
    if STDIN in paths:
        raise UsageError("--watch watches files and folders: '-' (stdin) cannot be watched")
    roots = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UsageError("no such file or folder", path=given)
        name, root = default_project(path)
        roots.append(WatchedRoot(path.resolve(), project or name, str(root)))
    # Most specific first: a file event belongs to the deepest watched folder that holds it.
    return sorted(roots, key=lambda r: len(r.path.parts), reverse=True)


class Watcher:
    """Turns file events into ingests and plan re-imports; usable without watchfiles (tests call
    `handle` directly) and with it (`run`)."""

    def __init__(self, store: Store, roots: list[WatchedRoot], *, glob: str = DEFAULT_GLOB,
                 max_size: int = DEFAULT_MAX_SIZE, echo: Callable[[str], None] = print) -> None:
        self.store, self.roots, self.glob, self.max_size, self.echo = store, roots, glob, max_size, echo
        projects = {r.project for r in roots}
        self.plans = {source: names for source, names in plan_sources(store).items()
                      if projects & set(names)}

    def plan_files(self) -> list[Path]:
        """Imported plan files of the watched projects that live outside the watched folders."""
        return [Path(s) for s in self.plans if Path(s).is_file() and self._root_of(Path(s)) is None]

    def wanted(self, path: str) -> bool:
        if path in self.plans:
            return True
        file = Path(path)
        root = self._root_of(file)
        if root is None:
            return False
        relative = file.relative_to(root.path) if file != root.path else Path(file.name)
        if any(part in SKIPPED_FOLDERS for part in relative.parts[:-1]):
            return False
        target = relative.as_posix() if "/" in self.glob else file.name
        return file == root.path or fnmatch.fnmatchcase(target, self.glob)

    def _root_of(self, file: Path) -> WatchedRoot | None:
        for root in self.roots:
            if file == root.path or root.path in file.parents:
                return root
        return None

    def handle(self, paths: set[str]) -> None:
        """One debounced batch: every path once, in a stable order."""
        for path in sorted(paths):
            if not self.wanted(path):
                continue
            try:
                self._one(path)
            except TrackerError as exc:
                self.echo(str(exc))
            except Exception as exc:  # a bug or a vanished file must cost one event, not the watcher
                self.echo(f"error {shown_path(path)}: {type(exc).__name__}: {exc}")
        try:
            refresh_status_cache(self.store)  # `status` polled during the watch stays quick
        except Exception as exc:  # a locked database: the next read computes it instead
            self.echo(f"status cache not refreshed: {type(exc).__name__}: {exc}")

    def _one(self, path: str) -> None:
        file = Path(path)
        if not file.is_file():
            if path not in self.plans:
                self.echo(f"deleted {shown_path(path)} (its revisions stay in the database)")
            return
        if path in self.plans:
            for project in self.plans[path]:
                result = import_plan_file(self.store, file, project)
                if result.outcome != "unchanged":
                    self.echo(f"plan {result.line(shown_path(result.source))}")
            return
        self._ingest(file)

    def _ingest(self, file: Path) -> None:
        from tracker.ingest import parse_source
        from tracker.parser_version import parser_version

        root = self._root_of(file)
        assert root is not None  # wanted() checked it
        try:
            stat = os.stat(file)
            if stat.st_size > self.max_size:
                raise UsageError(f"file is {stat.st_size:,} bytes, over the {self.max_size:,}-byte limit",
                                 path=file.as_posix())
            data = file.read_bytes()
        except OSError as exc:
            raise UsageError(exc.strerror or str(exc), path=file.as_posix()) from exc
        name = file.as_posix()
        report, text = parse_source(name, data)
        meta = SourceMeta(name, sha256_hex(data), len(data), stat.st_mtime, parser_version())
        result = self.store.store_report(root.project, report, meta, root=root.root, text=text)
        if result.outcome == "unchanged":
            return
        facts = [f"task {report.task.id or '?'}", report.status.value]
        if result.opened:
            facts.append(f"{result.opened} deferred opened")
        if result.withdrawn:
            facts.append(f"{result.withdrawn} withdrawn")
        if result.closed:
            facts.append(f"{result.closed} earlier closed")
        if result.proposed:
            facts.append(f"{result.proposed} earlier proposed for closing")
        self.echo(f"{result.outcome} {shown_path(name)} ({', '.join(facts)})")

    def run(self, *, stop: threading.Event | None = None, debounce_ms: int = DEBOUNCE_MS,
            force_polling: bool | None = None) -> None:
        """Watch until Ctrl-C or `stop` is set."""
        import watchfiles

        targets = [r.path for r in self.roots] + self.plan_files()
        try:
            for changes in watchfiles.watch(
                *targets, watch_filter=lambda _change, path: self.wanted(path), debounce=debounce_ms,
                stop_event=stop, raise_interrupt=False, force_polling=force_polling,
                ignore_permission_denied=True,
            ):
                self.handle({path for _change, path in changes})
        except KeyboardInterrupt:  # Ctrl-C while a batch was being stored: that batch is committed or not
            return


def watch_command(db: str | None, paths: Sequence[str], *, project: str | None, glob: str,
                  max_size: int) -> None:
    """The `--watch` half of `tracker ingest` (after its first full pass)."""
    import logging

    import typer

    # watchfiles logs its own "KeyboardInterrupt caught" warning; Ctrl-C is the normal way out here.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    roots = watched_roots(paths, project)
    with Store.open(db) as store:
        watcher = Watcher(store, roots, glob=glob, max_size=max_size,
                          echo=lambda line: typer.echo(line))
        shown = ", ".join(shown_path(str(r.path)) for r in reversed(roots))
        typer.echo(f"watching {shown} (Ctrl-C stops)")
        watcher.run()
    typer.echo("stopped watching")
