"""Hostile files given to import and to the merge driver: one line, exit 2, fast, small, nothing written.

Each case runs the real ``casefile`` in its own process, so the test sees what a user sees and
measures what that process cost (CPU seconds and peak memory, from the kernel's accounting).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from casefile.errors import UnreadableInput
from casefile.storage.limits import MAX_FILE_BYTES, MAX_NESTING, check_nesting, nesting, read_limited, utf8_text
from tests.test_concurrency import child_env

CASE = """schema_version = 1

[case]
title = "Surveillance"
country = "Mexico"
language = "en"
"""


@dataclass(frozen=True)
class Outcome:
    code: int
    stderr: str
    stdout: str
    cpu_seconds: float
    peak_mib: float


# A child's peak memory (ru_maxrss) counts what its parent held when it forked, and pytest may
# hold a gigabyte by now: a small Python in between starts casefile and reports its usage.
_MEASURE = (
    "import json, os, subprocess, sys; child = subprocess.Popen(sys.argv[2:]); "
    "_, status, usage = os.wait4(child.pid, 0); "
    "open(sys.argv[1], 'w').write(json.dumps([os.waitstatus_to_exitcode(status), "
    "usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))"
)


def casefile(tmp_path: Path, *args: str, stdin: Path | None = None) -> Outcome:
    """Run casefile in a child process; a hang is a failure, not a stuck test."""
    report = tmp_path.parent / f"{tmp_path.name}.usage.json"  # outside the folder the test watches
    report.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-c", _MEASURE, str(report), sys.executable, "-m", "casefile", *args],
        stdin=stdin.open("rb") if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(tmp_path),
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"casefile {' '.join(args)} hung")
    code, cpu_seconds, peak_kib = json.loads(report.read_text())
    return Outcome(
        code=code,
        stdout=stdout.decode(),
        stderr=stderr.decode(),
        cpu_seconds=cpu_seconds,
        peak_mib=peak_kib / 1024,
    )


def _deep_json(depth: int) -> str:
    return '{"format": "casefile-case", "version": 1, "case": {"x": ' + "[" * depth + "]" * depth + "}}"


# Each maker writes a hostile file at the path it is given (or replaces it) and returns the path to pass.
Maker = Callable[[Path], Path]


def _write(data: bytes | str) -> Maker:
    def make(path: Path) -> Path:
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    return make


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _device(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


def _oversized(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    return path


def _late_bad_byte(path: Path) -> Path:
    path.write_bytes(b"date,title\n" + b"2017,a long title\n" * 1_200_000 + b"2017,Caf\xe9\n")
    return path


COMMON: dict[str, Maker] = {
    "fifo": _fifo,
    "folder": _folder,
    "dev-zero": _device,
    "oversized": _oversized,
    "not-utf8": _write(b"\xff\xfe{}"),
    "utf8-bad-at-end-of-20-mb": _late_bad_byte,
}
JSON_ONLY: dict[str, Maker] = {
    "nested-100000": _write("[" * 100_000 + "]" * 100_000),
    "nested-80-inside-a-case": _write(_deep_json(80)),
    "huge-number": _write('{"format": "casefile-case", "version": 1, "x": ' + "9" * 5000 + "}"),
}
TOML_ONLY: dict[str, Maker] = {
    "array-nested-100000": _write("schema_version = 1\nx = " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "inline-tables-nested-100000": _write("schema_version = 1\nx = " + "{a = " * 100_000 + "1" + "}" * 100_000),
    "dotted-key-100000": _write("schema_version = 1\n" + ".".join(["a"] * 100_000) + " = 1\n"),
    "table-header-100000": _write("schema_version = 1\n[" + ".".join(["a"] * 100_000) + "]\n"),
    "array-nested-80": _write(CASE + "x = " + "[" * 80 + "]" * 80 + "\n"),
    "huge-number": _write(CASE + "x = " + "9" * 5000 + "\n"),
}


def _assert_refused(outcome: Outcome, name: str) -> None:
    assert outcome.code == 2, outcome
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert name in lines[0], lines
    assert outcome.cpu_seconds < 2, outcome
    assert outcome.peak_mib < 200, outcome


def refused(tmp_path: Path, name: str, *args: str) -> None:
    """Run casefile on a hostile file and check it was refused as promised.

    The CPU time of a start-up can jump on a machine shared with other builds: a command over
    budget is run once more, and must be over it twice to fail.
    """
    outcome = casefile(tmp_path, *args)
    if outcome.cpu_seconds >= 2:
        outcome = casefile(tmp_path, *args)
    _assert_refused(outcome, name)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink() and "home" not in path.parts and path.stat().st_size < 1 << 20
    }


@pytest.mark.parametrize("kind", sorted({**COMMON, **JSON_ONLY}))
def test_hostile_json_imports_are_refused(tmp_path: Path, kind: str) -> None:
    hostile = {**COMMON, **JSON_ONLY}[kind](tmp_path / "hostile.json")
    before = _snapshot(tmp_path)
    refused(tmp_path, "hostile.json", "import", str(hostile), "--file", "new.toml")
    assert _snapshot(tmp_path) == before
    assert not (tmp_path / "new.toml").exists()


@pytest.mark.parametrize("kind", sorted(COMMON))
def test_hostile_csv_imports_are_refused(tmp_path: Path, kind: str) -> None:
    (tmp_path / "casefile.toml").write_text(CASE, encoding="utf-8")
    hostile = COMMON[kind](tmp_path / "hostile.csv")
    before = _snapshot(tmp_path)
    refused(tmp_path, "hostile.csv", "import", str(hostile), "--items", "events")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("role", ["base", "ours", "theirs"])
@pytest.mark.parametrize("kind", sorted({**COMMON, **TOML_ONLY}))
def test_hostile_merge_versions_stop_with_status_2(tmp_path: Path, kind: str, role: str) -> None:
    versions = {name: tmp_path / f"{name}.toml" for name in ("base", "ours", "theirs")}
    for path in versions.values():
        path.write_text(CASE, encoding="utf-8")
    versions[role].unlink()
    {**COMMON, **TOML_ONLY}[kind](versions[role])
    before = _snapshot(tmp_path)
    refused(tmp_path, f"casefile.toml ({role})", "merge-driver", *map(str, versions.values()), "casefile.toml")
    assert _snapshot(tmp_path) == before


def test_a_good_merge_still_merges(tmp_path: Path) -> None:
    versions = [tmp_path / f"{name}.toml" for name in ("base", "ours", "theirs")]
    for path in versions:
        path.write_text(CASE, encoding="utf-8")
    versions[2].write_text(CASE.replace('"Surveillance"', '"Surveillance of advocates"'), encoding="utf-8")
    outcome = casefile(tmp_path, "merge-driver", *map(str, versions), "casefile.toml")
    assert outcome.code == 0, outcome
    assert 'title = "Surveillance of advocates"' in versions[1].read_text(encoding="utf-8")


def test_read_limited_names_what_it_refuses(tmp_path: Path) -> None:
    (tmp_path / "small").write_bytes(b"12345")
    assert read_limited(tmp_path / "small") == b"12345"
    with pytest.raises(UnreadableInput, match=r"small: the file is 5 bytes, larger than 4 bytes"):
        read_limited(tmp_path / "small", limit=4)
    with pytest.raises(UnreadableInput, match="no such file"):
        read_limited(tmp_path / "missing")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(UnreadableInput, match="not a regular file"):
        read_limited(tmp_path / "fifo")


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"ok\n\xff", "line 2 (byte 4)"),
        (b"\xef\xbb\xbfok\n\xff", "line 2 (byte 7)"),
        ("é".encode() * (5 << 20) + b"\n\n\xc3", "line 3 (byte 10485763)"),
        (b"a" * (9 << 20) + "é".encode() + b"\xe9", f"line 1 (byte {(9 << 20) + 3})"),
    ],
)
def test_utf8_text_names_the_line_and_byte(data: bytes, where: str) -> None:
    with pytest.raises(UnreadableInput) as raised:
        utf8_text(data, "x.csv", bom=True)
    assert f"x.csv: {where}: not UTF-8 text" in str(raised.value)


def test_big_utf8_text_is_read_whole() -> None:
    text = "Año de la información pública €\n" * 400_000
    assert utf8_text(text.encode(), "x") == text


def test_nesting_is_counted_without_recursion() -> None:
    value: list[object] = []
    for _ in range(100_000):
        value = [value]
    assert nesting(value) == MAX_NESTING + 1
    assert nesting({"a": [1, {"b": ()}]}) == 4
    check_nesting({"events": [{"sources": [{"x": 1}]}]}, "case.json")
    with pytest.raises(UnreadableInput, match=f"case.json: lists and tables nest more than {MAX_NESTING} deep"):
        check_nesting(value, "case.json")


@pytest.mark.parametrize("source", ["/dev/zero", "not-utf8"])
def test_text_from_standard_input_has_limits(tmp_path: Path, source: str) -> None:
    (tmp_path / "casefile.toml").write_text(CASE, encoding="utf-8")
    stdin = Path(source)
    if source == "not-utf8":
        stdin = tmp_path / "latin1.txt"
        stdin.write_bytes("Descripción".encode("latin-1"))
    before = _snapshot(tmp_path)
    outcome = casefile(tmp_path, "add-event", "--date", "2017", "--title", "T", "--description", "-", stdin=stdin)
    _assert_refused(outcome, "standard input")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("value", ["[" * 100_000, ".".join(["a"] * 1000), "9" * 5000])
def test_resolve_values_have_limits(value: str) -> None:
    from casefile.collab.conflicts import _toml_value
    from casefile.errors import InvalidValue

    with pytest.raises(InvalidValue, match="--take: "):
        _toml_value(value)


@pytest.mark.parametrize("where", ["head", "event"])
def test_a_case_file_with_a_huge_number_is_refused_in_one_line_naming_it(tmp_path: Path, where: str) -> None:
    """Python reads no whole number of more than 4,300 digits: a file holding one (by hand, or a
    hostile `git pull`) is refused like any other bad TOML, with its line, and left as it was."""
    huge = "9" * 5000
    text = (
        CASE.replace("schema_version = 1", f"schema_version = {huge}")
        if where == "head"
        else CASE + (f'\n[[events]]\nid = "e"\ndate = "2017"\ntitle = "A raid"\ncount = {huge}\n')
    )
    case = tmp_path / "casefile.toml"
    case.write_text(text, encoding="utf-8")
    for command in (["list", "events"], ["add-event", "--date", "2018", "--title", "Later"]):
        outcome = casefile(tmp_path, "-f", str(case), *command)
        assert outcome.code == 2, outcome.stderr
        line = 1 if where == "head" else text.splitlines().index(f"count = {huge}") + 1
        assert outcome.stderr.strip().splitlines() == [
            f"casefile: error: {case}: line {line}: a number of more than 4,300 digits; casefile reads no "
            "longer ones. Nothing was changed."
        ]
        assert case.read_text(encoding="utf-8") == text
