"""The one exception family tracker raises on purpose; the CLI turns each into a one-line message."""

from __future__ import annotations


class TrackerError(Exception):
    """An expected failure a user can act on. `exit_code` is what the CLI returns for it."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: error: {self.message}" if where else f"error: {self.message}"


class ReportError(TrackerError):
    """A report file that cannot be read as a report (binary, not UTF-8, empty, bad front matter)."""


class UsageError(TrackerError):
    """Bad arguments or options: the caller must change the command."""

    exit_code = 2


class NotFoundError(TrackerError):
    """A task, item or report the caller named does not exist."""
