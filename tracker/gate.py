"""`tracker check`: the policy a CI job enforces, and what breaks it.

Policy comes from flags, else a `[tool.tracker]` table in ./pyproject.toml, else the default
(fail on missed items only): a gate that fails on everything by default gets switched off.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.durations import parse_duration
from tracker.errors import UsageError

if TYPE_CHECKING:
    from tracker.query import DeferredView
    from tracker.store import Store

RULES = ("missed", "unverified", "overdue", "candidates")
DEFAULT_FAIL_ON = ("missed",)


@dataclass(frozen=True)
class Policy:
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON
    max_age: timedelta | None = None
    source: str = "default"

    def describe(self) -> dict[str, Any]:
        return {"fail_on": list(self.fail_on),
                "max_age_days": self.max_age.total_seconds() / 86400 if self.max_age else None,
                "source": self.source}


@dataclass
class Violation:
    rule: str
    id: str | None
    project: str
    task: str
    message: str
    path: str | None = None
    line: int | None = None


@dataclass
class CheckResult:
    policy: dict[str, Any]
    ok: bool
    violations: list[Violation] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _rules(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, list):
        items = [str(v).strip() for v in value]
    else:
        raise UsageError(f"fail-on must be a list or a comma-separated string (in {where})")
    unknown = [v for v in items if v not in RULES]
    if unknown:
        raise UsageError(f"unknown fail-on rule {unknown[0]!r} (in {where}): use {', '.join(RULES)}")
    return tuple(dict.fromkeys(items))


def load_policy(fail_on: str | None = None, max_age: str | None = None,
                pyproject: Path | None = None) -> Policy:
    """Flags win; otherwise `[tool.tracker]` (`fail-on`, `max-age`) of pyproject.toml; else default."""
    table: dict[str, Any] = {}
    path = pyproject if pyproject is not None else Path.cwd() / "pyproject.toml"
    if path.is_file():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("tracker", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read [tool.tracker]: {exc}", path=str(path)) from exc
    source = "flags" if (fail_on or max_age) else ("pyproject.toml" if table else "default")
    age_text = max_age or table.get("max-age") or table.get("max_age")
    age = parse_duration(str(age_text)) if age_text else None
    if fail_on is not None:
        rules = _rules(fail_on, "--fail-on")
    elif "fail-on" in table or "fail_on" in table:
        rules = _rules(table.get("fail-on", table.get("fail_on")), "[tool.tracker]")
    else:
        rules = (*DEFAULT_FAIL_ON, "overdue") if age else DEFAULT_FAIL_ON
    if "overdue" in rules and age is None:
        raise UsageError("fail-on overdue needs a maximum age: give --max-age (e.g. 7d)")
    return Policy(rules, age, source)


def run_check(store: Store, policy: Policy, *, project: str | None = None) -> CheckResult:
    from tracker.query import deferred_items, unverified_tasks

    items = deferred_items(store, project=project, state="active")
    violations: list[Violation] = []
    if "missed" in policy.fail_on:
        violations += [_item(v, "missed", f"missed: target {v.target} reported without closing it")
                       for v in items if v.missed]
    if "candidates" in policy.fail_on:
        violations += [_item(v, "candidates", f"candidate closure awaits review: {v.closed_by}")
                       for v in items if v.state == "candidate"]
    if "overdue" in policy.fail_on and policy.max_age is not None:
        days = policy.max_age.total_seconds() / 86400
        violations += [_item(v, "overdue", f"open {v.age_days}d, over {days:g}d")
                       for v in items if v.age_days > days]
    if "unverified" in policy.fail_on:
        violations += [Violation("unverified", None, proj, task,
                                 f"passes with {n} unsettled validation deferral(s)", path)
                       for proj, task, path, n in unverified_tasks(store, project=project)]
    counts = {rule: sum(1 for v in violations if v.rule == rule) for rule in policy.fail_on}
    return CheckResult(policy.describe(), not violations, violations, counts)


def _item(view: DeferredView, rule: str, why: str) -> Violation:
    return Violation(rule, view.id, view.project, view.task, f"{why}: {view.text}", view.path, view.line)
