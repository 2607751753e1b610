"""How fast is casefile, as whole processes, at every case size? ``python benchmarks/run.py [--quick]``.

Generates cases of 100, 1,000, 10,000 and 100,000 events (see ``generate.py``), runs each
command of the budget as a whole process the given number of times, and prints, for each row,
the median, min-max, the ratio of the median to a bare ``python -c pass`` (run once before each
command, so both see the machine in the same state), the highest peak memory of its runs
(``ru_maxrss`` of each child, from ``os.wait4``), the budget and whether the row is over it.
``--quick`` runs 100 and 10,000 events three times each, for CI.

Every child gets its own XDG folders and HOME inside a temporary folder, so the benchmark never
reads or writes the real user cache. The first command on each case runs with a cold cache and
is reported on its own row (informative: it has no budget); the rows with a budget are measured
after it, each reading row after one untimed run, so that they are measured warm, as the budget
says. Each child may use at most ``--memory-limit`` GiB of address space (8 by default), so that
a command that would take the machine's memory fails on its own instead of being killed with
others by the kernel. A command that fails is reported as FAILED on its row and the run goes on;
the benchmark then exits 1. It never fails because a row is over its budget: machines are noisy.
``--only TEXT`` runs only the rows whose label holds TEXT; ``--skip TEXT`` leaves them out.
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
QUICK_SIZES = (100, 10_000)
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
    warm_up: bool = False  # one untimed run first (a reading row: measured with a warm cache)
    prepare: Callable[[], None] | None = None  # before each run, not timed (an outside change)


@dataclass
class Result:
    """The measurements of one row."""

    row: Row
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    failure: str | None = None  # how the command failed, if it did

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


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


class CommandFailed(Exception):
    """A measured command exited with an error (or was killed)."""


#: The address space each child may use (``--memory-limit``), in bytes; None: no limit.
MEMORY_LIMIT: list[int | None] = [8 * 1024 * MIB]


def _limit_memory() -> None:
    import resource

    limit = MEMORY_LIMIT[0]
    if limit is not None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Run one whole process; its wall time and peak resident memory (KiB).

    Raises:
        CommandFailed: the command exited with an error or was killed.
    """
    start = time.perf_counter()
    child = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        preexec_fn=_limit_memory,  # noqa: PLW1509 (no threads here)
    )
    assert child.stderr is not None
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    if child.returncode != 0:
        message = stderr.decode("utf-8", "replace").strip()
        last = message.splitlines()[-1] if message else ""
        raise CommandFailed(f"exit status {child.returncode}{': ' + last[:120] if last else ''}")
    return elapsed, usage.ru_maxrss


def _ids(path: Path, array: str) -> list[str]:
    """The ids of one array of a generated case, in file order (read once, before any row runs)."""
    import re

    pattern = re.compile(rf'^\[\[{array}\]\]\nid = "([^"]+)"', re.MULTILINE)
    return pattern.findall(path.read_text(encoding="utf-8"))


# Numbered from the clock, so that two runs of the benchmark (or a script calling these) never write the
# same bytes: a run with --keep keeps its cache, which would answer for bytes it has seen.
_EDITS = iter(range(time.time_ns() // 1000, 10**20))
#: The mark a simulated `git pull` puts on what it changed, so that the next one can take it back.
_PULLED = "Pulled "


def _edit_title(data: bytes, start: int) -> bytes:
    """``data`` with the title of the first event after ``start`` marked by a number never written before."""
    import re

    at = data.index(b'\ntitle = "', data.index(b"\n[[events]]\n", start)) + len(b'\ntitle = "')
    old = re.match(rb"(Edit \d+: )?", data[at:])
    assert old is not None
    return data[:at] + f"Edit {next(_EDITS)}: ".encode() + data[at + old.end() :]


def _hand_edit(path: Path) -> None:
    """An edit made outside casefile: one event's title changed in place, in the middle of the file.

    Each call writes a title never written before, so every run reads bytes it has never read
    (a cache of an earlier run can never answer for it).
    """
    data = path.read_bytes()
    path.write_bytes(_edit_title(data, len(data) // 2))


def _git_pull(path: Path) -> None:
    """What a `git pull` of a colleague's work does to the file: three events edited (at a quarter,
    half and three quarters of the file) and two events added in the middle of the timeline.

    Each call first takes back the events the previous one added, so the case stays the same size.
    """
    import re

    # An event's table runs to the next table that is not one of its own (its sources).
    table = r"\[\[events\]\]\n(?:(?!\[\[(?!events\.)|\[(?!\[)).*\n|\n)*"
    text = path.read_text(encoding="utf-8")
    mark = _PULLED.strip().lower()
    text = re.sub(rf'\[\[events\]\]\nid = "[^"\n]*-{mark}-\d+"\n(?:(?!\[\[(?!events\.)|\[(?!\[)).*\n|\n)*', "", text)
    data = text.encode("utf-8")
    for fraction in (4, 2, 4 / 3):
        data = _edit_title(data, int(len(data) / fraction))
    # Two events: copies of the event in the middle, with new ids that sort right after its own.
    text = data.decode("utf-8")
    found = re.compile(table).search(text, text.index("\n[[events]]\n", len(text) // 2) + 1)
    assert found is not None
    event, end = found[0], found.end()
    event_id = re.search(r'^id = "([^"]+)"', event, re.MULTILINE)
    assert event_id is not None
    added = ""
    for _ in range(2):
        number = next(_EDITS)
        copy = event.replace(f'id = "{event_id[1]}"', f'id = "{event_id[1]}-{mark}-{number}"', 1)
        added += re.sub(r'^title = "(Edit \d+: )?', f'title = "{_PULLED}{number}: ', copy, count=1, flags=re.MULTILINE)
    path.write_text(text[:end] + added + text[end:], encoding="utf-8")


#: The sizes whose case is also measured encrypted (issue 16: at most twice the plain case's time).
ENCRYPTED_SIZES = (1_000,)
#: Each encrypted row and the plain row it is compared with.
ENCRYPTED_PAIRS = (
    ("add-event, last date (encrypted)", "add-event, last date"),
    ("list events --json (encrypted)", "list events --json"),
)


def encrypted_copy(case: Path, casefile: list[str], env: dict[str, str]) -> Path:
    """``case`` copied beside itself and encrypted with ``casefile encrypt`` to a new identity of this run."""
    folder = case.parent.with_name(case.parent.name + "-encrypted")
    folder.mkdir()
    shutil.copyfile(case, folder / case.name)
    identity = Path(env["XDG_CONFIG_HOME"]) / "casefile" / "identity.txt"
    if not identity.exists():
        subprocess.run([*casefile, "keygen"], env=env, check=True, capture_output=True)
    subprocess.run([*casefile, "encrypt", "-f", str(folder / case.name)], env=env, check=True, capture_output=True)
    return folder / (case.name + ".age")


def rows_for(
    sizes: Sequence[int],
    casefile: list[str],
    cases: dict[int, Path],
    work: Path,
    encrypted: dict[int, Path] | None = None,
) -> list[Row]:
    """The budget's rows (issue 17's table), for the sizes being run, in the order they run."""
    counter = iter(range(1, 10**9))
    evidence = work / "evidence.txt"
    evidence.write_text("a document kept as evidence\n", encoding="utf-8")

    def add_event(size: int, date: Callable[[int], str], path: Path | None = None) -> Callable[[int], list[str]]:
        return lambda run: [
            *casefile,
            "add-event",
            "--date",
            date(run),
            "--title",
            f"Benchmark event {next(counter)}: the ministry denies a request for information",
            "--description",
            "Measured by benchmarks/run.py. " * 12,
            "--source",
            f"https://example.org/benchmark/{run}",
            "--tag",
            "benchmark",
            "--concern",
            "concern-1",
            "-f",
            str(path or cases[size]),
        ]

    def command(size: int, *args: str) -> Callable[[int], list[str]]:
        return lambda run: [*casefile, *args, "-f", str(cases[size])]

    def each(size: int, make: Callable[[int], list[str]]) -> Callable[[int], list[str]]:
        return lambda run: [*casefile, *make(run), "-f", str(cases[size])]

    def for_size(size: int) -> list[Row]:
        rows: list[Row] = []
        big = size >= 100_000
        small = size <= 100
        mem = 150.0 if size <= 10_000 else 800.0
        office_mem = 400.0 if size <= 10_000 else 3072.0
        events, demands = _ids(cases[size], "events"), _ids(cases[size], "demands")
        middle = events[len(events) // 2]

        def budget(at_10k: float, at_100k: float, at_small: float | None = None) -> float | None:
            return at_small if small else at_10k if size == 10_000 else at_100k if big else None

        def touch(size: int = size) -> None:
            os.utime(cases[size])

        def hand_edit(size: int = size) -> None:
            _hand_edit(cases[size])

        def git_pull(size: int = size) -> None:
            _git_pull(cases[size])

        rows.append(Row("add-event (cold cache)", size, add_event(size, lambda run: "2024-06-01"), cold=True, runs=1))
        if small:
            rows.append(Row("where", size, command(size, "where"), budget=9))
        add = budget(15, 60, 9)
        for label, date in (
            ("add-event, first date", lambda run: "1990-01-01"),
            ("add-event, middle date", lambda run: f"2010-{run % 12 + 1:02d}-{run % 28 + 1:02d}"),
            ("add-event, last date", lambda run: f"2030-{run % 12 + 1:02d}-01"),
            ("add-event, partial date", lambda run: "2019" if run % 2 else "2019-03"),
        ):
            rows.append(Row(label, size, add_event(size, date), budget=add, memory_budget_mib=mem))
        change = budget(20, 80)
        rows += [
            Row("edit", size, each(size, lambda run: ["edit", middle, "--title", f"Edited {run}"]), budget=change),
            Row(
                "respond",
                size,
                each(size, lambda run: ["respond", demands[0], "--date", "2024", "--status", "partial"]),
                budget=change,
            ),
            Row(
                "set-source",
                size,
                each(size, lambda run: ["set-source", middle, f"https://example.org/s/{run}", "--title", "Source"]),
                budget=change,
            ),
            Row("attach", size, each(size, lambda run: ["attach", middle, str(evidence)]), budget=change),
            Row("remove", size, each(size, lambda run: ["remove", events[run + 1], "--yes"]), budget=change),
        ]
        outside = budget(40, 250)
        rows += [
            Row("list events after touch", size, command(size, "list", "events"), budget=outside, prepare=touch),
            Row("status after a hand edit", size, command(size, "status"), budget=outside, prepare=hand_edit),
            Row("status after a git pull", size, command(size, "status"), budget=outside, prepare=git_pull),
            Row(
                "add-event after a git pull",
                size,
                add_event(size, lambda run: "2024-06-01"),
                budget=outside,
                prepare=git_pull,
            ),
        ]
        reading = budget(20, 120, 9)
        rows += [
            *(
                Row(
                    label,
                    size,
                    command(size, *args, "--as-of", AS_OF),
                    budget=reading,
                    memory_budget_mib=memory,
                    warm_up=True,
                )
                for label, args, memory in (
                    ("list events --json", ("list", "events", "--json"), None),
                    ("check", ("check",), mem),
                    ("status", ("status",), mem),
                )
            ),
            Row("timeline (piped)", size, command(size, "timeline", "--as-of", AS_OF), budget=reading, warm_up=True),
        ]
        if encrypted and size in encrypted:
            sealed = encrypted[size]
            last = lambda run: f"2030-{run % 12 + 1:02d}-01"  # noqa: E731
            rows += [
                Row(ENCRYPTED_PAIRS[0][0], size, add_event(size, last, sealed)),
                Row(
                    ENCRYPTED_PAIRS[1][0],
                    size,
                    lambda run: [*casefile, "list", "events", "--json", "--as-of", AS_OF, "-f", str(sealed)],
                ),
            ]
        if size < 10_000:
            return rows
        letter = budget(40, 250)
        out = work / f"out-{size}"
        rows += [
            Row(
                "draft-complaint",
                size,
                command(size, "draft-complaint", "--as-of", AS_OF, "-o", str(out) + ".md"),
                budget=letter,
                memory_budget_mib=mem,
                warm_up=True,
            ),
            Row(
                "draft-complaint after a hand edit",
                size,
                command(size, "draft-complaint", "--as-of", AS_OF, "-o", str(out) + ".md"),
                budget=letter,
                memory_budget_mib=mem,
                prepare=hand_edit,
            ),
            Row(
                "export html after a hand edit",
                size,
                command(size, "export", "--format", "html", "--as-of", AS_OF, "-o", str(out) + ".html"),
                budget=letter,
                memory_budget_mib=mem,
                prepare=hand_edit,
            ),
        ]
        exports = subprocess.run([*casefile, "export", "--help"], capture_output=True, text=True, check=False).stdout
        for kind, limit, memory in (
            ("markdown", letter, mem),
            ("html", letter, mem),
            ("json", budget(25, 150), mem),
            ("csv", budget(25, 150), mem),
            ("ics", budget(25, 150), mem),
            ("timeline", budget(25, 150), mem),
            ("docx", budget(250, 10**6), office_mem),
            ("odt", budget(250, 10**6), office_mem),
            ("pdf", budget(250, 10**6), office_mem),
        ):
            if kind not in exports:
                return rows  # a format this casefile does not export yet
            items = ["--items", "events"] if kind == "csv" else []
            rows.append(
                Row(
                    f"export {kind}",
                    size,
                    command(size, "export", "--format", kind, *items, "--as-of", AS_OF, "-o", f"{out}.{kind}"),
                    budget=limit,
                    memory_budget_mib=memory,
                    runs=1 if kind in ("docx", "odt", "pdf") else None,
                    warm_up=kind not in ("docx", "odt", "pdf"),
                )
            )
        return rows

    rows = [Row("casefile --help", None, lambda run: [*casefile, "--help"], budget=12)]
    for size in sizes:
        rows += for_size(size)
    return rows


def measure(row: Row, runs: int, env: dict[str, str], work: Path, cache: Path, bare: list[float]) -> Result:
    """Run the row's command; before each run, a bare ``python -c pass`` (so both see the same machine)."""
    result = Result(row)
    try:
        if row.warm_up:
            run_once(row.argv(-1), env, work)
        for run in range(row.runs or runs):
            if row.cold:
                shutil.rmtree(cache, ignore_errors=True)
            if row.prepare is not None:
                row.prepare()
            bare.extend(baseline(1, env, work))
            seconds, peak = run_once(row.argv(run), env, work)
            result.seconds.append(seconds)
            result.peak_kib.append(peak)
    except CommandFailed as error:
        result.failure = str(error)
    return result


def baseline(runs: int, env: dict[str, str], work: Path) -> list[float]:
    return [run_once([sys.executable, "-c", "pass"], env, work)[0] for _ in range(runs)]


def status(result: Result, bare: float) -> str:
    row = result.row
    if result.failure is not None:
        return f"FAILED ({result.failure})"
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
                f"{result.median * 1000:.0f}" if result.seconds else "-",
                f"{min(result.seconds) * 1000:.0f}-{max(result.seconds) * 1000:.0f}" if result.seconds else "-",
                f"{result.median / bare:.1f}x" if result.seconds else "-",
                f"<= {row.budget:g}x" if row.budget is not None else "-",
                f"{max(result.peak_kib) / 1024:.0f}" if result.peak_kib else "-",
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


def _options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="CI-sized: up to 10,000 events, 3 runs a row.")
    parser.add_argument("--runs", type=int, help="Runs per row (default 10, or 3 with --quick).")
    parser.add_argument("--sizes", type=int, nargs="+", help="Case sizes in events (default 100 1000 10000 100000).")
    parser.add_argument("--markdown", action="store_true", help="Print the table in Markdown (for the README).")
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it (default: a temporary one).")
    parser.add_argument("--only", action="append", help="Run only the rows whose label holds this text (repeatable).")
    parser.add_argument("--skip", action="append", help="Leave out the rows whose label holds this text (repeatable).")
    parser.add_argument(
        "--memory-limit", type=float, default=8.0, help="Address space each command may use, in GiB (0: no limit)."
    )
    return parser.parse_args(argv)


def _summary(results: list[Result], bare_runs: list[float], encrypted: dict[int, Path], *, markdown: bool) -> int:
    """Print the table and what is over budget or failed; the exit status (1 when a command failed)."""
    bare = statistics.median(bare_runs)
    print(table(results, bare, markdown=markdown))
    for sealed, plain in ENCRYPTED_PAIRS:
        for size in encrypted:
            times = {r.row.label: r.median for r in results if r.row.size == size}
            if sealed in times and plain in times:
                ratio = times[sealed] / times[plain]
                verdict = "ok" if ratio <= 2 else "OVER"
                print(f"{sealed} / {plain}, {size:,} events: {ratio:.2f}x (budget <= 2x) {verdict}")
    over = [result for result in results if status(result, bare).startswith("OVER")]
    if over:
        print(f"{len(over)} row(s) over budget (reported only: this never fails the run).")
    failed = [result for result in results if result.failure is not None]
    if failed:
        print(f"{len(failed)} command(s) failed: " + "; ".join(result.row.label for result in failed))
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    options = _options(argv)
    runs = options.runs or (3 if options.quick else 10)
    MEMORY_LIMIT[0] = int(options.memory_limit * 1024 * MIB) if options.memory_limit > 0 else None
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
        encrypted = {
            size: encrypted_copy(cases[size], casefile_command(), env) for size in ENCRYPTED_SIZES if size in cases
        }
        bare_runs = baseline(runs, env, work)
        results = []
        for row in rows_for(sizes, casefile_command(), cases, work, encrypted):
            if options.only and not any(text in row.label for text in options.only):
                continue
            if options.skip and any(text in row.label for text in options.skip):
                continue
            result = measure(row, runs, env, work, cache, bare_runs)
            results.append(result)
            where = f" ({row.size:,} events)" if row.size is not None else ""
            said = f"FAILED, {result.failure}" if result.failure else f"median {result.median * 1000:.0f} ms"
            print(f"  {row.label}{where}: {said}", flush=True)
        bare = statistics.median(bare_runs)
        print()
        print(
            f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
            f"{os.cpu_count()} cores; `python -c pass`: median {bare * 1000:.1f} ms "
            f"({min(bare_runs) * 1000:.1f}-{max(bare_runs) * 1000:.1f}) over {len(bare_runs)} runs; "
            f"{runs} runs a row; total {time.perf_counter() - started:.0f} s"
        )
        return _summary(results, bare_runs, encrypted, markdown=options.markdown)
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
