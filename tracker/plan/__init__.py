"""Plans: what should happen (RALPH task lists, ralph-runner PRD.json, GSD ROADMAP.md + STATE.md),
read into one typed model and held against the reports of what did happen. No database here:
the store and the `tracker plan` / `status` / `show` commands call these functions.

- `detect.load_plan(path)` / `detect.parse_plan(text, source)` → `model.Plan` (PlanError on bad input)
- `model.combine_plans([...])` one view over a project's several plan files
- `compare.compare(plan, reports, texts=, is_open=)` → `compare.PlanComparison`; `compare.by_phase` rows
- `evidence.assess(task, [(report, document)])` → `evidence.EvidenceVerdict`
- `diff.diff_plans(old, new)` → `diff.PlanDiff` (added / removed / renamed / renumbered / changed)
"""
