"""The whole case as one CSV sheet: what a spreadsheet user needs, and read back into the same case."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import given, settings

from casefile.case.model import Case
from casefile.exchange.casecsv import document_from_csv, export_case_csv
from casefile.exchange.jsonformat import case_document, dumps
from tests.conftest import Run
from tests.test_codec import cases

CITIZEN_LAB = "https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/"
ARCHIVE = "https://web.archive.org/web/2017/" + CITIZEN_LAB


def build(run: Run) -> None:
    """A Spanish-speaking coalition's case with every kind of record a spreadsheet shows."""
    run("edit-case", "--language", "es", "--contact-name", "María Pérez", "--contact-organisation", "Fundar")
    run("add-signatory", "--name", "Artículo 19 Oficina para México", "--short-name", "Artículo 19", "--lead")
    run("add-signatory", "--name", "Fundar; Centro de Análisis", "--short-name", "Fundar", "--email", "f@fundar.mx")
    run(
        "add-concern", "--title", "Vigilancia ilegal de defensores", "--category", "fundamental-freedoms",
        "--breaches", "Declaración de Gobierno Abierto; participación", "--breaches", "Artículos de Gobernanza",
    )  # fmt: skip
    event = run(
        "add-event", "--date", "2017-02-11", "--title", "=Citizen Lab publica «Bitter Sweet»",
        "--description", "Línea uno\nLínea dos, con \"comillas\"", "--source", CITIZEN_LAB,
        "--source", "https://r3d.mx/2017/06/19/gobierno-espia/", "--tag", "vigilancia", "--tag", "Pegasus",
        "--concern", "vigilancia", "--actor", "PGR", "--private-note", "La fuente pidió no ser nombrada",
    ).stdout.strip()  # fmt: skip
    run("set-source", event, CITIZEN_LAB, "--title", "Bitter Sweet", "--publisher", "Citizen Lab",
        "--date", "2017-02-11", "--archived-url", ARCHIVE, "--accessed", "2017-05-20")  # fmt: skip
    run("add-event", "--date", "2017~", "--title", "Обыск в офисе", "--tag", "[sin etiqueta]")
    run("translate", event, "--language", "en", "--title", "Citizen Lab publishes «Bitter Sweet»")
    run("translate", "vigilancia", "--language", "fr", "--title", "Surveillance illégale de défenseurs")
    demand = run(
        "add-demand", "--date", "2017-02-16", "--to", "Secretariado Técnico Tripartita", "--subject", "Investigar",
        "--by", "art", "--by", "fundar", "--deadline", "2017-03-16",
    ).stdout.strip()  # fmt: skip
    run("respond", demand, "--date", "2017-06-01", "--status", "partial", "--summary", "Respondió en parte.")
    run("record-reminder", demand, "--date", "2017-04-01", "--channel", "correo")
    run("record-filing", "--date", "2018-07-16")
    run("record-stage", "eligible", "--date", "2018-08-24", "--note", "Elegible")


def test_export_then_import_gives_the_same_case(run: Run, case_file: Path, isolated: Path) -> None:
    build(run)
    for private in ([], ["--include-private"]):
        sheet = isolated / f"caso{len(private)}.csv"
        run("export", "--format", "csv", *private, "--output", str(sheet))
        copy = isolated / f"copia{len(private)}.toml"
        created = run("import", str(sheet), "--file", str(copy))
        assert f"Created {copy}" in created.stderr
        original = run("export", "--format", "json", *private).stdout
        assert run("export", "--format", "json", *private, "-f", str(copy)).stdout == original
    assert "La fuente pidió" in (isolated / "copia1.toml").read_text(encoding="utf-8")
    assert "La fuente pidió" not in (isolated / "copia0.toml").read_text(encoding="utf-8")


def test_the_sheet_has_what_a_spreadsheet_user_needs(run: Run, case_file: Path, isolated: Path) -> None:
    build(run)
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    records = [row["record"] for row in rows]
    for record in ("case", "signatory", "concern", "event", "source", "demand", "response", "reminder", "stage"):
        assert record in records, record
    source = next(row for row in rows if row["record"] == "source" and row["title"])
    assert (source["item"], source["url"], source["publisher"]) == (
        "2017-02-11-citizen-lab-publica-bitter",
        CITIZEN_LAB,
        "Citizen Lab",
    )
    assert (source["archived_url"], source["accessed"]) == (ARCHIVE, "2017-05-20")
    event = next(row for row in rows if row["record"] == "event" and row["id"].startswith("2017-02-11"))
    assert event["title"] == "'=Citizen Lab publica «Bitter Sweet»"  # never run as a formula
    assert event["tags"] == "vigilancia; Pegasus" and event["concerns"] == "vigilancia-ilegal-defensores"
    assert event["private_notes"] == ""  # private data stays out unless asked for
    concern = next(row for row in rows if row["record"] == "concern")
    assert json.loads(concern["breaches"]) == [
        "Declaración de Gobierno Abierto; participación",
        "Artículos de Gobernanza",
    ]
    demand = next(row for row in rows if row["record"] == "demand")
    assert demand["by"] == "articulo-19; fundar" and demand["deadline"] == "2017-03-16"


def test_a_sheet_saved_by_a_spreadsheet_with_semicolons_imports(run: Run, case_file: Path, isolated: Path) -> None:
    build(run)
    text = run("export", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    sheet = isolated / "hoja.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    run("import", str(sheet), "--file", str(isolated / "copia.toml"))
    assert run("list", "events", "-f", str(isolated / "copia.toml")).stdout == run("list", "events").stdout


def test_a_cell_longer_than_csv_s_own_limit_reads_back(run: Run, case_file: Path, isolated: Path) -> None:
    """Python's csv refuses cells over 128 KiB unless told: a long text (or a signed letter) must come back."""
    long_text = "Una declaración muy larga. " * 8000  # 216,000 characters
    run("add-signatory", "--name", "Fundar", "--lead")
    run("add-event", "--date", "2017-02-11", "--title", "Larga", "--description", "-", input=long_text)
    sheet = isolated / "caso.csv"
    run("export", "--format", "csv", "--output", str(sheet))
    run("import", str(sheet), "--file", str(isolated / "copia.toml"))
    assert (
        run("export", "--format", "json", "-f", str(isolated / "copia.toml")).stdout
        == run("export", "--format", "json").stdout
    )
    events = isolated / "eventos.csv"
    run("export", "--format", "csv", "--items", "events", "--output", str(events))
    run("init", "--title", "Otro", "--country", "MX", "-f", str(isolated / "otro.toml"))
    run("import", str(events), "--items", "events", "-f", str(isolated / "otro.toml"))
    assert long_text.strip() in (isolated / "otro.toml").read_text(encoding="utf-8")


def test_broken_sheets_are_refused_in_one_line(run: Run, case_file: Path, isolated: Path) -> None:
    sheet = isolated / "mala.csv"
    sheet.write_text("record,item,id,url\nsource,nowhere,,https://example.org\n", encoding="utf-8")
    result = run("import", str(sheet), "--file", str(isolated / "x.toml"), code=2)
    assert "row 2: a source row must follow the item it belongs to ('nowhere')" in result.stderr
    assert not (isolated / "x.toml").exists()


@settings(max_examples=40, deadline=None)
@given(cases())
def test_any_case_survives_the_sheet(case: Case) -> None:
    document = json.loads(dumps(case_document(case, includes_private=True, redacted=False)))
    assert document_from_csv(export_case_csv(document).encode("utf-8"), source="case.csv") == document
