"""Property tests: whatever damage a case file has suffered, reading it never crashes and never
changes it.

A case file is edited by hand, merged by git, synced, copied from a USB stick. Hypothesis damages
a valid one — flipped bytes, cut lines, duplicated tables, stray brackets, deep nesting, bytes
that are not UTF-8, values of the wrong type — and runs every reading command on it in-process,
where any exception would fail the test with its traceback. Each command must finish with exit
status 0, 1 or 2, say what is wrong in lines that start with ``casefile:`` and leave every file
in the case's folder exactly as it was. (Damage to the cache is the storage tests' subject.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA, Run

VALID = (DATA / "fixture.toml").read_bytes()

#: Bits of TOML and of hostile text that damage tends to bring.
TOKENS = [
    b"[",
    b"]",
    b"{",
    b"}",
    b'"',
    b"'''",
    b'"""',
    b"=",
    b",",
    b".",
    b"#",
    b"\n",
    b"\r",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\n[[events]]\n",
    b"\n[[events.sources]]\n",
    b"\n[case]\n",
    b'\nid = "articulo-19"\n',
    b"\nschema_version = 99\n",
    b"\nschema_version = 0\n",
    b"\ndate = 2017-02-11\n",
    b'\ndate = "2017-02-30"\n',
    b"\ntitle = 3\n",
    b"\ntags = [1, [2]]\n",
    b"1979-05-27T07:32:00Z",
    b"nan",
    b"-inf",
    b"9" * 5000,
    b"[" * 3000,
    b"{a=" * 500,
    b"a." * 200 + b"b = 1\n",
    "\u202e\u2028\x1b[2J".encode(),
    b'\n[[events.attachments]]\nsha256 = "00"\nsize = 1\nname = "x"\npath = "/etc/passwd"\n',
    b"\n[[conflicts]]\nitem = 1\n",
]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "token", "duplicate", "truncate"]))
        if kind == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif kind == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "duplicate":
            size = draw(st.integers(1, 400))
            data[at:at] = data[at : at + size]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


READING = [
    ("list", "events"),
    ("list", "demands", "--json"),
    ("list", "signatories"),
    ("show", "articulo"),
    ("timeline",),
    ("check",),
    ("status",),
    ("where",),
    ("verify",),
    ("conflicts",),
    ("export", "--format", "json"),
    ("draft-complaint", "--as-of", "2018-07-16"),
]


def _folder(path: Path) -> dict[str, bytes]:
    return {str(item.relative_to(path)): item.read_bytes() for item in sorted(path.rglob("*")) if item.is_file()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=damaged(), commands=st.lists(st.sampled_from(READING), min_size=2, max_size=4, unique=True))
def test_reading_a_damaged_case_never_crashes_nor_writes(
    run: Run, tmp_path: Path, data: bytes, commands: list[tuple[str, ...]]
) -> None:
    folder = tmp_path / "case"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    case = folder / "casefile.toml"
    case.write_bytes(data)
    before = _folder(folder)
    for command in commands:
        result = run(*command, "-f", str(case), code=None)  # an exception here fails the test
        assert result.exit_code in (0, 1, 2), (command, result.exit_code, result.stderr)
        if result.exit_code == 2:
            lines = result.stderr.splitlines()
            assert lines and all(line.startswith("casefile:") for line in lines), (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert _folder(folder) == before, command


@pytest.mark.parametrize("command", READING)
def test_every_reading_command_reads_the_valid_case(run: Run, tmp_path: Path, command: tuple[str, ...]) -> None:
    """The property above means something only if the undamaged file passes: it does."""
    case = tmp_path / "casefile.toml"
    case.write_bytes(VALID)
    result = run(*command, "-f", str(case), code=None)
    assert result.exit_code in (0, 1), result.stderr
    assert case.read_bytes() == VALID
