"""Field quality on the real, hand-labelled corpus (skipped when ../shared/corpus is absent).

Thresholds are issue 2's: status >= 0.97, task id >= 0.95, completed >= 0.95, files F1 >= 0.90.
The comparisons mirror the project's scorer: ids ignore a "task"/"plan" prefix and case, a
date label matches any time that day, an offset the text gave must be kept, paths match on
their trailing segments.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from tracker.errors import ReportError
from tracker.model import Report
from tracker.parse.pipeline import parse_file

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"
LABELS = CORPUS / "labels.jsonl"

pytestmark = pytest.mark.skipif(not LABELS.is_file(), reason="../shared/corpus is not present")


def _norm_id(value: object) -> str | None:
    if value is None:
        return None
    text = re.sub(r"^(task|plan|phase)\s*", "", str(value).strip().lower())
    return text.replace("_", ".") or None


def _when(value: str | None) -> tuple[str, object] | None:
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return ("date", text)
    moment = datetime.fromisoformat(text)
    return ("naive", moment) if moment.tzinfo is None else ("aware", moment)


def _same_when(label: str | None, got: str | None) -> bool:
    want, have = _when(label), _when(got)
    if want is None or have is None:
        return want is None and have is None
    if want[0] == "date":
        return str(got)[:10] == want[1]
    if want[0] == "aware":
        return have[0] == "aware" and want[1] == have[1]
    return have[1].replace(tzinfo=None) == want[1]  # type: ignore[union-attr]


def _parts(path: str) -> list[str]:
    return [p for p in path.strip().replace("\\", "/").split("/") if p and p != "."]


def _same_path(a: str, b: str) -> bool:
    pa, pb = _parts(a), _parts(b)
    n = min(len(pa), len(pb))
    return n > 0 and pa[-n:] == pb[-n:]


@pytest.fixture(scope="module")
def parsed() -> list[tuple[dict, Report | None]]:
    labels = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    out: list[tuple[dict, Report | None]] = []
    for label in labels:
        try:
            out.append((label, parse_file(CORPUS / label["file"])))
        except ReportError:
            out.append((label, None))
    return out


def _ratio(parsed: list[tuple[dict, Report | None]], check) -> float:  # type: ignore[no-untyped-def]
    return sum(1 for label, report in parsed if report is not None and check(label, report)) / len(parsed)


def test_every_labelled_report_parses(parsed: list[tuple[dict, Report | None]]) -> None:
    assert [label["file"] for label, report in parsed if report is None] == []


def test_status_accuracy(parsed: list[tuple[dict, Report | None]]) -> None:
    assert _ratio(parsed, lambda lab, rep: rep.status.value == (lab["status"] or "unknown")) >= 0.97


def test_task_id_accuracy(parsed: list[tuple[dict, Report | None]]) -> None:
    assert _ratio(parsed, lambda lab, rep: _norm_id(rep.task.id) == _norm_id(lab["task_id"])) >= 0.95


def test_completed_accuracy(parsed: list[tuple[dict, Report | None]]) -> None:
    assert _ratio(parsed, lambda lab, rep: _same_when(lab["completed"], rep.timestamps.completed)) >= 0.95


def test_validation_accuracy(parsed: list[tuple[dict, Report | None]]) -> None:
    labelled = [(lab, rep) for lab, rep in parsed if lab["validation"] is not None]
    hits = sum(1 for lab, rep in labelled
               if rep is not None and rep.validation and rep.validation.value == lab["validation"])
    assert hits / len(labelled) >= 0.95


def test_files_f1(parsed: list[tuple[dict, Report | None]]) -> None:
    tp = fp = fn = 0
    for label, report in parsed:
        have = [f.path for f in report.files] if report is not None else []
        used: set[int] = set()
        for want in (f["path"] for f in label["files"]):
            hit = next((i for i, h in enumerate(have) if i not in used and _same_path(want, h)), None)
            if hit is None:
                fn += 1
            else:
                used.add(hit)
                tp += 1
        fp += len(have) - len(used)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert 2 * precision * recall / (precision + recall) >= 0.90
