"""The CLI module must not pull in heavy libraries: every command pays for them at start-up."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "alembic", "rich", "tracker.parse", "tracker.store", "markdown_it", "pydantic")


def test_importing_the_cli_loads_no_heavy_module() -> None:
    code = ("import sys, tracker.cli\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_status_does_not_import_alembic_or_the_parser(tmp_path) -> None:
    db = tmp_path / "t.db"
    code = (
        "import sys\n"
        "from tracker.cli import app\n"
        "try:\n"
        f"    app(['status', '--db', {str(db)!r}, '-f', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('alembic', 'tracker.parse', 'markdown_it')\n"
        "print('loaded:' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # creates
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "loaded:"
