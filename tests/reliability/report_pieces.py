"""Hypothesis strategies that write report-like markdown: the pieces agents really use, mixed
with random text, so fuzzing reaches the extractors instead of stopping at "no heading found".

Everything here is invented; nothing is copied from real reports.
"""

from __future__ import annotations

import os

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "long"
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 100_000 if LONG_RUN else 200))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,  # a shared CI core makes per-example timings meaningless
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""The suite runs a modest number of examples; HYPOTHESIS_PROFILE=long runs the 100k-example soak
(FUZZ_EXAMPLES=N sets any other count, e.g. to run the soak in resumable chunks)."""

any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
words = st.sampled_from([
    "Implemented", "the", "login", "endpoint", "tests", "pass", "Docker", "build", "deploy",
    "migration", "API", "key", "TODO", "stub", "later", "manual", "verified", "npm", "pytest",
    "will be validated during deployment", "requires API key", "manual testing required",
    "Known stubs until plan 01-02", "not run", "skipped", "blocked by", "see PR #12",
])
sentence = st.lists(words, min_size=1, max_size=8).map(" ".join)
paths = st.builds(
    lambda d, n, e: f"{d}/{n}.{e}",
    st.sampled_from(["src", "app/api", "tests", "docs", "lib/core", "."]),
    st.sampled_from(["main", "auth", "user_model", "README", "index", "x"]),
    st.sampled_from(["py", "ts", "md", "json", "yaml", "sql"]),
)
task_ids = st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 40), st.integers(0, 40)) | st.builds(
    lambda a, b: f"{a:02d}-{b:02d}", st.integers(0, 20), st.integers(0, 20))
statuses = st.sampled_from([
    "✅ Complete", "✅ PASS", "❌ FAILED", "⚠️ Partial", "Blocked", "In progress", "Done",
    "PASS (with warnings)", "Deferred", "COMPLETE - pending deployment", "??", "",
])
times = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.sampled_from(["2024-02-30", "2024-13-01T25:61:00Z", "yesterday", "2025-01-01 10:00 UTC"]),
)
inline = st.one_of(
    sentence, any_text, paths.map(lambda p: f"`{p}`"), sentence.map(lambda s: f"**{s}**"),
    st.builds(lambda s, u: f"[{s}]({u})", sentence, any_text),
)
field_names = st.sampled_from([
    "Status", "Task", "Completed", "Started", "Validation", "Result", "Date", "Phase", "Plan",
    "Duration", "Files Changed", "Files Modified", "Tests", "Deferred",
])
fields = st.builds(lambda n, v: f"**{n}:** {v}", field_names, st.one_of(statuses, times, inline, task_ids))
headings = st.builds(
    lambda level, title: "#" * level + " " + title,
    st.integers(1, 7),
    st.one_of(
        st.builds(lambda i, t: f"Task {i}: {t}", task_ids, sentence),
        st.sampled_from(["Summary", "Files Changed", "Files Created", "Validation", "Checklist",
                         "Deferred", "Deviations", "Next Steps", "Known Stubs", "Issues", ""]),
        inline,
    ),
)
marks = st.sampled_from(["- [x]", "- [ ]", "- [X]", "* [x]", "- ✅", "- ⚠️", "- ❌", "-", "1.", "- ⏭️", "+"])
list_items = st.builds(lambda depth, mark, text: "  " * depth + f"{mark} {text}",
                       st.integers(0, 6), marks, st.one_of(inline, fields, paths))
checklists = st.lists(list_items, min_size=1, max_size=8).map("\n".join)
cells = st.one_of(paths.map(lambda p: f"`{p}`"),
                  st.sampled_from(["Created", "Modified", "Deleted", "✅", "❌"]), sentence,
                  any_text.map(lambda t: t.replace("|", "\\|").replace("\n", " ")))
tables = st.builds(
    lambda header, rows: "\n".join(
        ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        + ["| " + " | ".join(row) + " |" for row in rows]),
    st.lists(st.sampled_from(["File", "Action", "Status", "Check", "Notes", "Path"]), min_size=1, max_size=4),
    st.lists(st.lists(cells, min_size=1, max_size=4), max_size=6),
)
fences = st.builds(
    lambda info, body, closed: f"```{info}\n{body}" + ("\n```" if closed else ""),
    st.sampled_from(["", "bash", "python", "text"]), st.one_of(any_text, checklists, fields), st.booleans(),
)
quotes = st.builds(lambda depth, body: ">" * depth + " " + body, st.integers(1, 5), st.one_of(inline, fields))
html = st.sampled_from(["<details>\n<summary>Log</summary>\n\nsome text\n</details>", "<!-- note -->",
                        "<div>\n<b>x</b>", "<br>", "<table><tr><td>a</td></tr></table>"])
blocks = st.one_of(headings, fields, checklists, tables, fences, quotes, html, inline, any_text,
                   st.just("---"), st.just(""))

yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), times, sentence, paths, any_text),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
    max_leaves=12,
)
yaml_mappings = st.dictionaries(
    st.sampled_from(["phase", "plan", "status", "completed", "started", "key-files", "tags", "subsystem",
                     "duration", "requires", "provides", "title"]),
    yaml_values, max_size=8,
).map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False))
yaml_odd = st.lists(st.sampled_from([
    "a: &x [1, 2]", "b: *x", "date: 2024-02-30", ": :", "\tkey: v", "- item", "key: [unclosed",
    "n: " + "9" * 5000, "plain scalar", "'quoted", "k: `tick`", "k: @at", "? [a, b]\n: c",
]), max_size=5).map("\n".join)
front_matter = st.builds(lambda body: f"---\n{body}\n---", st.one_of(yaml_mappings, yaml_odd, any_text))


@st.composite
def reports(draw: st.DrawFn) -> str:
    """A report-shaped document: optional front matter, then blocks, with mixed separators."""
    parts = [draw(front_matter)] if draw(st.booleans()) else []
    parts += draw(st.lists(blocks, max_size=14))
    separators = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]),
                               min_size=len(parts), max_size=len(parts)))
    text = "".join(part + sep for part, sep in zip(parts, separators, strict=True))
    return text if draw(st.booleans()) else text.rstrip("\n")
