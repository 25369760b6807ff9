"""Deferred-item detection on fictional reports, one cue per fixture (tests/fixtures/deferred/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.model import DeferredItem, Format, Report
from tracker.parse.deferred import extract_deferred
from tracker.parse.document import read_document

FIXTURES = Path(__file__).parents[1] / "fixtures" / "deferred"


def deferred(name: str, fmt: Format = "ralph") -> list[DeferredItem]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return deferred_in(text, fmt, name)


def deferred_in(text: str, fmt: Format = "ralph", source: str = "<text>") -> list[DeferredItem]:
    return extract_deferred(read_document(text, source), Report(source=source, format=fmt))


def covering(items: list[DeferredItem], line: int) -> DeferredItem:
    """The one item whose span or lines include `line`."""
    found = [it for it in items if it.line <= line <= it.end_line or line in it.lines]
    assert len(found) == 1, f"expected one item covering line {line}, got {found}"
    return found[0]


def covered_lines(items: list[DeferredItem]) -> set[int]:
    return {n for it in items for n in (*range(it.line, it.end_line + 1), *it.lines)}


# ---------------------------------------------------------------- RALPH-style execution summary

def test_qualifier_after_pass_is_a_deferral_merged_with_its_restatement() -> None:
    items = deferred("ralph_build_deferred.md")
    build = covering(items, 5)  # Validation: PASS (..., container build will be validated during ...)
    assert build.kind == "validation"
    assert build.reason == "deployment"
    assert build.line == 5 and build.end_line == 5
    assert 20 in build.lines  # "⚠️ Podman not installed ... build deferred to staging deployment"


def test_deployment_deferral_points_at_the_task_that_will_deploy() -> None:
    build = covering(deferred("ralph_build_deferred.md"), 5)
    assert build.target == "2.4"  # "Task 2.4 will deploy the renderer to staging"


def test_estimate_against_a_requirement_is_owed_and_joined_by_its_later_confirmation() -> None:
    size = covering(deferred("ralph_build_deferred.md"), 23)
    assert size.kind == "validation"
    assert size.reason == "estimate"
    assert 29 in size.lines  # "Actual image size will be confirmed during deployment"
    assert size.target == "2.4"


def test_plain_next_task_and_done_checks_are_not_deferrals() -> None:
    lines = covered_lines(deferred("ralph_build_deferred.md"))
    assert not lines & {19, 28, 30}  # ✅ compose config, "Task 2.4 will deploy", "Task 2.5: add logging"


# ---------------------------------------------------------------- credentials

def test_requires_api_key_restated_in_three_places_is_one_item() -> None:
    items = deferred("requires_key.md")
    assert len(items) == 1
    key = items[0]
    assert (key.kind, key.reason, key.target) == ("validation", "credentials", "credentials")
    assert key.line == 4
    assert {4, 16, 23} <= set(key.lines)


def test_an_endpoint_that_requires_a_jwt_is_a_feature_not_a_deferral() -> None:
    lines = covered_lines(deferred("requires_key.md"))
    assert not lines & {9, 14}


# ---------------------------------------------------------------- tables and markers

def test_warning_and_hourglass_cells_in_an_acceptance_table() -> None:
    items = deferred("acceptance_table.md")
    assert [it.line for it in items] == [10, 11]
    assert all(it.kind == "validation" for it in items)
    assert "archive bucket" in items[0].text


# ---------------------------------------------------------------- manual testing section

def test_manual_testing_required_yields_one_item_per_entry_with_the_heading() -> None:
    items = deferred("manual_testing.md")
    assert [it.line for it in items] == [14, 18]
    for item in items:
        assert (item.kind, item.reason, item.target) == ("validation", "manual", "manual")
        assert {10, 12} <= set(item.lines)  # heading and "The following items require manual testing"
    assert {15, 16} <= set(items[0].lines)
    assert 24 not in covered_lines(items)  # automated tests that passed
    assert 28 not in covered_lines(items)  # "Task 13: add preset tags" is the next task


# ---------------------------------------------------------------- GSD summaries

def test_known_stubs_table_and_its_restatements_go_to_the_next_plan() -> None:
    items = deferred("gsd_stubs_and_setup.md", "gsd")
    stub = covering(items, 35)
    assert stub.kind == "work"
    assert stub.target == "03-03"  # "Plan 03" in a phase-03 summary
    assert {19, 23, 35} <= set(stub.lines)


def test_user_setup_with_real_steps_is_owed_work() -> None:
    setup = covering(deferred("gsd_stubs_and_setup.md", "gsd"), 25)
    assert (setup.kind, setup.target) == ("work", "credentials")


def test_user_setup_none_known_stubs_none_and_resolved_deferral_owe_nothing() -> None:
    assert deferred("gsd_nothing_owed.md", "gsd") == []


def test_next_phase_readiness_is_not_a_deferral() -> None:
    lines = covered_lines(deferred("gsd_stubs_and_setup.md", "gsd"))
    assert 39 not in lines


# ---------------------------------------------------------------- free prose

def test_next_steps_that_are_checks_of_this_work_with_tests_not_run() -> None:
    items = deferred("next_steps_checks.md", "generic")
    assert [it.line for it in items] == [8, 9, 11]
    assert covering(items, 9).reason == "manual"
    assert all(it.kind == "validation" for it in items)


def test_code_behaviour_future_tasks_and_code_blocks_are_not_deferrals() -> None:
    assert deferred("no_deferrals.md") == []


def test_work_postponed_to_a_named_task() -> None:
    text = (
        "# Task 1 Summary\n\n### Notes\n\n"
        "- UI shows placeholder text (will be implemented in Tasks 11-14)\n"
        "- State serialization is stubbed out (will be implemented in Task 9)\n"
    )
    items = deferred_in(text, "generic")
    assert [(it.line, it.kind, it.target) for it in items] == [(5, "work", "11-14"), (6, "work", "9")]


def test_self_reference_is_later_not_this_task() -> None:
    text = (
        "# Execution Summary - Task 1.4: Create Tables\n\n"
        "- Tables are ready for row-level security policies (to be added in Task 1.4 follow-up)\n"
    )
    (item,) = deferred_in(text)
    assert (item.kind, item.target) == ("work", "later")


def test_items_are_in_source_order_with_sane_spans() -> None:
    for name in sorted(p.name for p in FIXTURES.glob("*.md")):
        fmt: Format = "gsd" if name.startswith("gsd") else "ralph"
        items = deferred(name, fmt)
        assert [it.line for it in items] == sorted(it.line for it in items)
        for item in items:
            assert item.line <= item.end_line
            assert item.line in item.lines
            assert item.text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "# Task 2.1 Report", "## Manual Testing Required", "## Known Stubs", "## User Setup Required",
    "None - nothing to do.", "- build deferred to deployment", "- requires API key for live testing",
    "| a | ⏳ Pending |", "|---|---|", "1. **Step:**", "   - verify it", "- [ ] test the flow",
    "```", "TODO: later", "Plan 03 will replace the stub", "", "text",
]), max_size=25))
def test_any_markdown_gives_items_inside_the_document(lines: list[str]) -> None:
    text = "\n".join(lines)
    total = len(text.split("\n"))
    for fmt in ("ralph", "gsd", "generic"):
        for item in deferred_in(text, fmt):  # type: ignore[arg-type]
            assert 1 <= item.line <= item.end_line <= total
            assert all(1 <= n <= total for n in item.lines)


# ---------------------------------------------------------------- a coding agent's final message

def test_final_message_deferrals_each_become_an_item() -> None:
    items = deferred("agent_final_message.md", "generic")
    by_line = {it.line: it for it in items}
    assert by_line[12].kind == "validation"  # Validation: PASS (unit tests only; ...)
    assert by_line[14].reason == "tool-missing"  # I didn't run the e2e suite: browsers not installed
    assert (by_line[20].kind, by_line[20].reason) == ("validation", "manual")  # open box among ticked ones
    assert by_line[21].kind == "work"
    assert by_line[23].reason == "manual"  # "How to test" with steps and no result
    assert by_line[31].kind == "work"  # hard-coded cap until the paging API lands
    assert by_line[32].target == "deployment"
    assert by_line[33].kind == "work"  # you'll need to run the migration
    assert not covered_lines(items) & {13, 18, 19}  # passed tests and ticked boxes


def test_done_message_with_results_and_ui_behaviour_owes_nothing() -> None:
    assert deferred("agent_done_message.md", "generic") == []


def test_hard_wrapped_prose_is_read_across_the_wrap() -> None:
    text = (
        "# Execution Summary - Task 2.3: Container\n\n"
        "**Status:** PASS\n"
        "**Validation:** PASS\n\n"
        "The container build will be validated\n"
        "during the staging deployment in task 2.4, once\n"
        "the registry is reachable.\n"
    )
    (item,) = deferred_in(text)
    assert (item.line, item.end_line) == (6, 8)
    assert item.target == "2.4"


def _one_line_report(line: str) -> list[DeferredItem]:
    return deferred_in(f"# Execution Summary - Task 4.2: Billing\n\n## Notes\n\n{line}\n")


@pytest.mark.parametrize(("line", "kind", "target"), [
    ("- Not tested on Windows.", "validation", "later"),
    ("- The soak test is to be run on staging after the Task 7.2 deploy.", "validation", "7.2"),
    ("- Refund webhooks were not tested: the sandbox lacks Paddle test keys.", "validation", "credentials"),
    ("- The nightly export test was skipped: it needs the exporter service-account key, which CI "
     "does not have.", "validation", "credentials"),
    ("- E2E tests were not run (no browser in the sandbox).", "validation", "environment"),
    ("- I couldn't run the integration tests because Docker isn't available here.", "validation", None),
    ("- Migration has not been applied to production yet.", "work", "later"),
    ("- The payment flow still needs manual QA.", "validation", "manual"),
    ("- Load testing is deferred to Task 4.5.", "validation", "4.5"),
    ("- Email sending is stubbed until the SMTP provider is chosen.", "work", "later"),
    ("- Remember to set STRIPE_SECRET_KEY in the deployment environment.", "work", "credentials"),
    ("- Performance was only estimated (~40ms) against the 100ms budget.", "validation", "later"),
    ("- Dark mode toggle left for a follow-up PR.", "work", "later"),
    ("- TODO: wire the retry policy into the client", "work", "later"),
    ("- Validation: PASS (typecheck only; runtime not exercised)", "validation", None),
    ("- ⚠️ Accessibility audit pending", "validation", "later"),
    ("- Needs a real device to confirm push notifications.", "validation", "environment"),
    ("- The cache layer is mocked until Redis is provisioned.", "work", "later"),
    ("- The breaking-label exception is recorded as Phase 9 follow-up work.", "work", "9"),
    ("- These scenarios will be validated during integration testing and manual QA.", "validation", "manual"),
    ("- Verified by code review and `tsc --noEmit`, not by a route-level test.", "validation", None),
    ("- Docs commit left to the orchestrator; SUMMARY.md remains uncommitted.", "work", "later"),
    ("- Orientation applied but not yet human-verified.", "validation", "manual"),
    # other agents' wording: unattempted scope, synthetic data, estimates, skipped tests, blockers
    ("- Backfill of the archive tables was not attempted; the export job needs a quota raise first.",
     "work", "later"),
    ("- Parser verified only with synthetic fixtures; never exercised on a customer feed.",
     "validation", "environment"),
    ("- Importer not yet run against the staging warehouse.", "validation", "environment"),
    ("- Throughput of 5k msg/s is extrapolated from a 500-message run, not measured under load.",
     "validation", "later"),
    ("- The `retry_storm` integration test is marked xfail until the broker upgrade lands.",
     "validation", "later"),
    ("- I disabled the flaky upload_resume test with @pytest.mark.skip; it must be re-enabled.",
     "validation", "later"),
    ("- Unicode file names are not covered by the snapshot tests yet.", "validation", "later"),
    ("- Export is blocked on task 6.1 shipping the CSV writer.", "work", "6.1"),
    ("- Pagination moves to task 4.4; only the first page is returned for now.", "work", "4.4"),
    ("- The column rename is awaiting sign-off from the data owner.", "work", "manual"),
    ("- `helm upgrade` was not run: the deploy bot's account lacks the cluster-admin binding.",
     "validation", "credentials"),
    ("- Slack notifications are still waiting on a webhook URL from the ops team.", "work", "credentials"),
    ("- Contract tests ⏳ pending: no Twilio API key in this sandbox.", "validation", "credentials"),
    ("- Dashboard layout was not verified; a person needs to compare it with the mockup.",
     "validation", "manual"),
    ("- The sync e2e test needs a running MinIO container.", "validation", "environment"),
    ("- Cold-start time was never measured.", "validation", "later"),
    ("- The checkout needs a load test before we trust the 200 rps figure.", "validation", "later"),
    ("- Keyboard navigation left for the reviewer.", "validation", "manual"),
    ("- Security audit: not done.", "validation", "later"),
    ("- No contract tests for the billing client yet.", "validation", "later"),
    ("- Query timings are from a seeded laptop DB, not on production data.", "validation", "environment"),
    ("- The onboarding modal was checked only in Storybook.", "validation", "later"),
    ("- The print layout was verified by eye only.", "validation", "later"),
    ("- The GPU path needs a CUDA machine to benchmark.", "validation", "environment"),
    ("- p95 latency of 80 ms is a back-of-the-envelope estimate.", "validation", "later"),
    ("- The nightly export is blocked until the bucket policy is granted.", "work", "credentials"),
    ("- DNS cut-over has to be done by someone with registrar access.", "work", "manual"),
    ("- Pending: rotation of the old signing certificate by the platform team.", "work", "later"),
    ("- Banner wording awaiting a product decision.", "work", "manual"),
    ("- The geocoder stays mocked; real lookups will come in Phase 5.", "work", "5"),
    ("- Once the SendGrid API key arrives, run the e2e mail check.", "validation", "credentials"),
    ("- The flaky socket tests are marked @skip pending an upstream fix.", "validation", "later"),
])
def test_deferral_phrases(line: str, kind: str, target: str | None) -> None:
    (item,) = _one_line_report(line)
    assert item.kind == kind
    if target is not None:
        assert item.target == target


@pytest.mark.parametrize("line", [
    "- All 42 tests pass locally.",
    "- The endpoint requires authentication and returns 401 otherwise.",
    "- Passwords must be hashed before storage.",
    "- Webhook payloads will be validated against the schema when received.",
    "- The job stays pending until a worker claims it.",
    "- Deferred loading of images improves LCP.",
    "- The form shows placeholder text until the user types.",
    "- Task 4.3 will add the admin dashboard.",
    "- Removed the TODO comments from utils.ts",
    "- The API key is read from `OPENAI_API_KEY` at startup.",
    "- Skipped the flaky retry test after fixing its root cause; it now passes.",
    "- Manual testing confirmed the upload works.",
    "- Build passed; Docker image is 84MB (under the 200MB target).",
    "- Users need to have an API key to call the endpoint.",
    '- Error messages now say "Unable to verify your email".',
    "- We could not reproduce the bug after the fix.",
    "- The previous stub has been replaced with the real client.",
    "- This task was done as a follow-up to Task 3.2.",
    "- The HTTP client is currently mocked in unit tests.",
    "- Tests cannot run in parallel because they share one database.",
    "- Unverified users are sent to the confirmation page.",
    "- Root cause: the signature was not verified, which allowed replayed events.",
    "- Live mode requires a Stripe API key.",
    "- The middleware will verify the token on each request.",
    "- New accounts: email needs verification before login.",
    "- The client must be configured before use.",
    "- Records will be validated during creation or update.",
    "- Added role-based access so editors can grant permissions to viewers.",
    "- Requests are rejected with 403 when the user lacks the admin role.",
    "- Token bucket limiter added to the HTTP client.",
    "- The spinner shows while the page is waiting for the response.",
    "- Test run: 120 passed, 4 skipped (Windows-only).",
    "- The scheduler moved to the worker process.",
    "- Usage is logged with the actual token counts.",
    "- The worker needs a running event loop, so it is started in main().",
    "- Pending: 0 items in the queue after the run.",
    "- We need a load test harness, which I added in bench/.",
    "- Review: not done by design, the change is a typo fix.",
    "- The app shows a spinner while waiting for the decision engine.",
    "- Admin actions have to be approved by an admin before they apply.",
    "- Users who lack permissions see a 403 page.",
    "- Tested only with Chrome and Firefox, both pass.",
    "- Re-enabled CSRF protection on the settings form.",
    "- No failing tests yet after three full runs.",
    "- No test failures yet on the nightly job.",
    "- ✅ Ran the image build deferred from Task 3.6: passed (18 passed in 4.2s)",
    "- The load test postponed from phase 2 now runs nightly and passes.",
    "- Earlier the upload tests were skipped for lack of a fixture; I added one and they now run and pass.",
    "- Manual run: imported a 40 MB statement and saw the totals match the bank's.",
])
def test_statements_that_are_not_deferrals(line: str) -> None:
    assert _one_line_report(line) == []


def test_a_check_deferred_from_another_task_that_still_cannot_run_stays_owed() -> None:
    (item,) = _one_line_report("- The image build deferred from Task 3.6 is still deferred to task 3.9.")
    assert item.target == "3.9"


def test_status_line_and_closing_section_are_not_deferrals() -> None:
    text = (
        "# Task 7 Summary: Offline Sync\n\n"
        "**Status:** ⏳ In progress\n\n"
        "## Deferred Items Closed\n\n"
        "- 6.2 container build: built and pushed, image 84MB\n"
    )
    assert deferred_in(text) == []


def test_the_same_check_sent_to_one_task_for_two_reasons_is_one_item() -> None:
    text = (
        "# Execution Summary - Task 2.1: Webhooks\n\n"
        "**Validation:** PASS (unit tests only; live webhook test requires an API key, "
        "deferred to task 2.3)\n\n"
        "## Validation Results\n\n"
        "- ⚠️ Live webhook test not run: it needs an API key this sandbox does not have\n\n"
        "## Next Steps\n\n"
        "- Task 2.3 must run the live webhook test once the API key is provided\n"
    )
    (item,) = deferred_in(text)
    assert (item.line, item.target, item.reason) == (3, "2.3", "credentials")
    assert {3, 7, 11} <= set(item.lines)


def test_unticked_criteria_copied_from_the_plan_are_not_a_to_do_list() -> None:
    text = (
        "# Phase 2 Plan 01: Login Summary\n\n## Verification\n\n"
        "- [ ] `npm run build` passes\n- [ ] Login redirects to the dashboard\n"
    )
    assert deferred_in(text, "gsd") == []


def test_no_x_yet_counts_only_under_a_limitations_heading() -> None:
    limitations = "# Task 5 Summary\n\n## Known Limitations\n\n- No pagination yet (first 100 rows only)\n"
    (item,) = deferred_in(limitations)
    assert (item.line, item.kind) == (5, "work")
    log = "# Task 5 Summary\n\n## Test Output\n\n- No errors yet after 200 requests\n"
    assert deferred_in(log) == []


def test_skip_emoji_marks_a_check_not_run() -> None:
    (item,) = _one_line_report("- ⏭️ Skipped: browser e2e suite (no Chrome in this container)")
    assert (item.kind, item.reason, item.target) == ("validation", "tool-missing", "environment")


def test_unticked_remaining_work_list_is_owed_work() -> None:
    text = "# Task 8 Summary\n\n## Remaining Work\n\n- [ ] Pagination for the archive\n- [ ] CSV export\n"
    (item,) = deferred_in(text)
    assert (item.line, item.kind, item.target) == (3, "work", "later")
    assert {5, 6} <= set(item.lines)


def test_gsd_coverage_entry_needing_human_judgment_is_a_manual_check() -> None:
    (item,) = deferred("gsd_human_judgment.md", "gsd")
    assert (item.kind, item.target) == ("validation", "manual")
    assert item.line == 20  # the rationale
    assert {14, 19} <= set(item.lines)  # its description and the human_judgment flag


def test_open_boxes_of_a_task_in_progress_are_its_plan_but_its_blocker_is_owed() -> None:
    text = (
        "# Task 9: Invoice export\n\n"
        "- [x] 9.1 CSV writer\n- [ ] 9.2 Upload to the partner SFTP\n- [ ] 9.3 Retry tests for uploads\n\n"
        "**Status:** In progress\n\n"
        "Subtask 9.2 is blocked on SFTP credentials from the partner; 9.3 follows it.\n"
    )
    doc = read_document(text, "<text>")
    report = Report(source="<text>", format="generic")
    report.status.value = "in_progress"
    (item,) = extract_deferred(doc, report)
    assert (item.line, item.kind, item.target) == (9, "work", "credentials")  # 9.2 is a step of task 9


def test_open_boxes_of_a_finished_task_are_still_owed() -> None:
    text = "# Task 9: Invoice export\n\n## Checks\n\n- [x] CSV writer tests\n- [ ] Upload retry test\n"
    (item,) = deferred_in(text)
    assert item.line == 6


def test_a_ticked_manual_check_is_done() -> None:
    text = (
        "# Add dark theme\n\n### How was this tested?\n\n"
        "- [x] Unit tests (12 passed)\n- [x] Manual check on a phone: contrast looks right\n"
    )
    assert deferred_in(text, "generic") == []


def test_flat_list_under_manual_qa_heading_is_one_item_per_check_with_its_own_obstacle() -> None:
    text = (
        "# Execution Summary - Task 5.2: Push notifications\n\n"
        "**Status:** PASS (delivery to devices pending)\n\n"
        "## Manual QA needed\n\n"
        "- Delivery to iOS devices with the production APNs signing key (only a sandbox key here)\n"
        "- Tapping a notification opens the right screen\n"
    )
    items = deferred_in(text)
    apns, tap = covering(items, 7), covering(items, 8)
    assert apns is not tap
    assert apns.target == "credentials"
    assert tap.target == "manual"


def test_numbered_manual_steps_stay_one_item() -> None:
    text = (
        "# Task 3 Summary\n\n## Manual Testing Required\n\n"
        "1. Open the settings page\n2. Toggle the theme\n3. Reload and confirm it persisted\n"
    )
    (item,) = deferred_in(text)
    assert item.target == "manual"


def test_rows_of_one_table_are_distinct_items_even_when_they_share_words() -> None:
    text = (
        "# Task 7.1 Summary\n\n## Acceptance\n\n| Criterion | Status | Notes |\n| --- | --- | --- |\n"
        "| Import 50k invoices in 10 s | ⚠️ Estimated | 5k invoices took 0.8 s; 50k extrapolated, not run |\n"
        "| Import from the live ledger | ⏳ Pending | no ledger API key here; ran on recorded data only |\n"
    )
    items = deferred_in(text)
    speed, live = covering(items, 7), covering(items, 8)
    assert speed is not live
    assert speed.reason == "estimate"
    assert live.target == "credentials"


def test_user_setup_that_grants_access_is_a_credentials_matter() -> None:
    text = (
        "---\nphase: 03-storage\nplan: 2\n---\n# Phase 3 Plan 2: Archive Summary\n\n"
        "## User Setup Required\n\n1. Create the `archive-prod` bucket\n"
        "2. Grant the uploader role `storage.objects.create` on it\n"
    )
    (item,) = deferred_in(text, "gsd")
    assert (item.kind, item.target) == ("work", "credentials")


def test_a_follow_up_step_that_exists_to_check_this_work_restates_the_untested_row() -> None:
    text = (
        "# Task 4.3 Summary\n\n## Checks\n\n| Check | Result |\n| --- | --- |\n"
        "| Queue drains after a consumer crash | ❌ not tested |\n\n"
        "## Follow-ups\n\n- Kill a consumer in staging to confirm the queue drains after a crash\n"
    )
    (item,) = deferred_in(text)
    assert item.line == 7 and 11 in item.lines
    assert item.target == "environment"


def test_only_the_deferring_sentence_of_a_long_line_is_its_subject() -> None:
    text = (
        "# Task 6.2: Reports\n\n"
        "SUMMARY: Monthly reports render to PDF and the archive job passed. Scheduling, which was part "
        "of this task, is not implemented and moves to task 6.4.\n\n"
        "TESTS:\n\n- Archive job against the production bucket — NOT RUN (needs a person to open the PDFs)\n"
    )
    items = deferred_in(text)
    assert [(it.line, it.target) for it in items] == [(3, "6.4"), (7, "manual")]


@pytest.mark.parametrize("heading", ["What's left", "Still needed", "Not done"])
def test_a_whats_left_section_lists_postponed_work_one_item_each(heading: str) -> None:
    text = f"# Task 2.1 Summary\n\n**Status:** Partial\n\n## {heading}\n\n- Archive paging\n- PDF export\n"
    items = deferred_in(text)
    assert [(it.line, it.kind) for it in items] == [(7, "work"), (8, "work")]


def test_a_skipped_cell_and_a_partial_verdict_with_a_qualifier_are_checks_not_run() -> None:
    table = (
        "# Task 2.1 Summary\n\n## Tests\n\n| Suite | Result |\n| --- | --- |\n"
        "| unit | ✅ 40 passed |\n| visual diff | SKIPPED (no headless browser) |\n"
    )
    (item,) = deferred_in(table)
    assert (item.line, item.kind) == (8, "validation")
    (partial,) = _one_line_report("**Validation:** PARTIAL (API tests only; the UI flow needs a browser)")
    assert partial.kind == "validation"


def test_scope_that_lands_in_a_named_task_points_there() -> None:
    text = "# Task 2.1 Summary\n\n## Known Limitations\n\n- Metric units only; imperial lands in task 2.7\n"
    (item,) = deferred_in(text)
    assert (item.kind, item.target) == ("work", "2.7")


def test_a_missing_machine_is_an_environment_reason_and_a_person_checking_is_manual() -> None:
    items = deferred_in(
        "# Task 7.1: Tile renderer\n\n**Status:** PASS\n\n## Validation\n\n"
        "- [x] Unit tests — 14 passed\n"
        "- [ ] Vulkan backend render — no GPU on this box; to be validated on the render farm\n"
        "- [ ] Frame-time comparison against GL (target: 2x) — not measured, same reason\n\n"
        "## Notes\n\n"
        "- Touch input on a tablet will need to be verified manually before release.\n"
    )
    assert covering(items, 8).target == "environment"
    assert covering(items, 9).target == "environment"
    assert covering(items, 13).target == "manual"


def test_a_person_who_already_checked_manually_is_no_deferral() -> None:
    items = deferred_in(
        "# Task 7.2: Tile cache\n\n**Status:** PASS\n\n## Validation\n\n"
        "- Checked manually on a Pixel 7: tiles load from cache ✅\n"
    )
    assert items == []


def test_scope_planned_for_or_tracked_as_a_later_task_is_deferred_work() -> None:
    items = deferred_in(
        "# Task 4.2: Search index\n\n**Status:** PASS\n\n## Notes\n\n"
        "- Fuzzy matching is out of scope here and is planned for Task 4.5.\n"
        "- Stemming for Dutch is wrong on plurals; this is tracked as Task 4.7.\n"
        "- The index was built as planned in the design doc.\n"
    )
    assert covering(items, 7).kind == "work" and covering(items, 7).target == "4.5"
    assert covering(items, 8).target == "4.7"
    assert 9 not in covered_lines(items)


def test_placeholders_and_unexecuted_runs_are_deferrals_but_negated_done_markers_are_not_done() -> None:
    items = deferred_in(
        "# Task 4.3: Locales\n\n**Status:** PASS\n\n## Notes\n\n"
        "The Polish strings are still placeholders copied from English until a translator fills them in.\n\n"
        "The full accuracy run (5k samples) was not executed; it needs the large model.\n\n"
        "No tests were run.\n"
    )
    assert covering(items, 7).kind == "work"
    assert covering(items, 9).kind == "validation"
    assert 11 in covered_lines(items)


def test_remaining_work_under_a_whats_left_intro() -> None:
    items = deferred_in(
        "I started the export wizard but ran out of time.\n\nWhat I did:\n- Added `wizard.py`\n\n"
        "What's left:\n- Hook the wizard into the settings page\n- Run the export smoke test\n"
    )
    assert covering(items, 7).kind == "work"
    assert covering(items, 8).kind == "validation"
    assert 4 not in covered_lines(items)


def test_standing_ci_skips_and_app_permission_flows_are_not_deferrals() -> None:
    items = deferred_in(
        "# Task 4.4: Camera\n\n**Status:** PASS\n\n## Done\n\n"
        "- The camera screen asks for a token after permission is granted\n"
        "- Test run: 50 passed, 3 skipped (the three skipped tests need a TPU and are skipped on CI"
        " as usual)\n"
    )
    assert items == []


def test_an_access_grant_still_awaited_for_a_check_is_a_deferral() -> None:
    items = deferred_in(
        "# Task 4.5: Nightly export\n\n**Status:** BLOCKED\n\n## Blocker\n\n"
        "Until the role is granted we cannot run the export end to end.\n"
    )
    assert covering(items, 7).kind == "validation"


def test_a_check_that_needs_a_machine_and_past_plans_that_were_kept() -> None:
    items = deferred_in(
        "# Task 6.1: Sync\n\n**Status:** PASS\n\n## Notes\n\n"
        "- Instrumented tests need a device; none is attached to this runner.\n"
        "- The retry queue was planned for Task 6.1 and is finished here.\n"
        "- The crash on resume is tracked in TASK-14.\n"
    )
    assert covering(items, 7).target == "environment"
    assert 8 not in covered_lines(items)
    assert covering(items, 9).target == "14"


def test_not_tested_with_its_reason_a_person_owed_and_task_ids_in_other_spellings() -> None:
    items = deferred_in(
        "# Task 8.2: Feeds\n\n**Status:** PASS\n\n## Notes\n\n"
        "- Widget refresh not tested: no Android emulator in this sandbox.\n"
        "- Legal copy needs a reviewer to proofread it before launch.\n"
        "- Colour contrast will be checked by QA.\n"
        "- Podcast chapters → TASK-31\n"
        "- Retry backoff moved to TASK_32.\n"
        "- Stale entries to be handled in Task 8.5.\n"
        "- Parser not tested — no changes to that code path.\n"
    )
    assert covering(items, 7).target == "environment"
    assert covering(items, 8).target == "manual"
    assert covering(items, 9).target == "manual"
    assert [covering(items, n).target for n in (10, 11, 12)] == ["31", "32", "8.5"]
    assert 13 not in covered_lines(items)


def test_dry_runs_subsets_placeholders_for_now_and_todo_scope() -> None:
    items = deferred_in(
        "# Task 9.3: Backfill\n\n**Status:** PASS\n\n## Notes\n\n"
        "- Dry run only; the real backfill was not executed.\n"
        "- Ranking verified on a 50-query subset only.\n"
        "- Currency symbols are hard-coded for now.\n"
        "- Admin screenshots are TODO.\n"
        "- Re-indexing postponed until the search cluster is upgraded.\n"
        "- Tablet layout: not checked (no tablet simulator installed).\n"
        "- We ran the real backfill on staging afterwards; it was applied cleanly.\n"
    )
    assert covering(items, 7).kind == "validation"
    assert covering(items, 8).kind == "validation"
    assert covering(items, 9).reason == "stub"
    assert covering(items, 10).kind == "work"
    assert covering(items, 11).kind == "work"
    assert covering(items, 12).target == "environment"
    assert 13 not in covered_lines(items)


def test_a_closes_line_settles_an_item_even_with_a_qualifier() -> None:
    items = deferred_in(
        "# Task 9.4: Rollout\n\n**Status:** PASS\n\n## Deferred Items Closed\n\n"
        "- Closes: 9.3 backfill validation (dry run only)\n"
    )
    assert items == []


@pytest.mark.parametrize("status", ["fail", "partial"])
def test_whats_left_of_a_failed_task_is_its_repair_but_of_a_partial_one_owed_work(status: str) -> None:
    """A failed task's remaining steps are the failure its status reports, not work put off."""
    text = (
        "# Task 6: Rate limiter\n\n"
        "## What's left\n\n- Make the burst test pass (the token refill is off by one)\n\n"
        "Still to do:\n\n- Wire the limiter into the upload route\n"
    )
    report = Report(source="<text>", format="generic")
    report.status.value = status
    items = extract_deferred(read_document(text, "<text>"), report)
    assert (items == []) == (status == "fail")


@pytest.mark.parametrize("line", [
    "- Manual check: required before release, on the office printer.",
    "- Manual test: not done yet, needs the office printer.",
    "- Manual verification: pending access to the printer.",
])
def test_a_manual_check_label_that_is_still_owed_stays_a_deferral(line: str) -> None:
    (item,) = _one_line_report(line)
    assert (item.kind, item.reason) == ("validation", "manual")


@pytest.mark.parametrize(("line", "target"), [
    ("- Code signing cannot be set up or tested: the Windows signing certificate has not been bought.",
     "credentials"),
    ("- The installer can't be built and verified here (no Inno Setup on this runner).", "environment"),
])
def test_cannot_be_done_or_tested_is_a_check_not_done(line: str, target: str) -> None:
    (item,) = _one_line_report(line)
    assert (item.kind, item.target) == ("validation", target)


def test_a_sentence_wrapped_before_a_capital_keeps_its_reason() -> None:
    """A writer's hard wrap may fall before a capitalised word; the reason on the next line counts."""
    items = deferred_in(
        "# Task 8: Store release\n\n**Status:** BLOCKED\n\n## Blocker\n\n"
        "Publishing to the store cannot be tested because the team still has no Google\n"
        "Play service-account key; whoever owns the console has to create one.\n"
    )
    (item,) = items
    assert (item.line, item.end_line, item.target) == (7, 8, "credentials")


def test_numbered_open_items_are_each_owed_and_a_team_review_is_manual() -> None:
    items = deferred_in(
        "# Task 5 Completion Report: Churn scoring\n\n**Status:** PARTIAL\n\n## Open Items\n\n"
        "1. Weekly retraining job — Task 6.\n"
        "2. The 0.7 cut-off is provisional. The retention team has to review a month of scores\n"
        "   and approve it before it drives emails.\n"
    )
    assert [(i.line, i.target) for i in items] == [(7, "6"), (8, "manual")]


def test_a_single_entry_under_a_not_verified_heading_takes_the_entrys_reason() -> None:
    items = deferred_in(
        "# 02-03 Summary: Badge printer\n\n## Not Yet Verified\n\n"
        "- Print speed at the venue: needs the batch job run on the real printers after deploy.\n"
    )
    (item,) = items
    assert item.target == "deployment"


@pytest.mark.parametrize(("line", "owed"), [
    ("- Validation: PASS (vitest 88/88, 0 skipped)", False),
    ("- Validation: PASS (vitest 86/88, 2 skipped)", True),
    ("- Validation: PASS (pending: 0, failed: 0)", False),
])
def test_a_pass_counting_nothing_held_back_is_a_pass(line: str, owed: bool) -> None:
    assert bool(_one_line_report(line)) is owed


def test_a_file_row_named_deferred_is_a_file_but_a_task_row_deferring_is_a_deferral() -> None:
    items = deferred_in(
        "# Task 4.1: Queue\n\n**Status:** PASS\n\n## Files\n\n| File | Change |\n|---|---|\n"
        "| `tests/util/deferred.ts` | Added |\n\n## Sub-tasks\n\n| # | Sub-task | State |\n|---|---|---|\n"
        "| 4.1b | Dead-letter replay | Deferred to Task 4.4 |\n"
    )
    assert [(i.line, i.target) for i in items] == [(15, "4.4")]


@pytest.mark.parametrize(("line", "owed"), [
    ("- **Tasks:** 4 (3 auto, 1 checkpoint:human-verify — approved)", False),
    ("- **Tasks:** 4 (3 auto, 1 checkpoint:human-verify — awaiting the user)", True),
])
def test_an_approved_human_verify_checkpoint_is_done(line: str, owed: bool) -> None:
    assert bool(_one_line_report(line)) is owed


def test_a_scope_left_pending_beside_a_pass_and_in_the_cell_after_a_warning() -> None:
    items = deferred_in(
        "# Task 6.2: Audit log\n\n| Field | Value |\n|---|---|\n| Status | ✅ PASS |\n"
        "| Validation | PASS (unit); production pending |\n\n## Criteria\n\n"
        "| Criterion | Status | Comment |\n|---|---|---|\n"
        "| Retention job scheduled | ⚠️ | pending the ops cron change on Friday |\n"
    )
    assert [i.line for i in items] == [6, 12]


def test_numbered_checks_each_opening_with_a_bold_name_are_separate_items() -> None:
    items = deferred_in(
        "# Phase 2: Kiosk — Verification Report\n\n### Human Verification Required\n\n"
        "1. **Receipt printer** — print a test receipt on the shop's printer and check the logo.\n"
        "2. **Card reader** — pay 1 EUR with a real card and refund it.\n"
    )
    assert [(i.line, i.target) for i in items] == [(5, "manual"), (6, "manual")]


@pytest.mark.parametrize(("body", "target"), [
    ("One gap remains: refunds skip the audit log. Recommended: a gap-closure plan 02-04.", "02-04"),
    ("No gaps. All 6 must-haves verified.", None),
])
def test_a_gaps_summary_owes_the_gap_unless_it_says_none(body: str, target: str | None) -> None:
    items = deferred_in(f"# Phase 2: Kiosk — Verification Report\n\n## Gaps Summary\n\n{body}\n", fmt="gsd")
    assert [i.target for i in items] == ([target] if target else [])


@pytest.mark.parametrize(("line", "target"), [
    ("Re-enable the Arabic layout test in Task 7.2, when the font lands.", "7.2"),
    ("- [x] Export works\n- [ ] Screen-reader pass with VoiceOver — needs QA sign-off", "manual"),
    ("| Id | Sub-task | State | Why |\n|---|---|---|---|\n"
     "| M2-4 | Signed exports | ⚠️ Deferred | release signing key not available |", "credentials"),
])
def test_targets_of_re_enabled_tests_sign_offs_and_subtask_rows(line: str, target: str) -> None:
    (item,) = deferred_in(f"# Execution Summary - Task 4.2: Billing\n\n## Acceptance Checklist\n\n{line}\n")
    assert item.target == target


@pytest.mark.parametrize(("line", "owed"), [
    ('- Remaining: the "Save" button handler is a TODO stub that shows "not yet"; wiring belongs to QR-8.',
     True),
    ('- When offline the banner says "payment will be validated later" and retries.', False),
])
def test_quotes_pair_in_order_so_the_agents_words_between_them_count(line: str, owed: bool) -> None:
    assert bool(_one_line_report(line)) is owed


@pytest.mark.parametrize("line", [
    "The smoke check that Task 3.1 could not run on the emulator was done this session on a phone: passed.",
    "- Staging was not affected (the staging VPC is not applied yet).",
    "- ✅ Manual test performed: dragged 50 files in, undo restored every one of them",
    "- The comment `// TODO: retry on 429` was removed together with the old client.",
])
def test_checks_done_states_and_removed_todos_are_not_deferrals(line: str) -> None:
    assert _one_line_report(line) == []


@pytest.mark.parametrize(("line", "kind", "target"), [
    ("- ⚠️ Prod migration not run: no credentials for the prod cluster here", "validation", "credentials"),
    ("- The real fix is queued as Task 5.2; this patch does not include it.", "work", "5.2"),
    ("- Not ported in this task: the CLI still uses the old parser; porting it is Task 8.1.", "work", "8.1"),
    ("- `TODO: retry on 429` is still in the client.", "work", "later"),
])
def test_a_warned_check_not_run_a_queued_fix_and_work_left_out_of_this_task(line: str, kind: str,
                                                                            target: str) -> None:
    (item,) = _one_line_report(line)
    assert (item.kind, item.target) == (kind, target)


def test_a_limitation_continued_after_a_semicolon_is_one_sentence() -> None:
    items = deferred_in(
        "# Task 2.4: Widgets\n\n**Status:** PASS\n\n## Known Limitations\n\n"
        "- The widget preview image is a placeholder rendered from a stock photo;\n"
        "  it stays until the designer sends the final artwork.\n"
    )
    assert [(i.line, i.end_line, i.kind) for i in items] == [(7, 8, "work")]


def test_a_gsd_uat_test_skipped_for_a_reason_is_owed() -> None:
    text = ("---\nstatus: complete\nphase: 04-payments\nsource: [04-01-SUMMARY.md]\n"
            "started: 2026-10-01T09:00:00Z\nupdated: 2026-10-01T09:40:00Z\n---\n\n## Tests\n\n"
            "### 1. Card payment\nexpected: A test card payment is accepted\nresult: pass\n\n"
            "### 2. Live payment\nexpected: A live card payment is accepted by the webhook endpoint\n"
            "result: skipped\nreason: the live API key is not set up yet\n\n"
            "## Summary\n\npassed: 1\nskipped: 1\n")
    from tracker.parse.pipeline import parse_text

    report = parse_text(text, "04-UAT.md")
    assert (report.format, report.task.id) == ("gsd", "04")
    assert report.timestamps.completed == "2026-10-01T09:40:00Z"
    (item,) = report.deferred
    assert item.line <= 17 <= item.end_line and (item.kind, item.target) == ("validation", "credentials")


@pytest.mark.parametrize(("line", "kind", "target"), [
    ("- Every mail goes through `MailGateway`, which is a fake for now.", "work", "later"),
    ("- I mocked the SMS provider so the flow could be built; the real Twilio client is Task 5.2.",
     "work", "5.2"),
    ("- ⏭️ Real SMS client replaces the fake in Task 5.2", "work", "5.2"),
    ("- The signing key has to be rotated by ops to the production value before go-live",
     "work", "deployment"),
    ("- deferred: soak test of the importer with 1M rows (Task 5.5)", "validation", "5.5"),
    ("- Known gap: no rate limiting yet; planned for Task 3.2.", "work", "3.2"),
    ("- Smoke suite not executed — no browsers in this container", "validation", "environment"),
    ("- Can't verify the macOS build here (no Xcode on this Linux box)", "validation", "environment"),
    ("- We still need the product owner's sign-off on the pricing copy.", None, "manual"),
    ("- The consent form is unfinished: only the account owner can submit it.", "work", "manual"),
    ("- The Dutch strings are machine-translated for now. They need a review from a native speaker before "
     "launch.", None, "manual"),
    ("- The RSS feed still lists only English posts. That should be a small follow-up.", "work", "later"),
])
def test_more_ways_agents_say_something_is_still_owed(line: str, kind: str | None, target: str) -> None:
    (item,) = _one_line_report(line)
    assert item.target == target and (kind is None or item.kind == kind)


@pytest.mark.parametrize("line", [
    "- The e2e suite that could not run back in Task 12 now runs in CI: 23 passed.",
    "**Known Limitations:**",
    "- Known gaps: none.",
])
def test_a_check_that_now_runs_and_empty_labels_owe_nothing(line: str) -> None:
    assert _one_line_report(line) == []


@pytest.mark.parametrize(("line", "kind", "target"), [
    ("- The SPF records still have to be added by whoever manages DNS.", "work", "manual"),
    ("- The ARM targets fail to link in this container, so they were not smoke-tested.", "validation",
     "environment"),
    ("- The worker config still has to be installed on the production server by ops when this is deployed.",
     "work", "deployment"),
    ("- ❌ Refund webhook not implemented; refunds complete immediately for now. Planned as PAY-88.",
     "work", "PAY-88"),
    ("- Manual run with real hardware still required.", "validation", "manual"),
])
def test_people_machines_and_tickets_that_stand_in_the_way(line: str, kind: str, target: str) -> None:
    (item,) = _one_line_report(line)
    assert (item.kind, item.target) == (kind, target)


@pytest.mark.parametrize("line", [
    "The load test that Task 2.1 could not run is now done: p95 41 ms at 200 req/s.",
    "Manual check with curl:",
    "Manual run with the demo dataset on the local stack: 2,000 rows imported, 0 rejected.",
])
def test_a_check_now_done_or_run_by_hand_with_its_result_owes_nothing(line: str) -> None:
    assert _one_line_report(line) == []


def test_a_stub_resolved_by_this_plan_is_not_owed_and_one_arriving_with_a_plan_goes_there() -> None:
    items = deferred_in(
        "# Phase 3 Plan 02: Pricing\n\n## Known Stubs\n\n| File | Stub | Status |\n|---|---|---|\n"
        "| lib/quote.ts | base-price-only `quote()` from 03-01 | Resolved by plan 03-02 (this plan) |\n"
        "| lib/tax.ts | flat 20 % VAT | Regional rates arrive with plan 03-04 |\n", fmt="gsd",
        source="03-02-SUMMARY.md")
    assert [(i.line, i.target) for i in items] == [(8, "03-04")]


@pytest.mark.parametrize(("line", "kind", "target"), [
    ("- Edge and Brave: not tried yet; both need a pass before the store submission.", "validation", None),
    ("- The production push path has not been tried and must be checked once the beta is out.",
     "validation", None),
    ("- A fallback with a warning badge is owed and is scheduled as Task 7.", "work", "7"),
    ("- I only ran this in the Simulator; somebody with a device should check the refresh.", "validation",
     "manual"),
    ("- I could not check a single unlock against Steam: there is no Steamworks partner login for our app.",
     "validation", "credentials"),
    ("- The VoiceOver labels are placeholders; proper descriptions belong to the pass in Task 5.4.",
     "work", "5.4"),
])
def test_not_tried_owed_simulator_only_and_placeholders_that_belong_elsewhere(line: str, kind: str,
                                                                              target: str | None) -> None:
    (item,) = _one_line_report(line)
    assert item.kind == kind and (target is None or item.target == target)


def test_a_not_fixed_here_section_is_owed() -> None:
    items = deferred_in("# 4.4 Accessibility pass\n\n## Not fixed here\n\n"
                        "Axis labels truncate at the largest text sizes; I opened 4.6 for it.\n")
    assert [i.kind for i in items] == ["work"]


@pytest.mark.parametrize("line", [
    "- Manual run in the editor: saved on floor 3, reloaded, inventory intact.",
    "- The cache test that was skipped in Task 4 was written and passes now.",
])
def test_a_check_run_by_hand_in_a_tool_and_a_skipped_test_that_passes_now(line: str) -> None:
    assert _one_line_report(line) == []
