"""Which parser read a stored report: a digest of the code whose output is stored.

A tracker upgrade that reads reports differently must not leave the reports stored before it as
they were read then; `tracker ingest` tells which stored reports an earlier parser read, and
`--reparse` reads them again. A digest of the sources (not a number someone must remember to
bump) changes exactly when the rules do.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import tracker

_PACKAGE = Path(tracker.__file__).resolve().parent
SOURCES = ("parse/*.py", "model.py", "evidence.py", "terms.py", "taskids.py")
"""What decides a stored revision's `parsed` JSON and its closing evidence."""


@cache
def parser_version() -> str:
    """16 hex digits of the sources' digest; the package version when they can't be read."""
    digest = hashlib.sha256(tracker.__version__.encode())
    try:
        for pattern in SOURCES:
            for path in sorted(_PACKAGE.glob(pattern)):
                digest.update(path.relative_to(_PACKAGE).as_posix().encode())
                digest.update(path.read_bytes())
    except OSError:  # an install without sources (zipapp, frozen): the release is what changes
        return f"v{tracker.__version__}"[:16]
    return digest.hexdigest()[:16]
