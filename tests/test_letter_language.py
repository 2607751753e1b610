"""The letter read as a translator reads it: sentences drafted for small cases, in each language."""

from __future__ import annotations

import dataclasses
import datetime
import re

import pytest

from casefile.case.dates import parse_date
from casefile.case.model import Case, Demand, DemandStatus, Event, Response, Signatory, SignatoryKind
from casefile.letter.render import draft_letter
from casefile.storage.store import load
from tests.conftest import DATA

AS_OF = datetime.date(2018, 7, 16)


def base_case() -> Case:
    return load(DATA / "fixture.toml").case


def draft(case: Case, language: str) -> str:
    return draft_letter(case, language=language, as_of=AS_OF)


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "- **1\u20133 February 2017**: Raids"),
        ("es", "- **Del 1 al 3 de febrero de 2017**: Raids"),
        ("fr", "- **Du 1er au 3 février 2017**"),
    ],
)
def test_days_of_one_month_name_the_month_once(language: str, written: str) -> None:
    event = Event(id="raids", date=parse_date("2017-02-01/2017-02-03"), title="Raids")
    case = dataclasses.replace(base_case(), events=(event,), concerns=(), demands=())
    assert written in draft(case, language)


@pytest.mark.parametrize(
    ("language", "names", "written"),
    [
        ("en", ("R2KRN", "Artículo 19"), "a demand from R2KRN and Artículo 19 was sent"),
        ("es", ("R2KRN", "Artículo 19"), "una solicitud de R2KRN y Artículo 19 con el asunto"),
        ("fr", ("R2KRN", "Artículo 19"), "une demande de R2KRN et d'Artículo 19 a été"),
        ("es", ("Fundar", "Iniciativa Sinaloa"), "una solicitud de Fundar e Iniciativa Sinaloa con el asunto"),
        ("es", ("Fundar", "Hierro Abierto"), "una solicitud de Fundar y Hierro Abierto con el asunto"),
        ("en", ("A", "B", "C"), "a demand from A, B and C was sent"),
        ("fr", ("A", "B", "C"), "une demande d'A, de B et de C a été"),
    ],
)
def test_the_senders_of_a_demand_are_joined_by_and(language: str, names: tuple[str, ...], written: str) -> None:
    signatories = tuple(Signatory(id=f"s{index}", name=name) for index, name in enumerate(names))
    extra = Signatory(id="other", name="Other")  # not every signatory sent it
    demand = Demand(
        id="d", date=parse_date("2017-02-16"), to="SFP", subject="Investigate", by=tuple(s.id for s in signatories)
    )
    case = dataclasses.replace(base_case(), signatories=(*signatories, extra), demands=(demand,))
    assert written in draft(case, language)


def test_french_puts_a_no_break_space_before_double_punctuation_and_inside_guillemets() -> None:
    event = Event(id="e", date=parse_date("2017-02-11"), title="Surveillance", tags=("surveillance",))
    case = dataclasses.replace(base_case(), events=(event,), concerns=())
    text = draft(case, "fr")
    for written in ("Objet\u00a0: Lettre", "- **11 février 2017**\u00a0: Surveillance", "«\u00a0surveillance\u00a0»"):
        assert written in text
    # Every fixed sentence (the fixture's own texts have none of these).
    assert re.findall(r".{20} [;:!?»]|« .{20}", text) == []


def one_signatory_case(kind: SignatoryKind = SignatoryKind.CSO, *, demands: bool = True) -> Case:
    base = base_case()
    signatory = Signatory(id="adc", name="Asociación por los Derechos Civiles", kind=kind)
    demand = Demand(id="d", date=parse_date("2017-02-16"), to="SFP", subject="Investigate", by=("adc",))
    return dataclasses.replace(base, signatories=(signatory,), demands=(demand,) if demands else ())


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        (
            "en",
            (
                "The signatory organisation respectfully asks the Steering Committee",
                "The demand listed above has received no response.",
                "4. Keep the signatory organisation informed at each stage of the review.",
            ),
        ),
        (
            "es",
            (
                "La organización firmante solicita respetuosamente al Comité Directivo",
                "La solicitud mencionada no ha recibido respuesta alguna.",
                "4. Mantenga informada a la organización firmante en cada etapa del examen.",
            ),
        ),
        (
            "fr",
            (
                "L'organisation signataire demande respectueusement au Comité directeur",
                "La demande mentionnée n'a reçu aucune réponse.",
                "4. Tenir l'organisation signataire informée à chaque étape de l'examen.",
            ),
        ),
    ],
)
def test_one_signatory_and_one_demand_are_spoken_of_in_the_singular(language: str, sentences: tuple[str, ...]) -> None:
    text = draft(one_signatory_case(), language)
    for sentence in sentences:
        assert sentence in text


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The individual signatory has recorded no formal demand to the authorities of Mexico."),
        ("es", "La persona firmante no ha registrado ninguna solicitud formal a las autoridades de México."),
        ("fr", "La personne signataire n'a enregistré aucune demande formelle adressée aux autorités du Mexique."),
    ],
)
def test_one_person_who_made_no_demand(language: str, sentence: str) -> None:
    assert sentence in draft(one_signatory_case(SignatoryKind.INDIVIDUAL, demands=False), language)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The authorities have answered the demand listed above, but the answer has not addressed"),
        ("es", "Las autoridades han respondido a la solicitud mencionada, pero su respuesta no atiende"),
        ("fr", "Les autorités ont répondu à la demande mentionnée, mais leur réponse ne traite pas"),
    ],
)
def test_one_answered_demand(language: str, sentence: str) -> None:
    case = one_signatory_case()
    response = Response(date=parse_date("2017-03-01"), status=DemandStatus.ANSWERED)
    demand = dataclasses.replace(case.demands[0], responses=(response,))
    assert sentence in draft(dataclasses.replace(case, demands=(demand,)), language)


def test_the_french_salutation_addresses_the_co_chairs_and_members_together() -> None:
    text = draft(base_case(), "fr")
    assert "\n\nMesdames et Messieurs les coprésidents et membres du Comité directeur,\n\n" in text


@pytest.mark.parametrize(
    ("language", "date", "sentence"),
    [
        ("en", "2017", "No response has been received as of 16 July 2018."),
        ("es", "2017-03", "No se ha recibido respuesta al 16 de julio de 2018."),
        ("fr", "2017-03/2017-05", "Aucune réponse n'a été reçue au 16 juillet 2018."),
    ],
)
def test_a_demand_sent_on_no_known_day_is_not_given_a_count_of_days(language: str, date: str, sentence: str) -> None:
    """ "2017" as of 1 January 2018 is not "1 day has passed": the days are not counted at all."""
    demand = Demand(id="d", date=parse_date(date), to="SFP", subject="Investigate")
    letter = draft(dataclasses.replace(base_case(), demands=(demand,)), language)
    assert f"\n  {sentence}\n" in letter  # the demand's second line, no count of days before or after


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "No response has been received as of 16 July 2018, although one was requested by"),
        ("es", "No se ha recibido respuesta al 16 de julio de 2018, aunque se pidió una (plazo:"),
        ("fr", "Aucune réponse n'a été reçue au 16 juillet 2018, alors qu'une réponse était demandée (échéance\u00a0:"),
    ],
)
def test_an_overdue_demand_sent_on_no_known_day(language: str, sentence: str) -> None:
    demand = Demand(id="d", date=parse_date("2017"), to="SFP", subject="Investigate", deadline=parse_date("2018-01-31"))
    assert sentence in draft(dataclasses.replace(base_case(), demands=(demand,)), language)


def test_a_demand_sent_on_a_known_day_still_counts_its_days() -> None:
    demand = Demand(id="d", date=parse_date("2018-07-06"), to="SFP", subject="Investigate")
    letter = draft(dataclasses.replace(base_case(), demands=(demand,)), "en")
    assert "No response has been received: ten days have passed as of 16 July 2018." in letter
