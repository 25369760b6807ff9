"""Pick the reader for a plan file from its name and content, so `plan import` needs no --format."""

from __future__ import annotations

from pathlib import Path

from tracker.errors import ReportError
from tracker.parse.pipeline import DEFAULT_MAX_SIZE, read_report_text
from tracker.plan.gsd_roadmap import GSD_PHASE_LINE, read_gsd_roadmap
from tracker.plan.model import Plan, PlanError
from tracker.plan.prd_json import read_prd
from tracker.plan.ralph import RALPH_TASK_LINE, read_ralph


def load_plan(path: Path | str, *, state_path: Path | str | None = None,
              max_size: int = DEFAULT_MAX_SIZE) -> Plan:
    """Read a plan file of any known layout; a GSD roadmap picks up the STATE.md beside it."""
    path = Path(path)
    try:
        text = read_report_text(path, max_size=max_size)
    except ReportError as exc:
        raise PlanError(exc.message, path=exc.path, line=exc.line) from exc
    state = Path(state_path) if state_path is not None else path.with_name("STATE.md")
    return parse_plan(text, str(path), state_path=state if state != path else None)


def parse_plan(text: str, source: str, *, state_path: Path | None = None) -> Plan:
    suffix = Path(source).suffix.lower()
    if suffix == ".json" or (suffix == "" and text.lstrip()[:1] in ("[", "{")):
        return read_prd(text, source)
    if suffix in (".yaml", ".yml"):
        return read_prd(text, source, yaml_text=True)
    if Path(source).name.upper() == "STATE.MD":
        raise PlanError("STATE.md holds a position, not a plan: import the ROADMAP.md beside it", path=source)
    roadmap_name = "ROADMAP" in Path(source).name.upper()
    if RALPH_TASK_LINE.search(text) and not (roadmap_name and GSD_PHASE_LINE.search(text)):
        return read_ralph(text, source)
    if GSD_PHASE_LINE.search(text):
        return read_gsd_roadmap(text, source, state_path=state_path)
    raise PlanError(
        "not a known plan layout (RALPH task list `- [ ] **1.1** Title`, GSD ROADMAP.md "
        "`### Phase 1: Name`, or a runner PRD.json)",
        path=source,
    )
