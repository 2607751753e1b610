"""`casefile import`: a whole case from JSON (round trip), new items from spreadsheet CSV."""

from __future__ import annotations

import dataclasses
import json
import shutil
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.case.dates import EdtfDate, parse_date
from casefile.case.model import Case, Concern, Demand, Event, Signatory
from casefile.errors import CaseFileInvalid, ImportRejected
from casefile.exchange.csvformat import Items, import_rows, read_rows
from casefile.exchange.jsonformat import export_json, import_json
from casefile.storage.store import load
from casefile.storage.tomltext import dumps
from casefile.workflow.privacy import public_case
from tests.conftest import DATA, Run

# Generated cases ------------------------------------------------------------------------------

DATES = st.sampled_from(
    ["2017", "2017-02", "2017-02-11", "2016~", "2017-02-11?", "2017%", "2016-05/2017-02", "2016/..", "../2017-03"]
).map(parse_date)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
EXTRA = st.dictionaries(st.from_regex(r"x_[a-z]{1,6}", fullmatch=True), TEXT, max_size=1)


def strategy(hint: Any) -> st.SearchStrategy[Any]:
    """Any value of a model type, from its type hints (so new fields are covered too)."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return st.none() | strategy(inner)
    if origin is tuple:
        return st.lists(strategy(typing.get_args(hint)[0]), max_size=2).map(tuple)
    if hint is EdtfDate:
        return DATES
    if isinstance(hint, type) and issubclass(hint, Enum):
        return st.sampled_from(list(hint))
    if hint is str:
        return TEXT
    if hint is bool:
        return st.booleans()
    if hint is int:
        return st.integers(min_value=0, max_value=2**40)
    assert dataclasses.is_dataclass(hint) and isinstance(hint, type), hint
    hints = typing.get_type_hints(hint)
    fields = {
        field.name: (EXTRA if field.name == "extra" else strategy(hints[field.name]))
        for field in dataclasses.fields(hint)
        if field.name not in ("id", "concerns", "by")
    }
    return st.fixed_dictionaries(fields).map(lambda values: ("item", hint, values))


def _with_articles(draw: st.DrawFn, signatory: Signatory, language: str) -> Signatory:
    """``signatory`` with articles its name may take, in the case's language and each translation's."""
    from casefile.case.kinds import SIGNATORY_ARTICLES

    def article(code: str) -> str:
        return draw(st.sampled_from(["", *SIGNATORY_ARTICLES[code]]))

    translations = signatory.translations
    if translations is not None:
        given = {code: getattr(translations, code) for code in SIGNATORY_ARTICLES}
        texts = {code: dataclasses.replace(text, article=article(code)) for code, text in given.items() if text}
        translations = dataclasses.replace(translations, **texts)
    return dataclasses.replace(signatory, article=article(language), translations=translations)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A valid case: unique ids, and every reference names an item that exists."""
    hints = typing.get_type_hints(Case)

    def build(value: Any) -> Any:
        if isinstance(value, tuple) and len(value) == 3 and value[0] == "item":
            _, cls, fields = value
            return cls(**{name: build(field) for name, field in fields.items()})
        if isinstance(value, tuple):
            return tuple(build(item) for item in value)
        return value

    def items(cls: type, prefix: str, **links: list[str]) -> tuple[Any, ...]:
        drawn = draw(st.lists(strategy(cls), max_size=3))
        made = []
        for index, (_, _, fields) in enumerate(drawn):
            extra = {
                name: tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)))
                for name, ids in links.items()
                if ids
            }
            made.append(cls(id=f"{prefix}-{index}", **{n: build(f) for n, f in fields.items()}, **extra))
        return tuple(made)

    signatories = items(Signatory, "s")
    concerns = items(Concern, "c")
    events = items(Event, "e", concerns=[c.id for c in concerns])
    demands = items(Demand, "d", by=[s.id for s in signatories])
    header = {
        field.name: build(draw(strategy(hints[field.name])))
        for field in dataclasses.fields(Case)
        if field.name not in ("events", "demands", "signatories", "concerns", "extra", "title", "country")
    }
    signatories = tuple(_with_articles(draw, each, header["language"].value) for each in signatories)
    case_extra = draw(EXTRA)
    top_extra = draw(EXTRA)
    extra = {**top_extra, **({"case": case_extra} if case_extra else {})}
    return Case(
        title=draw(TEXT),
        country=draw(TEXT),
        events=events,
        demands=demands,
        signatories=signatories,
        concerns=concerns,
        extra=extra,
        **header,
    )


@settings(max_examples=60, deadline=None)
@given(case=cases(), include_private=st.booleans(), redact=st.booleans())
def test_json_export_import_export_is_the_same(case: Case, include_private: bool, redact: bool) -> None:
    def exported(value: Case) -> str:
        public = public_case(value, include_private=include_private, redact=redact)
        return export_json(public, includes_private=include_private, redacted=redact)

    first = exported(case)
    imported = import_json(first.encode("utf-8"), source="case.json")
    assert (imported.includes_private, imported.redacted) == (include_private, redact)
    assert exported(imported.case) == first
    if include_private and not redact:
        assert dumps(imported.case) == dumps(case)  # nothing lost: the same case file


# JSON import from the command line ------------------------------------------------------------


@pytest.fixture
def fixture_file(isolated: Path) -> Path:
    path = isolated / "casefile.toml"
    shutil.copy(DATA / "fixture.toml", path)
    return path


def test_json_import_creates_a_new_case_with_the_same_ids(run: Run, fixture_file: Path, isolated: Path) -> None:
    run("export", "--format", "json", "--include-private", "-o", "case.json")
    result = run("import", "case.json", "--file", "restored.toml")
    assert "Created restored.toml from case.json: 5 events, 4 demands, 11 signatories, 3 concerns." in result.stderr
    assert "without private data" not in result.stderr
    restored = load(isolated / "restored.toml").case
    assert dumps(restored) == dumps(load(fixture_file).case)
    assert (isolated / "restored.toml").stat().st_mode & 0o077 == 0
    again = run("export", "--format", "json", "--include-private", "-f", "restored.toml").stdout
    assert again == (isolated / "case.json").read_text(encoding="utf-8")


def test_json_import_refuses_an_existing_case_unless_replace(run: Run, fixture_file: Path, isolated: Path) -> None:
    run("export", "--format", "json", "-o", "case.json")
    before = fixture_file.read_bytes()
    refused = run("import", "case.json", code=2)
    assert refused.stderr.startswith("casefile: error: ") and "--replace" in refused.stderr
    assert fixture_file.read_bytes() == before
    assert "Nothing was written" in run("import", "case.json", "--replace", "--dry-run").stderr
    assert fixture_file.read_bytes() == before
    replaced = run("import", "case.json", "--replace")
    assert "Replaced" in replaced.stderr and "exported without private data" in replaced.stderr
    assert (isolated / "casefile.toml.bak").read_bytes() == before  # the old case is kept
    assert "contacto@fundar.example.org" in fixture_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
        ('{"events": []}', 'is not a casefile JSON export: it needs "format": "casefile-case"'),
        ('{"format": "casefile-case", "version": 2}', "newer casefile (JSON format version 2"),
        ('{"format": "casefile-case", "version": "1"}', '"version" should be a whole number'),
    ],
)
def test_json_import_rejects_what_it_cannot_read(run: Run, isolated: Path, content: str, message: str) -> None:
    (isolated / "case.json").write_text(content, encoding="utf-8")
    result = run("import", "case.json", "--file", "new.toml", code=2)
    assert message in result.stderr
    assert not (isolated / "new.toml").exists()


def test_half_a_surrogate_pair_is_refused_in_json_and_in_a_sheet_s_json_cells(
    run: Run, fixture_file: Path, isolated: Path
) -> None:
    """JSON may escape half a UTF-16 pair (\\ud800): no character, and no UTF-8 file can hold it."""
    text = run("export", "--format", "json").stdout
    (isolated / "half.json").write_text(text.replace('"title": "', '"title": "\\ud83d ', 1), encoding="utf-8")
    result = run("import", "half.json", "--file", "new.toml", code=2)
    assert result.stderr.count("\n") == 1 and "half.json: a text holds \\ud83d" in result.stderr
    # A whole pair (an emoji) is a character, and comes back.
    (isolated / "pair.json").write_text(text.replace('"title": "', '"title": "\\ud83d\\ude00 ', 1), encoding="utf-8")
    run("import", "pair.json", "--file", "pair.toml")
    assert "\U0001f600" in (isolated / "pair.toml").read_text(encoding="utf-8")
    sheet = isolated / "half.csv"
    run("export", "--format", "csv", "--output", str(sheet))
    header, rows = sheet.read_bytes().decode("utf-8").split("\r\n", 1)
    other = ["other", "colour", *([""] * (header.count(",") - 1)), '"""\\udc00"""']  # a new last column, value
    sheet.write_text(f"{header},value\r\n{rows}{','.join(other)}\r\n", encoding="utf-8")
    result = run("import", str(sheet), "--file", "sheet.toml", code=2)
    assert "a text holds \\udc00" in result.stderr and "Traceback" not in result.stderr
    assert not (isolated / "new.toml").exists() and not (isolated / "sheet.toml").exists()


def test_json_import_reports_every_bad_value_with_its_place(fixture_file: Path) -> None:
    document = json.loads(export_json(public_case(load(fixture_file).case), includes_private=False, redacted=False))
    document["events"][1]["date"] = "2017-02-30"
    document["demands"][0]["by"] = ["nobody"]
    document["case"]["title"] = None
    with pytest.raises(CaseFileInvalid) as caught:
        import_json(json.dumps(document), source="case.json")
    message = str(caught.value)
    assert "case.json: events[2].date: " in message and "February 2017 has no day 30" in message
    assert "case.json: demands[1].by: no signatory has the id 'nobody'" in message
    assert "case.json: case.title: is missing" in message


def test_import_needs_json_or_items(run: Run, case_file: Path, isolated: Path) -> None:
    (isolated / "rows.csv").write_text("date,title\n2017,x\n", encoding="utf-8")
    result = run("import", "rows.csv", code=2)
    assert "rows.csv is not a whole-case sheet" in result.stderr
    (isolated / "rows.txt").write_text("date,title\n2017,x\n", encoding="utf-8")
    assert "with --items events|demands|signatories" in run("import", "rows.txt", code=2).stderr
    assert "missing.json: no such file" in run("import", "missing.json", code=2).stderr


# CSV import ---------------------------------------------------------------------------------

SPREADSHEET = (
    "\ufeffDate;Title;Description;Sources;Tags;Concerns;Private notes\r\n"
    '2017-02-11;Citizen Lab report;"Spyware; against ""advocates""";'
    "https://citizenlab.org/a https://example.org/b;surveillance;illegal;from a source\r\n"
    "2017-02-30;A typo in the date;;;;;\r\n"
    '2017-05;\'=Formula-looking title;"Two\nlines";https://example.org/c;"a; b";;\r\n'
    ";;;;;;\r\n"
)


def test_csv_import_spreadsheet_with_bom_semicolons_and_a_bad_row(run: Run, case_file: Path, isolated: Path) -> None:
    run("add-concern", "--title", "Illegal surveillance", "--category", "fundamental-freedoms")
    (isolated / "events.csv").write_bytes(SPREADSHEET.encode("utf-8"))
    before = case_file.read_bytes()

    refused = run("import", "events.csv", "--items", "events", code=2)
    lines = refused.stderr.splitlines()
    assert lines[0].startswith('casefile: error: events.csv: row 3: "2017-02-30" is not a date casefile understands')
    assert lines[-1].startswith("casefile: error: nothing was imported: 1 row cannot be. Fix it,")
    assert len(lines) == 2 and refused.stdout == ""
    assert case_file.read_bytes() == before

    dry = run("import", "events.csv", "--items", "events", "--dry-run", "--skip-invalid")
    assert dry.stdout.splitlines() == ["2017-02-11-citizen-lab-report", "2017-05-formula-looking-title"]
    assert "Would import 2 events" in dry.stderr and "row 3" in dry.stderr
    assert case_file.read_bytes() == before

    done = run("import", "events.csv", "--items", "events", "--skip-invalid")
    assert done.stdout == dry.stdout
    assert "casefile: warning: events.csv: row 3: " in done.stderr
    case = load(case_file).case
    first, second = sorted(case.events, key=lambda event: event.date.sort_key())
    assert first.description == 'Spyware; against "advocates"'
    assert [source.url for source in first.sources] == ["https://citizenlab.org/a", "https://example.org/b"]
    assert first.concerns == ("illegal-surveillance",)  # a prefix, resolved as add-event does
    assert first.private_notes == "from a source"
    assert second.title == "=Formula-looking title"  # the spreadsheet's ' protection removed
    assert second.description == "Two\nlines" and second.tags == ("a", "b")


def test_csv_import_ids_follow_the_add_rules(run: Run, case_file: Path, isolated: Path) -> None:
    run("add-event", "--date", "2017-02-11", "--title", "Citizen Lab report")
    (isolated / "e.csv").write_text(
        "date,title\n2017-02-11,Citizen Lab report\n2017-02-11,Citizen Lab report\n", encoding="utf-8"
    )
    result = run("import", "e.csv", "--items", "events")
    assert result.stdout.splitlines() == ["2017-02-11-citizen-lab-report-2", "2017-02-11-citizen-lab-report-3"]


def test_csv_rows_the_case_already_has_are_left_out(run: Run, isolated: Path) -> None:
    shutil.copy(DATA / "fixture.toml", isolated / "casefile.toml")
    exported = run("export", "--format", "csv", "--items", "demands").stdout
    added = exported + '"",2018-01-10,Ministry of Interior,"a meeting",,,email,fund\r\n'
    (isolated / "demands.csv").write_text(added, encoding="utf-8")
    result = run("import", "demands.csv", "--items", "demands")
    assert result.stdout == "2018-01-10-meeting\n"
    assert "4 rows give ids the case already has among its demands (rows 2, 3, 4, 5): left out." in result.stderr
    demand = next(d for d in load(isolated / "casefile.toml").case.demands if d.id == "2018-01-10-meeting")
    assert demand.by == ("fundar",) and demand.channel == "email"


def test_csv_signatories_round_trip_into_a_new_case(run: Run, isolated: Path) -> None:
    shutil.copy(DATA / "fixture.toml", isolated / "casefile.toml")
    run("export", "--format", "csv", "--items", "signatories", "--include-private", "-o", "signatories.csv")
    run("init", "--title", "Copy", "--country", "Mexico", "-f", "copy.toml")
    result = run("import", "signatories.csv", "--items", "signatories", "-f", "copy.toml")
    original = load(isolated / "casefile.toml").case.signatories
    assert result.stdout.split() == [signatory.id for signatory in original]
    assert load(isolated / "copy.toml").case.signatories == original


def test_csv_import_validates_like_add(case_file: Path) -> None:
    data = (
        "name,kind,role,Short Name\nFundar,cso,lead,\n,cso,,\nAna Ruiz,person,,\nArtículo 19,NETWORK,Signatory,A19\n"
    ).encode()
    rows = read_rows(data, Items.SIGNATORIES, source="s.csv")
    result = import_rows(load(case_file).case, rows, Items.SIGNATORIES)
    assert [str(problem) for problem in result.problems] == [
        "row 3: The name cannot be empty.",
        "row 4: kind 'person' is not one of: cso, network, individual, sc-member, multilateral.",
    ]
    assert [item.id for item in result.added] == ["fundar", "a19"]
    demands = read_rows(
        b"date,to,subject,by,deadline\n2017,SFP,x,nobody,\n2017,SFP,y,,2017-13\n", Items.DEMANDS, source="d"
    )
    problems = import_rows(result.case, demands, Items.DEMANDS).problems
    assert "no signatory" in problems[0].reason and "nobody" in problems[0].reason
    assert "no month 13" in problems[1].reason
    people = read_rows(b"date,title,affected\n2017,x,:a role\n", Items.EVENTS, source="e")
    assert "has no name" in import_rows(result.case, people, Items.EVENTS).problems[0].reason


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"date,title,colour\n2017,x,red\n", "unknown column for events: colour. The columns are: id, date, title"),
        (b"title\nx\n", "events need the column: date"),
        (b"date,title,Title\n2017,x,y\n", "column given twice: title"),
        (b"", "has no header row"),
        (b"date,title\n2017,Caf\xe9\n", "line 2 (byte 20): not UTF-8 text"),
    ],
)
def test_csv_files_that_cannot_be_read(data: bytes, message: str) -> None:
    with pytest.raises(ImportRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_rows(data, Items.EVENTS, source="e.csv")


def test_csv_tab_separated_and_extra_cells(case_file: Path) -> None:
    rows = read_rows(b"date\ttitle\n2017\tA, with comma\n2018\tB\tunexpected\n", Items.EVENTS, source="e.tsv")
    result = import_rows(load(case_file).case, rows, Items.EVENTS)
    assert [item.title for item in result.added] == ["A, with comma"]
    assert [str(problem) for problem in result.problems] == ["row 3: has 3 cells but the header has 2 columns"]
