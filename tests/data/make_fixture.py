"""Writes tests/data/fixture.toml: the demo case plus items that exercise every letter section.

Run it only to change the fixture on purpose (then refresh the golden letters with
``python -m pytest --update-golden``): ``python tests/data/make_fixture.py``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from casefile.case import operations
from casefile.case.dates import parse_date
from casefile.case.demo import demo_case
from casefile.case.model import Affected, Contact, Response, ResponseStatus, SignatoryKind
from casefile.storage.tomltext import dumps


def fixture() -> str:
    case = dataclasses.replace(
        demo_case(),
        addressees=("Korir Sing'Oei, Lead Co-Chair", "Blair Glencorse, Lead Co-Chair"),
        addressees_verified=parse_date("2025-01-10"),
        contact=Contact(
            name="María Pérez",
            organisation="Fundar, Centro de Análisis e Investigación",
            email="contacto@fundar.example.org",
        ),
    )
    citizen_lab = next(event for event in case.events if event.id.startswith("2017-02-11"))
    affected = (
        Affected(name="Simón Barquera", role="a researcher at the National Institute of Public Health", public=True),
        Affected(name="A private person", role="a health advocate"),
    )
    case = operations.replace_item(case, citizen_lab, dataclasses.replace(citizen_lab, affected=affected))
    case, _ = operations.add_signatory(case, name="Luis Hernández", country="Mexico", kind=SignatoryKind.INDIVIDUAL)
    case, partial = operations.add_demand(
        case,
        date=parse_date("2017-03"),
        to="the National Institute for Access to Information (INAI)",
        subject="a public statement on the surveillance",
        by=("fundar",),
        channel="email",
        deadline=parse_date("2017-04-15"),
    )
    case, _ = operations.respond(
        case,
        partial.id,
        Response(
            date=parse_date("2017-05-02"),
            status=ResponseStatus.PARTIAL,
            summary="INAI said it would look into the matter.",
        ),
    )
    case, _ = operations.add_demand(
        case,
        date=parse_date("2017-04-20"),
        to="the Ministry of Public Administration (SFP)",
        subject="the minutes of the last Secretariat meeting",
        deadline=parse_date("2017-05-20"),
    )
    case, refused = operations.add_demand(
        case,
        date=parse_date("2017-05-02~"),
        to="the Federal Attorney General (PGR)",
        subject="the state of the criminal complaint",
        by=("articulo-19",),
    )
    case, _ = operations.respond(
        case, refused.id, Response(date=parse_date("2017-05-10"), status=ResponseStatus.REFUSED)
    )
    return dumps(case)


if __name__ == "__main__":
    (Path(__file__).parent / "fixture.toml").write_text(fixture(), encoding="utf-8")
