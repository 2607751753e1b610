"""``export --format pdf``: the letter typeset by Typst, read back with pypdf as a reader would.

Typst comes with the ``office`` extra; outside CI these tests are skipped without it, under CI
they must run. (The HTML export is still a page to print from a browser; its print styles are
checked in test_export.py.) Typst runs in child processes here: typesetting raises a process's
peak memory, which the memory limits of other tests would otherwise count.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casefile.case.dates import parse_date
from casefile.case.model import Case, Event, Source
from casefile.errors import MissingExtra
from casefile.exchange.officebase import LetterSource
from casefile.letter.render import draft_letter
from casefile.storage.store import load
from tests.conftest import DATA, Run
from tests.test_export import AS_OF, export, fixture_case

GREEK = "Διαφάνεια και λογοδοσία στην Ελλάδα"
CYRILLIC = "Прозрачность и подотчётность в Украине"
LATIN = "Łódź, Škoda, Ærøskøbing, São Tomé, Nguyễn"
INJECTION = '#set page(width: 1cm) #import "@preview/x:0.1.0" ] [ // $x^2$ <label> @ref = * _ `code` \\'


def needs_typst() -> None:
    import importlib.util

    if importlib.util.find_spec("typst") is None:
        if os.environ.get("CI"):
            raise ImportError("typst (casefile[office]) is not installed")
        pytest.skip("typst (casefile[office]) is not installed")


def in_child(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` run in a fresh Python process (see the module's description)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args, **kwargs).result()


def export_pdf(case: Case, **options: Any) -> bytes:
    """``export(case, "pdf")``: the letter drafted here, typeset in a child process."""
    from casefile.exchange.office import letter_document

    markdown = export(case, "markdown", **options).decode()
    language = options.get("language") or case.language.value
    data: bytes = in_child(
        letter_document, markdown, target="pdf", language=language, title=case.title, date=options.get("as_of", AS_OF)
    )
    return data


def typst_footnotes_and_warnings(markup: str) -> tuple[list[Any], list[Any]]:
    """What Typst finds in the markup: its footnotes (as JSON) and its warnings."""
    import typst

    footnotes = json.loads(typst.query(markup.encode(), "footnote"))
    _, warnings = typst.compile_with_warnings(markup.encode(), format="pdf", ignore_system_fonts=True)
    return footnotes, [str(warning) for warning in warnings]


def cli(folder: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "casefile", *args], cwd=folder, check=True, capture_output=True)


def pages(data: bytes) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def with_event(case: Case, title: str, url: str) -> Case:
    event = Event(id=f"2017-03-{len(title)}", date=parse_date("2017-03"), title=title, sources=(Source(url=url),))
    concern = dataclasses.replace(case.concerns[0], id=case.concerns[0].id)
    event = dataclasses.replace(event, concerns=(concern.id,))
    return dataclasses.replace(case, events=(*case.events, event))


def test_pdf_is_an_a4_letter_with_its_notes_and_metadata(isolated: Path) -> None:
    needs_typst()
    import pypdf

    shutil.copy(DATA / "fixture.toml", isolated / "casefile.toml")
    cli(isolated, "export", "--format", "pdf", "-o", "letter.pdf", "--as-of", "2018-07-16")
    data = (isolated / "letter.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    assert reader.metadata is not None and reader.metadata.title == fixture_case().title
    assert reader.metadata.creation_date is not None and reader.metadata.creation_date.date() == AS_OF
    texts = pages(data)
    text = flat("\n".join(texts))
    for heading in ("Who files this letter", "Concerns", "Efforts made in Mexico", "Signatories"):
        assert heading in text
    for signatory in fixture_case().signatories:
        assert signatory.name in text
    assert "515 days have passed as of 16 July 2018" in text
    # The annex starts a page of its own.
    annex = [number for number, page in enumerate(texts) if page.lstrip().startswith("Annex")]
    assert len(annex) == 1 and annex[0] >= 2
    # Same case, same date: the same bytes.
    cli(isolated, "export", "--format", "pdf", "-o", "again.pdf", "--as-of", "2018-07-16")
    assert (isolated / "again.pdf").read_bytes() == data


def test_pdf_has_one_footnote_per_note_and_cites_it_again_by_number() -> None:
    needs_typst()
    from casefile.exchange.pdf import typst_markup

    letter = draft_letter(fixture_case(), language="es", as_of=AS_OF)
    source = LetterSource.of(letter, title="Carta", date=AS_OF, language="es", annex_heading="Anexo")
    footnotes, _ = in_child(typst_footnotes_and_warnings, typst_markup(source))
    defined = [note for note in footnotes if not isinstance(note["body"], str)]
    cited = re.findall(r"\[\^(\d+)\](?!:)", letter)
    assert len(defined) == len(set(cited)) == 5
    assert len(footnotes) == len(cited)  # every citation is a footnote mark, the later ones refer to the first
    # A reference names its note: <noteN>, in the Markdown letter's order.
    order = [int(match) for match in re.findall(r"<note(\d+)>", typst_markup(source))]
    assert [number for number in order] == [int(number) for number in cited]
    text = flat("\n".join(pages(export_pdf(fixture_case(), language="es"))))
    assert "Bitter Sweet" in text and "Anexo" in text


def test_pdf_shows_greek_cyrillic_and_latin_text_and_hostile_text_as_text() -> None:
    needs_typst()
    from casefile.exchange.pdf import typst_markup

    case = fixture_case()
    for title in (GREEK, CYRILLIC, LATIN, INJECTION):
        case = with_event(case, title, "https://example.org/" + str(len(title)))
    data = export_pdf(case)
    text = flat("\n".join(pages(data)))
    for title in (GREEK, CYRILLIC, LATIN):
        assert title in text
    assert flat(INJECTION) in text
    # No glyph is missing from the fonts Typst carries (no system fonts are used).
    letter = draft_letter(case, language="en", as_of=AS_OF)
    source = LetterSource.of(letter, title="T", date=AS_OF, language="en", annex_heading="Annex")
    _, warnings = in_child(typst_footnotes_and_warnings, typst_markup(source))
    assert not warnings


def test_pdf_without_the_office_extra_says_how_to_install_it(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(DATA / "fixture.toml", isolated / "casefile.toml")
    monkeypatch.setitem(sys.modules, "typst", None)  # import typst now raises ImportError
    with pytest.raises(MissingExtra, match=re.escape("pip install 'casefile[office]'")):
        export(fixture_case(), "pdf")
    result = run("export", "--format", "pdf", "-o", "letter.pdf", code=2)
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("casefile: error: ") and "pip install 'casefile[office]'" in result.stderr
    assert not (isolated / "letter.pdf").exists()
    # DOCX and ODT need nothing extra.
    run("export", "--format", "docx", "-o", "letter.docx")
    assert datetime.date.today() and (isolated / "letter.docx").exists()


PARTS_TITLE = "Parts (see 3 0 R) \\ ("


def letter_in_parts(markdown: str, part_size: int) -> tuple[bytes, int]:
    """The letter's PDF with parts of ``part_size`` characters of markup, and how many parts (0: at once)."""
    from casefile.exchange import pdfparts
    from casefile.exchange.office import letter_document

    parts = 0
    typeset = pdfparts._typeset

    def counted(*args: Any) -> Any:
        nonlocal parts
        parts += 1
        return typeset(*args)

    pdfparts.PART_SIZE = part_size
    pdfparts._typeset = counted  # type: ignore[assignment]
    # A title that reads like PDF syntax: the parts' objects are renumbered, never their strings.
    data = letter_document(markdown, target="pdf", language="en", title=PARTS_TITLE, date=AS_OF)
    return data, parts


def footnote_numbers(texts: list[str]) -> list[int]:
    """The numbers of the footnotes, page after page (a footnote reads "12Title. https://...")."""
    return [int(match) for text in texts for match in re.findall(r"^(\d+)[^\d.\s]\S*.*https://", text, re.M)]


def test_a_long_letter_is_typeset_in_parts_that_read_as_one_letter(tmp_path: Path) -> None:
    needs_typst()
    from benchmarks.generate import case_text

    (tmp_path / "casefile.toml").write_text(case_text(60), encoding="utf-8")
    case = load(tmp_path / "casefile.toml").case
    markdown = export(case, "markdown").decode()
    whole, one = in_child(letter_in_parts, markdown, 10**9)
    parted, several = in_child(letter_in_parts, markdown, 12_000)
    assert (one, several > 3) == (0, True)  # a short letter is typeset at once, as before
    notes = len(re.findall(r"^\[\^\d+\]:", markdown, re.M))
    assert notes > 50  # the events up to the letter's date, two sources each
    for data in (whole, parted):
        texts = pages(data)
        # Every footnote once, on its own page's foot, in the letter's order; pages numbered on.
        assert footnote_numbers(texts) == list(range(1, notes + 1))
        assert [text.rstrip().rsplit("\n", 1)[-1] for text in texts] == [str(n) for n in range(1, len(texts) + 1)]
    assert flat("".join(pages(parted))).count("Annex") == flat("".join(pages(whole))).count("Annex")
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(parted))
    assert {(round(float(page.mediabox.width)), round(float(page.mediabox.height))) for page in reader.pages} == {
        (595, 842)
    }
    assert reader.metadata is not None and reader.metadata.title == PARTS_TITLE
    assert reader.metadata.creation_date is not None and reader.metadata.creation_date.date() == AS_OF
    # Same letter, same parts: the same bytes.
    assert in_child(letter_in_parts, markdown, 12_000) == (parted, several)


def files_written_in_parts(markdown: str) -> tuple[list[str], int]:
    """The files opened for writing (by Python) while the letter is typeset in parts, and the parts."""
    written: list[str] = []

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if not isinstance(args[0], str | bytes | os.PathLike):
            return  # an open file descriptor made into a file object (the pipe to Typst's process)
        writes = (
            any(flag in args[1] for flag in "wax+")
            if event == "open" and isinstance(args[1], str)
            else event == "os.open" and bool(args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        )
        if writes:
            written.append(str(args[0]))

    sys.addaudithook(audit)
    _data, parts = letter_in_parts(markdown, 12_000)
    return written, parts


def test_a_letter_typeset_in_parts_never_touches_the_disk(tmp_path: Path) -> None:
    # An encrypted case's letter must not leave plain text in a temporary file (issue 16).
    needs_typst()
    from benchmarks.generate import case_text

    (tmp_path / "casefile.toml").write_text(case_text(30), encoding="utf-8")
    markdown = export(load(tmp_path / "casefile.toml").case, "markdown").decode()
    written, parts = in_child(files_written_in_parts, markdown)
    assert parts > 1
    assert written == []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_parts_a_killed_export_left_in_memory_are_removed(tmp_path: Path) -> None:
    # A part is letter text (of an encrypted case too): one left by a killed child must not stay
    # in /dev/shm until the machine restarts.
    from casefile.exchange.pdfparts import remove_stale_parts

    dead, alive = _dead_pid(), os.getpid()
    memory, outside = tmp_path / "shm", tmp_path / "outside"
    memory.mkdir()
    outside.mkdir()
    (outside / "keep.typ").write_text("not ours to remove")
    for name in (f"casefile-pdf-{dead}-a", f"casefile-pdf-{alive}-b", "casefile-pdf-old", "other"):
        (memory / name).mkdir()
        (memory / name / "part.typ").write_text("= Letter")
    (memory / f"casefile-pdf-{dead}-link").symlink_to(outside)
    remove_stale_parts(str(memory))
    assert {path.name for path in memory.iterdir()} == {
        f"casefile-pdf-{alive}-b",
        f"casefile-pdf-{dead}-link",
        "casefile-pdf-old",
        "other",
    }
    assert (outside / "keep.typ").read_text() == "not ours to remove"


def test_a_letter_typeset_in_parts_removes_parts_a_killed_export_left(tmp_path: Path) -> None:
    needs_typst()
    if not os.access("/dev/shm", os.W_OK):
        pytest.skip("no /dev/shm here")
    from benchmarks.generate import case_text

    stale = Path("/dev/shm") / f"casefile-pdf-{_dead_pid()}-test"
    stale.mkdir()
    (stale / "part.typ").write_text("= Letter")
    (tmp_path / "casefile.toml").write_text(case_text(30), encoding="utf-8")
    markdown = export(load(tmp_path / "casefile.toml").case, "markdown").decode()
    _data, parts = in_child(letter_in_parts, markdown, 12_000)
    assert parts > 1
    assert not stale.exists()
    assert not [name for name in os.listdir("/dev/shm") if name.startswith("casefile-pdf-")]
