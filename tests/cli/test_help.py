"""`--help` is how users learn an option's default: every option's help must reach the screen whole.

Typer renders help through Rich markup, where "[default: ...]" is a style tag that silently
vanishes unless the bracket is escaped; this walks every command so a new option can't lose it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import typer

from tracker.cli import app


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(argv path, click command) of every leaf command (Typer vendors its own click)."""
    if hasattr(group, "commands"):
        for name, command in group.commands.items():
            yield from _commands(command, (*path, name))
    else:
        yield path, group


COMMANDS = sorted(_commands(typer.main.get_command(app)), key=lambda pair: pair[0])


def _flat(text: str) -> str:
    return re.sub(r"[\s│]+", " ", text)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_option_help_is_shown_whole(path: tuple[str, ...], command: Any,
                                          run_cli: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    shown = _flat(run_cli(*path, "--help").stdout)
    helps = [param.help for param in command.params if param.param_type_name == "option" and param.help]
    assert helps, f"{' '.join(path)} has no documented option"
    for help_text in helps:
        assert _flat(help_text.replace("\\[", "[")) in shown


def test_db_option_names_its_default(run_cli: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert "[default: $TRACKER_DB, else ./tracker.db]" in run_cli("status", "--help").stdout
