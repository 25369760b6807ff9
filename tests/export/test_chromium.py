"""The HTML summary in a real browser (Debian's headless `chromium`): renders, no console errors,
charts present. Skipped where Chromium is not installed (`.ci/run` installs it)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tracker.export import html
from tracker.store import Store

from .conftest import ralph_report, summary_for

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")


def headless(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra, page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line]


def test_console_check_sees_errors(tmp_path: Path) -> None:
    """The check below would notice a console error: a page that logs one is caught."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>console.error('boom')</script></body></html>")
    result = headless(page, tmp_path / "profile", "--dump-dom")
    assert any("boom" in m for m in console_messages(result.stderr)), result.stderr[-2000:]


def test_weekly_html_renders_without_console_errors(store: Store, add: Callable[[str, str], None],
                                                    tmp_path: Path) -> None:
    add("r/9_1.md", ralph_report("9.1", "Chimney", "2026-11-17T10:00:00Z",
                                 validation="PASS (docker build will be validated in task 9.2)"))
    add("r/9_2.md", ralph_report("9.2", "Flue", "2026-11-18T10:00:00Z", status="❌ FAIL"))
    page = tmp_path / "weekly.html"
    page.write_text(html.render(summary_for(store, "2026-W47")), encoding="utf-8")
    result = headless(page, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    dom = result.stdout
    assert 'id="chart-open-trend"' in dom and 'id="chart-statuses"' in dom
    assert "<polyline" in dom and 'class="bar bar-pass"' in dom and 'class="bar bar-fail"' in dom
    shot = tmp_path / "weekly.png"
    narrow = headless(page, tmp_path / "profile", "--hide-scrollbars", "--window-size=390,1200",
                      f"--screenshot={shot}")
    assert narrow.returncode == 0 and console_messages(narrow.stderr) == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
