"""Shared plumbing of the read commands' output: JSON values, CSV rows, Rich console, paths."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def jsonable(value: Any) -> Any:
    """Dataclasses, dicts and lists with datetimes as ISO 8601 text, ready for `json.dumps`."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [jsonable(v) for v in value]
    spec = _DATACLASSES.get(kind)
    if spec is not None:  # a dataclass seen before: its field names are known
        names, where = spec
        data = {name: jsonable(getattr(value, name)) for name in names}
        if where:
            data["where"] = value.where
        return data
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        _DATACLASSES[kind] = (tuple(f.name for f in dataclasses.fields(value)), hasattr(value, "where"))
        return jsonable(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})
_DATACLASSES: dict[type, tuple[tuple[str, ...], bool]] = {}
"""Field names (and whether it has a `where`) per dataclass: the generic walk over 50,000 items
asked `dataclasses.fields` of each (weekly JSON spent most of its time there)."""


def write_json(value: Any) -> None:
    sys.stdout.write(json.dumps(jsonable(value), ensure_ascii=False) + "\n")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else jsonable(v) for v in row])


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def shown_path(path: str) -> str:
    """A stored absolute path, relative to the working directory when it lies below it."""
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


STATUS_COLOURS = {"pass": "green", "fail": "red", "partial": "yellow", "blocked": "red",
                  "open": "yellow", "closed": "green", "waived": "cyan", "withdrawn": "dim"}


def coloured(value: str) -> str:
    colour = STATUS_COLOURS.get(value)
    return f"[{colour}]{value}[/{colour}]" if colour else value
