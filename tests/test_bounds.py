"""The letter's date bounds its facts: later events, demands, responses and reminders are left out."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from pathlib import Path

from casefile.case.bounds import Side, letter_facts, side_of
from casefile.case.dates import parse_date
from casefile.case.model import Case, Demand, Event, Reminder, Response, ResponseStatus, Source
from casefile.letter.checks import check
from casefile.letter.render import draft_letter
from casefile.storage.store import load
from tests.conftest import DATA, Run

LETTER_DAY = datetime.date(2020, 3, 10)


def _case() -> Case:
    """A Spanish coalition's case, written by its coordinator, with facts on both sides of 10 March 2020."""
    fixture = load(DATA / "fixture.toml").case
    concern = fixture.concerns[0].id
    events = (
        Event(
            id="2020-02-03-allanamiento",
            date=parse_date("2020-02-03"),
            title="Allanamiento de la sede de la organización",
            concerns=(concern,),
            sources=(Source(url="https://example.org/allanamiento", title="Nota de prensa"),),
        ),
        Event(
            id="2020-03-amenazas",
            date=parse_date("2020-03"),
            title="Amenazas a periodistas durante el mes",
            concerns=(concern,),
            sources=(Source(url="https://example.org/amenazas", title="Informe de marzo"),),
        ),
        Event(
            id="2020-03-12-detencion",
            date=parse_date("2020-03-12"),
            title="Detención de una activista",
            concerns=(concern,),
            sources=(Source(url="https://example.org/detencion", title="Crónica de la detención"),),
        ),
    )
    demands = (
        Demand(
            id="2020-02-05-solicitud",
            date=parse_date("2020-02-05"),
            to="Secretaría de la Función Pública",
            subject="una investigación del allanamiento",
            responses=(Response(date=parse_date("2020-03-20"), status=ResponseStatus.REFUSED),),
            reminders=(Reminder(date=parse_date("2020-03-15"), channel="email"),),
        ),
        Demand(
            id="2020-03-11-carta",
            date=parse_date("2020-03-11"),
            to="INAI",
            subject="una declaración pública",
        ),
    )
    return dataclasses.replace(fixture, events=events, demands=demands, concerns=fixture.concerns[:1])


def test_sides_of_the_letters_date() -> None:
    assert side_of(parse_date("2020-03-10"), LETTER_DAY) is Side.BEFORE
    assert side_of(parse_date("2020-03-11"), LETTER_DAY) is Side.AFTER
    assert side_of(parse_date("2020-03"), LETTER_DAY) is Side.EITHER
    assert side_of(parse_date("2020"), LETTER_DAY) is Side.EITHER
    assert side_of(parse_date("2019/2020-04"), LETTER_DAY) is Side.EITHER
    assert side_of(parse_date("2019/.."), LETTER_DAY) is Side.EITHER
    assert side_of(parse_date("../2020-02"), LETTER_DAY) is Side.BEFORE
    assert side_of(parse_date("2020-04~"), LETTER_DAY) is Side.AFTER
    assert side_of(parse_date("2020-02?"), LETTER_DAY) is Side.BEFORE


def test_later_facts_are_left_out_of_the_letter_and_its_notes() -> None:
    for language in ("es", "en", "fr"):
        text = draft_letter(_case(), language=language, as_of=LETTER_DAY)
        assert "Allanamiento" in text and "Amenazas a periodistas" in text
        assert "Detención" not in text and "example.org/detencion" not in text
        assert "declaración pública" not in text  # the demand of 11 March is not there at all
        # Two sources left: two notes, numbered 1 and 2.
        assert re.findall(r"^\[\^(\d+)\]:", text, flags=re.MULTILINE) == ["1", "2"]
    text = draft_letter(_case(), language="es", as_of=LETTER_DAY)
    # Refused on 20 March: on 10 March the demand had no answer, 34 days after it was sent.
    assert "han transcurrido 34 días" in text
    assert "rechaz" not in text.lower()


def test_a_demand_sent_after_the_letter_is_never_unanswered_for_zero_days() -> None:
    text = draft_letter(_case(), language="en", as_of=LETTER_DAY)
    assert "0 days" not in text
    assert text.count("No response has been received") == 1


def test_a_demand_whose_month_runs_past_the_letter_is_given_no_count_of_days() -> None:
    # Sent on any day from 1 to 10 March: "nine days have passed" would be a guess.
    demand = Demand(id="2020-03-x", date=parse_date("2020-03"), to="SFP", subject="una reunión")
    case = dataclasses.replace(_case(), demands=(demand,))
    text = draft_letter(case, language="en", as_of=LETTER_DAY)
    assert "No response has been received as of 10 March 2020." in text
    assert "days have passed as of 10 March 2020" not in text


def test_the_facts_on_the_letters_date_keep_their_objects() -> None:
    case = _case()
    facts = letter_facts(case, LETTER_DAY)
    assert [event.id for event in facts.events] == ["2020-02-03-allanamiento", "2020-03-amenazas"]
    assert facts.events[0] is case.events[0]
    assert [demand.id for demand in facts.demands] == ["2020-02-05-solicitud"]
    assert facts.demands[0].responses == () and facts.demands[0].reminders == ()
    everything_before = letter_facts(case, datetime.date(2021, 1, 1))
    assert everything_before is case


def test_check_lists_each_later_item_and_flags_the_uncertain_one() -> None:
    findings = check(_case(), today=LETTER_DAY)
    later = {(f.item_id, f.message.split(" is dated")[0]) for f in findings if f.rule == "after-letter-date"}
    assert later == {
        ("2020-03-12-detencion", "The event"),
        ("2020-03-11-carta", "The demand"),
        ("2020-02-05-solicitud", "A response to the demand"),
        ("2020-02-05-solicitud", "A reminder"),
    }
    uncertain = [f for f in findings if f.rule == "uncertain-letter-date"]
    assert [f.item_id for f in uncertain] == ["2020-03-amenazas"]
    assert "2020-03" in uncertain[0].message and "2020-03-10" in uncertain[0].message
    assert all(f.severity.value == "warning" for f in findings if f.rule.endswith("letter-date"))


def test_check_uses_the_fixed_letter_date_or_as_of(run: Run, tmp_path: Path) -> None:
    from casefile.storage.store import create

    path = tmp_path / "casefile.toml"
    create(path, _case())
    report = json.loads(run("check", "--json", "-f", str(path), "--as-of", "2020-03-10").stdout)
    assert {f["item"] for f in report["findings"] if f["rule"] == "after-letter-date"} == {
        "2020-03-12-detencion",
        "2020-03-11-carta",
        "2020-02-05-solicitud",
    }
    run("set-letter-date", "2020-03-11", "-f", str(path))
    report = json.loads(run("check", "--json", "-f", str(path)).stdout)
    assert {f["item"] for f in report["findings"] if f["rule"] == "after-letter-date"} == {
        "2020-03-12-detencion",
        "2020-02-05-solicitud",
    }
    letter = run("draft-complaint", "-f", str(path)).stdout
    assert "declaración pública" in letter and "Detención" not in letter
