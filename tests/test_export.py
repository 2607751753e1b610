"""`casefile export`: every format, escaping of hostile text, privacy, and the JSON Schema."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import io
import json
import os
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from casefile.case.dates import parse_date
from casefile.case.model import Affected, Attachment, Case, Event, Source
from casefile.errors import InvalidValue
from casefile.exchange.exports import LETTER_FORMATS, ExportFormat, export_case
from casefile.letter.render import draft_letter
from casefile.storage.store import load
from tests.conftest import DATA, Run

AS_OF = datetime.date(2018, 7, 16)
IN_CI = bool(os.environ.get("CI"))
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "# Not a heading [^1] **not bold** <b>b</b>",
    '=HYPERLINK("http://evil.example","click")',
)


def fixture_case() -> Case:
    return load(DATA / "fixture.toml").case


def export(case: Case, export_format: str, **options: Any) -> bytes:
    options.setdefault("as_of", AS_OF)
    return export_case(case, ExportFormat(export_format), **options)


def hostile_case() -> Case:
    """The fixture with hostile text in titles, descriptions, names and source addresses."""
    case = fixture_case()
    first, *rest = sorted(case.events, key=lambda event: (event.date.sort_key(), event.id))
    hostile = dataclasses.replace(
        first,
        title=HOSTILE[0],
        description=HOSTILE[1] + "\n\n" + HOSTILE[2],
        actors=(HOSTILE[3],),
        sources=(
            Source(url="javascript:alert(3)", title=HOSTILE[0], publisher=HOSTILE[1]),
            Source(url='https://example.org/a"onmouseover="alert(4)', title="quote in URL"),
        ),
    )
    signatory = dataclasses.replace(case.signatories[0], name=HOSTILE[1], short_name="+cmd")
    return dataclasses.replace(
        case, events=(hostile, *rest), signatories=(signatory, *case.signatories[1:]), title=HOSTILE[0]
    )


@pytest.fixture
def fixture_file(isolated: Path) -> Path:
    path = isolated / "casefile.toml"
    shutil.copy(DATA / "fixture.toml", path)
    return path


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def elements(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


# Markdown ------------------------------------------------------------------------------------


def test_markdown_export_is_the_drafted_letter(run: Run, fixture_file: Path) -> None:
    result = run("export", "--format", "markdown", "--as-of", "2018-07-16")
    assert result.stdout == draft_letter(fixture_case(), language="en", as_of=AS_OF)
    spanish = run("export", "--format", "markdown", "--as-of", "2018-07-16", "--language", "es").stdout
    assert spanish == draft_letter(fixture_case(), language="es", as_of=AS_OF)
    assert "casefile: note: verify against" in result.stderr


def test_markdown_export_escapes_hostile_text() -> None:
    text = export(hostile_case(), "markdown").decode()
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "\\# Not a heading \\[\\^1\\] \\*\\*not bold\\*\\*" in text
    assert not re.search(r"(?<!\\)<(img|script|b)\b", text)


def test_export_writes_output_file_owner_only(run: Run, fixture_file: Path, isolated: Path) -> None:
    result = run("export", "--format", "html", "--output", "letter.html", "--as-of", "2018-07-16")
    assert result.stdout == ""
    assert "Wrote letter.html." in result.stderr
    assert (isolated / "letter.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (isolated / "letter.html").stat().st_mode & 0o077 == 0
    assert not [path for path in isolated.iterdir() if path.name.endswith(".tmp")]
    missing = run("export", "--format", "html", "--output", "nowhere/letter.html", code=2)
    assert missing.stderr == "casefile: error: cannot write nowhere/letter.html: there is no folder nowhere.\n"


def test_export_to_a_pipe_writes_into_it_and_leaves_no_file(run: Run, fixture_file: Path, isolated: Path) -> None:
    """A FIFO (or `-o >(age -r KEY > case.json.age)`) is written into: never replaced by a plain file
    on disk holding the export, which the process reading the pipe would then wait for in vain."""
    import stat

    fifo = isolated / "to-age"
    os.mkfifo(fifo, 0o600)
    # Both ends held here: opening it for writing does not wait, and the export (17 kB) fits its buffer.
    held = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    try:
        result = run("export", "--format", "json", "--include-private", "--output", str(fifo))
        received = b""
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(held, 1 << 16):
                received += chunk
    finally:
        os.close(held)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received == run("export", "--format", "json", "--include-private").stdout.encode("utf-8")
    assert f"Wrote {fifo}." in result.stderr
    assert not [path for path in isolated.iterdir() if path.name.endswith(".tmp")]


def test_export_to_dev_stdout_redirected_to_a_file_writes_into_that_file(
    run: Run, fixture_file: Path, isolated: Path
) -> None:
    """`-o /dev/stdout > file` (a link to one of the process's open files): the link was replaced by
    a file (as root, /dev/stdout itself), and the file stdout goes to got nothing."""
    import tempfile

    with tempfile.TemporaryFile(dir=isolated) as redirected:
        link = isolated / "stdout"  # what /dev/stdout is: a link into /proc
        link.symlink_to(f"/proc/self/fd/{redirected.fileno()}")
        run("export", "--format", "json", "--output", str(link))
        assert link.is_symlink()
        redirected.seek(0)
        assert redirected.read() == run("export", "--format", "json").stdout.encode("utf-8")


@pytest.mark.parametrize(
    "command", [["export", "--format", "markdown"], ["export", "--format", "json"], ["draft-complaint"]]
)
@pytest.mark.parametrize("output", ["casefile.toml", "casefile.toml.bak", "./sub/../casefile.toml.lock"])
def test_a_letter_or_export_is_never_written_over_the_case_or_its_own_files(
    run: Run, fixture_file: Path, isolated: Path, command: list[str], output: str
) -> None:
    """A mistyped --output (tab completion offers the case file) replaced the case with a letter,
    and its .bak with the version before: the last change was lost."""
    run("edit-case", "--title", "The last change")  # now the case and its .bak differ
    (isolated / "sub").mkdir()
    before = {path.name: path.read_bytes() for path in isolated.iterdir() if path.is_file()}
    (line,) = run(*command, "--output", output, "--as-of", "2018-07-16", code=2).stderr.splitlines()
    assert line == f"casefile: error: {Path(output)} is the case file or one of its own files; choose another name."
    assert {path.name: path.read_bytes() for path in isolated.iterdir() if path.is_file()} == before


@pytest.mark.parametrize("command", [["export", "--format", "markdown"], ["draft-complaint"]])
def test_an_output_that_is_a_folder_is_said_so(
    run: Run, fixture_file: Path, isolated: Path, command: list[str]
) -> None:
    (isolated / "letters").mkdir()
    (line,) = run(*command, "--as-of", "2018-07-16", "-o", "letters", code=2).stderr.splitlines()
    assert line == "casefile: error: letters is a folder, not a file."  # not "Is a directory: .letters.1c2d3e.tmp"
    assert sorted(path.name for path in isolated.iterdir()) == ["casefile.toml", "letters"]


@pytest.mark.parametrize("command", [["export", "--format", "markdown"], ["draft-complaint"]])
def test_output_dash_is_standard_output(run: Run, fixture_file: Path, isolated: Path, command: list[str]) -> None:
    """`-o -` means stdout, as `decrypt -o -` and every Unix tool; it wrote a file named "-"."""
    letter = run(*command, "--as-of", "2018-07-16").stdout
    assert run(*command, "--as-of", "2018-07-16", "-o", "-").stdout == letter
    assert not (isolated / "-").exists()


# HTML ----------------------------------------------------------------------------------------


def test_html_is_standalone_with_print_css_and_endnotes() -> None:
    page = export(fixture_case(), "html").decode()
    parsed = elements(page)
    tags = [tag for tag, _ in parsed.tags]
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in page
    assert "default-src 'none'; style-src 'unsafe-inline'" in page
    # Nothing that could load: no scripts, images, stylesheets, frames, fonts or url() in CSS.
    for tag in ("script", "img", "link", "iframe", "object", "embed", "video", "audio", "source"):
        assert tag not in tags
    assert not [attrs for _, attrs in parsed.tags if "src" in attrs or "srcset" in attrs]
    style = page[page.index("<style>") : page.index("</style>")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "@page { margin:" in style and "break-before: page" in style
    # The annex heading starts a new printed page.
    annex = [attrs for tag, attrs in parsed.tags if tag == "h2" and "annex" in (attrs.get("class") or "")]
    assert len(annex) == 1
    assert '<h2 class="annex" id="annex">Annex</h2>' in page
    # Footnotes are endnotes, each cited mark links to one, and each links back.
    notes = re.findall(r'<li id="(fn\d+)" class="footnote-item">', page)
    assert notes == [f"fn{n}" for n in range(1, 6)]
    hrefs = {attrs.get("href") for tag, attrs in parsed.tags if tag == "a"}
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    for note in notes:
        assert f"#{note}" in hrefs
    backrefs = [attrs["href"] for _, attrs in parsed.tags if attrs.get("class") == "footnote-backref"]
    assert backrefs and all(href and href[1:] in ids for href in backrefs)
    text = "".join(parsed.text)
    for signatory in fixture_case().signatories:
        assert signatory.name in text


@pytest.mark.parametrize(("language", "annex"), [("es", "Anexo"), ("fr", "Annexe")])
def test_html_in_other_languages(language: str, annex: str) -> None:
    page = export(fixture_case(), "html", language=language).decode()
    assert f'<html lang="{language}">' in page
    assert f'<h2 class="annex" id="annex">{annex}</h2>' in page


def test_html_escapes_hostile_text() -> None:
    page = export(hostile_case(), "html").decode()
    parsed = elements(page)
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "img" not in tags and "b" not in tags
    assert not [attrs for _, attrs in parsed.tags if any(name.startswith("on") for name in attrs)]
    text = "".join(parsed.text)
    for hostile in HOSTILE:
        assert hostile in text
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    hrefs = [attrs.get("href") or "" for tag, attrs in parsed.tags if tag == "a"]
    assert not [href for href in hrefs if href.lower().startswith("javascript")]
    # A heading or footnote typed by a user stays text.
    assert "Not a heading" not in [tag for tag in tags if tag.startswith("h")]
    assert (
        len(re.findall(r'class="footnote-item"', page))
        == len(re.findall(r'class="footnote-item"', export(fixture_case(), "html").decode())) + 2
    )


# JSON ----------------------------------------------------------------------------------------


def test_json_export_is_versioned_complete_and_deterministic(run: Run, fixture_file: Path) -> None:
    first = run("export", "--format", "json").stdout
    assert first == run("export", "--format", "json", "--as-of", "2030-01-01").stdout
    assert first.endswith("}\n") and "Artículo 19" in first  # not \u escaped
    document = json.loads(first)
    assert list(document)[:5] == ["format", "version", "includes_private", "redacted", "case"]
    assert document["format"] == "casefile-case" and document["version"] == 1
    assert document["includes_private"] is False and document["redacted"] is False
    event = document["events"][0]
    assert set(event) >= {"id", "date", "title", "description", "sources", "affected", "attachments", "private_notes"}
    assert document["case"]["addressees_verified"] == "2025-01-10"
    dates = [(parse_date(e["date"]).sort_key(), e["id"]) for e in document["events"]]
    assert dates == sorted(dates)
    assert [s["id"] for s in document["signatories"]] == [s.id for s in fixture_case().signatories]


def test_json_schema_is_shipped_and_validates_exports(run: Run, isolated: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema") if not IN_CI else __import__("jsonschema")
    schema_text = run("export", "--format", "json-schema").stdout  # no case file needed
    schema = json.loads(schema_text)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for options in ({}, {"include_private": True}, {"redact": True}):
        document = json.loads(export(hostile_case(), "json", **options))
        errors = sorted(validator.iter_errors(document), key=str)
        assert not errors, errors[0]
    broken = json.loads(export(fixture_case(), "json"))
    broken["events"][0]["date"] = "11/02/2017"
    assert list(validator.iter_errors(broken))


def test_json_schema_describes_every_field_of_the_model() -> None:
    """A field added to the model must be added to the schema (and so documented)."""
    from casefile.case import model, translation_model

    schema = json.loads(export_case(fixture_case(), ExportFormat.JSON_SCHEMA))
    definitions = schema["$defs"]
    names = {
        model.Source: "source",
        model.Affected: "affected",
        model.Attachment: "attachment",
        model.Event: "event",
        model.Response: "response",
        model.Reminder: "reminder",
        model.Demand: "demand",
        model.Signatory: "signatory",
        model.Concern: "concern",
        model.Contact: "contact",
        model.StageRecord: "stage_record",
        model.Filing: "filing",
        model.Approval: "approval",
        model.ApprovedText: "approved_text",
        **{
            cls: name
            for name, cls in (
                ("case_text", translation_model.CaseText),
                ("concern_text", translation_model.ConcernText),
                ("event_text", translation_model.EventText),
                ("demand_text", translation_model.DemandText),
                ("response_text", translation_model.ResponseText),
                ("signatory_text", translation_model.SignatoryText),
                ("case_translations", translation_model.CaseTranslations),
                ("concern_translations", translation_model.ConcernTranslations),
                ("event_translations", translation_model.EventTranslations),
                ("demand_translations", translation_model.DemandTranslations),
                ("response_translations", translation_model.ResponseTranslations),
                ("signatory_translations", translation_model.SignatoryTranslations),
            )
        },
    }
    for cls, name in names.items():
        fields = {field.name for field in dataclasses.fields(cls)} - {"extra"}
        assert set(definitions[name]["properties"]) == fields, cls.__name__
        assert definitions[name]["required"] == list(definitions[name]["properties"])
    top = set(definitions["case"]["properties"]) | set(schema["properties"])
    case_fields = {field.name for field in dataclasses.fields(Case)} - {"extra"}
    assert case_fields <= top
    dataclass_types = {
        value
        for value in vars(model).values()
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == model.__name__
    }
    assert dataclass_types - {Case} <= set(names), "a new model class needs a definition in case.schema.json"
    translation_types = {
        value
        for value in vars(translation_model).values()
        if isinstance(value, type) and dataclasses.is_dataclass(value)
    }
    assert translation_types <= set(names), "a new translation class needs a definition in case.schema.json"


def test_json_keeps_unknown_keys_and_private_fields_only_when_asked() -> None:
    case = fixture_case()
    event = dataclasses.replace(case.events[0], private_notes="secret note", extra={"x_custom": "kept"})
    case = dataclasses.replace(case, events=(event, *case.events[1:]))
    public = export(case, "json").decode()
    assert "secret note" not in public and '"x_custom": "kept"' in public
    assert "contacto@fundar.example.org" in public  # the contact's address is printed in the letter
    private = json.loads(export(case, "json", include_private=True))
    assert private["includes_private"] is True
    assert "secret note" in json.dumps(private, ensure_ascii=False)


# TimelineJS ----------------------------------------------------------------------------------


def test_timeline_maps_dates_and_sources() -> None:
    document = json.loads(export(fixture_case(), "timeline"))
    assert document["title"]["text"]["headline"] == "Illegal surveillance of OGP participants in Mexico"
    slides = {slide["unique_id"]: slide for slide in document["events"]}
    assert len(slides) == len(fixture_case().events) + len(fixture_case().demands)
    day = slides["2017-02-11-citizen-lab-report-spyware"]
    assert day["start_date"] == {"year": "2017", "month": "2", "day": "11"}
    assert "end_date" not in day and "display_date" not in day
    assert '<a href="https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/">' in day["text"]["text"]
    assert "Simón Barquera (a researcher at the National Institute of Public Health)" in day["text"]["text"]
    month = slides["2017-03-public-statement-surveillance"]
    assert month["start_date"] == {"year": "2017", "month": "3"}  # a month-only date has no day
    assert "gave a partial answer on 2 May 2017" in month["text"]["text"]
    assert month["group"] == "Efforts made in Mexico"
    ranged = slides["2017-02-journalists-similar-attacks"]
    assert ranged["start_date"] == {"year": "2017", "month": "2"}
    assert ranged["end_date"] == {"year": "2017", "month": "5"}
    approximate = slides["2016-federal-offices-dilute-commitments"]
    assert approximate["display_date"] == "from around 2016 to May 2017"
    assert slides["2017-05-02-state-criminal-complaint"]["display_date"] == "around 2 May 2017"
    unanswered = slides["2017-02-16-investigate-surveillance"]["text"]["text"]
    assert "515 days have passed as of 16 July 2018" in unanswered
    starts = [(int(s["start_date"]["year"]), int(s["start_date"].get("month", 0))) for s in document["events"]]
    assert starts == sorted(starts)
    spanish = json.loads(export(fixture_case(), "timeline", language="es"))
    assert any(
        "Gestiones realizadas" in slide.get("group", "") or "México" in slide.get("group", "")
        for slide in spanish["events"]
    )


def test_timeline_open_and_uncertain_dates_get_display_dates() -> None:
    case = fixture_case()
    base = case.events[0]
    events = (
        dataclasses.replace(base, id="open-end", date=parse_date("2016/..")),
        dataclasses.replace(base, id="open-start", date=parse_date("../2017-03")),
        dataclasses.replace(base, id="uncertain", date=parse_date("2017-02-11?")),
    )
    document = json.loads(export(dataclasses.replace(case, events=events, demands=()), "timeline"))
    slides = {slide["unique_id"]: slide for slide in document["events"]}
    assert slides["open-end"]["start_date"] == {"year": "2016"} and "end_date" not in slides["open-end"]
    assert slides["open-end"]["display_date"] == "since 2016"
    assert slides["open-start"]["start_date"] == {"year": "2017", "month": "3"}
    assert slides["open-start"]["display_date"] == "until March 2017"
    assert slides["uncertain"]["display_date"] == "probably on 11 February 2017"


def test_timeline_escapes_hostile_text() -> None:
    document = json.loads(export(hostile_case(), "timeline"))
    html_fields = [document["title"]["text"]["headline"]]
    for slide in document["events"]:
        html_fields += [slide["text"]["headline"], slide["text"]["text"], slide.get("group", "")]
    joined = "\n".join(html_fields)
    assert "<script" not in joined and "<img" not in joined and "<b>" not in joined
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined
    assert "&lt;img src=x onerror=alert(2)&gt;" in joined
    parsed = elements(joined)
    assert {tag for tag, _ in parsed.tags} <= {"p", "ul", "li", "a"}
    hrefs = [attrs["href"] or "" for tag, attrs in parsed.tags if tag == "a"]
    assert not [href for href in hrefs if not href.startswith(("http://", "https://"))]
    assert not [attrs for _, attrs in parsed.tags if set(attrs) - {"href"}]  # no onmouseover from a quote
    assert "javascript:alert(3)" in "".join(parsed.text)  # shown as text, not as a link


# CSV -----------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("items", ["events", "demands", "signatories"])
def test_csv_has_the_import_columns_as_header(items: str) -> None:
    from casefile.exchange.csvformat import COLUMNS, Items

    rows = read_csv(export(fixture_case(), "csv", items=items))
    assert tuple(rows[0]) == COLUMNS[Items(items)]
    assert len(rows) == 1 + len(getattr(fixture_case(), items))
    assert all(len(row) == len(rows[0]) for row in rows)


def test_csv_joins_lists_and_neutralises_formulas(run: Run, fixture_file: Path) -> None:
    demands = read_csv(run("export", "--format", "csv", "--items", "demands").stdout.encode())
    header = demands[0]
    first = dict(zip(header, demands[1], strict=True))
    assert first["by"].startswith("articulo-19; cidac; contraloria-ciudadana")
    case = fixture_case()
    formulas = ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "'=quoted")
    events = tuple(
        dataclasses.replace(case.events[0], id=f"e{index}", title=formula, description=formula)
        for index, formula in enumerate(formulas)
    )
    rows = read_csv(export(dataclasses.replace(case, events=events), "csv", items="events"))
    titles = [row[2] for row in rows[1:]]
    assert sorted(titles) == sorted("'" + formula for formula in formulas)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    signatories = read_csv(export(hostile_case(), "csv", items="signatories"))
    assert signatories[1][2] == "'+cmd" and signatories[1][1] == HOSTILE[1]


def test_csv_export_items_only_for_csv(run: Run, fixture_file: Path) -> None:
    assert run("export", "--format", "csv").stdout.startswith("record,item,id,")  # the whole case
    result = run("export", "--format", "json", "--items", "events", code=2)
    assert "--items applies to --format csv only" in result.stderr


# Privacy -------------------------------------------------------------------------------------


def has_typst() -> bool:
    import importlib.util

    if importlib.util.find_spec("typst") is None:
        if IN_CI:
            raise ImportError("typst (casefile[office]) is not installed")
        return False
    return True


def pdf_text(data: bytes) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def all_exports(case: Case, **options: Any) -> dict[str, str]:
    """Every format's output as searchable text (office files: the XML inside)."""
    documents = {}
    for export_format in ExportFormat:
        variants = [{"items": items} for items in ("events", "demands", "signatories")]
        for variant in variants if export_format is ExportFormat.CSV else [{}]:
            if export_format is ExportFormat.PDF and not has_typst():
                continue
            letter_format = export_format in LETTER_FORMATS
            chosen = {key: value for key, value in options.items() if key != "include_private" or not letter_format}
            if export_format is ExportFormat.PDF:
                from tests.test_export_pdf import export_pdf

                data = export_pdf(case, **chosen)  # in a child process: Typst's memory stays there
            else:
                data = export(case, export_format.value, **variant, **chosen)
            if data[:4] == b"%PDF":
                text = pdf_text(data)
            elif data[:2] == b"PK":
                with zipfile.ZipFile(io.BytesIO(data)) as package:
                    text = "\n".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())
            else:
                text = data.decode("utf-8")
            documents[f"{export_format.value}{variant.get('items', '')}"] = text
    return documents


def with_markers(case: Case) -> tuple[Case, dict[str, list[str]]]:
    """The case with a marker in every private field, and the markers by field."""
    markers = iter(f"QXPRIVATE{number:03d}" for number in range(1000))
    used: dict[str, list[str]] = {}

    def fresh(kind: str) -> str:
        used.setdefault(kind, []).append(next(markers))
        return used[kind][-1]

    events = []
    for event in case.events:
        path = f"/home/ana/{fresh('path')}/photo.jpg"
        attachment = Attachment(sha256="a" * 64, size=3, name="photo.jpg", path=path)
        affected = (*event.affected, Affected(name=fresh("name"), role="a witness"))
        notes = fresh("note")
        events.append(dataclasses.replace(event, private_notes=notes, attachments=(attachment,), affected=affected))
    signatories = [dataclasses.replace(s, email=f"{fresh('email')}@example.org") for s in case.signatories]
    return dataclasses.replace(case, events=tuple(events), signatories=tuple(signatories)), used


def test_no_private_value_in_any_format() -> None:
    case, used = with_markers(fixture_case())
    documents = all_exports(case)
    assert len(documents) >= 8
    every = [marker for markers in used.values() for marker in markers]
    for name, text in documents.items():
        for marker in every:
            assert marker not in text, f"{marker} leaked into {name}"
    # The test can fail: asked for, the private values are there.
    included = all_exports(case, include_private=True)
    assert all(marker in included["json"] for marker in every)
    assert all(marker in included["csvevents"] for marker in used["note"] + used["name"])
    assert all(marker in included["csvsignatories"] for marker in used["email"])
    assert all(marker in included["timeline"] for marker in used["note"] + used["name"])


def test_redacted_exports_name_no_person() -> None:
    case = fixture_case()
    people = ("María Pérez", "Luis Hernández", "luis-hernandez", "Simón Barquera", "contacto@fundar.example.org")
    for name, text in all_exports(case, redact=True).items():
        for person in people:
            assert person not in text, f"{person} in redacted {name}"
    redacted = json.loads(export(case, "json", redact=True))
    assert redacted["redacted"] is True
    individual = next(s for s in redacted["signatories"] if s["kind"] == "individual")
    assert individual["id"] == "individual-1" and individual["name"] == ""
    assert "Transparencia Mexicana" in json.dumps(redacted, ensure_ascii=False)


def test_include_private_does_not_apply_to_the_letter(run: Run, fixture_file: Path) -> None:
    with pytest.raises(InvalidValue):
        export(fixture_case(), "html", include_private=True)
    result = run("export", "--format", "markdown", "--include-private", code=2)
    assert result.stderr.startswith("casefile: error: --include-private does not apply to --format markdown")
    assert result.stdout == ""


def test_export_of_an_event_without_sources_or_concerns() -> None:
    event = Event(id="2019-x", date=parse_date("2019"), title="Alone")
    case = Case(title="Small", country="Chile", events=(event,))
    for export_format in ("markdown", "html", "json", "timeline"):
        assert export(case, export_format)
    slide = json.loads(export(case, "timeline"))["events"][0]
    assert slide["start_date"] == {"year": "2019"} and "group" not in slide
