"""Checklist items: boxes, marks at line start and status-table rows, each with section and line."""

from pathlib import Path

from tracker.parse.pipeline import parse_file, parse_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"


def _items(report):  # type: ignore[no-untyped-def]
    return [(i.text, i.state, i.section, i.line) for i in report.checklist]


def test_boxes_and_marks() -> None:
    assert _items(parse_file(FIXTURES / "checkbox_report.md")) == [
        ("CSV files with a header row import", "done", "Acceptance Criteria", 7),
        ("Bad rows are reported with their line number", "done", "Acceptance Criteria", 8),
        ("Excel files import", "open", "Acceptance Criteria", 9),
        ("Existing imports keep working", "done", "Notes", 13),
        ("Excel import not started", "failed", "Notes", 14),
    ]


def test_status_table_rows() -> None:
    items = _items(parse_file(FIXTURES / "task_7_summary.md"))
    assert ("Local storage schema", "done", "Progress", 11) in items
    assert ("Conflict resolution", "warning", "Progress", 12) in items
    assert ("Background sync", "pending", "Progress", 13) in items
    assert ("Migration of old drafts", "failed", "Progress", 14) in items


def test_warning_line_in_validation_section() -> None:
    items = _items(parse_file(FIXTURES / "ralph_task_2_4.md"))
    warning = ("PDF rendering not checked locally (no fonts installed)", "warning", "Validation Results", 24)
    assert warning in items


def test_marks_inside_code_blocks_are_test_output_not_checklist() -> None:
    text = "# Task 1\n\n## Tests\n\n```\n✅ 12 passed\n❌ 1 failed\n```\n"
    assert parse_text(text, "r.md").checklist == []


def test_each_line_of_a_paragraph_is_its_own_item() -> None:
    text = "# Task 1\n\n## Security\n\n✅ **Input validation**: zod schemas  \n⏳ Rate limits\n"
    assert _items(parse_text(text, "r.md")) == [
        ("Input validation: zod schemas", "done", "Security", 5),
        ("Rate limits", "pending", "Security", 6),
    ]
