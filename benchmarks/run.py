"""How fast is casefile, as whole processes, at every case size? ``python benchmarks/run.py [--quick]``.

Generates cases of 100, 1,000, 10,000 and 100,000 events (see ``generate.py``), runs each
command of the budget as a whole process the given number of times, and prints, for each row,
the median, min-max, the ratio of the median to a bare ``python -c pass`` (run once before each
command, so both see the machine in the same state), the highest peak memory of its runs
(``ru_maxrss`` of each child, from ``os.wait4``), the budget and whether the row is over it.
``--quick`` runs the sizes up to 10,000 events three times each, for CI.

Every child gets its own XDG folders and HOME inside a temporary folder, so the benchmark never
reads or writes the real user cache. The first command on each case runs with a cold cache and
is reported on its own row (informative: it has no budget); the rows with a budget are measured
after it. The benchmark fails (exit 1) only when a command fails, never because a row is over
its budget: machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = (100, 1_000, 10_000, 100_000)
QUICK_SIZES = (100, 1_000, 10_000)
AS_OF = "2025-01-01"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Row:
    """One command at one case size, with its budget (ratio to ``python -c pass``) if it has one."""

    label: str
    size: int | None
    argv: Callable[[int], list[str]]
    budget: float | None = None
    memory_budget_mib: float | None = None
    runs: int | None = None  # None: the run's --runs
    cold: bool = False  # remove the cache before each run


@dataclass
class Result:
    """The measurements of one row."""

    row: Row
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def generate(path: Path, size: int) -> Path:
    """Write a case of ``size`` events in a child process.

    A child's peak memory (``ru_maxrss``) counts what its parent held when it forked, so this
    process never holds a generated case itself.
    """
    root = str(Path(__file__).resolve().parent.parent)
    code = (
        "import sys, pathlib; from benchmarks.generate import write_case; "
        "write_case(pathlib.Path(sys.argv[1]), int(sys.argv[2]))"
    )
    subprocess.run([sys.executable, "-c", code, str(path), str(size)], check=True, cwd=root)
    return path


def casefile_command() -> list[str]:
    """The installed ``casefile`` script beside this Python, else ``python -m casefile``."""
    script = Path(sys.executable).parent / "casefile"
    return [str(script)] if script.exists() else [sys.executable, "-m", "casefile"]


def child_environment(home: Path) -> dict[str, str]:
    # An installed casefile runs from compiled bytecode: let the first runs write it, as pip does.
    env = {
        name: value for name, value in os.environ.items() if name not in ("CASEFILE_FILE", "PYTHONDONTWRITEBYTECODE")
    }
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    env["HOME"] = str(home)
    env["NO_COLOR"] = "1"
    return env


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Run one whole process; its wall time and peak resident memory (KiB)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
    )
    assert child.stderr is not None
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    if child.returncode != 0:
        message = stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"benchmark: `{' '.join(argv)}` failed with exit status {child.returncode}:\n{message}")
    return elapsed, usage.ru_maxrss


def rows_for(sizes: Sequence[int], casefile: list[str], cases: dict[int, Path], work: Path) -> list[Row]:
    """The budget's rows, for the sizes being run, in the order they run."""
    counter = iter(range(1, 10**9))

    def add_event(size: int) -> Callable[[int], list[str]]:
        return lambda run: [
            *casefile,
            "add-event",
            "--date",
            f"2024-{run % 12 + 1:02d}-{run % 28 + 1:02d}",
            "--title",
            f"Benchmark event {next(counter)}: the ministry denies a request for information",
            "--description",
            "Measured by benchmarks/run.py. " * 12,
            "--source",
            f"https://example.org/benchmark/{run}",
            "--source",
            f"https://example.org/benchmark/{run}/archive",
            "--tag",
            "benchmark",
            "--concern",
            "concern-1",
            "-f",
            str(cases[size]),
        ]

    def command(size: int, *args: str) -> Callable[[int], list[str]]:
        return lambda run: [*casefile, *args, "-f", str(cases[size])]

    memory = {10_000: 120.0, 100_000: 600.0}
    rows = [Row("casefile --help", None, lambda run: [*casefile, "--help"], budget=12)]
    for size in sizes:
        mem = memory.get(size)
        small = size <= 100
        rows.append(
            Row(
                "casefile add-event (cold cache)",
                size,
                add_event(size),
                memory_budget_mib=mem,
                cold=True,
                runs=1 if size >= 100_000 else 3,
            )
        )
        if small:
            rows.append(Row("casefile where", size, command(size, "where"), budget=9))
        budget = 9 if small else 15 if size == 10_000 else 60 if size == 100_000 else None
        rows.append(Row("casefile add-event", size, add_event(size), budget=budget, memory_budget_mib=mem))
        list_budget = 9 if small else 15 if size == 10_000 else None
        rows.append(
            Row(
                "casefile list events --json",
                size,
                command(size, "list", "events", "--json", "--as-of", AS_OF),
                budget=list_budget,
                memory_budget_mib=mem,
                runs=3 if size >= 100_000 else None,
            )
        )
        letter = work / f"letter-{size}.md"
        rows.append(
            Row(
                "casefile draft-complaint",
                size,
                command(size, "draft-complaint", "--as-of", AS_OF, "--output", str(letter)),
                budget=40 if size == 10_000 else None,
                memory_budget_mib=mem,
                runs=3 if size >= 100_000 else None,
            )
        )
    return rows


def measure(row: Row, runs: int, env: dict[str, str], work: Path, cache: Path, bare: list[float]) -> Result:
    """Run the row's command; before each run, a bare ``python -c pass`` (so both see the same machine)."""
    result = Result(row)
    for run in range(row.runs or runs):
        if row.cold:
            shutil.rmtree(cache, ignore_errors=True)
        bare.extend(baseline(1, env, work))
        seconds, peak = run_once(row.argv(run), env, work)
        result.seconds.append(seconds)
        result.peak_kib.append(peak)
    return result


def baseline(runs: int, env: dict[str, str], work: Path) -> list[float]:
    return [run_once([sys.executable, "-c", "pass"], env, work)[0] for _ in range(runs)]


def status(result: Result, bare: float) -> str:
    row = result.row
    over = []
    if row.budget is not None and result.median / bare > row.budget:
        over.append("time")
    if row.memory_budget_mib is not None and max(result.peak_kib) * 1024 / MIB > row.memory_budget_mib:
        over.append("memory")
    if over:
        return "OVER (" + ", ".join(over) + ")"
    if row.budget is None and row.memory_budget_mib is None:
        return "-"
    return "ok"


def table(results: list[Result], bare: float, *, markdown: bool) -> str:
    header = (
        "command",
        "events",
        "runs",
        "median ms",
        "min-max ms",
        "ratio",
        "budget",
        "peak MiB",
        "mem budget",
        "status",
    )
    lines = []
    for result in results:
        row = result.row
        lines.append(
            (
                row.label,
                f"{row.size:,}" if row.size is not None else "-",
                str(len(result.seconds)),
                f"{result.median * 1000:.0f}",
                f"{min(result.seconds) * 1000:.0f}-{max(result.seconds) * 1000:.0f}",
                f"{result.median / bare:.1f}x",
                f"<= {row.budget:g}x" if row.budget is not None else "-",
                f"{max(result.peak_kib) / 1024:.0f}",
                f"<= {row.memory_budget_mib:g}" if row.memory_budget_mib is not None else "-",
                status(result, bare),
            )
        )
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(cell) for cell in column) for column in zip(header, *lines, strict=True)]
    out = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    out += ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="CI-sized: up to 10,000 events, 3 runs a row.")
    parser.add_argument("--runs", type=int, help="Runs per row (default 10, or 3 with --quick).")
    parser.add_argument("--sizes", type=int, nargs="+", help="Case sizes in events (default 100 1000 10000 100000).")
    parser.add_argument("--markdown", action="store_true", help="Print the table in Markdown (for the README).")
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it (default: a temporary one).")
    options = parser.parse_args(argv)
    runs = options.runs or (3 if options.quick else 10)
    sizes = tuple(options.sizes or (QUICK_SIZES if options.quick else SIZES))

    work = options.keep or Path(tempfile.mkdtemp(prefix="casefile-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    home = work / "home"
    env = child_environment(home)
    cache = home / "xdg_cache_home"
    try:
        started = time.perf_counter()
        cases = {}
        for size in sizes:
            begin = time.perf_counter()
            cases[size] = generate(work / f"case-{size}" / "casefile.toml", size)
            size_mb = cases[size].stat().st_size / 1e6
            print(f"generated {size:,} events ({size_mb:.1f} MB) in {time.perf_counter() - begin:.1f} s", flush=True)
        bare_runs = baseline(runs, env, work)
        results = []
        for row in rows_for(sizes, casefile_command(), cases, work):
            result = measure(row, runs, env, work, cache, bare_runs)
            results.append(result)
            where = f" ({row.size:,} events)" if row.size is not None else ""
            print(f"  {row.label}{where}: median {result.median * 1000:.0f} ms", flush=True)
        bare = statistics.median(bare_runs)
        print()
        print(
            f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
            f"{os.cpu_count()} cores; `python -c pass`: median {bare * 1000:.1f} ms "
            f"({min(bare_runs) * 1000:.1f}-{max(bare_runs) * 1000:.1f}) over {len(bare_runs)} runs; "
            f"{runs} runs a row; total {time.perf_counter() - started:.0f} s"
        )
        print(table(results, bare, markdown=options.markdown))
        over = [result for result in results if status(result, bare).startswith("OVER")]
        if over:
            print(f"{len(over)} row(s) over budget (reported only: this never fails the run).")
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
