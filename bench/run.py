"""Benchmark tracker against the issue-6 targets and print one table.

    nice .venv/bin/python bench/run.py --sizes 1000,10000,100000

For each size it generates (once; reused afterwards) a seeded corpus under bench/out/,
measures the bare markdown-it-py parse rate (the floor), tracker's parse rate, ingest with
one process and with `--jobs 2`, an unchanged re-ingest, and on the largest database the
cold-process wall time of `tracker status`, `deferred` and `weekly` next to a bare
`python -c "import sqlalchemy.orm, typer"`. Commands tracker does not have yet are
detected at run time and reported as "n/a (not implemented)". Ratios are printed beside
absolute figures because this 2-core machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = Path(sys.executable)
TRACKER = PYTHON.parent / "tracker"
NA = "n/a (not implemented)"


# ---------------------------------------------------------------------------- results
@dataclass
class Row:
    """One line of the table: wall and CPU figures, ratios to a reference, the target, the verdict."""

    metric: str
    size: str
    wall: str
    cpu: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""
    raw: dict = field(default_factory=dict)


class Table(list[Row]):
    """Rows, each also echoed to stderr as it is measured, so an interrupted run still shows them."""

    def append(self, row: Row) -> None:
        super().append(row)
        progress(
            "  = "
            + " | ".join(c for c in (row.metric, row.size, row.wall, row.cpu, row.ratio, row.verdict) if c)
        )

    def extend(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.append(row)

    def __iadd__(self, rows: Iterable[Row]) -> Table:  # type: ignore[override]
        self.extend(rows)
        return self


@dataclass
class Timing:
    """Wall seconds and CPU seconds (user + system, children included) of one measurement."""

    wall: float
    cpu: float


def rate(files: int, seconds: float) -> str:
    return f"{files / seconds:,.0f} files/s" if seconds > 0 else "-"


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "NOT met")


def ratios(num: Timing, den: Timing, unit: str, invert: bool = False) -> tuple[float, float, str]:
    """Ratios on the CPU and on the wall basis, and their text (CPU first: it is what load distorts least)."""
    cpu = (den.cpu / num.cpu) if invert else (num.cpu / den.cpu)
    wall = (den.wall / num.wall) if invert else (num.wall / den.wall)
    return cpu, wall, f"{cpu:.2f} x {unit} (wall {wall:.2f})"


# ---------------------------------------------------------------------------- corpus
def corpus_dir(out: Path, size: int, seed: int) -> Path:
    from generate import GENERATOR_VERSION  # bench/ is on sys.path when this file runs

    return out / f"corpus-{size}-s{seed}-v{GENERATOR_VERSION}"


def ensure_corpus(out: Path, size: int, seed: int) -> Path:
    """Generate the corpus unless a finished one (its corpus.json exists) is already there."""
    path = corpus_dir(out, size, seed)
    if (path / "corpus.json").exists():
        return path
    if path.exists():
        shutil.rmtree(path)  # an interrupted earlier generation
    subprocess.run(
        [str(PYTHON), str(BENCH / "generate.py"), str(path), "--reports", str(size), "--seed", str(seed)],
        check=True,
    )
    return path


def report_files(corpus: Path) -> list[Path]:
    return sorted(corpus.rglob("*.md"))


def spread(files: list[Path], limit: int) -> list[Path]:
    """At most `limit` files taken evenly across the corpus (so every project and layout is in)."""
    if not limit or limit >= len(files):
        return files
    step = len(files) / limit
    return [files[int(i * step)] for i in range(limit)]


def project_dirs(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_dir())


# ---------------------------------------------------------------------------- parse rates
@dataclass
class Pass:
    timing: Timing
    failures: int
    first_error: str


def time_pass(files: list[Path], parse_one: Callable[[Path], object]) -> Pass:
    """One pass over the files: wall and CPU time, how many raised, and the first such error."""
    failures, first_error = 0, ""
    wall, cpu = time.perf_counter(), time.process_time()
    for path in files:
        try:
            parse_one(path)
        except Exception as exc:  # the harness reports extractor bugs, it does not die on them
            failures += 1
            first_error = first_error or f"{path}: {type(exc).__name__}: {exc}"
    return Pass(Timing(time.perf_counter() - wall, time.process_time() - cpu), failures, first_error)


def best_pass(files: list[Path], parse_one: Callable[[Path], object], passes: int) -> Pass:
    results = [time_pass(files, parse_one) for _ in range(passes)]
    best = min(results, key=lambda r: r.timing.cpu)
    best.timing = Timing(min(r.timing.wall for r in results), best.timing.cpu)
    return best


def floor_parser() -> Callable[[Path], object]:
    """The floor: markdown-it-py configured as tracker's reader is, tokens only, nothing else."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"tasklists": True}).enable("table").use(front_matter_plugin)
    return lambda path: md.parse(path.read_text(encoding="utf-8"))


def tracker_parser() -> Callable[[Path], object]:
    from tracker.parse import parse_file

    return parse_file


# ---------------------------------------------------------------------------- subprocesses
@dataclass
class ChildRun:
    timing: Timing
    returncode: int
    max_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False


def run_child(
    argv: list[str], env: dict[str, str] | None = None, capture: bool = True, timeout: float | None = None
) -> ChildRun:
    """Run a command; wall clock, CPU time and peak RSS come from wait4() on that very child.

    Output goes to temporary files (not pipes) so a chatty child can never block on a full pipe.
    With `timeout`, the child is interrupted (SIGINT, then SIGKILL) when it runs longer.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            env=env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out if capture else subprocess.DEVNULL,
            stderr=err,
        )
        timed_out = False
        if timeout is None:
            _, status, usage = os.wait4(proc.pid, 0)
        else:
            deadline = started + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline and not timed_out:
                    timed_out = True
                    proc.send_signal(signal.SIGINT)
                    deadline += 20  # then SIGKILL if it does not stop
                elif timed_out and time.perf_counter() > deadline:
                    proc.kill()
                time.sleep(0.2)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            Timing(wall, usage.ru_utime + usage.ru_stime),
            proc.returncode,
            usage.ru_maxrss / 1024,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            timed_out,
        )


def best_of(argv: list[str], repeat: int, env: dict[str, str] | None = None) -> Timing:
    """Best wall and best CPU time over `repeat` fresh processes."""
    runs = [run_child(argv, env, capture=False).timing for _ in range(repeat)]
    return Timing(min(r.wall for r in runs), min(r.cpu for r in runs))


def tracker_help(*command: str) -> str | None:
    """The help text of a tracker command, or None when the command does not exist."""
    result = run_child([str(TRACKER), *command, "--help"])
    return result.stdout if result.returncode == 0 else None


def db_env(db: Path) -> dict[str, str]:
    return {**os.environ, "TRACKER_DB": str(db), "COLUMNS": "200"}


def ingest(corpus: Path, db: Path, jobs: int | None, timeout: float | None = None) -> ChildRun:
    argv = [str(TRACKER), "ingest", *map(str, project_dirs(corpus))]
    if jobs:
        argv += ["--jobs", str(jobs)]
    return run_child(argv, db_env(db), timeout=timeout)


def stored_reports(db: Path) -> int:
    """Report rows in the database (how far an interrupted ingest got)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
    except sqlite3.Error:
        return 0


def fresh_db(out: Path, name: str) -> Path:
    db = out / name
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def summary_line(run: ChildRun) -> str:
    lines = [
        line for line in run.stderr.splitlines() + run.stdout.splitlines() if line.startswith("ingested")
    ]
    return lines[-1] if lines else ""


def failure_text(run: ChildRun) -> str:
    tail = (run.stderr.strip().splitlines() or ["(no stderr)"])[-1]
    return f"failed (exit {run.returncode}): {tail[:120]}"


# ---------------------------------------------------------------------------- the benchmark
def measure(args: argparse.Namespace) -> list[Row]:
    rows = Table()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    ingest_help = tracker_help("ingest")
    has_jobs = ingest_help is not None and "--jobs" in ingest_help
    largest_db: tuple[str, Path] | None = None
    peak_rss: tuple[int, ChildRun, int] | None = None

    for size in sorted(args.sizes):
        corpus = ensure_corpus(out, size, args.seed)
        files = report_files(corpus)
        label = f"{size:,}"
        sample = spread(files, args.parse_limit)
        slabel = label if len(sample) == len(files) else f"{len(sample):,} of {label}"
        passes = args.passes or (3 if len(sample) <= 2000 else 1)
        progress(f"[{label}] floor parse of {len(sample):,} files")
        floor = best_pass(sample, floor_parser(), passes)
        # Per-file floor cost, so ingest of the whole corpus compares with it even when sampled.
        floor_per_file = Timing(floor.timing.wall / len(sample), floor.timing.cpu / len(sample))
        rows.append(
            Row(
                "markdown-it-py parse (floor)",
                slabel,
                rate(len(sample), floor.timing.wall),
                rate(len(sample), floor.timing.cpu),
                "1.00 x floor",
                raw={"wall": floor.timing.wall, "cpu": floor.timing.cpu, "files": len(sample)},
            )
        )
        progress(f"[{label}] tracker parse of {len(sample):,} files")
        parsed = best_pass(sample, tracker_parser(), passes)
        note = f" ({parsed.failures} raised: {parsed.first_error[:100]})" if parsed.failures else ""
        _, _, text = ratios(parsed.timing, floor.timing, "floor", invert=True)
        rows.append(
            Row(
                "tracker parse_file",
                slabel,
                rate(len(sample), parsed.timing.wall) + note,
                rate(len(sample), parsed.timing.cpu),
                text,
                raw={
                    "wall": parsed.timing.wall,
                    "cpu": parsed.timing.cpu,
                    "files": len(sample),
                    "failures": parsed.failures,
                    "first_error": parsed.first_error,
                },
            )
        )

        if size not in args.ingest_sizes:
            continue
        if ingest_help is None:
            rows.append(Row("ingest, 1 process", label, NA, target=">= 0.75 x floor"))
            continue
        db = fresh_db(out, f"bench-{size}-s{args.seed}.db")
        progress(f"[{label}] ingest, 1 process")
        single = ingest(corpus, db, None, args.ingest_timeout or None)
        done = stored_reports(db) if single.timed_out else len(files)
        if single.returncode not in (0, 1) and not single.timed_out:
            rows.append(
                Row(
                    "ingest, 1 process",
                    label,
                    failure_text(single),
                    target=">= 0.75 x floor",
                    verdict="NOT met",
                )
            )
            continue
        partial = (
            f" (stopped after {single.timing.wall:.0f} s: {done:,} of {len(files):,} stored)"
            if single.timed_out
            else f" ({single.timing.wall:.0f} s)"
        )
        whole_floor = Timing(floor_per_file.wall * done, floor_per_file.cpu * done)
        cpu_ratio, _, text = ratios(single.timing, whole_floor, "floor", invert=True)
        rows.append(
            Row(
                "ingest, 1 process",
                label,
                rate(done, single.timing.wall) + partial,
                rate(done, single.timing.cpu),
                text,
                ">= 0.75 x floor",
                verdict(cpu_ratio >= 0.75),
                raw={
                    "wall": single.timing.wall,
                    "cpu": single.timing.cpu,
                    "files": done,
                    "summary": summary_line(single),
                    "returncode": single.returncode,
                    "max_rss_mb": single.max_rss_mb,
                    "timed_out": single.timed_out,
                },
            )
        )
        peak_rss = (size, single, done)
        largest_db = (f"{done:,} reports db", db)

        if has_jobs and size in args.jobs_sizes and not single.timed_out:
            db2 = fresh_db(out, f"bench-{size}-s{args.seed}-jobs2.db")
            progress(f"[{label}] ingest --jobs 2")
            par = ingest(corpus, db2, 2)
            if par.returncode in (0, 1):
                _, wall_speedup, _ = ratios(par.timing, single.timing, "", invert=True)
                rows.append(
                    Row(
                        "ingest --jobs 2",
                        label,
                        f"{rate(len(files), par.timing.wall)} ({par.timing.wall:.0f} s)",
                        f"{par.timing.cpu:.0f} CPU s",
                        f"{wall_speedup:.2f} x 1 process (wall)",
                        ">= 1.4 x 1 process (wall)",
                        verdict(wall_speedup >= 1.4),
                        raw={"wall": par.timing.wall, "cpu": par.timing.cpu, "summary": summary_line(par)},
                    )
                )
            else:
                rows.append(
                    Row(
                        "ingest --jobs 2",
                        label,
                        failure_text(par),
                        target=">= 1.4 x 1 process",
                        verdict="NOT met",
                    )
                )
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db2}{suffix}").unlink(missing_ok=True)
        elif not has_jobs:
            rows.append(Row("ingest --jobs 2", label, NA, target=">= 1.4 x 1 process"))

        if single.timed_out:
            continue
        progress(f"[{label}] re-ingest, unchanged")
        again = ingest(corpus, db, None)
        applies = size == 10_000
        rows.append(
            Row(
                "re-ingest, unchanged",
                label,
                f"{rate(len(files), again.timing.wall)} ({again.timing.wall:.2f} s)"
                if again.returncode in (0, 1)
                else failure_text(again),
                rate(len(files), again.timing.cpu),
                f"{again.timing.cpu / single.timing.cpu:.3f} x first ingest (CPU)",
                ">= 10,000 files/s at 10k" if applies else "",
                verdict(len(files) / again.timing.cpu >= 10_000) if applies else "",
                raw={"wall": again.timing.wall, "cpu": again.timing.cpu, "summary": summary_line(again)},
            )
        )

    if peak_rss is not None:
        size, run, done = peak_rss
        applies = size >= 100_000
        partial = f" after {done:,} files" if run.timed_out else ""
        rows.append(
            Row(
                "peak RSS of ingest, 1 process",
                f"{size:,}",
                f"{run.max_rss_mb:,.0f} MB{partial}",
                "",
                "",
                "<= 250 MB at 100k",
                "(stopped run: see growth)"
                if run.timed_out
                else verdict(run.max_rss_mb <= 250)
                if applies
                else "(not run at 100k)",
            )
        )
    if args.read_db is not None:  # a database built apart (e.g. the 100k one) for the read commands
        largest_db = (f"{stored_reports(args.read_db):,} reports db", args.read_db)
    rows += cold_commands(args, largest_db)
    return rows


def cold_commands(args: argparse.Namespace, largest_db: tuple[str, Path] | None) -> list[Row]:
    """Fresh-process wall time of the read commands, best of N, beside the bare-import baseline."""
    rows: list[Row] = []
    progress("cold commands")
    # A wheel install compiles tracker's modules to bytecode; an editable one run with
    # PYTHONDONTWRITEBYTECODE=1 (as here) would recompile them in every timed process.
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(REPO / "tracker")], check=False)
    base = best_of([str(PYTHON), "-c", "import sqlalchemy.orm, typer"], args.repeat)
    rows.append(
        Row(
            'python -c "import sqlalchemy.orm, typer"',
            "-",
            f"{base.wall:.3f} s",
            f"{base.cpu:.3f} s",
            "1.00 x baseline",
        )
    )
    size_label = largest_db[0] if largest_db else "-"
    for command, target_s, relative in (
        ("status", 0.5, True),
        ("deferred", 0.5, True),
        ("weekly", 2.0, False),
    ):
        target = f"<= {target_s} s" + (" and <= 2 x baseline" if relative else "")
        name = f"tracker {command} (cold, best of {args.repeat})"
        help_text = tracker_help(command)
        if help_text is None:
            rows.append(Row(name, size_label, NA, target=target))
            continue
        if largest_db is None:
            rows.append(Row(name, "-", "n/a (no database: ingest not run)", target=target))
            continue
        argv = [str(TRACKER), command]
        if command == "weekly" and "--week" in help_text:
            argv += ["--week", corpus_week(args)]
        check = run_child(argv, db_env(largest_db[1]))
        if check.returncode != 0:
            rows.append(Row(name, size_label, failure_text(check), target=target, verdict="NOT met"))
            continue
        run = best_of(argv, args.repeat, db_env(largest_db[1]))
        cpu_ratio, _, text = ratios(run, base, "baseline")
        ok = run.cpu <= target_s and (cpu_ratio <= 2 or not relative)
        rows.append(
            Row(
                name,
                size_label,
                f"{run.wall:.3f} s",
                f"{run.cpu:.3f} s",
                text,
                target,
                verdict(ok),
                raw={"wall": run.wall, "cpu": run.cpu, "argv": argv[1:]},
            )
        )
    return rows


def corpus_week(args: argparse.Namespace) -> str:
    """An ISO week inside the generated corpus's time span (its middle week)."""
    from generate import EPOCH  # bench/ is on sys.path when this file runs

    middle = EPOCH + timedelta(weeks=13)
    year, week, _ = middle.isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------------------- output
def progress(message: str) -> None:
    print(f"{datetime.now(UTC):%H:%M:%S} {message}", file=sys.stderr, flush=True)


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def markdown_table(rows: Iterable[Row]) -> str:
    header = ["measure", "corpus", "wall clock", "CPU basis", "ratio", "target", "verdict"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        cells = [r.metric, r.size, r.wall, r.cpu, r.ratio, r.target, r.verdict]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)"
    )
    parser.add_argument(
        "--ingest-sizes",
        default=None,
        help="sizes to ingest (default: all of --sizes); the largest gives the read-command db",
    )
    parser.add_argument(
        "--parse-limit", type=int, default=0, help="time parsing on N files spread over the corpus (0 = all)"
    )
    parser.add_argument(
        "--jobs-sizes", default=None, help="sizes also ingested with --jobs 2 (default: all ingest sizes)"
    )
    parser.add_argument(
        "--ingest-timeout",
        type=float,
        default=0,
        help="stop a 1-process ingest after this many seconds and report how far it got (0 = no limit)",
    )
    parser.add_argument(
        "--passes", type=int, default=0, help="parse passes, best kept (default: 3 up to 2,000 files, else 1)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="best of N for the cold-process timings")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument(
        "--read-db",
        type=Path,
        help="time status/deferred/weekly on this database instead of the largest one ingested here",
    )
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.ingest_sizes = (
        [int(s) for s in args.ingest_sizes.split(",") if s] if args.ingest_sizes else args.sizes
    )
    args.jobs_sizes = (
        [int(s) for s in args.jobs_sizes.split(",") if s]
        if args.jobs_sizes is not None
        else args.ingest_sizes
    )
    return args


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    rows = measure(args)
    print(
        f"\nMachine: {machine()}; nice {os.nice(0)}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"{time.perf_counter() - started:.0f} s in all; load average {load_before:.1f} at start, "
        f"{os.getloadavg()[0]:.1f} at end\n"
    )
    print(markdown_table(rows))
    print(
        "\nCPU basis = user + system CPU seconds of the process (children included); verdicts use it, "
        "except --jobs 2 (a wall-clock speed-up), because wall time on a shared machine measures the "
        "neighbours too."
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n")


if __name__ == "__main__":
    main()
