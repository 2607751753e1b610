"""The example case behind ``casefile demo``: public facts of the Mexican case of 2017.

In February 2017 Citizen Lab showed that spyware sold to the Mexican government had been used
against health advocates, two of whose organisations worked on a commitment of the Third
National Action Plan. The civil-society core group wrote to the Tripartite Technical
Secretariat on 16 February 2017 and never got an answer; on 23 May 2017 its ten organisations
left the Secretariat, and on 16 July 2018 they filed a Response Policy case: the demo's letter
carries that date. The sentences here
are casefile's own; the facts and addresses come from the public record.
"""

from __future__ import annotations

import dataclasses

from casefile.case import demo_texts
from casefile.case.dates import parse_date
from casefile.case.model import (
    Case,
    Concern,
    ConcernCategory,
    Contact,
    Demand,
    Event,
    FilerCategory,
    Language,
    Role,
    Signatory,
    Source,
)

# The Wayback Machine's address for "the copy nearest to 2017" of a page.
_WAYBACK = "https://web.archive.org/web/"


def _archived(**fields: object) -> Source:
    """A source with the address of its copy in the Wayback Machine."""
    source = Source(**fields)  # type: ignore[arg-type]
    return dataclasses.replace(source, archived_url=f"{_WAYBACK}2017/{source.url}")


_ORGANISATIONS = (
    ("articulo-19", "Artículo 19", "Artículo 19"),
    ("cidac", "CIDAC, Centro de Investigación para el Desarrollo, A.C.", "CIDAC"),
    ("contraloria-ciudadana", "Contraloría Ciudadana para la Rendición de Cuentas, A.C.", "Contraloría Ciudadana"),
    ("cultura-ecologica", "Cultura Ecológica, A.C.", "Cultura Ecológica"),
    ("fundar", "Fundar, Centro de Análisis e Investigación, A.C.", "Fundar"),
    ("gesoc", "GESOC, Agencia para el Desarrollo, A.C.", "GESOC"),
    ("imco", "IMCO, Instituto Mexicano para la Competitividad, A.C.", "IMCO"),
    ("observatorio-nacional-ciudadano", "Observatorio Nacional Ciudadano", "Observatorio Nacional Ciudadano"),
    ("socialtic", "SocialTIC, A.C.", "SocialTIC"),
    ("transparencia-mexicana", "Transparencia Mexicana", "Transparencia Mexicana"),
)

CITIZEN_LAB = _archived(
    url="https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/",
    title="Bitter Sweet: Supporters of Mexico's Soda Tax Targeted With NSO Exploit Links",
    publisher="Citizen Lab, University of Toronto",
    date=parse_date("2017-02-11"),
)
NEW_YORK_TIMES = _archived(
    url="https://www.nytimes.com/es/2017/02/11/programas-de-espionaje-fueron-usados-contra-impulsos-de-un-impuesto-a-los-refrescos-en-mexico/",
    title="Programas de espionaje fueron usados contra impulsores de un impuesto a los refrescos en México",
    publisher="The New York Times",
    date=parse_date("2017-02-11"),
)
LA_SILLA_ROTA = _archived(
    url="http://lasillarota.com/nacion/ong-se-retiran-de-alianza-para-el-gobierno-abierto/152351",
    title="ONG se retiran de Alianza para el Gobierno Abierto",
    publisher="La Silla Rota",
    date=parse_date("2017-05-23"),
)
SIEMPRE = _archived(
    url="https://www.siempre.mx/2017/05/rompen-ongs-con-gobierno-federal",
    title="Rompen ONGs con Gobierno federal",
    publisher="Siempre!",
    date=parse_date("2017-05"),
)
HERALDO = _archived(
    url="https://heraldodemexico.com.mx/nacional/2017/5/24/el-espionaje-digital-adios-la-privacidad-en-mexico-11137.html",
    title="El espionaje digital: adiós a la privacidad en México",
    publisher="El Heraldo de México",
    date=parse_date("2017-05-24"),
)

#: The day the Mexican organisations filed their Response Policy letter.
LETTER_DATE = "2018-07-16"

SURVEILLANCE = "illegal-surveillance-health-advocates"
NO_ANSWER = "no-answer-demand-investigation"
DILUTION = "dilution-co-created-commitments"


def demo_case() -> Case:
    """The complete example case, ready for ``check`` and ``draft-complaint``."""
    signatories = tuple(
        Signatory(
            id=signatory_id,
            name=name,
            short_name=short_name,
            country="MX",
            role=Role.LEAD if signatory_id == "articulo-19" else Role.SIGNATORY,
        )
        for signatory_id, name, short_name in _ORGANISATIONS
    )
    concerns = (
        Concern(
            id=SURVEILLANCE,
            title="Illegal digital surveillance of health advocates who took part in an OGP commitment",
            category=ConcernCategory.FUNDAMENTAL_FREEDOMS,
            summary=(
                "Spyware sold only to governments was used against researchers and advocates who supported "
                "a tax on sugary drinks. Two of the organisations targeted took part in the obesity "
                "commitment of the Third National Action Plan. Surveillance without judicial control "
                "leaves people who engage with their government exposed and silenced, against the "
                "Declaration's commitment to protect civil society organisations' freedom of expression, "
                "association and opinion."
            ),
            breaches=(
                "Open Government Declaration: support civic participation",
                "OGP value: citizen participation",
            ),
        ),
        Concern(
            id=NO_ANSWER,
            title="No answer to the coalition's demand for an investigation",
            category=ConcernCategory.CIVIC_SPACE,
            summary=(
                "The core group asked its government counterparts in the Tripartite Technical Secretariat to "
                "investigate the surveillance and to add a commitment on it to the action plan. Neither the "
                "Ministry of Public Administration (SFP), the National Digital Strategy Coordination nor INAI "
                "answered, publicly or privately."
            ),
            breaches=(
                "OGP value: public accountability",
                "OGP Participation and Co-Creation Standards: a reasoned response to civil society's input",
            ),
        ),
        Concern(
            id=DILUTION,
            title="Federal offices watering down co-created commitments",
            category=ConcernCategory.OTHER,
            category_other="integrity of the co-creation process",
            summary=(
                "Commitments agreed at working tables with more than 300 participants were narrowed or "
                "substantially changed by federal offices afterwards."
            ),
            breaches=("Open Government Declaration: support civic participation",),
        ),
    )
    events = (
        Event(
            id="2016-obesity-commitment-work",
            date=parse_date("2016/2017-02"),
            title="Health organisations later targeted work on the obesity commitment of the action plan",
            description=(
                "Two of the institutions targeted by the spyware took part in the commitment on preventing "
                "obesity and in the core group's meetings with the federal administration."
            ),
            actors=("Federal Public Administration",),
            tags=("co-creation",),
            concerns=(SURVEILLANCE,),
            sources=(LA_SILLA_ROTA,),
        ),
        Event(
            id="2016-federal-offices-dilute-commitments",
            date=parse_date("2016~/2017-05"),
            title="Federal offices try to narrow commitments agreed at the co-creation tables",
            actors=("Federal government offices",),
            tags=("co-creation",),
            concerns=(DILUTION,),
            sources=(SIEMPRE,),
        ),
        Event(
            id="2017-02-11-citizen-lab-report-spyware",
            date=parse_date("2017-02-11"),
            title="Citizen Lab reports spyware attacks on three advocates of a soda tax",
            description=(
                "With SocialTIC and R3D, Citizen Lab documented infection attempts with NSO Group's Pegasus "
                "spyware against a researcher at the National Institute of Public Health and two advocates of "
                "public health organisations; The New York Times reported it the same day."
            ),
            actors=("Mexican government offices that bought the spyware",),
            tags=("surveillance",),
            concerns=(SURVEILLANCE,),
            sources=(CITIZEN_LAB, NEW_YORK_TIMES),
        ),
        Event(
            id="2017-02-journalists-similar-attacks",
            date=parse_date("2017-02/2017-05"),
            title="Journalists and other organisations show evidence of similar attacks",
            tags=("surveillance",),
            concerns=(SURVEILLANCE,),
            sources=(HERALDO,),
        ),
        Event(
            id="2017-05-23-core-group-leaves",
            date=parse_date("2017-05-23"),
            title="The ten core-group organisations leave the Tripartite Technical Secretariat",
            description=(
                "Without answers and without conditions for free and safe participation, the core group "
                "ends its participation in the Third National Action Plan and announces a Response Policy case."
            ),
            tags=("participation",),
            concerns=(NO_ANSWER,),
            sources=(LA_SILLA_ROTA, SIEMPRE),
        ),
    )
    demand = Demand(
        id="2017-02-16-investigate-surveillance",
        date=parse_date("2017-02-16"),
        to="the Tripartite Technical Secretariat (SFP and INAI)",
        subject=(
            "an exhaustive and impartial investigation of the illegal surveillance, "
            "and a commitment on surveillance in the action plan"
        ),
        by=tuple(signatory.id for signatory in signatories),
        channel="letter",
    )
    # Every text in Spanish and French too (casefile.case.demo_texts), as `casefile translate` records them.
    translated_concerns = tuple(dataclasses.replace(c, translations=demo_texts.CONCERNS[c.id]) for c in concerns)
    translated_events = tuple(dataclasses.replace(e, translations=demo_texts.EVENTS[e.id]) for e in events)
    demand = dataclasses.replace(demand, translations=demo_texts.DEMANDS[demand.id])
    return Case(
        title="Illegal surveillance of OGP participants in Mexico",
        translations=demo_texts.CASE,
        country="MX",
        language=Language.EN,
        ogp_joined=2011,
        action_plan="the Third National Action Plan 2016–2018",
        contact=Contact(organisation="Núcleo de Organizaciones de la Sociedad Civil (NOSC)"),
        request=(
            "We ask the Steering Committee to review the conduct of the Government of Mexico, to call for an "
            "independent investigation of the illegal surveillance, and to recommend the steps needed to "
            "restore the conditions for civil society to take part in the OGP process freely and safely."
        ),
        filer_category=FilerCategory.INVOLVED_ENTITY,
        # The day the ten organisations filed their Response Policy letter: the letter's figures
        # (515 days without an answer) are the ones of that day, not counted to today.
        letter_date=parse_date(LETTER_DATE),
        events=translated_events,
        demands=(demand,),
        signatories=signatories,
        concerns=translated_concerns,
    )
