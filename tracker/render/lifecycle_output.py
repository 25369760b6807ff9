"""Output of the lifecycle commands: close/waive/reopen/confirm, `brief` and `check`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from tracker.render.formats import shown_path, write_csv, write_json

if TYPE_CHECKING:
    from tracker.gate import CheckResult
    from tracker.query import Brief, DeferredView
    from tracker.store.lifecycle_store import ItemChange


def emit_change(change: ItemChange, fmt: str) -> None:
    if fmt == "json":
        write_json(change)
    elif fmt == "csv":
        write_csv(["id", "task", "action", "from_state", "to_state", "actor", "reason"],
                  [[change.id, change.task, change.action, change.from_state, change.to_state,
                    change.actor, change.reason]])
    else:
        why = f": {change.reason}" if change.reason else ""
        sys.stdout.write(f"{change.id} ({change.task}) {change.from_state} -> {change.to_state} "
                         f"by {change.actor}{why}\n")


def _line(v: DeferredView) -> str:
    flags = f" [{', '.join(v.flags)}]" if v.flags else ""
    text = " ".join(v.text.split())
    line = (f"- `{v.id}` (task {v.task}, {v.kind}{'/' + v.reason if v.reason else ''}, "
            f"{v.age_days}d old){flags}: {text} ({shown_path(v.path)}:{v.line})")
    if v.state == "candidate" and v.evidence:
        line += f"\n  - evidence so far ({shown_path(v.closed_by or '')}): {' '.join(v.evidence.split())}"
    return line


def brief_markdown(brief: Brief) -> str:
    """Markdown for the agent's prompt: what it owes, then how to say it closed it."""
    out = [f"# Deferred items for task {brief.task}", ""]
    if not (brief.owed or brief.missed or brief.candidates):
        out += ["Nothing deferred to this task is open.", ""]
    sections = [
        (f"## Open items aimed at task {brief.task}", "Earlier tasks left these checks or work to this task:",
         brief.owed),
        ("## Missed items of this phase", "Their target task reported without closing them; "
         "close them here if this task can:", brief.missed),
        ("## Candidate closures awaiting review", "A report may have closed these; if you can, "
         "show the evidence explicitly:", brief.candidates),
    ]
    for title, lead, items in sections:
        if items:
            out += [title, "", lead, "", *(_line(v) for v in items), ""]
    out.append(brief.convention.rstrip())
    return "\n".join(out) + "\n"


def emit_brief(brief: Brief, fmt: str) -> None:
    if fmt == "json":
        write_json({"task": brief.task, "project": brief.project, "owed": brief.owed, "missed": brief.missed,
                    "candidates": brief.candidates, "convention": brief.convention,
                    "markdown": brief_markdown(brief)})
    elif fmt == "csv":
        write_csv(["section", "id", "task", "kind", "target", "state", "path", "line", "text"],
                  [[section, v.id, v.task, v.kind, v.target, v.state, v.path, v.line, v.text]
                   for section, items in (("owed", brief.owed), ("missed", brief.missed),
                                          ("candidate", brief.candidates)) for v in items])
    else:
        sys.stdout.write(brief_markdown(brief))


def emit_check(result: CheckResult, fmt: str) -> None:
    if fmt == "json":
        write_json(result)
        return
    if fmt == "csv":
        write_csv(["rule", "id", "project", "task", "path", "line", "message"],
                  [[v.rule, v.id, v.project, v.task, v.path, v.line, v.message] for v in result.violations])
        return
    rules = ",".join(result.policy["fail_on"])
    age = result.policy["max_age_days"]
    policy = f"fail-on {rules}" + (f", max-age {age:g}d" if age else "") + f" ({result.policy['source']})"
    if result.ok:
        sys.stdout.write(f"check passed: {policy}\n")
        return
    for v in result.violations:
        where = f"{shown_path(v.path)}:{v.line}" if v.path and v.line else shown_path(v.path or "")
        ident = f"{v.id} " if v.id else ""
        sys.stdout.write(f"{v.rule}: {ident}{v.project} {v.task} {where}: {' '.join(v.message.split())}\n")
    counts = ", ".join(f"{n} {rule}" for rule, n in result.counts.items() if n)
    sys.stdout.write(f"check failed: {counts} ({policy})\n")
