"""The term index of ingest proposes every item (report) the exhaustive matching would match.

Two levels: the rules (`closing.match_evidence` / `match_explicit`) never match an item that
shares no key with a report's evidence (hypothesis, on generated lines), and a whole ingest
through the index stores exactly the items, events and candidates of the exhaustive path, in
order and out of order, with revisions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tracker.closing import ItemRef, match_evidence, match_explicit
from tracker.evidence import EvidenceLine, ReportEvidence
from tracker.ingest import collect_sources, ingest
from tracker.store import Store
from tracker.store.match_index import KeyIndex, LineIndex, anchor_keys, could_match, item_keys, line_keys
from tracker.terms import anchors_match

ROOT = Path(__file__).resolve().parents[2]

WORDS = ["docker", "image", "build", "search", "index", "migration", "elasticsearch", "stripe",
         "webhook", "render", "placeholder", "pdf", "login", "flow", "browser", "staging", "live",
         "deploy", "schema", "export", "endpoint", "manually", "passes", "ran", "replaced", "stub"]
ANCHORS = ["`go build ./cmd/app`", "`go build ./...`", "`npm run build`", "`npm run test`",
           "`pytest tests/api`", "`pytest`", "api/export.py", "`quill/pdf/render.py`",
           "`render_pdf()`", "docker build .", "src/app/main.ts", "`make lint`"]
MARKS = ["✅", "passed", "0 errors", "verified", "implemented", "not run", "will be validated", ""]
TASKS = ["3.6", "5.1", "5.2", "02-01", "7"]

phrase = st.lists(st.sampled_from(WORDS + ANCHORS + MARKS + TASKS), min_size=1, max_size=9).map(" ".join)


@st.composite
def evidence_lines(draw: st.DrawFn) -> ReportEvidence:
    lines = []
    for n in range(draw(st.integers(1, 4))):
        body = draw(phrase)
        explicit = draw(st.one_of(st.none(), phrase, st.sampled_from(TASKS), st.just("abc1234")))
        lines.append(EvidenceLine(
            n + 1, f"- Closes: {explicit}" if explicit else body, draw(phrase), strong=draw(st.booleans()),
            weak=draw(st.booleans()), made=draw(st.booleans()), explicit=explicit,
            delivers=draw(st.booleans())))
    return ReportEvidence("r.md", tuple(lines))


item_texts = st.lists(phrase, min_size=1, max_size=3).map(" | ".join)


def test_anchor_keys_meet_exactly_when_anchors_could_match() -> None:
    names = ["go build ./cmd/app", "go build ./cmd", "go build", "npm run build", "npm run build:prod",
             "api/export.py", "api/export.pyc", "pytest", "pytest tests/api", "make lint"]
    for a in names:
        for b in names:
            if anchors_match(a, b):
                assert anchor_keys(a) & anchor_keys(b), (a, b)


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(item_texts, min_size=1, max_size=5), tasks=st.lists(st.sampled_from([*TASKS, None]),
       min_size=5, max_size=5), evidence=evidence_lines(), kind=st.sampled_from(["validation", "work"]))
def test_items_sharing_no_key_are_never_matched(texts: list[str], tasks: list[str | None],
                                                evidence: ReportEvidence, kind: str) -> None:
    items = [ItemRef(f"abc123{n}", tasks[n], t) for n, t in enumerate(texts)]
    lines = line_keys(evidence)
    index, reports = KeyIndex(), LineIndex()
    reports.add(7, lines)
    for n, item in enumerate(items):
        index.add(n, item_keys(item.text, item.id, item.task_id))
    proposed = index.matching(lines)
    for n, item in enumerate(items):
        keys = item_keys(item.text, item.id, item.task_id)
        positions = reports.matching(keys).get(7, set())
        assert (n in proposed) == could_match(keys, lines) == bool(positions)
        # An item opened later is matched only against the lines of a report the index names.
        pruned = ReportEvidence(evidence.source, tuple(evidence.lines[p] for p in sorted(positions)))
        for target_report in (True, False):
            for order_known in (True, False):
                assert match_evidence(item.text, kind, pruned, target_report=target_report,
                                      order_known=order_known) == \
                    match_evidence(item.text, kind, evidence, target_report=target_report,
                                   order_known=order_known)
        assert match_explicit(pruned, [item]) == match_explicit(evidence, [item])
        if n not in proposed:
            assert match_evidence(item.text, kind, evidence, target_report=True) is None
            assert match_explicit(evidence, [item]) == {}
    # Explicit references compare items with each other: the proposed ones decide alike.
    assert match_explicit(evidence, items) == match_explicit(evidence, [items[n] for n in sorted(proposed)])


# --- whole ingests -------------------------------------------------------------------------------

CORPORA = ["sample_reports", "tests/fixtures/reports", "tests/fixtures/deferred", "tests/fixtures/heldout",
           "tests/fixtures/heldout2"]


def _dump(store: Store) -> dict[str, list[tuple]]:
    queries = {
        "events": "select e.actor, e.action, p.name, t.task_key, r.source_path, r.revision, e.line, "
                  "d.short_id, e.from_state, e.to_state, e.reason from events e "
                  "left join projects p on p.id = e.project_id left join tasks t on t.id = e.task_id "
                  "left join reports r on r.id = e.report_id left join deferred_items d on d.id = e.item_id "
                  "order by e.id",
        "items": "select d.short_id, d.state, d.text, d.kind, d.target, d.evidence, d.closure_rule, "
                 "d.closure_score, d.closure_lines, d.closed_line, r.source_path, d.withdrawn_from "
                 "from deferred_items d left join reports r on r.id = d.closed_by_report_id "
                 "order by d.short_id",
        "candidates": "select d.short_id, r.source_path, c.line, c.evidence, c.score, c.status "
                      "from closure_candidates c join deferred_items d on d.id = c.item_id "
                      "join reports r on r.id = c.report_id order by c.id",
    }
    with store.session() as session:
        return {name: [tuple(row) for row in session.execute(text(sql))] for name, sql in queries.items()}


def _ingest_all(db: str, folders: list[Path], *, indexed: bool, reverse: bool) -> dict[str, list[tuple]]:
    with Store.open(db, actor="test") as store:
        store.match_index = indexed
        sources = collect_sources([str(f) for f in folders], project="one")
        ingest(store, list(reversed(sources)) if reverse else sources)
        return _dump(store)


@pytest.mark.parametrize("reverse", [False, True], ids=["in-order", "out-of-order"])
def test_indexed_ingest_stores_what_exhaustive_matching_stores(tmp_path: Path, reverse: bool) -> None:
    folders = [ROOT / c for c in CORPORA]
    exhaustive = _ingest_all(f"sqlite:///{tmp_path / 'a.db'}", folders, indexed=False, reverse=reverse)
    indexed = _ingest_all(f"sqlite:///{tmp_path / 'b.db'}", folders, indexed=True, reverse=reverse)
    assert indexed == exhaustive
    assert any(row[1] in ("auto-close", "propose") for row in exhaustive["events"])


def test_indexed_ingest_follows_revisions_like_exhaustive(tmp_path: Path) -> None:
    from tests.lifecycle_store import reports as kestrel

    results = []
    for indexed in (False, True):
        folder = tmp_path / f"kestrel-{indexed}" / "kestrel"
        shutil.copytree(ROOT / "sample_reports", folder / "sample")
        db = f"sqlite:///{tmp_path / f'{indexed}.db'}"
        steps = [("5.1.md", kestrel.DEFERRING), ("5.2.md", kestrel.CLOSING),
                 ("5.2.md", kestrel.CLOSING_TOUCHED), ("5.2.md", kestrel.PARTLY_CLOSING),
                 ("5.2.md", kestrel.NOT_CLOSING),
                 ("5.2.md", kestrel.CLOSING), ("5.1.md", kestrel.DEFERRING_WITHOUT_IT),
                 ("5.1.md", kestrel.DEFERRING)]
        with Store.open(db, actor="test") as store:  # one writer: its cache lives across the steps
            store.match_index = indexed
            for name, body in steps:
                kestrel.write(folder, name, body)
                ingest(store, collect_sources([str(folder)], project="kestrel"))
            dump = _dump(store)
        results.append({k: [tuple(str(v).replace(f"kestrel-{indexed}", "K") for v in row) for row in rows]
                        for k, rows in dump.items()})
    assert results[0] == results[1]
