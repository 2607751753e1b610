"""A case file saved by Windows tools: UTF-16 or UTF-32 ("Unicode" in Notepad and Excel) and
Latin-1 are refused in one line that says which and how to save it as UTF-8, in the user's
language; UTF-8 with a byte-order mark (Notepad's "UTF-8 with BOM") is read, and kept on write."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.conftest import Run

ADD = ("add-event", "--date", "2017", "--title", "Added")
UTF16 = "is saved as UTF-16, not as UTF-8, the only encoding casefile reads."
SAVE_AS = "Open it in a text editor and save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8). Nothing was changed."


@pytest.fixture
def text(run: Run, case_file: Path) -> str:
    run("add-signatory", "--name", "Artículo 19", "--lead")
    run("add-event", "--date", "2017-02-11", "--title", "Información pública")
    return case_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("codec", "named"),
    [
        ("utf-16", "UTF-16"),  # Notepad's "Unicode": little-endian, with its byte-order mark
        ("utf-16-be", "UTF-16"),  # no byte-order mark
        ("utf-32", "UTF-32"),
    ],
)
@pytest.mark.parametrize("command", [("list", "events"), ADD, ("check",), ("export", "--format", "json")])
def test_a_case_file_in_utf16_or_utf32_is_named_so_in_one_line(
    run: Run, case_file: Path, text: str, codec: str, named: str, command: tuple[str, ...]
) -> None:
    """It said "line 1 (byte 0): the file is not UTF-8 text", or the line of the first accent."""
    data = text.encode(codec)
    case_file.write_bytes(data)
    result = run(*command, code=2)
    assert result.stderr == f"casefile: error: {case_file} {UTF16.replace('UTF-16', named)} {SAVE_AS}\n"
    assert case_file.read_bytes() == data


def test_utf16_of_plain_ascii_text_without_a_byte_order_mark_is_named_too(run: Run, case_file: Path) -> None:
    """Every byte of it is valid UTF-8 (zero bytes too): it was reported as a TOML syntax error."""
    case_file.write_bytes(case_file.read_text(encoding="utf-8").encode("utf-16-le"))
    said = run("list", "events", code=2).stderr
    assert said == f"casefile: error: {case_file} {UTF16} {SAVE_AS}\n"


def test_a_latin1_case_file_names_its_line_and_byte_and_the_likely_encoding(
    run: Run, case_file: Path, text: str
) -> None:
    case_file.write_bytes(text.encode("latin-1"))
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "Artículo" in row)
    byte = text.encode("latin-1").index(b"\xed") + 1
    said = run("list", "events", code=2).stderr
    assert said == (
        f"casefile: error: {case_file}: line {line} (byte {byte}): not UTF-8 text; the file seems saved in another "
        "encoding (Latin-1 or Windows-1252, say). Open it in a text editor and save it as UTF-8. Nothing was changed.\n"
    )


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("es_ES.UTF-8", "está guardado en UTF-16, no en UTF-8, la única codificación que lee casefile. Ábralo"),
        ("fr_FR.UTF-8", "est enregistré en UTF-16 et non en UTF-8, le seul encodage que lit casefile. Ouvrez-le"),
    ],
)
def test_the_encoding_is_named_in_the_users_language(
    run: Run, case_file: Path, text: str, monkeypatch: pytest.MonkeyPatch, locale: str, words: str
) -> None:
    case_file.write_bytes(text.encode("utf-16"))
    monkeypatch.setenv("LANG", locale)
    said = run("list", "events", code=2).stderr
    assert words in said and said.count("\n") == 1


def test_an_import_in_utf16_is_named_so(run: Run, case_file: Path, isolated: Path) -> None:
    """Excel's "Unicode text" is UTF-16: it was "line 1 (byte 1): not UTF-8 text"."""
    sheet = isolated / "events.csv"
    sheet.write_bytes("date,title\n2017,Café\n".encode("utf-16"))
    said = run("import", str(sheet), "--items", "events", code=2).stderr
    assert (
        said
        == f"casefile: error: {sheet} is saved as UTF-16, not as UTF-8, the only encoding casefile reads. {SAVE_AS}\n"
    )


@pytest.mark.parametrize(
    "change",
    [
        ADD,  # one item spliced in
        ("edit-case", "--title", "Nuevo título"),  # the head rewritten
        ("edit", "2017-02-11", "--title", "Otra"),
        ("remove", "2017-02-11", "--yes"),
        ("translate", "case", "--language", "fr", "--title", "Titre"),
    ],
)
def test_a_utf8_file_with_a_byte_order_mark_is_read_and_keeps_it_when_written(
    run: Run, case_file: Path, text: str, change: tuple[str, ...]
) -> None:
    """Notepad's "UTF-8 with BOM": read, but a change of the case's own fields dropped the mark, and
    the next diff showed the first line changed."""
    case_file.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    run(*change)
    data = case_file.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and not data[3:].startswith(codecs.BOM_UTF8)
    assert run("check", code=None).exit_code in (0, 1)
    run(*change[:1], *change[1:], code=None)  # and again, on the file as written
    assert case_file.read_bytes().startswith(codecs.BOM_UTF8)
    assert run("list", "events").stdout.count("\n") == (0 if change[0] == "remove" else 1 + (change == ADD) * 2)


def test_a_whole_rewrite_keeps_the_byte_order_mark(run: Run, case_file: Path, text: str) -> None:
    """A rewrite of the whole file (here: hand-written comments, which a change of the head drops)."""
    case_file.write_bytes(codecs.BOM_UTF8 + b"# written in Notepad\n" + text.encode("utf-8"))
    run("edit-case", "--title", "Nuevo")
    data = case_file.read_bytes()
    assert data.startswith(codecs.BOM_UTF8 + b"schema_version") or data.startswith(codecs.BOM_UTF8 + b"#")
    assert "Nuevo" in data[3:].decode("utf-8")


def decrypted(run: Run, path: Path) -> bytes:
    return run("decrypt", "-f", str(path), "-o", "-").stdout_bytes


def test_an_encrypted_case_keeps_its_byte_order_mark(run: Run, case_file: Path, text: str, isolated: Path) -> None:
    """The mark is part of the text age encrypts: encrypt, decrypt and every change keep it, as in a plain case."""
    data = codecs.BOM_UTF8 + b"# written in Notepad\n" + text.encode("utf-8")
    case_file.write_bytes(data)
    run("keygen")
    run("encrypt")
    sealed = isolated / "casefile.toml.age"
    assert decrypted(run, sealed) == data
    run("decrypt", "-o", "plain.toml")
    assert (isolated / "plain.toml").read_bytes() == data
    for change in (ADD, ("edit-case", "--title", "Nuevo título")):  # spliced in; the whole file rewritten
        run(*change)
        plain = decrypted(run, sealed)
        assert plain.startswith(codecs.BOM_UTF8) and not plain[3:].startswith(codecs.BOM_UTF8)
    other = run("keygen", "-o", str(isolated.parent / "other.txt")).stdout.strip()
    before = decrypted(run, sealed)
    run("recipients", "add", other)  # encrypted again, to one more key
    assert decrypted(run, sealed) == before


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_the_merge_driver_merges_versions_with_a_byte_order_mark(
    run: Run, case_file: Path, text: str, isolated: Path, encrypted: bool
) -> None:
    """git's merge driver refused a case saved by Notepad ("casefile.toml (base): not valid TOML:
    Invalid statement (at line 1, column 1)"), and git left the file in conflict."""
    case_file.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    name = case_file
    if encrypted:
        run("keygen")
        run("encrypt")
        name = isolated / "casefile.toml.age"
    versions = {}
    for side in ("base", "ours", "theirs"):
        versions[side] = isolated / f"{side}{name.suffix}"
        versions[side].write_bytes(name.read_bytes())
        if encrypted:
            recipients = name.with_name(name.name + ".recipients")
            versions[side].with_name(versions[side].name + ".recipients").write_bytes(recipients.read_bytes())
    run("add-event", "--date", "2019", "--title", "Ours", "-f", str(versions["ours"]))
    run("add-event", "--date", "2019", "--title", "Theirs", "-f", str(versions["theirs"]))
    run("merge-driver", *(str(versions[side]) for side in ("base", "ours", "theirs")), str(name))
    merged = decrypted(run, versions["ours"]) if encrypted else versions["ours"].read_bytes()
    assert merged.startswith(codecs.BOM_UTF8) and not merged[3:].startswith(codecs.BOM_UTF8)
    titles = run("list", "events", "-f", str(versions["ours"])).stdout
    assert "Ours" in titles and "Theirs" in titles
