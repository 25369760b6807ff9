"""Pydantic models of one parsed report: the JSON contract of `tracker parse --json`.

Supervising agents and the scorer read this shape; add fields freely, but never
rename or remove one without bumping `SCHEMA_VERSION`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Format = Literal["ralph", "gsd", "generic"]
StatusValue = Literal["pass", "fail", "partial", "blocked", "in_progress", "unknown"]
FileAction = Literal["created", "modified", "deleted", "unknown"]
CheckState = Literal["done", "warning", "failed", "open", "pending"]
DeferredKind = Literal["validation", "work"]
DeferredReason = Literal[
    "deployment", "credentials", "manual", "environment", "tool-missing",
    "estimate", "not-run", "stub", "later",
]
TARGET_WORDS = ("deployment", "credentials", "manual", "environment", "later")

_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}"  # a date alone stays a date
    r"(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?"  # time, optional offset
)


def _check_iso(value: str | None) -> str | None:
    if value is not None and not _ISO.fullmatch(value):
        raise ValueError(f"not an ISO 8601 date or time: {value!r}")
    return value


IsoTime = Annotated[str | None, AfterValidator(_check_iso)]
"""ISO 8601 text with exactly the precision the report gave (date, naive or offset time)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskRef(_Model):
    id: str | None = None
    title: str | None = None
    category: str | None = None
    phase: str | None = None
    line: int | None = None


class StatusField(_Model):
    value: StatusValue = "unknown"
    raw: str | None = None
    qualifier: str | None = None
    line: int | None = None


class Timestamps(_Model):
    completed: IsoTime = None
    started: IsoTime = None
    completed_line: int | None = None
    started_line: int | None = None


class FileChange(_Model):
    path: str
    action: FileAction = "unknown"
    note: str | None = None
    line: int


class ChecklistItem(_Model):
    text: str
    state: CheckState
    section: str | None = None
    line: int


class DeferredItem(_Model):
    text: str
    kind: DeferredKind
    reason: DeferredReason | None = None
    target: str | None = None
    line: int
    end_line: int
    lines: list[int] = Field(default_factory=list)
    section: str | None = None


class Report(_Model):
    """Everything tracker read from one report file."""

    source: str
    format: Format = "generic"
    task: TaskRef = Field(default_factory=TaskRef)
    status: StatusField = Field(default_factory=StatusField)
    validation: StatusField | None = None
    timestamps: Timestamps = Field(default_factory=Timestamps)
    files: list[FileChange] = Field(default_factory=list)
    checklist: list[ChecklistItem] = Field(default_factory=list)
    deferred: list[DeferredItem] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class FailedReport(_Model):
    """What `parse --json` prints for a file it could not read: the order of lines stays intact."""

    source: str
    error: str
    line: int | None = None
