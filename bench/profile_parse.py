"""Profile `tracker.parse.parse_file` over a generated corpus and list the hot spots.

    nice .venv/bin/python bench/profile_parse.py bench/out/corpus-10000-s7 [--limit 2000] [--top 25]

Uses the standard library's cProfile (no extra dependency). Prints the functions with the
most own time, then tracker's own functions by cumulative time (what the parser authors can
change), each with its share of the total.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=2000, help="files spread over the corpus (0 = all)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", type=Path, help="write the raw profile here (for snakeviz etc.)")
    args = parser.parse_args()

    from tracker.parse import parse_file

    files = spread(sorted(args.corpus.rglob("*.md")), args.limit)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for path in files:
        try:
            parse_file(path)
        except Exception as exc:  # a bug in an extractor is reported, not fatal to profiling
            print(f"{path}: {type(exc).__name__}: {exc}", file=sys.stderr)
    profile.disable()
    elapsed = time.perf_counter() - started
    print(f"{len(files)} files in {elapsed:.1f} s under the profiler ({len(files) / elapsed:.0f} files/s)\n")
    stats = pstats.Stats(profile)
    if args.save:
        stats.dump_stats(str(args.save))
    total = sum(entry[2] for entry in stats.stats.values())  # type: ignore[attr-defined]
    rows = [(func, entry) for func, entry in stats.stats.items()]  # type: ignore[attr-defined]

    print(f"Top {args.top} by own time (all code):")
    print(f"{'own s':>8} {'own %':>6} {'cum s':>8} {'calls':>10}  function")
    for func, (_cc, calls, own, cum, _callers) in sorted(rows, key=lambda r: -r[1][2])[: args.top]:
        print(f"{own:8.2f} {100 * own / total:5.1f}% {cum:8.2f} {calls:10d}  {describe(func)}")

    print(f"\nTop {args.top} tracker functions by cumulative time:")
    print(f"{'cum s':>8} {'cum %':>6} {'own s':>8} {'calls':>10}  function")
    mine = [r for r in rows if "/tracker/" in r[0][0]]
    for func, (_cc, calls, own, cum, _callers) in sorted(mine, key=lambda r: -r[1][3])[: args.top]:
        print(f"{cum:8.2f} {100 * cum / total:5.1f}% {own:8.2f} {calls:10d}  {describe(func)}")


def describe(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    marker = "/tracker/"
    if marker in filename:
        filename = "tracker/" + filename.split(marker, 1)[1]
    elif "site-packages/" in filename:
        filename = filename.split("site-packages/", 1)[1]
    return f"{filename}:{line}({name})"


if __name__ == "__main__":
    main()
