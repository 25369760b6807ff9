"""Whatever a plan file holds, import gives a Plan or one PlanError line, never a traceback."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.plan.detect import parse_plan
from tracker.plan.model import Plan, PlanError

PIECES = st.sampled_from([
    "## Phase 1: A\n", "### Phase 2.1: B\n", "- [ ] **1.1** [X] Title\n", "- [!] **2.3** T\n",
    "  - **Action:** a\n", "  - **Validation:** `cmd` passes, < 5MB\n", "- [x] Phase 3: C (2/3 plans)\n",
    "- [ ] 03-01-PLAN.md — p\n",
    "**Success Criteria** (what must be TRUE):\n", "  1. works\n", "**Plans**: 3 plans\n",
    "| Phase | Plans Complete | Status |\n|---|---|---|\n| 1. A | 1/2 | In progress |\n",
    "```\n- [ ] **9.9** in code\n", "\n", "text\n", "---\nfm: [\n---\n", "<details>\n",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=14), st.sampled_from(["plan.md", "ROADMAP.md", "RALPH.md"]))
def test_markdown_plans(pieces, name):
    try:
        plan = parse_plan("".join(pieces), name)
    except PlanError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(plan, Plan)
    assert all(t.line is None or t.line >= 1 for t in plan.tasks)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "title", "phase", "passes", "blocked", "tasks", "validation"]), inner,
        max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES)
def test_runner_files(value):
    try:
        plan = parse_plan(json.dumps(value), "PRD.json")
    except PlanError as exc:
        assert "\n" not in str(exc)
        return
    assert plan.tasks
