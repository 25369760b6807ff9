"""Closing deferred items from later reports: explicit references, evidence, and what never closes."""

from __future__ import annotations

import json

from tests.lifecycle.conftest import DOCKER_TEXT, PROJECT, deferred, report
from tracker.evidence import ReportEvidence, scan_text
from tracker.lifecycle import (
    CLOSING_CONVENTION,
    TrackedItem,
    best_closure,
    closing_convention,
    closures_for_item,
    closures_from_evidence,
    find_closures,
    open_item,
)

LATER = report("reports/task2_3.md", "2.3", "2026-03-04T09:00:00Z")
UNRELATED_LATER = report("reports/task2_2.md", "2.2", "2026-03-03T09:00:00Z")


def only(closures: list, item: TrackedItem):
    mine = [c for c in closures if c.item_id == item.id]
    assert len(mine) <= 1
    return mine[0] if mine else None


def test_explicit_closes_line_with_task_and_text_closes(
    docker_item: TrackedItem, size_item: TrackedItem,
) -> None:
    text = """\
# Execution Summary - Task 2.3: [Infra] CI pipeline

**Status:** ✅ PASS

## Deferred Items Closed

- Closes: 2.1 Docker build validation (CI run #7 built the image)
"""
    closures = find_closures(LATER, text, [docker_item, size_item])
    docker = only(closures, docker_item)
    assert docker is not None
    assert (docker.state, docker.rule, docker.line) == ("closed", "explicit", 7)
    assert "Docker build validation" in docker.evidence
    assert only(closures, size_item) is None or only(closures, size_item).state == "candidate"


def test_explicit_reference_by_short_id_closes_only_that_item(
    docker_item: TrackedItem, size_item: TrackedItem,
) -> None:
    text = f"# Task 3.1 report\n\nCloses: {size_item.id} measured with `docker image ls`: 131MB\n"
    closures = find_closures(report("reports/task3_1.md", "3.1"), text, [docker_item, size_item])
    decisions = [(c.item_id, c.state, c.rule, c.line) for c in closures]
    assert decisions == [(size_item.id, "closed", "explicit-id", 3)]


def test_closes_line_naming_another_task_does_not_close(docker_item: TrackedItem) -> None:
    text = "# Task 2.3\n\n- Closes: 1.4 Docker build validation\n"
    assert find_closures(LATER, text, [docker_item]) == []


def test_passing_command_in_a_later_report_closes_with_its_line(docker_item: TrackedItem) -> None:
    text = """\
# Execution Summary - Task 2.3: [Infra] CI pipeline

## Validation Results

- ✅ `pytest` 41 passed
- ✅ `docker build -t harbor:ci .` succeeded in CI run #7
"""
    closure = only(find_closures(LATER, text, [docker_item]), docker_item)
    assert closure is not None
    assert (closure.state, closure.rule, closure.line, closure.source) == (
        "closed", "evidence", 6, "reports/task2_3.md",
    )
    assert "docker build -t harbor:ci" in closure.evidence


def test_command_output_block_counts_as_evidence(docker_item: TrackedItem) -> None:
    text = """\
# Task 2.3

## Verification

```
$ docker build -t harbor:ci .
Successfully built 4f2a9c1
```
"""
    closure = only(find_closures(LATER, text, [docker_item]), docker_item)
    assert closure is not None and closure.state == "closed"
    assert closure.line == 7  # the passing line inside the block
    assert closure.lines == (6, 7)  # the whole output is the evidence


def test_mentions_restatements_and_plans_do_not_close(docker_item: TrackedItem) -> None:
    text = """\
# Execution Summary - Task 2.3: [Infra] CI pipeline

**Status:** ✅ PASS

## Notes

- The Docker build from task 2.1 (`docker build`) is still not validated; Docker is missing in CI too
- `docker build` will be run once the runner has Docker
- ✅ Wrote docs on how to run `docker build` locally? No: see Next Steps

## Next Steps

- ✅ Run `docker build` in CI and confirm the image builds
"""
    closures = find_closures(LATER, text, [docker_item])
    assert all(c.state != "closed" for c in closures)


def test_failed_run_does_not_close(docker_item: TrackedItem) -> None:
    text = "# Task 2.3\n\n- ❌ `docker build` failed: base image not found\n- `docker build` FAIL\n"
    assert all(c.state != "closed" for c in find_closures(LATER, text, [docker_item]))


def test_weak_match_becomes_candidate_not_close(docker_item: TrackedItem) -> None:
    text = """\
# Execution Summary - Task 2.3: [Infra] CI pipeline

## Validation Results

- ✅ Docker build step added to the staging pipeline; Docker installed on the runner
"""
    closure = only(find_closures(LATER, text, [docker_item]), docker_item)
    assert closure is not None
    assert closure.state == "candidate"
    assert closure.line == 5
    assert 0 < closure.score < 1


def test_subject_evidence_closes_only_in_the_target_report() -> None:
    item = open_item(
        deferred("Password reset email delivery through the Postmark sandbox not verified", 12, target="4.2"),
        report("r/task4_1.md", "4.1"), PROJECT,
    )
    text = "# Task\n\n- ✅ Password reset email delivery verified through the Postmark sandbox inbox\n"
    in_target = only(find_closures(report("r/task4_2.md", "4.2"), text, [item]), item)
    elsewhere = only(find_closures(report("r/task4_3.md", "4.3"), text, [item]), item)
    assert in_target is not None and in_target.state == "closed" and in_target.line == 3
    assert elsewhere is not None and elsewhere.state == "candidate"


def test_stub_is_closed_when_its_target_replaces_it() -> None:
    item = open_item(
        deferred("`export_csv()` in `notes/export.py` is a stub returning an empty file until Plan 05-02",
                 30, kind="work", target="05-02"),
        report("r/05-01-SUMMARY.md", "05-01"), PROJECT,
    )
    text = """\
# Phase 5 Plan 02 Summary

## Accomplishments

- `export_csv()` in `notes/export.py` now writes every note instead of returning the stub file
"""
    in_target = only(find_closures(report("r/05-02-SUMMARY.md", "05-02"), text, [item]), item)
    elsewhere = only(find_closures(report("r/05-03-SUMMARY.md", "05-03"), text, [item]), item)
    assert in_target is not None and (in_target.state, in_target.line) == ("closed", 5)
    assert elsewhere is not None and elsewhere.state == "candidate"


def test_earlier_or_same_task_reports_never_close(docker_item: TrackedItem) -> None:
    text = "# Task\n\n- ✅ `docker build` succeeded\n"
    assert find_closures(report("reports/task1_9.md", "1.9"), text, [docker_item]) == []
    assert find_closures(report("reports/task2_1_rev.md", "2.1"), text, [docker_item]) == []


def test_unknown_order_turns_a_close_into_a_candidate(docker_item: TrackedItem) -> None:
    text = "# Notes\n\n- ✅ `docker build` succeeded\n"
    closure = only(find_closures(report("notes.md", None), text, [docker_item]), docker_item)
    assert closure is not None and closure.state == "candidate"


def test_best_closure_prefers_close_then_explicit_then_earliest(docker_item: TrackedItem) -> None:
    strong = "# T\n\n- ✅ `docker build` succeeded\n"
    explicit = "# T\n\n- Closes: 2.1 Docker build validation\n"
    weak = "# T\n\n- ✅ Docker image for the container published\n"
    reports = [
        (report("r/task2_5.md", "2.5"), strong), (report("r/task2_4.md", "2.4"), strong),
        (report("r/task2_6.md", "2.6"), explicit), (report("r/task2_3.md", "2.3"), weak),
    ]
    best = best_closure(closures_for_item(docker_item, reports))
    assert best is not None and (best.source, best.rule) == ("r/task2_6.md", "explicit")
    best = best_closure(closures_for_item(docker_item, reports[:3:1][:2] + reports[3:]))
    assert best is not None and best.source == "r/task2_4.md"  # the earliest of two equal closes


def test_the_convention_is_followable(docker_item: TrackedItem) -> None:
    """A report written exactly as the convention says closes the item it names."""
    assert "## Deferred Items Closed" in CLOSING_CONVENTION and "Closes:" in CLOSING_CONVENTION
    rendered = closing_convention([docker_item])
    fill_in = next(line for line in rendered.splitlines() if line.startswith(f"- Closes: {docker_item.id}"))
    text = "# Task 2.3\n\n## Deferred Items Closed\n\n" + fill_in.replace(
        "<evidence>", "`docker build` succeeded in CI run #9") + "\n"
    closure = only(find_closures(LATER, text, [docker_item]), docker_item)
    assert closure is not None and (closure.state, closure.rule) == ("closed", "explicit-id")


def test_docker_text_fixture_is_what_the_item_holds(docker_item: TrackedItem) -> None:
    assert docker_item.text == DOCKER_TEXT and docker_item.target == "2.3"


def test_plain_text_commands_match_like_quoted_ones() -> None:
    """The detector hands over plain text (markup stripped): commands still anchor the item."""
    owed = deferred("Run npm run typecheck and npm run lint before merging.", 7)
    item = open_item(owed, report("r/t1.md", "1"), PROJECT)
    text = "# Task 4\n\nTESTS:\n- npm run typecheck: PASS\n- npm run lint: PASS\n"
    closure = only(find_closures(report("r/t4.md", "4"), text, [item]), item)
    assert closure is not None and (closure.state, closure.lines) == ("closed", (4, 5))
    half = "# Task 4\n\n- npm run typecheck: PASS\n- npm run lint: 3 errors\n"
    assert all(c.state != "closed" for c in find_closures(report("r/t4.md", "4"), half, [item]))


def test_product_names_in_prose_are_not_commands() -> None:
    item = open_item(deferred("Lineage events not verified: the check used the Supabase client directly", 3),
                     report("r/t1.md", "1"), PROJECT)
    text = "# Task 2\n\n- ✅ SQL injection prevented: parameterised queries via Supabase client\n"
    assert all(c.state != "closed" for c in find_closures(report("r/t2.md", "2"), text, [item]))


def test_closes_with_only_a_task_id_is_a_close_only_when_unambiguous(
    docker_item: TrackedItem, size_item: TrackedItem,
) -> None:
    text = "# Task 2.3\n\n## Deferred Items Closed\n\n- Closes: 2.1\n"
    both = find_closures(LATER, text, [docker_item, size_item])
    assert sorted(c.state for c in both) == ["candidate", "candidate"]
    alone = find_closures(LATER, text, [docker_item])
    assert [(c.state, c.line) for c in alone] == [("closed", 5)]


def test_scanned_evidence_round_trips_through_json(docker_item: TrackedItem) -> None:
    """A store that keeps scanned evidence instead of report text gets the same closures."""
    text = "# Task 2.3\n\n```\n$ docker build -t h .\nSuccessfully built 1a2b\n```\n"
    scanned = scan_text(text, LATER.source)
    restored = ReportEvidence.from_data(json.loads(json.dumps(scanned.to_data())))
    assert restored == scanned
    assert closures_from_evidence(LATER, restored, [docker_item]) == find_closures(LATER, text, [docker_item])
    assert ReportEvidence.from_data({**scanned.to_data(), "version": -1}) is None


def test_a_pass_elsewhere_does_not_close_a_check_owed_live_or_on_staging() -> None:
    item = open_item(
        deferred("Stripe webhook signature check not tested with live Stripe events (needs the API key)",
                 4, target="2.3"),
        report("r/task2_1.md", "2.1"), PROJECT,
    )
    fixtures = "# Task 2.3\n\n- ✅ Stripe webhook signature check tested with recorded Stripe events\n"
    live = "# Task 2.3\n\n- ✅ Stripe webhook signature check tested with live Stripe events\n"
    target = report("r/task2_3.md", "2.3")
    assert all(c.state != "closed" for c in find_closures(target, fixtures, [item]))
    assert [c.state for c in find_closures(target, live, [item])] == ["closed"]


def test_a_command_that_only_opens_a_manual_check_does_not_close_it() -> None:
    item = open_item(
        deferred("Checkout flow not clicked through manually: start `npm run dev`, then run `npm test`", 9),
        report("r/task3_1.md", "3.1"), PROJECT,
    )
    text = "# Task 3.2\n\n- ✅ `npm run dev` starts\n- ✅ `npm test` passed\n"
    assert all(c.state != "closed" for c in find_closures(report("r/task3_2.md", "3.2"), text, [item]))


def test_a_hedged_closes_line_only_proposes(docker_item: TrackedItem) -> None:
    text = "# Task 2.3\n\n- Closes: 2.1 Docker build validation, partly: the build still fails on arm64\n"
    closure = only(find_closures(LATER, text, [docker_item]), docker_item)
    assert closure is not None and (closure.state, closure.rule) == ("candidate", "explicit")


def test_writing_a_test_script_is_not_running_it(docker_item: TrackedItem) -> None:
    item = open_item(deferred("`node test_upload.js` not run: needs the backend running with credentials", 3),
                     report("r/task6_1.md", "6.1"), PROJECT)
    text = "# Task 6.4\n\n- Created `test_upload.js` with usage notes for `node test_upload.js`\n"
    assert find_closures(report("r/task6_4.md", "6.4"), text, [item]) == []


def test_a_passing_heading_is_evidence_and_vouches_for_its_output(docker_item: TrackedItem) -> None:
    heading = "# Task 2.3\n\n## Results\n\n### ✅ `docker build` succeeded in CI\n\nSee the log.\n"
    closure = only(find_closures(LATER, heading, [docker_item]), docker_item)
    assert closure is not None and (closure.state, closure.line) == ("closed", 5)
    output = "# Task 2.3\n\n### Container build: PASS\n\n```\n$ docker build -t h .\nwrote image h\n```\n"
    closure = only(find_closures(LATER, output, [docker_item]), docker_item)
    assert closure is not None and (closure.state, closure.line, closure.lines) == ("closed", 6, (6, 7))
    failing = "# Task 2.3\n\n### Container build ❌\n\n```\n$ docker build -t h .\nerror: no space\n```\n"
    assert all(c.state != "closed" for c in find_closures(LATER, failing, [docker_item]))
