"""The weekly summary as JSON for orchestrators: `"schema": "tracker.weekly/1"`, documented in README.

Within schema version 1 keys are only ever added; a rename or removal bumps the version.
"""

from __future__ import annotations

import json

from tracker.export.weekly import WeeklySummary, public_data


def render(summary: WeeklySummary) -> str:
    return json.dumps(public_data(summary), ensure_ascii=False, indent=2) + "\n"
