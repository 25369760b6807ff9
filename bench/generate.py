"""Write a seeded, realistic corpus of N agent reports for the benchmarks.

The corpus mixes the layouts tracker reads (RALPH execution summaries, GSD plan summaries,
generic completion reports) over several projects and weeks, with deferrals, later
closings, checklists, status tables and file lists. Its SHAPE (lines per report, files,
code blocks, share with deferrals, ...) comes from `bench/corpus_shape.py` run on the real
corpus; every word is drawn from the vocabularies below, never from that corpus.

Reports are written one at a time (the corpus is never held in memory) and the output is
byte-identical for the same seed and size.

    .venv/bin/python bench/generate.py bench/out/corpus-10000 --reports 10000 [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from bisect import bisect_right
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

# Measured by `bench/corpus_shape.py` on ../shared/corpus (97 labelled reports, 2026-11-25).
# Quantile tuples are (min, p10, p50, p90, max).
SHAPE: dict[str, dict] = {
    "ralph": {
        "share": 0.608,
        "lines": (36, 70, 129, 186, 286),
        "files": (0, 2, 3, 6, 9),
        "code_blocks": (0, 1, 2, 4, 14),
        "headings": (6, 6, 9, 16, 30),
        "share_with_deferred": 0.407,
        "items_per_deferring_report": 1.45,
        "lines_per_item": 3.29,
        "share_with_checkboxes": 0.0,
        "share_with_tables": 0.0,
        "kind_validation": 0.857,
        "targets": {
            "credentials": 0.257,
            "later": 0.171,
            "manual": 0.171,
            "none": 0.114,
            "task": 0.114,
            "environment": 0.114,
            "deployment": 0.057,
        },
    },
    "gsd": {
        "share": 0.309,
        "lines": (59, 87, 118, 172, 207),
        "files": (1, 1, 4, 10, 15),
        "code_blocks": (0, 0, 0, 1, 2),
        "headings": (5, 8, 11, 13, 15),
        "share_with_deferred": 0.367,
        "items_per_deferring_report": 1.28,
        "lines_per_item": 4.07,
        "share_with_checkboxes": 0.2,
        "checkboxes": (3, 5, 8, 11, 17),
        "share_with_tables": 0.3,
        "table_rows": (4, 5, 8, 11, 12),
        "kind_validation": 0.214,
        "targets": {
            "credentials": 0.286,
            "environment": 0.286,
            "task": 0.214,
            "later": 0.143,
            "manual": 0.071,
        },
    },
    "generic": {
        "share": 0.082,
        "lines": (17, 19, 113, 225, 306),
        "files": (2, 6, 7, 11, 17),
        "code_blocks": (0, 0, 2, 3, 4),
        "headings": (0, 0, 11, 24, 40),
        "share_with_deferred": 0.75,
        "items_per_deferring_report": 2.5,
        "lines_per_item": 5.47,
        "share_with_checkboxes": 0.125,
        "checkboxes": (4, 5, 8, 10, 10),
        # The real generic reports have no tables, but the layout tracker reads has status
        # tables with warning/pending/failed marks, so a quarter of generic reports carry one.
        "share_with_tables": 0.25,
        "table_rows": (4, 5, 6, 8, 10),
        "kind_validation": 0.8,
        "targets": {"manual": 0.4, "environment": 0.2, "task": 0.2, "none": 0.133, "later": 0.067},
    },
}
SHARE_CLOSED_LATER = 0.297
"""Share of deferred items a later report of the same project closes (measured: 19 of 64)."""

# The real corpus is almost all passes; agent loops also fail. A few percent of non-passes
# keep those code paths (and retries of the same task) in the benchmark.
STATUS_MIX = {"pass": 0.88, "partial": 0.06, "fail": 0.03, "blocked": 0.02, "in_progress": 0.01}
RETRY_AFTER_FAILURE = 0.6
TASKS_PER_PHASE = 12
CLOSE_CHANCE = 0.3
"""Chance a report closes its project's oldest open item; above the rate items are queued, so
the queue drains and about SHARE_CLOSED_LATER of all items end up closed."""
EPOCH = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # a Monday
GENERATOR_VERSION = 2
"""Part of the corpus directory name in bench/run.py: a changed generator never reuses an old corpus."""

# ---------------------------------------------------------------------------- vocabularies
ADJECTIVES = [
    "amber",
    "brisk",
    "cobalt",
    "dusky",
    "ember",
    "fabled",
    "granite",
    "hollow",
    "ivory",
    "jade",
    "kindred",
    "lunar",
    "maple",
    "nimble",
    "onyx",
    "polar",
    "quiet",
    "russet",
    "silver",
    "tidal",
]
NOUNS = [
    "ledger",
    "harbor",
    "quill",
    "orchard",
    "beacon",
    "compass",
    "lantern",
    "meadow",
    "relay",
    "summit",
    "atlas",
    "bramble",
    "canyon",
    "delta",
    "forge",
    "glacier",
    "heron",
    "island",
    "juniper",
    "kestrel",
]
COMPONENTS = [
    "billing",
    "auth",
    "search",
    "notifications",
    "reports",
    "uploads",
    "scheduler",
    "audit",
    "inventory",
    "profiles",
    "webhooks",
    "exports",
    "sessions",
    "payments",
    "metrics",
    "catalog",
    "messaging",
    "onboarding",
    "permissions",
    "settings",
    "invoices",
    "calendar",
    "tenants",
]
ARTIFACTS = [
    "service",
    "handler",
    "client",
    "repository",
    "schema",
    "router",
    "worker",
    "validator",
    "mapper",
    "controller",
    "store",
    "hook",
    "view",
    "middleware",
    "policy",
    "adapter",
    "queue",
    "cache",
    "serializer",
    "form",
]
STACKS = {
    "ts": ("src/{c}/{a}.ts", "tests/{c}/{a}.test.ts", "src/components/{C}{A}.tsx"),
    "py": ("app/{c}/{a}.py", "tests/{c}/test_{a}.py", "app/{c}/templates/{a}.html"),
    "go": ("internal/{c}/{a}.go", "internal/{c}/{a}_test.go", "cmd/{c}/main.go"),
}
CATEGORIES = ["API", "DB", "UI", "Infra", "Auth", "Docs", "Test", "Perf", "Sec", "Ops"]
VERBS = [
    "Added",
    "Implemented",
    "Wired",
    "Refactored",
    "Extracted",
    "Introduced",
    "Replaced",
    "Hardened",
    "Documented",
    "Split",
    "Cached",
    "Validated",
    "Renamed",
    "Simplified",
    "Moved",
]
PURPOSES = [
    "so retries stay idempotent",
    "to keep tenants isolated",
    "behind a feature flag",
    "with structured logging",
    "using the shared connection pool",
    "for the nightly batch",
    "with pagination on every list endpoint",
    "to avoid repeated queries",
    "with input length limits",
    "so the UI can poll progress",
    "with a typed error result",
    "without blocking the event loop",
    "with an index on the lookup column",
    "guarded by the role check",
    "with a 30 s timeout",
]
TITLE_VERBS = [
    "Create",
    "Add",
    "Build",
    "Wire up",
    "Harden",
    "Migrate",
    "Expose",
    "Paginate",
    "Cache",
    "Schedule",
    "Validate",
    "Index",
    "Audit",
    "Seed",
    "Refactor",
]
TITLE_OBJECTS = [
    "{c} {a}",
    "{c} endpoints",
    "{c} tables",
    "{c} admin view",
    "{c} export job",
    "{c} rate limits",
    "{c} retry policy",
    "{c} event log",
    "{c} search index",
]
CHECK_COMMANDS = [
    "npm run typecheck",
    "npm test",
    "pytest -q",
    "go test ./...",
    "ruff check .",
    "npm run lint",
    "cargo test",
    "make check",
    "go vet ./...",
    "mypy app",
]
OUTPUT_LINES = [
    "{n} passed in {s}s",
    "ok  \t{c}\t{s}s",
    "Found 0 errors in {n} files",
    "✓ {n} tests",
    "compiled {n} modules",
    "no issues found",
    "PASS {c}/{a} ({s}s)",
]
SECURITY = [
    "Inputs are validated before they reach the {c} {a}",
    "No secrets are logged by the {c} {a}",
    "The {c} {a} checks the caller's tenant on every request",
    "Errors return generic messages",
    "Queries use bound parameters only",
    "Tokens expire after 15 minutes",
    "Uploads are size-limited and type-checked",
]
DEFERRED_TOOLS = [
    ("Docker", "the image build"),
    ("Playwright", "the end-to-end run"),
    ("a staging cluster", "the load test"),
    ("Postgres 16", "the migration dry run"),
    ("a GPU runner", "the model smoke test"),
    ("Xcode", "the iOS build"),
    ("Redis", "the queue integration test"),
    ("a mail relay", "the delivery check"),
]
SERVICES = ["Stripe", "OpenAI", "SendGrid", "Twilio", "Mapbox", "Slack", "GitHub App", "Algolia"]
MANUAL_CHECKS = [
    "keyboard navigation on the settings page",
    "the invoice email in a desktop mail client",
    "drag-and-drop on touch devices",
    "screen-reader labels on the upload form",
    "the dark theme contrast",
    "the onboarding flow on a small phone",
    "printing the monthly report",
]
WORK_ITEMS = [
    "bulk export to CSV",
    "the retry dashboard",
    "webhook signature rotation",
    "soft delete",
    "per-tenant quotas",
    "the audit log viewer",
    "offline mode",
    "localised date formats",
    "the admin impersonation switch",
    "streaming uploads",
]
ENVIRONMENTS = ["production", "staging", "the preview app", "the shared test cluster"]
TAGS = ["typescript", "nextjs", "postgres", "fastapi", "go", "redis", "tailwind", "graphql", "grpc", "sqlite"]
LIBS = [
    "zod@3.23.8",
    "pydantic@2.8",
    "chi@5.1",
    "dayjs@1.11",
    "pino@9.3",
    "httpx@0.27",
    "cobra@1.8",
    "vitest@2.0",
    "sqlc@1.27",
    "structlog@24.4",
]
COMMIT_TYPES = ["feat", "fix", "chore", "test", "refactor", "docs"]
STATUS_WORDS = {
    "ralph": {
        "pass": "✅ PASS",
        "partial": "⚠️ PARTIAL",
        "fail": "❌ FAIL",
        "blocked": "⛔ BLOCKED",
        "in_progress": "⏳ IN PROGRESS",
    },
    "generic": {
        "pass": "success",
        "partial": "partial",
        "fail": "failed",
        "blocked": "blocked",
        "in_progress": "in progress",
    },
}
TABLE_MARKS = {"ok": "✅ Done", "warn": "⚠️ Partial", "wait": "⏳ Pending", "bad": "❌ Failed"}


# ---------------------------------------------------------------------------- sampling helpers
def quantile_draw(rng: random.Random, quantiles: tuple[float, ...]) -> int:
    """Inverse-CDF draw through (min, p10, p50, p90, max), linear between the points."""
    probs = (0.0, 0.1, 0.5, 0.9, 1.0)
    u = rng.random()
    i = min(bisect_right(probs, u), len(probs) - 1)
    lo_p, hi_p = probs[i - 1], probs[i]
    lo_v, hi_v = quantiles[i - 1], quantiles[i]
    return round(lo_v + (hi_v - lo_v) * (u - lo_p) / (hi_p - lo_p))


def weighted(rng: random.Random, mix: dict[str, float]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


# ---------------------------------------------------------------------------- corpus state
@dataclass
class OpenItem:
    """A deferral a later report of the same project may close."""

    task_label: str
    check: str


@dataclass
class Project:
    name: str
    layout: str
    stack: str
    reports: int = 0
    last_status: str = "pass"
    last_task: tuple[int, int] = (1, 0)
    retries: int = 0
    open_items: deque[OpenItem] = field(default_factory=lambda: deque(maxlen=64))


@dataclass
class Stats:
    counts: Counter[str] = field(default_factory=Counter)
    bytes: int = 0
    lines: int = 0


@dataclass
class Deferral:
    kind: str
    target: str
    check: str
    statement: str
    restatements: list[str]


# ---------------------------------------------------------------------------- text builders
class Writer:
    """Builds one report's text from vocabularies; one instance per report, seeded per report."""

    def __init__(
        self,
        rng: random.Random,
        project: Project,
        task: tuple[int, int],
        when: datetime,
        status: str,
        index: int,
    ) -> None:
        self.rng = rng
        self.project = project
        self.phase, self.number = task
        self.when = when
        self.status = status
        self.index = index
        self.component = rng.choice(COMPONENTS)
        self.artifact = rng.choice(ARTIFACTS)
        self.shape = SHAPE[project.layout]

    # -- small pieces
    def fill(self, template: str) -> str:
        c, a = self.rng.choice(COMPONENTS), self.rng.choice(ARTIFACTS)
        return template.format(
            c=c,
            a=a,
            C=c.title(),
            A=a.title(),
            n=self.rng.randint(2, 400),
            s=round(self.rng.uniform(0.1, 30), 2),
        )

    def path(self) -> str:
        template = self.rng.choice(STACKS[self.project.stack])
        if self.rng.random() < 0.12:
            month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
            return f"db/migrations/2026{month:02d}{day:02d}_{self.component}.sql"
        return self.fill(template)

    def sentence(self) -> str:
        obj = self.fill("`{c}` {a}") if self.rng.random() < 0.5 else self.fill("the {c} {a}")
        return f"{self.rng.choice(VERBS)} {obj} {self.rng.choice(PURPOSES)}"

    def title(self) -> str:
        return f"{self.rng.choice(TITLE_VERBS)} {self.rng.choice(TITLE_OBJECTS)}".format(
            c=self.component, a=self.artifact
        ).capitalize()

    def other_task(self) -> str:
        later = self.number + self.rng.randint(1, 4)
        if self.project.layout == "gsd":
            return f"{self.phase:02d}-{later:02d}"
        return f"{self.phase}.{later}"

    def task_label(self) -> str:
        if self.project.layout == "gsd":
            return f"{self.phase:02d}-{self.number:02d}"
        if self.project.layout == "generic":
            return f"{self.phase * 20 + self.number}"
        return f"{self.phase}.{self.number}"

    def timestamp(self) -> str:
        """The completion time in one of the spellings agents use."""
        style = self.rng.random()
        if style < 0.35:
            return self.when.strftime("%Y-%m-%dT%H:%M:%SZ")
        if style < 0.65:
            local = self.when.astimezone(self.project_tz())
            return (
                local.strftime("%Y-%m-%d %H:%M UTC")
                + local.strftime("%z")[:3]
                + ":"
                + local.strftime("%z")[3:]
            )
        if style < 0.85:
            return self.when.strftime("%Y-%m-%dT%H:%M:%S")
        return self.when.strftime("%Y-%m-%d")

    def project_tz(self) -> timezone:
        """A fixed offset per project (crc32, not hash(), so it is the same in every process)."""
        return timezone(timedelta(hours=(zlib.crc32(self.project.name.encode()) % 5) - 1))

    def bullets(self, n: int) -> list[str]:
        return [f"- {self.sentence()}" for _ in range(n)]

    def code_block(self) -> list[str]:
        cmd = self.rng.choice(CHECK_COMMANDS)
        out = [f"$ {cmd}"] + [self.fill(self.rng.choice(OUTPUT_LINES)) for _ in range(self.rng.randint(1, 8))]
        return ["```", *out, "```", ""]

    # -- deferrals and closings
    def deferral(self) -> Deferral:
        rng = self.rng
        kind = "validation" if rng.random() < self.shape["kind_validation"] else "work"
        target = weighted(rng, self.shape["targets"])
        if kind == "work":
            work = rng.choice(WORK_ITEMS)
            where = {"task": f"Task {self.other_task()}", "later": "a follow-up task"}.get(
                target, "a later phase"
            )
            if self.project.layout == "gsd" and rng.random() < 0.6:
                stub = (
                    f"`{self.path()}` - `{rng.choice(ARTIFACTS)}()` returns placeholder data until plan "
                    f"{self.other_task()}"
                )
                return Deferral(
                    kind, "task", work, stub, [f"{work.capitalize()} is stubbed; see Known Stubs"]
                )
            return Deferral(
                kind,
                target,
                work,
                f"{work.capitalize()} is postponed to {where}",
                [f"Out of scope here: {work} ({where})"],
            )
        tool, check = rng.choice(DEFERRED_TOOLS)
        if target == "credentials":
            service = rng.choice(SERVICES)
            check = f"the {service} integration test"
            statement = f"{check.capitalize()} requires a {service} API key, which is not configured here"
            again = [
                f"{service} calls were not exercised: requires API key",
                f"Set `{service.upper().replace(' ', '_')}_API_KEY` before running {check}",
            ]
        elif target == "manual":
            check = rng.choice(MANUAL_CHECKS)
            statement = f"Manual testing required: {check}"
            again = [
                f"{check.capitalize()} still needs a person to check it",
                "Not verified in a browser yet",
            ]
        elif target == "environment":
            statement = f"⚠️ {tool} is not available in this environment - {check} was skipped"
            again = [f"{check.capitalize()} deferred until {tool} is available"]
        elif target == "deployment":
            env = rng.choice(ENVIRONMENTS)
            statement = f"{check.capitalize()} will be validated during deployment to {env}"
            again = [f"PASS locally; {check} pending deployment"]
        elif target == "task":
            other = self.other_task()
            statement = f"{check.capitalize()} will be covered by Task {other}"
            again = [f"See Task {other} for {check}"]
        else:
            statement = f"{check.capitalize()} was not run here and is left for later"
            again = [f"{check.capitalize()} still to do"]
        return Deferral(kind, target, check, statement, again)

    def closing_lines(self, item: OpenItem) -> list[str]:
        """Half follow tracker's documented convention (README: `- Closes: <task> <what> — <evidence>`),
        half only show the check done, which tracker must match by subject."""
        evidence = self.fill(self.rng.choice(OUTPUT_LINES))
        if self.rng.random() < 0.5:
            return [f"- Closes: {item.task_label} {item.check} — `{evidence}`"]
        return [f"- ✅ Ran {item.check} deferred from Task {item.task_label}: passed (`{evidence}`)"]


# ---------------------------------------------------------------------------- layouts
def write_ralph(
    w: Writer, files: list[str], deferrals: list[Deferral], closings: list[OpenItem], target_lines: int
) -> list[str]:
    rng = w.rng
    title = w.title()
    qualifier = ""
    field_deferral = next((d for d in deferrals if d.kind == "validation"), None)
    validation = "PASS" if w.status == "pass" else STATUS_WORDS["ralph"][w.status].split()[-1]
    if field_deferral is not None and rng.random() < 0.5:
        qualifier = (
            f" (local checks passed, {field_deferral.restatements[0][0].lower()}"
            f"{field_deferral.restatements[0][1:]})"
        )
    field_style = "**Status:**" if rng.random() < 0.8 else "**Status**:"
    lines = [
        f"# Execution Summary - Task {w.task_label()}: [{rng.choice(CATEGORIES)}] {title}",
        "",
        f"{field_style} {STATUS_WORDS['ralph'][w.status]}  ",
        f"{field_style.replace('Status', 'Completed')} {w.timestamp()}  ",
        f"{field_style.replace('Status', 'Validation')} {validation}{qualifier}",
        "",
        "## What Was Implemented",
        *w.bullets(rng.randint(3, 8)),
        "",
        "## Files Created/Modified",
        "",
    ]
    if files:
        lines += [f"- `{p}` - {w.sentence().lower()}" for p in files]
    else:
        lines.append("- None (configuration only)")
    lines += ["", "## Validation Results", ""]
    lines += w.code_block()
    lines += [f"- ✅ {w.sentence()}" for _ in range(rng.randint(2, 6))]
    for d in deferrals:
        lines.append(f"- {d.statement}" if d.statement.startswith("⚠️") else f"- ⚠️ {d.statement}")
    for item in closings:
        lines += w.closing_lines(item)
    lines += ["", "## Security Considerations", ""]
    lines += [f"- ✅ {w.fill(rng.choice(SECURITY))}" for _ in range(rng.randint(2, 5))]
    extra_code = max(0, quantile_draw(rng, w.shape["code_blocks"]) - 1)
    lines += filler(w, target_lines - len(lines) - 8, extra_code, "###")
    lines += ["", "## Notes for Supervisor", ""]
    for d in deferrals:
        lines += [f"- {r}" for r in d.restatements[: max(0, round(w.shape["lines_per_item"]) - 2)]]
    lines.append(f"- Ready to proceed to Task {w.phase}.{w.number + 1}")
    return lines


def write_gsd(
    w: Writer, files: list[str], deferrals: list[Deferral], closings: list[OpenItem], target_lines: int
) -> list[str]:
    rng = w.rng
    title = w.title()
    created = [p for p in files if rng.random() < 0.6]
    modified = [p for p in files if p not in created]
    started = w.when - timedelta(minutes=rng.randint(3, 90))
    slug = f"{w.phase:02d}-{w.component}"
    fm = [
        "---",
        f"phase: {slug}",
        f"plan: {w.number:02d}",
        f"subsystem: {w.component}",
        f"tags: [{', '.join(rng.sample(TAGS, 3))}]",
        "",
        "# Dependency graph",
        f"requires: [{w.phase:02d}-{max(1, w.number - 1):02d}]" if w.number > 1 else "requires: []",
        "provides:",
        *[f"  - {w.sentence()}" for _ in range(rng.randint(2, 5))],
        f"affects: [{w.other_task()}]",
        "",
        "# Tech tracking",
        "tech-stack:",
        "  added:",
        *[f"    - {lib}" for lib in rng.sample(LIBS, rng.randint(1, 3))],
        "  patterns:",
        *[f"    - {w.sentence()}" for _ in range(rng.randint(1, 3))],
        "",
        "key-files:",
    ]
    if created:
        fm += ["  created:", *[f"    - {p}" for p in created]]
    if modified:
        fm += ["  modified:", *[f"    - {p}" for p in modified]]
    fm += [
        "",
        "key-decisions:",
        *[f'  - "{w.sentence()}"' for _ in range(rng.randint(1, 4))],
        "",
        f"requirements-completed: [{w.component.upper()[:4]}-{rng.randint(1, 20):02d}]",
        "",
        "# Metrics",
        f"duration: {rng.randint(3, 90)}min",
        f"completed: {w.when.strftime('%Y-%m-%d')}",
        "---",
        "",
    ]
    lines = [
        *fm,
        f"# Phase {w.phase} Plan {w.number:02d}: {title} Summary",
        "",
        f"**{w.sentence()}**",
        "",
        "## Performance",
        "",
        f"- **Duration:** {rng.randint(3, 90)} min",
        f"- **Started:** {started.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"- **Completed:** {w.when.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"- **Tasks:** {rng.randint(1, 5)}",
        f"- **Files modified:** {len(files)}",
        "",
        "## Accomplishments",
        "",
        *w.bullets(rng.randint(2, 6)),
        "",
        "## Task Commits",
        "",
    ]
    for i in range(1, rng.randint(2, 5)):
        lines.append(
            f"{i}. **Task {i}: {w.sentence()}** - `{rng.getrandbits(28):07x}` ({rng.choice(COMMIT_TYPES)})"
        )
    lines += ["", "## Files Created/Modified", "", *[f"- `{p}` - {w.sentence().lower()}" for p in files], ""]
    if w.status != "pass":
        lines += [
            "## Issues Encountered",
            "",
            f"- Plan not finished: {w.sentence().lower()} is {w.status}",
            "",
        ]
    if closings:
        lines += ["## Closed Follow-ups", ""]
        for item in closings:
            lines += w.closing_lines(item)
        lines.append("")
    lines += ["## User Setup Required", ""]
    credentials = [d for d in deferrals if d.target == "credentials"]
    if credentials:
        lines += [d.statement + "." for d in credentials] + [""]
        lines += [f"- {r}" for d in credentials for r in d.restatements] + [""]
    else:
        lines += ["None - no external service configuration required.", ""]
    stubs = [d for d in deferrals if d.target != "credentials"]
    if stubs:
        lines += ["## Known Stubs", "", *[f"- {d.statement}" for d in stubs], ""]
    if rng.random() < w.shape["share_with_checkboxes"]:
        lines += ["## Verification", "", *checklist(w)]
    if rng.random() < w.shape["share_with_tables"]:
        lines += status_table(w)
    lines += filler(w, target_lines - len(lines) - 8, quantile_draw(rng, w.shape["code_blocks"]), "###")
    lines += ["## Next Phase Readiness", ""]
    for d in stubs:
        lines += [f"- {r}" for r in d.restatements]
    lines += [
        f"- Plan {w.phase:02d}-{w.number + 1:02d} can start",
        "",
        "---",
        f"*Phase: {slug}*",
        f"*Completed: {w.when.strftime('%Y-%m-%d')}*",
        "",
        "## Self-Check: PASSED",
    ]
    return lines


def write_generic(
    w: Writer, files: list[str], deferrals: list[Deferral], closings: list[OpenItem], target_lines: int
) -> list[str]:
    rng = w.rng
    if target_lines < 45:  # the short STATUS-block handoff some agents write
        lines = [
            f"STATUS: {STATUS_WORDS['generic'][w.status]}",
            f"SUMMARY: {w.sentence()}. {w.sentence()}.",
            "CHANGED FILES:",
            *[f"- {p}" for p in files],
            "TESTS:",
        ]
        for _ in range(rng.randint(1, 3)):
            lines.append(f"- `{rng.choice(CHECK_COMMANDS)}` — PASS")
        if w.status in {"fail", "partial"}:
            lines.append(f"- `{rng.choice(CHECK_COMMANDS)}` — FAIL ({w.sentence().lower()})")
        lines += ["NEW TASKS:", "- none", "ASSUMPTIONS/BLOCKERS:"]
        lines += [f"- {d.statement}" for d in deferrals] or ["- none"]
        for item in closings:
            lines += w.closing_lines(item)
        return lines
    label = w.task_label()
    status_head = {
        "pass": "✅ COMPLETED",
        "partial": "⚠️ PARTIAL",
        "fail": "❌ FAILED",
        "blocked": "⛔ BLOCKED",
        "in_progress": "⏳ IN PROGRESS",
    }[w.status]
    lines = [
        f"# Task {label}: {w.title()} - Summary",
        "",
        f"## Status: {status_head}",
        "",
        f"**Completed:** {w.timestamp()}",
        "",
        "## Overview",
        "",
        f"{w.sentence()}. {w.sentence()}.",
        "",
        "## Subtasks Completed",
        "",
    ]
    for i in range(1, rng.randint(2, 5)):
        lines += [f"### {label}.{i} {w.title()} ✅", "", *w.bullets(rng.randint(2, 5)), ""]
    if rng.random() < w.shape["share_with_tables"]:
        lines += status_table(w)
    if rng.random() < w.shape["share_with_checkboxes"]:
        lines += ["## Acceptance Criteria", "", *checklist(w)]
    lines += [
        "## Files Created/Modified",
        "",
        "**Created:**",
        *[f"- `{p}` - {w.sentence().lower()}" for p in files[: len(files) // 2 + 1]],
    ]
    if files[len(files) // 2 + 1 :]:
        lines += ["", "**Modified:**", *[f"- `{p}`" for p in files[len(files) // 2 + 1 :]]]
    lines.append("")
    for item in closings:
        lines += w.closing_lines(item)
    lines += filler(w, target_lines - len(lines) - 10, quantile_draw(rng, w.shape["code_blocks"]), "###")
    if deferrals:
        lines += ["## Remaining Work", ""]
        for d in deferrals:
            lines += [f"- ⏳ {d.statement}", *[f"  - {r}" for r in d.restatements]]
        lines += ["", "## Next Steps", ""]
        lines += [f"{i}. {d.restatements[-1]}" for i, d in enumerate(deferrals, 1)]
        lines.append("")
    return lines


def checklist(w: Writer) -> list[str]:
    n = quantile_draw(w.rng, w.shape["checkboxes"])
    return [f"- [{'x' if w.rng.random() < 0.85 else ' '}] {w.sentence()}" for _ in range(n)] + [""]


def status_table(w: Writer) -> list[str]:
    rows = ["| Check | Status | Notes |", "| --- | --- | --- |"]
    marks = {"ok": 0.7, "warn": 0.12, "wait": 0.1, "bad": 0.08}
    for _ in range(max(2, quantile_draw(w.rng, w.shape["table_rows"]) - 2)):
        mark = TABLE_MARKS[weighted(w.rng, marks)]
        rows.append(f"| `{w.rng.choice(CHECK_COMMANDS)}` | {mark} | {w.sentence().lower()} |")
    return ["## Check Results", "", *rows, ""]


def filler(w: Writer, budget: int, code_blocks: int, level: str) -> list[str]:
    """Extra notes sections (bullets, bold labels, code) until the report reaches its drawn length."""
    out: list[str] = [""]
    rng = w.rng
    while len(out) < budget or code_blocks > 0:
        out += [f"{level} {w.title()}", ""]
        if rng.random() < 0.4:
            out.append(f"**{rng.choice(['Notes', 'Details', 'Approach', 'Design'])}:**")
        out += w.bullets(rng.randint(2, 7))
        out.append("")
        if code_blocks > 0:
            out += w.code_block()
            code_blocks -= 1
    return out


LAYOUT_WRITERS = {"ralph": write_ralph, "gsd": write_gsd, "generic": write_generic}


def file_name(project: Project, task: tuple[int, int], retry: int) -> str:
    phase, number = task
    suffix = f"_r{retry + 1}" if retry else ""
    if project.layout == "gsd":
        return f".planning/phases/{phase:02d}-phase/{phase:02d}-{number:02d}{suffix}-SUMMARY.md"
    if project.layout == "generic":
        return f"reports/TASK_{phase * 20 + number}{suffix}_SUMMARY.md"
    return f"reports/task{phase}_{number}{suffix}.md"


# ---------------------------------------------------------------------------- driver
def make_projects(reports: int, seed: int) -> list[Project]:
    """About one project per 500 reports (at least 6), every layout represented."""
    rng = random.Random(seed)
    count = max(6, reports // 500)
    names: set[str] = set()
    projects = []
    for i in range(count):
        layout = (
            ["ralph", "gsd", "generic"][i]
            if i < 3
            else weighted(rng, {k: v["share"] for k, v in SHAPE.items()})
        )
        name = f"{rng.choice(ADJECTIVES)}-{rng.choice(NOUNS)}"
        while name in names:
            name = f"{name}-{i}"
        names.add(name)
        projects.append(Project(name, layout, rng.choice(list(STACKS))))
    return projects


def next_task(project: Project, rng: random.Random, tasks_per_phase: int) -> tuple[tuple[int, int], int]:
    """The task this report is about: a retry of a failed one, or the next in the plan."""
    if project.last_status != "pass" and rng.random() < RETRY_AFTER_FAILURE and project.retries < 3:
        project.retries += 1
        return project.last_task, project.retries
    project.retries = 0
    phase, number = project.last_task
    if number >= tasks_per_phase:
        phase, number = phase + 1, 0
    project.last_task = (phase, number + 1)
    return project.last_task, 0


def generate(out: Path, reports: int, seed: int, weeks: int) -> Stats:
    projects = make_projects(reports, seed)
    by_layout: dict[str, list[Project]] = {k: [p for p in projects if p.layout == k] for k in SHAPE}
    layout_mix = {k: v["share"] for k, v in SHAPE.items()}
    span = timedelta(weeks=weeks) / reports
    stats = Stats()
    made_dirs: set[Path] = set()
    for index in range(reports):
        rng = random.Random(seed * 1_000_003 + index)
        project = rng.choice(by_layout[weighted(rng, layout_mix)])
        shape = SHAPE[project.layout]
        task, retry = next_task(project, rng, TASKS_PER_PHASE)
        status = weighted(rng, STATUS_MIX)
        when = EPOCH + span * index + timedelta(minutes=rng.randint(0, 50))
        writer = Writer(rng, project, task, when, status, index)
        n_files = quantile_draw(rng, shape["files"])
        files = list(dict.fromkeys(writer.path() for _ in range(n_files)))
        deferrals: list[Deferral] = []
        if rng.random() < shape["share_with_deferred"]:
            extra = shape["items_per_deferring_report"] - 1
            deferrals = [writer.deferral() for _ in range(1 + int(extra) + (rng.random() < extra % 1))]
        closings: list[OpenItem] = []
        if project.open_items and rng.random() < CLOSE_CHANCE:
            closings.append(project.open_items.popleft())
        target_lines = quantile_draw(rng, shape["lines"])
        lines = LAYOUT_WRITERS[project.layout](writer, files, deferrals, closings, target_lines)
        for d in deferrals:
            if rng.random() < SHARE_CLOSED_LATER:
                project.open_items.append(OpenItem(writer.task_label(), d.check))
        project.last_status = status
        project.reports += 1
        path = out / project.name / file_name(project, task, retry)
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
        text = "\n".join(lines) + "\n"
        data = text.encode("utf-8")
        path.write_bytes(data)
        stats.counts[f"layout:{project.layout}"] += 1
        stats.counts[f"status:{status}"] += 1
        stats.counts["deferred_items"] += len(deferrals)
        stats.counts["reports_with_deferred"] += bool(deferrals)
        stats.counts["closings"] += len(closings)
        stats.counts["files"] += len(files)
        stats.counts["retries"] += bool(retry)
        stats.bytes += len(data)
        stats.lines += len(lines)
    stats.counts["projects"] = len(projects)
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to write (created; must be empty or absent)")
    parser.add_argument("--reports", "-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--weeks", type=int, default=26, help="weeks the reports are spread over")
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        sys.exit(f"{args.out}: error: directory is not empty (generate into a fresh one)")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    stats = generate(args.out, args.reports, args.seed, args.weeks)
    elapsed = time.perf_counter() - started
    manifest = {
        "reports": args.reports,
        "seed": args.seed,
        "weeks": args.weeks,
        "bytes": stats.bytes,
        "lines": stats.lines,
        **dict(sorted(stats.counts.items())),
    }
    (args.out / "corpus.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(
        f"wrote {args.reports} reports ({stats.bytes / 1e6:.1f} MB, {stats.lines / args.reports:.0f} lines "
        f"each on average) to {args.out} in {elapsed:.1f}s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
