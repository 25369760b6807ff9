"""Measure the closer on the hand-labelled corpus: precision of `closed`, recall, candidates.

Open items come from the LABELS (labels.jsonl deferred entries: the report's own text at
the labelled lines), so this measures closing, not detection. Each item is matched against
the later reports of its project (ordered by task/plan id), as ingest would do, and the
best closure is compared with closures.jsonl.

    .venv/bin/python bench/closures_eval.py [CORPUS_DIR] [--show] [--single-project] [--detector]

--detector opens items from the deferred detector's output instead of the labels (end to end;
several detected items may overlap one labelled item, each is scored).
--all-pairs matches every detected item with every other report, forced later and as target.
    .venv/bin/python bench/closures_eval.py sample_reports --single-project --show
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from tracker.errors import ReportError
from tracker.evidence import scan_text
from tracker.lifecycle import (
    Closure,
    TrackedItem,
    best_closure,
    closures_for_item,
    closures_from_evidence,
    open_item,
    text_fingerprint,
    unique_id,
)
from tracker.model import Report, TaskRef, Timestamps
from tracker.parse.pipeline import parse_file, read_report_text

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@dataclass
class Outcome:
    items: int = 0
    labelled_closed: int = 0
    closed: int = 0
    closed_right_item: int = 0  # closed, and the labels say a later report closes it
    closed_right_file: int = 0  # ... and by the same report the labels name
    candidates: int = 0
    candidates_on_closed: int = 0  # candidate proposed for an item the labels say is closed
    false_closes: list[str] = field(default_factory=list)
    unlabelled_closes: list[str] = field(default_factory=list)  # detector-only items (review by hand)
    rows: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.closed_right_item / self.closed if self.closed else 1.0

    @property
    def recall(self) -> float:
        return self.closed_right_item / self.labelled_closed if self.labelled_closed else 0.0

    @property
    def reach(self) -> float:
        """Share of closed-labelled items that got a close or a candidate (what a reviewer sees)."""
        hits = self.closed_right_item + self.candidates_on_closed
        return hits / self.labelled_closed if self.labelled_closed else 0.0

    def summary(self) -> str:
        return (
            f"CLOSURES items={self.items} labelled_closed={self.labelled_closed} closed={self.closed} "
            f"precision={self.precision:.2f} recall={self.recall:.2f} "
            f"same_report={self.closed_right_file}/{self.closed} candidates={self.candidates} "
            f"candidates_on_labelled_closed={self.candidates_on_closed} reach={self.reach:.2f}"
        )


def project_of(file: str, single_project: bool = False) -> str:
    """Folder, or for mixed folders the "owner__" prefix of the file name."""
    if single_project:
        return "project"
    folder, _, name = file.partition("/")
    return f"{folder}/{name.split('__')[0]}" if "__" in name else folder


def task_id_of(label: dict) -> str | None:
    if label.get("task_id"):
        return label["task_id"]
    match = re.search(r"task[-_]?(\d+)", Path(label["file"]).stem, re.I)
    return f"task-{match.group(1)}" if match else None


def load_report(corpus: Path, label: dict) -> tuple[Report, str] | None:
    path = corpus / label["file"]
    try:
        report = parse_file(path)
        text = read_report_text(path)
    except ReportError:
        return None
    # The labels fix id and time, so the figure measures closing rather than field extraction.
    report.source = label["file"]
    report.task = TaskRef(id=task_id_of(label), title=report.task.title)
    report.timestamps = Timestamps(completed=label.get("completed"))
    return report, text


def labelled_items(label: dict, texts: dict[str, str], project: str) -> list[TrackedItem]:
    lines = texts[label["file"]].split("\n")
    out: list[TrackedItem] = []
    task_id = task_id_of(label)
    for entry in label["deferred"]:
        text = "\n".join(lines[n - 1].strip() for n in entry["lines"] if 0 < n <= len(lines))
        fp = text_fingerprint(text, entry["kind"], task_id)
        out.append(TrackedItem(
            id=unique_id(project, task_id, fp, [i.id for i in out]),
            project=project, task_id=task_id, fingerprint=fp, text=text,
            kind=entry["kind"], reason=None, target=entry.get("target"), source=label["file"],
            line=entry["lines"][0], lines=tuple(entry["lines"]), opened_completed=label.get("completed"),
        ))
    return out


def detected_items(report: Report, project: str) -> list[TrackedItem]:
    """Items as ingest opens them: from the deferred detector's output."""
    out: list[TrackedItem] = []
    for found in report.deferred:
        out.append(open_item(found, report, project, taken_ids=[i.id for i in out]))
    return out


def label_truth(item: TrackedItem, label: dict, truth: dict) -> tuple[dict | None, bool]:
    """The closure label of the labelled item a detected item overlaps (and whether one does)."""
    lines = set(item.lines) | {item.line}
    for entry in label["deferred"]:
        if lines & set(entry["lines"]):
            return truth.get((label["file"], tuple(entry["lines"]))), True
    return None, False


def evaluate(corpus: Path, *, single_project: bool = False, detector: bool = False) -> Outcome:
    labels = [json.loads(line) for line in (corpus / "labels.jsonl").read_text().splitlines() if line]
    truth = {
        (c["item_file"], tuple(c["item_lines"])): c
        for c in map(json.loads, (corpus / "closures.jsonl").read_text().splitlines()) if c
    }
    reports: dict[str, list[tuple[Report, str]]] = defaultdict(list)
    texts: dict[str, str] = {}
    for label in labels:
        loaded = load_report(corpus, label)
        if loaded is not None:
            evidence = scan_text(loaded[1], label["file"])
            reports[project_of(label["file"], single_project)].append((loaded[0], evidence))
            texts[label["file"]] = loaded[1]
    outcome = Outcome()
    parsed = {r.source: r for rs in reports.values() for r, _ in rs}
    for label in labels:
        if label["file"] not in texts:
            continue
        project = project_of(label["file"], single_project)
        if detector:
            items = detected_items(parsed[label["file"]], project)
        else:
            items = labelled_items(label, texts, project)
        for item in items:
            project_reports = [(r, t) for r, t in reports[item.project] if r.source != item.source]
            best = best_closure(closures_for_item(item, project_reports))
            if detector:
                item_truth, labelled = label_truth(item, label, truth)
                _score(outcome, item, best, item_truth, labelled=labelled)
            else:
                _score(outcome, item, best, truth.get((item.source, item.lines)))
    return outcome


def _score(
    outcome: Outcome, item: TrackedItem, best: Closure | None, truth: dict | None, *, labelled: bool = True,
) -> None:
    if not labelled:
        if best is not None and best.state == "closed":
            outcome.unlabelled_closes.append(
                f"{item.source}:{item.line} {item.text[:60]!r} closed by {best.source}:{best.line} "
                f"{best.evidence[:80]!r}"
            )
        return
    outcome.items += 1
    closed_by = (truth or {}).get("closed_by")
    outcome.labelled_closed += bool(closed_by)
    label = f"labelled {'closed by ' + closed_by['file'] if closed_by else 'open'}"
    if best is None:
        outcome.rows.append(f"  -      {item.source}:{item.line} ({label})")
        return
    where = f"{best.source}:{best.line} [{best.rule} {best.score:g}] {best.evidence[:90]!r}"
    if best.state == "closed":
        outcome.closed += 1
        if closed_by:
            outcome.closed_right_item += 1
            outcome.closed_right_file += best.source == closed_by["file"]
        else:
            outcome.false_closes.append(f"{item.source}:{item.line} closed by {where}")
    else:
        outcome.candidates += 1
        outcome.candidates_on_closed += bool(closed_by)
    outcome.rows.append(f"  {best.state:6} {item.source}:{item.line} ({label}) <- {where}")


def all_pairs(corpus: Path) -> list[str]:
    """Stress: every detected item against every other report of the corpus, any project, each
    treated as later than the item and as its target. Closes here that the labels don't name
    show rules too loose to generalise."""
    labels = [json.loads(line) for line in (corpus / "labels.jsonl").read_text().splitlines() if line]
    loaded = [(label, load_report(corpus, label)) for label in labels]
    scanned = [(r, scan_text(t, r.source)) for _, got in loaded if got for r, t in [got]]
    closes: list[str] = []
    for report, _ in scanned:
        for item in detected_items(report, "any"):
            item = replace(item, task_id=None, opened_completed="1900-01-01")
            for other, evidence in scanned:
                if other.source == report.source:
                    continue
                later = other.model_copy(update={"timestamps": Timestamps(completed="2100-01-01")})
                for closure in closures_from_evidence(later, evidence, [replace(item, target=other.task.id)]):
                    if closure.state == "closed":
                        closes.append(f"{item.source}:{item.line} <- {closure.source}:{closure.line} "
                                      f"[{closure.rule}] {closure.evidence[:80]!r}")
    return closes


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    if not (corpus / "closures.jsonl").exists():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    if "--all-pairs" in argv:
        closes = all_pairs(corpus)
        print("\n".join(closes))
        print(f"ALL_PAIRS closes={len(closes)}")
        return 0
    outcome = evaluate(corpus, single_project="--single-project" in argv, detector="--detector" in argv)
    if "--show" in argv:
        print("\n".join(outcome.rows))
    for line in outcome.false_closes:
        print(f"FALSE CLOSE {line}")
    for line in outcome.unlabelled_closes:
        print(f"CLOSED (item not in labels) {line}")
    print(outcome.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
