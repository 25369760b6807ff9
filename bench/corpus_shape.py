"""Measure the shape of the real report corpus so the benchmark generator can mimic it.

Only counts leave this script (lines, sections, list items, files, deferral shares, status
mix); no text of the corpus is printed or stored. The numbers it prints are pasted as
constants into `bench/generate.py` (SHAPE), so the generator runs without the corpus.

    .venv/bin/python bench/corpus_shape.py [../shared/corpus] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

LAYOUT_BY_FOLDER = {"tynebase": "ralph", "gsd_a": "gsd", "gsd_b": "gsd", "misc": "generic"}

HEADING = re.compile(r"^#{1,6}\s")
BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
CHECKBOX = re.compile(r"^\s*[-*+]\s\[[ xX]\]")
TABLE_ROW = re.compile(r"^\s*\|")
FENCE = re.compile(r"^\s*(```|~~~)")
BOLD_FIELD = re.compile(r"^\*\*[^*]{2,40}(?::\*\*|\*\*:)")
EMOJI_MARK = re.compile("[\u2705\u274c\u26a0\u23f3]")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; the corpus is small, so interpolation would pretend precision."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return float(ordered[index])


def measure_text(text: str) -> dict[str, int]:
    """Structural counts of one report, ignoring everything inside fenced code."""
    counts: Counter[str] = Counter()
    lines = text.split("\n")
    counts["lines"] = len(lines)
    counts["bytes"] = len(text.encode("utf-8"))
    in_fence = False
    front_matter = lines[0].strip() == "---"
    for index, line in enumerate(lines):
        if front_matter:
            counts["front_matter_lines"] += 1
            if index > 0 and line.strip() == "---":
                front_matter = False
            continue
        if FENCE.match(line):
            if not in_fence:
                counts["code_blocks"] += 1
            in_fence = not in_fence
            continue
        if in_fence:
            counts["code_lines"] += 1
            continue
        if not line.strip():
            counts["blank_lines"] += 1
        if HEADING.match(line):
            counts["headings"] += 1
        if CHECKBOX.match(line):
            counts["checkboxes"] += 1
        elif BULLET.match(line):
            counts["bullets"] += 1
        if TABLE_ROW.match(line):
            counts["table_rows"] += 1
        if BOLD_FIELD.match(line):
            counts["bold_fields"] += 1
        if EMOJI_MARK.search(line):
            counts["emoji_lines"] += 1
    return dict(counts)


def summarise(values: list[float]) -> dict[str, float]:
    return {
        "mean": round(statistics.fmean(values), 2) if values else 0.0,
        "min": min(values) if values else 0.0,
        "p10": percentile(values, 0.10),
        "p50": percentile(values, 0.50),
        "p90": percentile(values, 0.90),
        "max": max(values) if values else 0.0,
    }


def measure(corpus: Path) -> dict[str, dict]:
    labels = [json.loads(line) for line in (corpus / "labels.jsonl").read_text().splitlines() if line.strip()]
    closures_path = corpus / "closures.jsonl"
    closures = (
        [json.loads(line) for line in closures_path.read_text().splitlines() if line.strip()]
        if closures_path.exists()
        else []
    )
    per_layout: dict[str, list[dict]] = defaultdict(list)
    for label in labels:
        layout = LAYOUT_BY_FOLDER.get(label["file"].split("/")[0], "generic")
        counts = measure_text((corpus / label["file"]).read_text(encoding="utf-8"))
        counts["files"] = len(label.get("files") or [])
        counts["deferred_items"] = len(label.get("deferred") or [])
        counts["deferred_lines"] = sum(len(item.get("lines") or []) for item in label.get("deferred") or [])
        counts["status"] = label.get("status") or "unknown"
        counts["has_validation"] = label.get("validation") is not None
        counts["deferred_kinds"] = [item.get("kind") for item in label.get("deferred") or []]
        counts["deferred_targets"] = [
            _target_class(item.get("target")) for item in label.get("deferred") or []
        ]
        per_layout[layout].append(counts)
    shape: dict[str, dict] = {}
    total = sum(len(rows) for rows in per_layout.values())
    for layout, rows in sorted(per_layout.items()):
        numeric = [
            "lines",
            "bytes",
            "headings",
            "bullets",
            "checkboxes",
            "table_rows",
            "code_blocks",
            "code_lines",
            "front_matter_lines",
            "bold_fields",
            "emoji_lines",
            "files",
            "deferred_items",
        ]
        entry: dict = {"reports": len(rows), "share": round(len(rows) / total, 3)}
        for key in numeric:
            entry[key] = summarise([float(row.get(key, 0)) for row in rows])
        with_deferred = [row for row in rows if row["deferred_items"]]
        entry["share_with_deferred"] = round(len(with_deferred) / len(rows), 3)
        entry["share_with_checkboxes"] = round(sum(1 for r in rows if r.get("checkboxes")) / len(rows), 3)
        entry["share_with_tables"] = round(sum(1 for r in rows if r.get("table_rows")) / len(rows), 3)
        entry["share_with_validation_field"] = round(
            sum(1 for r in rows if r["has_validation"]) / len(rows), 3
        )
        entry["lines_per_deferred_item"] = round(
            sum(r["deferred_lines"] for r in with_deferred)
            / max(1, sum(r["deferred_items"] for r in with_deferred)),
            2,
        )
        statuses = Counter(row["status"] for row in rows)
        entry["status_mix"] = {k: round(v / len(rows), 3) for k, v in statuses.most_common()}
        kinds = Counter(kind for row in rows for kind in row["deferred_kinds"])
        entry["deferred_kind_mix"] = {k: round(v / max(1, kinds.total()), 3) for k, v in kinds.most_common()}
        targets = Counter(t for row in rows for t in row["deferred_targets"])
        entry["deferred_target_mix"] = {
            k: round(v / max(1, targets.total()), 3) for k, v in targets.most_common()
        }
        shape[layout] = entry
    closed = sum(1 for c in closures if c.get("closed_by"))
    shape["_closures"] = {
        "items": len(closures),
        "share_closed_later": round(closed / len(closures), 3) if closures else 0.0,
    }
    return shape


def _target_class(target: str | None) -> str:
    """Task ids become 'task' so the mix says how often a deferral names another task."""
    if target is None:
        return "none"
    if target in {"deployment", "credentials", "manual", "environment", "later"}:
        return target
    return "task"


def print_table(shape: dict[str, dict]) -> None:
    keys = [
        "lines",
        "bytes",
        "headings",
        "bullets",
        "checkboxes",
        "table_rows",
        "code_blocks",
        "front_matter_lines",
        "bold_fields",
        "emoji_lines",
        "files",
        "deferred_items",
    ]
    for layout, entry in shape.items():
        if layout.startswith("_"):
            continue
        print(f"== {layout}: {entry['reports']} reports ({entry['share']:.0%} of corpus)")
        print(f"   {'metric':<20}{'mean':>9}{'p10':>8}{'p50':>8}{'p90':>8}{'max':>8}")
        for key in keys:
            s = entry[key]
            print(
                f"   {key:<20}{s['mean']:>9}{s['p10']:>8.0f}{s['p50']:>8.0f}{s['p90']:>8.0f}{s['max']:>8.0f}"
            )
        for key in [
            "share_with_deferred",
            "share_with_checkboxes",
            "share_with_tables",
            "share_with_validation_field",
            "lines_per_deferred_item",
        ]:
            print(f"   {key:<30}{entry[key]}")
        print(f"   status_mix          {entry['status_mix']}")
        print(f"   deferred_kind_mix   {entry['deferred_kind_mix']}")
        print(f"   deferred_target_mix {entry['deferred_target_mix']}")
    print(f"== closures: {shape['_closures']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    parser.add_argument("corpus", nargs="?", type=Path, default=default)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    shape = measure(args.corpus)
    if args.json:
        print(json.dumps(shape, indent=1))
    else:
        print_table(shape)


if __name__ == "__main__":
    main()
