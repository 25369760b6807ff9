"""File lists under their many names, and what is not this task's."""

from pathlib import Path

import pytest

from tracker.parse.files import title_action
from tracker.parse.paths import paths_in
from tracker.parse.pipeline import parse_file, parse_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"


def _files(report):  # type: ignore[no-untyped-def]
    return [(f.path, f.action, f.line) for f in report.files]


def test_ralph_list_with_markers_exclusions_and_prose() -> None:
    assert _files(parse_file(FIXTURES / "ralph_task_2_4.md")) == [
        ("server/routes/export.ts", "created", 14),  # backslashes turned to /
        ("server/app.ts", "modified", 15),  # "Registered ..." changes an existing file
        ("tests/export.test.ts", "created", 18),
        ("db/migrations/0007_export_index.sql", "created", 28),  # "Created migration `x`" prose
    ]


def test_created_in_another_task_and_already_present_are_excluded() -> None:
    paths = [f.path for f in parse_file(FIXTURES / "ralph_task_2_4.md").files]
    assert "server/lib/pdf.ts" not in paths
    assert "server/package.json" not in paths


def test_table_with_action_column() -> None:
    assert _files(parse_file(FIXTURES / "ralph_task_I4_2.md")) == [
        ("infra/bucket.tf", "created", 13),
        ("infra/variables.tf", "modified", 14),
        ("infra/old_bucket.tf", "deleted", 15),
    ]


def test_gsd_key_files_with_body_list_merged() -> None:
    report = parse_file(FIXTURES / "02-01-SUMMARY.md")
    assert _files(report) == [
        ("app/billing/checkout.ts", "created", 7),
        ("app/billing/webhook.ts", "created", 8),  # "(42 lines)" annotation dropped
        ("package.json", "modified", 10),
    ]


def test_gsd_without_front_matter_reads_split_sections() -> None:
    assert _files(parse_file(FIXTURES / "03-02-SUMMARY.md")) == [
        ("jobs/reminders.ts", "created", 11),
        ("emails/reminder.html", "created", 12),
        ("jobs/index.ts", "modified", 16),
    ]


def test_changed_files_label_in_status_block() -> None:
    assert _files(parse_file(FIXTURES / "status_block.md")) == [
        ("web/search/Filters.tsx", "unknown", 4),
        ("web/search/useFilters.ts", "unknown", 5),
        ("docs/SEARCH.md", "unknown", 6),
    ]


def test_changes_made_with_verbs_and_new_marker() -> None:
    assert _files(parse_file(FIXTURES / "task_7_summary.md")) == [
        ("client/store/drafts.ts", "modified", 18),
        ("client/sync/worker.ts", "created", 19),
    ]


def test_no_files_section_means_no_files() -> None:
    assert parse_file(FIXTURES / "checkbox_report.md").files == []


def test_numbered_bold_entries_and_file_headings() -> None:
    text = (
        "# Task 5 Summary\n\n## Files Created\n\n"
        "1. **src/Engine.h/cpp** - engine\n   - `tick()` advances time\n"
        "2. **Build files**\n   - `CMakeLists.txt` - build\n\n"
        "### 3. Updated Config.json\n- `load()` reads it\n"
    )
    assert _files(parse_text(text, "r.md")) == [
        ("src/Engine.h", "created", 5),
        ("src/Engine.cpp", "created", 5),
        ("CMakeLists.txt", "created", 8),
        ("Config.json", "modified", 10),
    ]


def test_deleted_inline_field_and_duplicate_mentions() -> None:
    text = ("# Task 6\n\n## Files Modified\n\n- `src/a.ts` - tweak\n\n## Cleanup\n\n"
            "**Deleted:** `src/old.ts`\n\nModified `src/a.ts` again.\n")
    assert _files(parse_text(text, "r.md")) == [("src/a.ts", "modified", 5), ("src/old.ts", "deleted", 9)]


@pytest.mark.parametrize(("text", "expected"), [
    ("backend\\src\\x.ts", ["backend/src/x.ts"]),
    ("src/x.ts:12", ["src/x.ts"]),
    ("__init__.py", ["__init__.py"]),
    ("Makefile", ["Makefile"]),
    ("src/app/[id]/page.tsx", ["src/app/[id]/page.tsx"]),
    ("saveState()", []),
    ("v1.0.18", []),
    ("openai@^4.x", []),
    ("Node.js", []),
    ("internal/output.WriteJSON", []),
    ("https://example.com/a.js", []),
    ("src/components/", []),
])
def test_what_counts_as_a_path(text: str, expected: list[str]) -> None:
    assert paths_in(text) == expected


def test_runs_of_paths_git_stat_blocks_and_what_changed() -> None:
    text = ("# Task 2\n\n## Files Changed\n\n- `a/x.ts`, `a/y.ts` - tests for `z.ts`\n"
            "- `b/q.py` and `b/r.py`\n\n"
            "```\nsrc/m.ts | 20 ++--\n```\n\n## What Changed\n\n- `c/d.go` - x\n")
    assert [(f.path, f.line) for f in parse_text(text, "r.md").files] == [
        ("a/x.ts", 5), ("a/y.ts", 5), ("b/q.py", 6), ("b/r.py", 6), ("src/m.ts", 9), ("c/d.go", 14)]


@pytest.mark.parametrize(("title", "action"), [
    ("Files Created/Modified", "unknown"),
    ("Modified Files", "modified"),
    ("Documentation Created", "created"),
    ("Test Files", "unknown"),
    ("Changes landed in", "unknown"),
    ("Deleted", "deleted"),
    ("Missing Files", None),
    ("Files Reviewed", None),
    ("Tasks Completed", None),
    ("Breaking Changes", None),
    ("File Format Support", None),
])
def test_which_titles_introduce_file_lists(title: str, action: str | None) -> None:
    assert title_action(title) == action


def test_prose_takes_the_files_next_to_the_verb_only() -> None:
    text = ("# Task 8\n\n## Notes\n\n- Created `web/useCart.ts` instead of extending `web/useShop.ts`\n"
            "- Updated `a/one.py` and `a/two.py` for the new API\n- Added a guard in `a/three.py`\n")
    assert _files(parse_text(text, "r.md")) == [
        ("web/useCart.ts", "created", 5), ("a/one.py", "modified", 6), ("a/two.py", "modified", 6),
        ("a/three.py", "modified", 7)]


def test_created_in_this_very_task_stays() -> None:
    text = ("# Task 2.4: Export\n\n## Files Created/Modified\n\n- `a/x.ts` - created in Task 2.4\n"
            "- `a/y.ts` - created in Task 2.1\n")
    assert [f.path for f in parse_text(text, "r.md").files] == ["a/x.ts"]


def test_bare_path_inside_an_entry_of_a_files_section() -> None:
    text = "# Task 3\n\n## Files Modified\n\n- Updated README.md to mention the flag (see Node.js docs).\n"
    assert _files(parse_text(text, "r.md")) == [("README.md", "modified", 5)]


def test_label_item_followed_by_siblings_terminates() -> None:
    # a list entry that is itself a label ("Files changed:") followed by sibling entries once looped forever
    report = parse_text("# Task 3\n\n- Files changed:\n- `a/x.ts`\n- Notes:\n- none\n", "r.md")
    assert report.task.id == "3"


def test_prose_naming_a_renumbered_migration_means_the_listed_file() -> None:
    text = ("# Task 1.4\n\nCreated migration `002_invoices.sql` with two tables.\n\n"
            "## Files Created/Modified\n\n- `db/migrations/20260101120000_invoices.sql` - migration\n")
    assert [f.path for f in parse_text(text, "r.md").files] == ["db/migrations/20260101120000_invoices.sql"]


def test_plain_text_labels_with_one_path_per_line_in_a_paragraph() -> None:
    text = ("Reworked the retry loop.\n\nNew files:\n  app/retry.py\n  tests/test_retry.py\n"
            "Files modified:\n  app/client.py\n\nEverything else is as before.\n")
    assert _files(parse_text(text, "r.md")) == [
        ("app/retry.py", "created", 4), ("tests/test_retry.py", "created", 5),
        ("app/client.py", "modified", 7)]


def test_paragraph_that_does_not_start_with_a_files_label_is_no_list() -> None:
    text = "Read the notes first.\nFiles created:\n  app/retry.py\n"
    assert _files(parse_text(text, "r.md")) == []


def test_list_title_on_its_own_line_without_a_colon() -> None:
    text = "Added paging.\n\nFiles touched\n- api/pager.go (new)\n- api/list.go: uses the pager\n"
    assert _files(parse_text(text, "r.md")) == [("api/pager.go", "created", 4), ("api/list.go", "unknown", 5)]


def test_tree_listing_under_a_created_label_joins_folders() -> None:
    text = ("Scaffolded the service:\n\n```\nsvc/\n├── go.mod\n├── cmd/\n│   └── main.go\n"
            "└── internal/\n    ├── store/\n    │   └── store.go\n    └── api.go\n```\n")
    assert [(f.path, f.action) for f in parse_text(text, "r.md").files] == [
        ("svc/go.mod", "created"), ("svc/cmd/main.go", "created"),
        ("svc/internal/store/store.go", "created"), ("svc/internal/api.go", "created")]


def test_listing_under_a_label_that_is_not_about_changes_is_ignored() -> None:
    text = "Project layout for reference:\n\n```\nsvc/\n└── go.mod\n```\n"
    assert parse_text(text, "r.md").files == []


def test_prose_verbs_open_any_sentence_and_a_second_verb_takes_over() -> None:
    text = ("The sync job now pages. I created `jobs/pager.rb` and updated `jobs/sync.rb`.\n\n"
            "Cleaned up the flags; removed the `--legacy` option from `bin/sync`.\n")
    assert _files(parse_text(text, "r.md")) == [
        ("jobs/pager.rb", "created", 1), ("jobs/sync.rb", "modified", 1)]


def test_removed_from_a_file_modifies_it() -> None:
    text = "Removed the `--legacy` option from `bin/sync.sh`.\n"
    assert _files(parse_text(text, "r.md")) == [("bin/sync.sh", "modified", 1)]


def test_action_written_next_to_the_path() -> None:
    text = ("# Task 3\n\n- [x] 3.1 Translate the emails (`mail/*.txt` updated)\n"
            "- [x] 3.2 Write `mail/fr.json` (new)\n- [x] Changelog updated (`CHANGES.md`)\n"
            "- [ ] 3.3 Ship `mail/de.json` (created)\n")
    assert sorted(_files(parse_text(text, "r.md")), key=lambda f: f[2]) == [
        ("mail/*.txt", "modified", 3), ("mail/fr.json", "created", 4), ("CHANGES.md", "modified", 5)]


def test_backup_and_state_files_are_paths() -> None:
    assert paths_in("terraform.tfstate.backup") == ["terraform.tfstate.backup"]
    assert paths_in("locale/fr/LC_MESSAGES/django.po") == ["locale/fr/LC_MESSAGES/django.po"]


@pytest.mark.parametrize(("title", "action"), [
    ("What I changed", "unknown"), ("Implementation Changes", "unknown"), ("Files in this PR", "unknown"),
    ("Breaking Changes", None), ("Changes required", None), ("What changed in the API", None),
])
def test_more_file_list_titles(title: str, action: str | None) -> None:
    assert title_action(title) == action


def test_ticked_plan_steps_name_the_files_they_changed() -> None:
    text = ("# Task 6: Audit log\n\n- [x] 6.1 Write `audit/log.go`\n- [x] 6.2 Update `cmd/serve.go` to log\n"
            "- [ ] 6.3 Create `audit/export.go`\n- [x] 6.4 Verify `cmd/serve.go` starts\n"
            "- Write `docs/audit.md` next\n")
    assert _files(parse_text(text, "r.md")) == [
        ("audit/log.go", "created", 3), ("cmd/serve.go", "modified", 4)]


def test_files_title_line_then_comma_separated_paths() -> None:
    text = ("## PR: Offline mode\n\n**Files**\n`lib/cache.dart` (new), `lib/main.dart`\n\n"
            "**Test plan**\n- ok\n")
    assert _files(parse_text(text, "r.md")) == [
        ("lib/cache.dart", "created", 4), ("lib/main.dart", "unknown", 4)]


@pytest.mark.parametrize(("line", "action"), [
    ("Fixed the off-by-one in `lib/pager.rb`.", "modified"),
    ("Renamed the helper in `lib/util.rb`.", "modified"),
    ("Introduced `lib/clock.rb` for testable time.", "created"),
])
def test_more_change_verbs_in_prose(line: str, action: str) -> None:
    found = [(f.path, f.action) for f in parse_text(line + "\n", "r.md").files]
    assert found == [(line.split("`")[1], action)]


def test_aider_applied_edit_lines_are_modified_files() -> None:
    text = "Applied edit to pkg/queue/retry.go\nApplied edit to pkg/queue/retry_test.go\n\nDone.\n"
    assert _files(parse_text(text, "a.md")) == [
        ("pkg/queue/retry.go", "modified", 1), ("pkg/queue/retry_test.go", "modified", 2),
    ]
    assert _files(parse_text("We never applied edit to that file.\n", "b.md")) == []


def test_companion_test_and_started_editing_in_prose() -> None:
    text = (
        "# Task 9\n\n- Added `svc/quota.go` and its unit test `svc/quota_test.go`\n"
        "- Started editing `cmd/serve.go` to read the flag (half done)\n"
        "- Added `svc/limits.go` instead of extending `svc/old.go`\n"
    )
    files = {(path, action) for path, action, _ in _files(parse_text(text, "c.md"))}
    assert {("svc/quota.go", "created"), ("svc/quota_test.go", "created")} <= files
    assert ("cmd/serve.go", "modified") in files
    assert not any(path == "svc/old.go" for path, _ in files)


def test_a_change_verb_before_a_bare_path_with_a_folder() -> None:
    text = ("Done.\n\n- added billing/tax/rules.py: VAT bands, writes a `band` column\n"
            "- changed billing/export/csv_writer.py: one more column\n"
            "Updated docs/billing.md with the new bands.\n"
            "- Added src/ring.rs to the chat\n"           # an aider chat command, not a new file
            "- Fixed input/output handling in the CLI\n"  # words with a slash, no file
            "- Added 3/4 of the planned tests\n")
    assert _paths(text) == [
        ("billing/tax/rules.py", "created"), ("billing/export/csv_writer.py", "modified"),
        ("docs/billing.md", "modified")]


def test_a_headless_list_whose_every_entry_opens_with_a_path_lists_changed_files() -> None:
    text = ("Added Finnish to the booking flow.\n\n"
            "- `booking/locale/fi/messages.po` (new)\n"
            "- `booking/settings.py`: LANGUAGES gets fi\n"
            "- `booking/templates/*.html`: strings wrapped for translation\n\n"
            "Tests: 12 passed.\n")
    assert sorted(_paths(text)) == [
        ("booking/locale/fi/messages.po", "created"), ("booking/settings.py", "modified"),
        ("booking/templates/*.html", "modified")]


@pytest.mark.parametrize("text", [
    "Done.\n\n- `booking/settings.py`: LANGUAGES gets fi\n",  # one entry alone
    "Done.\n\n- `booking/settings.py`: LANGUAGES\n- Reviewed the French copy\n",  # not every entry
    "# Report\n\n## Known Stubs\n\n- `api/a.go` - returns fixed data until plan 2\n"
    "- `api/b.go` - returns fixed data until plan 2\n",  # the heading says what the list is
    "Done.\n\n- `npm test`: 40 passed\n- `npm run lint`: clean\n",  # commands, not paths
])
def test_path_led_entries_that_are_no_file_list(text: str) -> None:
    assert _paths(text) == []


def _paths(text: str) -> list[tuple[str, str]]:
    return [(f.path, f.action) for f in parse_text(text, "r.md").files]


def test_path_led_entries_bare_or_ticked_under_the_report_title() -> None:
    text = ("# BKT-9 — Bucket sync\n\n"
            "- [x] Server\n  - [x] `srv/sync.py` — new endpoint\n  - [x] `srv/models.py` — one column more\n"
            "- [ ] Later\n  - [ ] `srv/cleanup.py` — a nightly job\n  - [ ] `srv/cron.py` — its schedule\n\n"
            "The calendar came last.\n\n"
            "- app/views/month.py — new month view\n- app/main.py — registers the view\n")
    assert sorted(_paths(text)) == [("app/main.py", "modified"), ("app/views/month.py", "created"),
                                    ("srv/models.py", "modified"), ("srv/sync.py", "created")]


def test_a_backticked_path_then_its_action() -> None:
    text = ("Done.\n\n* `tests/test_drift.py` added with recorded traces.\n"
            "* `docs/usage.md` updated for the new flag.\n"
            "* `scripts/lint.sh` added to the allowlist of the CI job.\n")  # put somewhere, not created
    assert _paths(text) == [("tests/test_drift.py", "created"), ("docs/usage.md", "modified")]


@pytest.mark.parametrize(("text", "expected"), [
    ("man/kestrel.1", True), ("docs/man3/kestrel_api.3p", True), ("docs/notes.1", False), ("v2.1", False),
])
def test_man_pages_are_files_but_numbered_names_elsewhere_are_not(text: str, expected: bool) -> None:
    from tracker.parse.paths import is_path

    assert is_path(text) is expected


def test_created_and_modified_lines_under_a_files_heading_and_route_files() -> None:
    text = ("## Files\n\nCreated: `app/push.py`, `fastlane/Fastfile`\nModified: `src/routes/+page.svelte`\n\n"
            "The C++ core and a+b notation are no files.\n")
    assert sorted(_paths(text)) == [("app/push.py", "created"), ("fastlane/Fastfile", "created"),
                                    ("src/routes/+page.svelte", "modified")]


def test_a_file_change_table_anywhere_and_one_word_labels() -> None:
    text = ("# Task 14: Mixer\n\nChanged:\n\n| File | Change |\n| --- | --- |\n"
            "| `Assets/Audio/Main.mixer` | added |\n| `Assets/UI/Menu.cs` | Added a volume slider |\n\n"
            "Touched:\n\n    Widget/Chart.swift        (new)\n    Widget/Provider.swift\n\n"
            "## Files\n\n### Changed\n- `app/cli.py` (register `replay`)\n")
    assert sorted(_paths(text)) == [
        ("Assets/Audio/Main.mixer", "created"), ("Assets/UI/Menu.cs", "modified"),
        ("Widget/Chart.swift", "created"), ("Widget/Provider.swift", "modified"), ("app/cli.py", "modified")]
