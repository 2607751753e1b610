"""The letter: golden files, every section, footnotes, dates, escaping, determinism, templates."""

from __future__ import annotations

import dataclasses
import datetime
import re
import shutil
import stat
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from casefile.case.dates import parse_date
from casefile.case.demo import demo_case
from casefile.case.model import Case, Concern, ConcernCategory, Demand, Event, Signatory, SignatoryKind, Source
from casefile.letter.catalogue import catalogue
from casefile.letter.markdown import escape_text
from casefile.letter.render import LANGUAGES, draft_letter
from casefile.storage import cache
from casefile.storage.cache import folder_for as cache_folder
from casefile.storage.store import load
from tests.conftest import DATA, GOLDEN, Run

AS_OF = datetime.date(2018, 7, 16)


def fixture_case() -> Case:
    return load(DATA / "fixture.toml").case


def parse(markdown: str) -> list:  # type: ignore[type-arg]
    return MarkdownIt("commonmark").use(footnote_plugin).parse(markdown)


def html(markdown: str) -> str:
    return MarkdownIt("commonmark").use(footnote_plugin).render(markdown)


@pytest.mark.parametrize("language", LANGUAGES)
def test_golden_letter(language: str, update_golden: bool) -> None:
    text = draft_letter(fixture_case(), language=language, as_of=AS_OF)
    golden = GOLDEN / f"letter.{language}.md"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    def placeholders(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = catalogue("en")
    for language in LANGUAGES:
        messages = catalogue(language)
        assert set(messages) == set(english), language
        for key, text in english.items():
            assert placeholders(messages[key]) == placeholders(text), (language, key)


def test_sections_in_order() -> None:
    text = draft_letter(fixture_case(), language="en", as_of=AS_OF)
    markers = [
        "Korir Sing'Oei, Lead Co-Chair",
        "16 July 2018",
        "Via email",
        "**Subject: Letter of concern under the Policy on Upholding the Values and Principles of OGP, "
        "as articulated in the Open Government Declaration (Response Policy) – Mexico**",
        "The undersigned organisations and individuals respectfully ask",
        "## Who files this letter",
        "## Background",
        "## Concerns",
        "### 1. Illegal digital surveillance",
        "### 2. No answer",
        "### 3. Federal offices",
        "## Efforts made in Mexico",
        "## Effect on civil society's participation in OGP",
        "## What we ask the Steering Committee to do",
        "## Contact",
        "María Pérez",
        "## Signatories",
        "### Individuals",
        "Luis Hernández",
        "## Annex",
        "### A. Chronology of events and demands",
        "[^1]:",
    ]
    positions = [text.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_every_signatory_listed_organisations_first() -> None:
    case = fixture_case()
    text = draft_letter(case, language="en", as_of=AS_OF)
    section = text[text.index("## Signatories") : text.index("## Annex")]
    for signatory in case.signatories:
        assert f"**{signatory.name}**" in section
    assert section.index("Transparencia Mexicana") < section.index("Luis Hernández")


def test_footnotes_numbered_by_first_use_and_reused() -> None:
    text = draft_letter(fixture_case(), language="en", as_of=AS_OF)
    body = text[: text.index("## Annex")]
    first_uses = list(dict.fromkeys(int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", body)))
    assert first_uses == list(range(1, len(first_uses) + 1))
    definitions = re.findall(r"^\[\^(\d+)\]: ", text, flags=re.MULTILINE)
    assert definitions == [str(n) for n in range(1, len(definitions) + 1)]
    # La Silla Rota is cited by two events and keeps one number; the letter gives each source once.
    assert text.count("<http://lasillarota.com") == 1
    assert "Index of sources" not in text
    rendered = html(text)
    assert rendered.count('class="footnote-item"') == len(definitions)


def _cited(*urls: str, date: str = "2017-03-01", title: str = "Event") -> Event:
    return Event(
        id=f"{date}-{len(urls)}-{abs(hash(urls)) % 1000}",
        date=parse_date(date),
        title=title,
        sources=tuple(Source(url=url, title=f"Page {index}") for index, url in enumerate(urls, start=1)),
    )


def test_one_note_per_source_whatever_way_its_address_is_written() -> None:
    # Five citations of two reports (slash, fragment, case, default port) and one other source.
    events = (
        _cited("https://citizenlab.org/2017/02/bittersweet/", "https://Animalpolitico.com/espionaje"),
        _cited("HTTPS://CitizenLab.org:443/2017/02/bittersweet#findings", date="2017-04-02"),
        _cited("https://citizenlab.org/2017/02/bittersweet", "https://animalpolitico.com/espionaje/", date="2017-05"),
        _cited("http://r3d.mx/gobierno-espia", date="2017-06-19"),
    )
    case = dataclasses.replace(fixture_case(), events=events, concerns=(), demands=())
    for language in LANGUAGES:
        text = draft_letter(case, language=language, as_of=AS_OF)
        definitions = re.findall(r"^\[\^(\d+)\]: (.*)$", text, flags=re.MULTILINE)
        assert [number for number, _ in definitions] == ["1", "2", "3"]  # three distinct sources
        assert text.count("citizenlab.org") == 1 and "CitizenLab" not in text  # defined once
        assert "animalpolitico" in definitions[1][1].lower() and "r3d.mx" in definitions[2][1]
        body = text[: text.index("[^1]:")]
        # Every citation of the Citizen Lab report carries the same number.
        chronology = body[body.index("### A.") :]
        assert re.findall(r"\[\^(\d+)\]", chronology) == ["1", "2", "1", "1", "2", "3"]
        assert len(html(text).split('class="footnote-item"')) - 1 == 3


def test_a_shared_source_keeps_the_details_any_citation_gives() -> None:
    bare = Event(id="a", date=parse_date("2017-03-01"), title="A", sources=(Source(url="https://example.org/r/"),))
    full = Event(
        id="b",
        date=parse_date("2017-03-02"),
        title="B",
        sources=(Source(url="https://example.org/r", title="The report", archived_url="https://web.archive.org/r"),),
    )
    case = dataclasses.replace(fixture_case(), events=(bare, full), concerns=(), demands=())
    text = draft_letter(case, language="en", as_of=AS_OF)
    assert "[^1]: The report. <https://example.org/r/>. Archived copy: <https://web.archive.org/r>" in text
    assert "[^2]" not in text


def test_notes_are_numbered_by_concern_first_then_for_events_no_concern_cites() -> None:
    # Concern "b" is the case's first concern, so its later event is cited (and numbered) first; an
    # event with no concern is cited last, in the chronology, though it is the earliest; an event
    # citing one address twice shows one mark; a publisher of blanks is no publisher.
    concerns = (
        Concern(id="b", title="Second in time", category=ConcernCategory.CIVIC_SPACE),
        Concern(id="a", title="First in time", category=ConcernCategory.CIVIC_SPACE),
    )
    events = (
        Event(
            id="e1", date=parse_date("2017-01-05"), title="Early, no concern", sources=(Source(url="https://x.org/e1"),)
        ),
        Event(
            id="e2",
            date=parse_date("2017-02-05"),
            title="Concern a",
            concerns=("a",),
            sources=(Source(url="https://x.org/e2", title="Two"), Source(url="HTTPS://X.org/e2/", title="Two")),
        ),
        Event(
            id="e3",
            date=parse_date("2017-03-05"),
            title="Concern b",
            concerns=("b",),
            sources=(Source(url="https://x.org/e3", title="Three", publisher=" \n "),),
        ),
    )
    case = dataclasses.replace(fixture_case(), events=events, concerns=concerns, demands=())
    text = draft_letter(case, language="en", as_of=AS_OF)
    assert "**5 March 2017**: Concern b[^1]" in text
    assert "**5 February 2017**: Concern a[^2]\n" in text
    assert "**5 January 2017**: Early, no concern[^3]" in text
    assert re.findall(r"^\[\^(\d+)\]: (.*)$", text, flags=re.MULTILINE) == [
        ("1", "Three. <https://x.org/e3>"),
        ("2", "Two. <https://x.org/e2>"),
        ("3", "<https://x.org/e1>"),
    ]


def test_unanswered_and_overdue_demands_count_days() -> None:
    text = draft_letter(fixture_case(), language="en", as_of=AS_OF)
    assert "No response has been received: 515 days have passed as of 16 July 2018." in text
    assert "although one was requested by 20 May 2017: 452 days have passed as of 16 July 2018." in text
    assert "gave a partial answer on 2 May 2017. In substance: INAI said it would look into the matter." in text
    assert "refused the request on 10 May 2017." in text


def test_a_demand_sent_at_an_open_ended_date_is_given_no_count_of_days() -> None:
    # Sent on 1 July 2018 or any day after: "15 days have passed" would be a guess.
    demand = Demand(id="d", date=parse_date("2018-07-01/.."), to="SFP", subject="Investigate")
    case = dataclasses.replace(fixture_case(), demands=(demand,))
    assert "No response has been received as of 16 July 2018." in draft_letter(case, language="en", as_of=AS_OF)


@pytest.mark.parametrize(
    ("date", "language", "written"),
    [
        ("2017-02", "en", "February 2017"),
        ("2016~", "en", "Around 2016"),  # a list item starts with a capital
        ("2017-02-11", "es", "11 de febrero de 2017"),
        ("2017-02-11", "fr", "11 février 2017"),
        ("2016-05/..", "en", "Since May 2016"),
        ("2017-02~", "es", "Hacia febrero de 2017"),
        ("2017-02~", "fr", "Vers février 2017"),
        ("2016/2017-04", "fr", "De 2016 à avril 2017"),
    ],
)
def test_partial_dates_written_out(date: str, language: str, written: str) -> None:
    case = dataclasses.replace(
        fixture_case(),
        events=(Event(id="e", date=parse_date(date), title="Something", sources=(Source(url="https://x.example"),)),),
        concerns=(),
    )
    assert f"**{written}**" in draft_letter(case, language=language, as_of=AS_OF)


HOSTILE = [
    "# Not a heading",
    "see [^1] and [link](http://evil.example)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "---",
    "1. not a list",
    "> not a quote",
    "| a | b |",
    "**not bold** _not em_ `not code`",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_user_text_cannot_break_the_structure(hostile: str) -> None:
    base = fixture_case()
    event = Event(
        id="2017-01-01-hostile",
        date=parse_date("2017-01-01"),
        title=hostile,
        description=f"{hostile}\n{hostile}\n\n{hostile}",
        actors=(hostile,),
        concerns=("illegal-surveillance-health-advocates",),
        sources=(Source(url="https://example.org/a", title=hostile, publisher=hostile),),
    )
    concern = dataclasses.replace(base.concerns[0], summary=hostile, title=hostile, breaches=(hostile,))
    signatory = Signatory(id="hostile", name=hostile, country=hostile, representative=hostile)
    case = dataclasses.replace(
        base,
        events=(*base.events, event),
        concerns=(concern, *base.concerns[1:]),
        signatories=(*base.signatories, signatory),
        request=hostile,
        country=hostile,
    )
    text = draft_letter(case, language="en", as_of=AS_OF)
    baseline = draft_letter(
        dataclasses.replace(case, events=base.events, concerns=base.concerns), language="en", as_of=AS_OF
    )
    tokens = [token.type for token in parse(text) if token.type.endswith("_open")]
    reference = [token.type for token in parse(baseline) if token.type.endswith("_open")]
    # The hostile event adds list items, paragraphs and a footnote, never new kinds of block.
    assert set(tokens) <= set(reference) | {"footnote_open"}
    assert tokens.count("heading_open") == reference.count("heading_open")
    rendered = html(text)
    assert "<script>" not in rendered and "<img" not in rendered
    assert '<a href="http://evil.example"' not in rendered
    plain = re.sub(r"<[^>]+>", "", rendered)
    for fragment in ("Not a heading", "not a list", "alert(1)"):
        if fragment in hostile:
            assert fragment in plain


def test_letter_is_deterministic(run: Run, tmp_path: Path) -> None:
    shutil.copy(DATA / "fixture.toml", tmp_path / "case.toml")
    first = run("draft-complaint", "-f", str(tmp_path / "case.toml"), "--as-of", "2018-07-16").stdout
    second = run("draft-complaint", "-f", str(tmp_path / "case.toml"), "--as-of", "2018-07-16").stdout
    assert first == second
    assert first == (GOLDEN / "letter.en.md").read_text(encoding="utf-8")


def test_draft_complaint_output_and_language(run: Run, tmp_path: Path) -> None:
    shutil.copy(DATA / "fixture.toml", tmp_path / "case.toml")
    result = run(
        "draft-complaint",
        "-f",
        str(tmp_path / "case.toml"),
        "--as-of",
        "2018-07-16",
        "--language",
        "fr",
        "--output",
        str(tmp_path / "letter.md"),
    )
    assert result.stdout == ""
    assert "verify against the current Response Policy procedures" in result.stderr
    assert (tmp_path / "letter.md").read_text(encoding="utf-8") == (GOLDEN / "letter.fr.md").read_text(encoding="utf-8")


def test_case_without_concerns_gets_one_per_tag() -> None:
    case = dataclasses.replace(fixture_case(), concerns=())
    case = dataclasses.replace(case, events=tuple(dataclasses.replace(event, concerns=()) for event in case.events))
    text = draft_letter(case, language="en", as_of=AS_OF)
    titles = re.findall(r"^### (\d+\. .*)$", text, flags=re.MULTILINE)
    assert titles[:3] == [
        "1. Facts recorded under “co-creation”",
        "2. Facts recorded under “surveillance”",
        "3. Facts recorded under “participation”",
    ]


def test_template_override_by_option_and_by_folder(run: Run, tmp_path: Path) -> None:
    shutil.copy(DATA / "fixture.toml", tmp_path / "case.toml")
    exported = run("template", "export", str(tmp_path / "mine")).stdout.split()
    assert {Path(path).name for path in exported} == {
        "letter.md.j2",
        "letter.en.md.j2",
        "letter.es.md.j2",
        "letter.fr.md.j2",
        "reminder.md.j2",
    }
    # Owner-only, as every file casefile writes: a coalition's wording may name people.
    assert stat.S_IMODE((tmp_path / "mine").stat().st_mode) == 0o700
    assert {stat.S_IMODE(Path(path).stat().st_mode) for path in exported} == {0o600}
    custom = tmp_path / "mine" / "letter.en.md.j2"
    custom.write_text('{% extends "letter.md.j2" %}{% block subject %}**Custom subject**\n\n{% endblock %}')
    text = run(
        "draft-complaint", "-f", str(tmp_path / "case.toml"), "--as-of", "2018-07-16", "--template", str(custom)
    ).stdout
    assert "**Custom subject**" in text and "## Background" in text
    # A templates/ folder beside the case file is used once it is trusted.
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "letter.en.md.j2").write_text("Only {{ country }}\n")
    run("template", "trust", str(tmp_path / "templates"))
    assert run("draft-complaint", "-f", str(tmp_path / "case.toml")).stdout == "Only Mexico\n"
    # Templates are compiled once and kept in the cache folder; an edit, trusted again, takes effect.
    assert list((isolated_cache() / "templates").iterdir())
    (tmp_path / "templates" / "letter.en.md.j2").write_text("Now {{ country }}\n")
    run("template", "trust", str(tmp_path / "templates"))
    assert run("draft-complaint", "-f", str(tmp_path / "case.toml")).stdout == "Now Mexico\n"
    # Exporting again into the same folder refuses to overwrite edits.
    assert "already exists" in run("template", "export", str(tmp_path / "mine"), code=2).stderr


def isolated_cache() -> Path:
    from casefile.storage.cache import cache_root

    return cache_root()


def test_broken_template_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    shutil.copy(DATA / "fixture.toml", tmp_path / "case.toml")
    (tmp_path / "bad.md.j2").write_text("{{ letter.nothing_here }}\n")
    result = run(
        "draft-complaint", "-f", str(tmp_path / "case.toml"), "--template", str(tmp_path / "bad.md.j2"), code=2
    )
    assert "template" in result.stderr and "Traceback" not in result.stderr
    result = run("draft-complaint", "-f", str(tmp_path / "case.toml"), "--template", str(tmp_path / "none.j2"), code=2)
    assert "no template" in result.stderr


def test_demo_writes_case_check_and_letter(run: Run, isolated: Path) -> None:
    result = run("demo", "--as-of", "2018-07-16")
    folder = isolated / "casefile-demo"
    assert (folder / "casefile.toml").is_file()
    assert "error" not in (folder / "check.txt").read_text()
    letter = (folder / "letter.en.md").read_text(encoding="utf-8")
    assert letter == draft_letter(demo_case(), language="en", as_of=AS_OF)
    assert "Transparencia Mexicana" in letter and "16 February 2017" in letter
    for name in ("casefile.toml", "check.txt", "letter.en.md"):
        assert name in result.stderr
    assert "already exists" in run("demo", code=2).stderr


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("C.UTF-8", ["findings)", "(dated 16 July 2018)"]),
        ("es_MX.UTF-8", ["observaciones)", "(fechadas el 16 de julio de 2018)"]),
        ("fr_FR.UTF-8", ["constats)", "(datées du 16 juillet 2018)"]),
    ],
)
def test_demo_says_its_counts_and_day_in_the_users_words(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, locale: str, said: list[str]
) -> None:
    """It said "4 observación(es)" and "fechadas el 2018-07-16"."""
    monkeypatch.setenv("LANG", locale)
    told = run("demo", "--as-of", "2018-07-16").stderr
    assert all(words in told for words in said), told
    assert "(s)" not in told and "(es)" not in told and "2018-07-16" not in told


@pytest.mark.parametrize("name", ["letter.en.md", "letter.fr.md", "check.txt"])
def test_demo_never_writes_over_a_file_of_the_folder(run: Run, isolated: Path, name: str) -> None:
    """`casefile demo .` where a coalition keeps its own letter (its case in the folder above) wrote over it."""
    (isolated / name).write_text("Our own letter, months of work.\n", encoding="utf-8")
    (line,) = run("demo", ".", code=2).stderr.splitlines()
    assert line.startswith("casefile: error: ") and name in line and "casefile demo" in line
    assert sorted(path.name for path in isolated.iterdir()) == [name]
    assert (isolated / name).read_text(encoding="utf-8") == "Our own letter, months of work.\n"


def test_demo_letter_is_dated_the_day_the_real_one_was_filed(run: Run, isolated: Path) -> None:
    run("demo")  # no --as-of: the figures are those of 16 July 2018, whatever the day today
    folder = isolated / "casefile-demo"
    letter = (folder / "letter.en.md").read_text(encoding="utf-8")
    assert "16 July 2018  " in letter.split("\n\n")[1]  # the date above the subject
    assert "No response has been received: 515 days have passed as of 16 July 2018." in letter
    assert "error" not in (folder / "check.txt").read_text()
    assert demo_case().letter_date is not None and demo_case().letter_date.text == "2018-07-16"
    assert run("draft-complaint", "-f", str(folder / "casefile.toml")).stdout == letter


def test_demo_letter_passes_check_in_every_language(run: Run, isolated: Path) -> None:
    run("demo")
    folder = isolated / "casefile-demo"
    case_file = str(folder / "casefile.toml")
    for language in LANGUAGES:
        result = run("check", "--language", language, "-f", case_file)  # exit status 0: no error
        assert "0 errors, 0 warnings. Ready to draft." in result.stderr, (language, result.stdout)
        letter = (folder / f"letter.{language}.md").read_text(encoding="utf-8")
        assert letter == run("draft-complaint", "--language", language, "-f", case_file).stdout
    spanish = (folder / "letter.es.md").read_text(encoding="utf-8")
    french = (folder / "letter.fr.md").read_text(encoding="utf-8")
    # The case's texts are in the letter's language: none of the English originals is left.
    for case_text in (*(event.title for event in demo_case().events), demo_case().request):
        assert case_text not in spanish and case_text not in french
    assert "Las diez organizaciones del núcleo abandonan el Secretariado Técnico Tripartito" in spanish
    assert "Les dix organisations du noyau quittent le Secrétariat technique tripartite" in french
    assert "han transcurrido 515 días" in spanish and "515 jours" in french


def test_individual_only_signatories_have_no_representative_line() -> None:
    case = dataclasses.replace(
        fixture_case(),
        signatories=(Signatory(id="x", name="Ana", kind=SignatoryKind.INDIVIDUAL),),
        demands=(),
    )
    text = draft_letter(case, language="es", as_of=AS_OF)
    assert "Presenta esta carta Ana." in text
    assert "### Personas a título individual" in text


def test_concern_other_category_text() -> None:
    concern = Concern(id="c", title="T", category=ConcernCategory.OTHER, category_other="co-creation")
    case = dataclasses.replace(fixture_case(), concerns=(concern,), events=())
    # One colon a line: the concern's own words follow "other" in brackets, not after a second colon.
    assert "Catégorie\u00a0: autre (co-creation)." in draft_letter(case, language="fr", as_of=AS_OF)
    assert "Category: other (co-creation)." in draft_letter(case, language="en", as_of=AS_OF)
    assert "Categoría: otra (co-creation)." in draft_letter(case, language="es", as_of=AS_OF)


@given(
    st.text(st.sampled_from("ab é\t\n\r\u2028\x85-+=:%>1.)"), max_size=40)
    | st.text(st.sampled_from(string.printable + "\u2028\x85é"), max_size=40)
)
def test_escape_text_fast_paths_agree_with_escaping_line_by_line(text: str) -> None:
    from casefile.letter.markdown import _escape_line

    assert escape_text(text) == " ".join(_escape_line(line) for line in text.splitlines() if line.strip())


_HOSTILE_TEXT = st.text(st.sampled_from("ab é\t\n\r \u2028\x85\x1c\x1f\xa0-+=:%>1٣.)#*\\\x00\x01"), max_size=30)


@given(st.lists(_HOSTILE_TEXT | st.text(max_size=30), max_size=8))
def test_escaping_many_texts_at_once_escapes_each_as_alone(texts: list[str]) -> None:
    from casefile.letter.markdown import escape_texts

    assert escape_texts(texts) == [escape_text(text) for text in texts]
    many = texts * 100  # escaped a few hundred at a time
    assert escape_texts(many) == [escape_text(text) for text in many]


@pytest.mark.parametrize("damage", ["a file in the way", "damaged", "header only"])
def test_a_broken_template_cache_never_stops_a_letter(run: Run, tmp_path: Path, damage: str) -> None:
    shutil.copy(DATA / "fixture.toml", tmp_path / "case.toml")
    draft = ("draft-complaint", "-f", str(tmp_path / "case.toml"), "--as-of", "2018-07-16")
    expected = run(*draft).stdout
    compiled = isolated_cache() / "templates"
    if damage == "a file in the way":
        shutil.rmtree(compiled)
        compiled.write_text("not a folder")
    else:
        from jinja2.bccache import bc_magic

        for path in compiled.iterdir():
            header = path.read_bytes()[: len(bc_magic)]
            path.write_bytes(header + (b"" if damage == "header only" else b"\x80\x04garbage"))
    assert run(*draft).stdout == expected


def test_list_helpers_accept_what_jinja_filters_give(run: Run, tmp_path: Path) -> None:
    shutil.copy(DATA / "fixture.toml", tmp_path / "case.toml")
    template = tmp_path / "mine.md.j2"
    template.write_text(
        '{{ sources_index(letter.footnotes | selectattr("number")) }}\n'
        '{{ footnote_definitions(letter.footnotes | selectattr("number")) }}\n'
    )
    text = run("draft-complaint", "-f", str(tmp_path / "case.toml"), "--template", str(template)).stdout
    assert text.startswith("1. ") and "[^1]: " in text


def test_draft_complaint_keeps_the_letter_and_it_follows_edits(run: Run, tmp_path: Path) -> None:
    case_file = tmp_path / "case.toml"
    shutil.copy(DATA / "fixture.toml", case_file)
    draft = ("draft-complaint", "-f", str(case_file), "--as-of", "2018-07-16")
    first = run(*draft).stdout
    assert (cache_folder(case_file) / "derived-draft-complaint").is_file()
    assert run(*draft).stdout == first  # read back
    run("add-event", "-f", str(case_file), "--date", "2017-03-01", "--title", "Inserted *between* events")
    text = run(*draft).stdout
    assert "Inserted \\*between\\* events" in text
    run("edit", "-f", str(case_file), _event_id(run, case_file), "--title", "Renamed")
    assert "Renamed" in run(*draft).stdout and "Inserted" not in run(*draft).stdout


@pytest.mark.parametrize("damage", [7, [b"x"], [b"x", 5], ["text", "sha256:x"], "garbage"])
def test_a_kept_letter_of_the_wrong_shape_is_not_used(run: Run, tmp_path: Path, damage: object) -> None:
    case_file = tmp_path / "case.toml"
    shutil.copy(DATA / "fixture.toml", case_file)
    draft = ("draft-complaint", "-f", str(case_file), "--as-of", "2018-07-16")
    expected = run(*draft)
    digest = cache.sha256(case_file.read_bytes()).digest()
    folder = cache_folder(case_file)
    key = cache.read_entry(folder, "derived-draft-complaint", digest)[0]
    # Verified as the cache's own (right hashes): only the shape check can refuse it.
    cache.write_entry(folder, "derived-draft-complaint", digest, [key, damage])
    again = run(*draft)
    assert (again.stdout, again.stderr) == (expected.stdout, expected.stderr)


def _event_id(run: Run, case_file: Path) -> str:
    listing = run("list", "events", "-f", str(case_file)).stdout
    return next(line.split("\t")[0] for line in listing.splitlines() if "Inserted" in line)


_ADDRESSES = st.lists(
    st.sampled_from(
        [
            "https://a.org/x",
            "https://a.org/x/",
            "HTTPS://A.org:443/x#p2",
            "",
            "https://a.org/x\nhttps://b.org",
            "https://b.org/y?q=1",
            "http://[::1]:80/x",
            "notaurl",
            "https://a.org/x\n",
            "https://a.org/x b",
            "ftp://x.org/y",
            "javascript:alert(1)",
            'https://e.org/a"b',
            "FTP://X.ORG/é",
            "https://x.org/\u2028",
            "http://",
        ]
    )
    | st.text(st.sampled_from("htps:/.aZ\\<> \n#?"), max_size=12),
    max_size=600,
)


@given(_ADDRESSES)
def test_addresses_checked_together_are_checked_as_alone(urls: list[str]) -> None:
    from casefile.letter.letter import _keys, note_key
    from casefile.letter.markdown import SAFE_URL, SAFE_URLS, each_matches

    sources = [Source(url=url, title="T", publisher="P") for url in urls]
    keys = [note_key(source) for source in sources]
    assert _keys(sources) == (keys, len(set(keys)) == len(keys))
    safe = each_matches(SAFE_URLS, urls)
    assert safe is None or safe == [bool(SAFE_URL.match(url)) for url in urls]
    assert safe is not None or any("\n" in url for url in urls)
