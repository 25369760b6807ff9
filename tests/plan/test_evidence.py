"""The evidence matcher: only a shown result on the same subject counts, never a plan or estimate."""

from __future__ import annotations

from tracker.model import DeferredItem, Report, TaskRef
from tracker.parse.document import read_document
from tracker.plan.evidence import assess, split_checks
from tracker.plan.model import PlanTask


def verdict(validation: str, text: str, deferred: list[DeferredItem] | None = None, is_open=None):
    task = PlanTask(id="4.2", title="T", validation=validation)
    report = Report(source="r.md", task=TaskRef(id="4.2"), deferred=deferred or [])
    return assess(task, [(report, read_document(text, "r.md"))], is_open=is_open)


DEPLOY_PLAN_ONLY = """# Execution Summary - Task 4.2: Hosting Configuration

**Status:** ✅ PASS

## Validation Results

```
✅ hosting.toml exists
✅ web process configured
✅ queue process configured

Next steps:
   1. Deploy: ship deploy
```

## Notes

This task creates the configuration only. The actual deployment requires `ship deploy`.
"""


def test_a_command_named_only_in_next_steps_is_not_evidence():
    result = verdict("`ship deploy` succeeds, both processes running in dashboard", DEPLOY_PLAN_ONLY)
    assert result.verdict == "no evidence"
    assert [c.status for c in result.checks] == ["no evidence", "no evidence"]


def test_a_command_run_with_output_is_evidence():
    text = "## Validation Results\n\n```\n$ ship deploy\nRelease v12 live, 2 processes healthy\n```\n"
    result = verdict("`ship deploy` succeeds", text)
    assert result.verdict == "evidenced"
    assert result.checks[0].line == 4


def test_a_command_whose_output_fails_is_not_evidence():
    text = "## Validation Results\n\n```\n$ ship deploy\nError: no credentials\n```\n"
    assert verdict("`ship deploy` succeeds", text).verdict == "no evidence"


def test_an_estimate_does_not_meet_a_threshold():
    text = "## Validation\n\n- ✅ Image size: ~110MB estimated\n- ✅ Image build passes\n"
    result = verdict("image size < 500MB", text)
    assert result.verdict == "no evidence"


def test_a_measured_value_meets_a_threshold():
    text = "## Validation\n\n- ✅ Image size measured: 112MB\n"
    assert verdict("image size < 500MB", text).verdict == "evidenced"


def test_pass_marker_on_another_subject_is_not_evidence():
    text = "## Validation\n\n- ✅ Tenant isolation verified\n- ✅ 12 unit tests passed\n"
    assert verdict("Export file downloads as CSV", text).verdict == "no evidence"


def test_label_above_a_pass_line_names_its_subject():
    text = ("## Validation Results\n\n```\n=== Test 2: Request with expired token ===\n"
            "✅ PASS: Returned 401 Unauthorized\n```\n")
    result = verdict("request with expired token - 401", text)
    assert result.verdict == "evidenced"
    assert result.checks[0].line == 5


def test_deferred_item_covering_the_check():
    text = "## Validation\n\n- Docker is not installed here; the build runs during deployment\n"
    item = DeferredItem(text="Docker build deferred to deployment", kind="validation", target="deployment",
                        line=3, end_line=3, lines=[3])
    assert verdict("Docker build succeeds", text, [item]).verdict == "deferred"
    closed = verdict("Docker build succeeds", text, [item], is_open=lambda report, it: False)
    assert closed.verdict == "no evidence"


def test_deferred_lines_never_count_as_evidence():
    text = "## Validation\n\n- ✅ Docker build succeeded in CI (will be confirmed on deploy)\n"
    assert verdict("Docker build succeeds", text).verdict == "no evidence"


def test_no_validation_no_verdict():
    task = PlanTask(id="1", title="T")
    assert assess(task, []) is None


def test_split_checks_keeps_code_spans_whole():
    checks = split_checks("Run `SET a = 1; SELECT * FROM t;` - returns 0 rows, then 429 on request 101")
    assert [c.text for c in checks] == ["Run `SET a = 1; SELECT * FROM t;` - returns 0 rows",
                                        "then 429 on request 101"]
    assert checks[0].anchors == ("set a = 1; select * from t;",)
    assert "429" in checks[1].terms


def test_pass_markers_outside_result_sections_describe_not_show():
    text = ("## Security Considerations\n\n- ✅ Cascade deletes remove related embeddings\n\n"
            "## Validation Results\n\n- ✅ Document removed from the database\n")
    result = verdict("Document removed, cascade deletes embeddings", text)
    assert [c.status for c in result.checks] == ["evidenced", "no evidence"]
    assert result.checks[0].line == 7
    assert result.verdict == "no evidence"


def test_separator_lines_do_not_replace_the_test_label():
    text = ("## Validation Results\n\n```\nTest 2: Valid token + wrong workspace\n"
            "----------------------------------------\n✅ PASS: Request blocked with 403\n```\n")
    assert verdict("valid token + wrong workspace = 403", text).verdict == "evidenced"
