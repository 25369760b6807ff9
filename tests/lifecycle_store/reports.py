"""Fictional reports of project "kestrel": task 5.1 defers a check to 5.2, and versions of 5.2."""

from __future__ import annotations

from pathlib import Path

DEFERRING = """\
# Execution Summary - Task 5.1: [Infra] Search Index Container

**Status:** ✅ PASS
**Completed:** 2026-10-01T10:00:00Z
**Validation:** PASS (ruff clean; search index migration will be validated in task 5.2)

## Validation Results

- ✅ `ruff check` reports no errors
- ⚠️ Elasticsearch is not available in this sandbox, so the search index migration was not run; \
it will be validated in task 5.2 when CI runs it
"""

CLOSING = """\
# Execution Summary - Task 5.2: [Infra] Search Rollout

**Status:** ✅ PASS
**Completed:** 2026-10-02T10:00:00Z
**Validation:** PASS

## Validation Results

- ✅ Search index migration ran against Elasticsearch 8 in CI (run #7): 0 errors

## Deferred Items Closed

- Closes: 5.1 search index migration validation (ran in CI run #7, 0 errors)
"""

# The same 5.2 report with one more line: the closing evidence is unchanged.
CLOSING_TOUCHED = CLOSING + "\n## Next Steps\n\n- Task 5.3 adds the search UI\n"

# 5.2 rewritten without the migration run or the Closes line: it no longer closes 5.1.
NOT_CLOSING = """\
# Execution Summary - Task 5.2: [Infra] Search Rollout

**Status:** ✅ PASS
**Completed:** 2026-10-02T10:00:00Z
**Validation:** PASS

## Validation Results

- ✅ `ruff check` reports no errors
"""

# A hedged reference: only a candidate for a person to confirm.
PARTLY_CLOSING = """\
# Execution Summary - Task 5.2: [Infra] Search Rollout

**Status:** ✅ PASS
**Completed:** 2026-10-02T10:00:00Z
**Validation:** PASS

## Deferred Items Closed

- Closes: 5.1 search index migration validation, partially (dry run only)
"""

# 5.1 edited: the deferral is gone (the agent found Elasticsearch after all).
DEFERRING_WITHOUT_IT = """\
# Execution Summary - Task 5.1: [Infra] Search Index Container

**Status:** ✅ PASS
**Completed:** 2026-10-01T10:00:00Z
**Validation:** PASS

## Validation Results

- ✅ `ruff check` reports no errors
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
