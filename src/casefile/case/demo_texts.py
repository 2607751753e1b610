"""The demo case's texts in Spanish and French, so its letter reads in one language in each.

The Mexican organisations wrote in Spanish; the demo case is kept in English and carries its
Spanish and French versions as translations, as a coalition's own case would (``casefile
translate``). Names of bodies are given as the Mexican government and OGP write them in each
language; the titles of published sources are not translated.
"""

from __future__ import annotations

from collections.abc import Mapping

from casefile.case.translation_model import (
    CaseText,
    CaseTranslations,
    ConcernText,
    ConcernTranslations,
    DemandText,
    DemandTranslations,
    EventText,
    EventTranslations,
)

_CIVIC_PARTICIPATION = {
    "es": "Declaración de Gobierno Abierto: apoyar la participación ciudadana",
    "fr": "Déclaration pour un gouvernement ouvert : soutenir la participation civique",
}

CASE = CaseTranslations(
    es=CaseText(
        title="Vigilancia ilegal de participantes de OGP en México",
        request=(
            "Pedimos al Comité Directivo que revise la conducta del Gobierno de México, que solicite una "
            "investigación independiente de la vigilancia ilegal y que recomiende las medidas necesarias para "
            "restablecer las condiciones que permitan a la sociedad civil participar en el proceso de OGP de "
            "manera libre y segura."
        ),
        action_plan="el Tercer Plan de Acción Nacional 2016–2018",
    ),
    fr=CaseText(
        title="Surveillance illégale de participants à l'OGP au Mexique",
        request=(
            "Nous demandons au Comité directeur d'examiner la conduite du Gouvernement du Mexique, d'appeler à "
            "une enquête indépendante sur la surveillance illégale et de recommander les mesures nécessaires pour "
            "rétablir les conditions d'une participation libre et sûre de la société civile au processus de "
            "l'OGP."
        ),
        action_plan="le troisième Plan d'action national 2016–2018",
    ),
)

CONCERNS: Mapping[str, ConcernTranslations] = {
    "illegal-surveillance-health-advocates": ConcernTranslations(
        es=ConcernText(
            title="Vigilancia digital ilegal de defensores de la salud que participaron en un compromiso de OGP",
            summary=(
                "Un software espía que solo se vende a gobiernos se usó contra investigadores y activistas que "
                "apoyaban un impuesto a las bebidas azucaradas. Dos de las organizaciones atacadas participaban en "
                "el compromiso sobre obesidad del Tercer Plan de Acción Nacional. La vigilancia sin control judicial "
                "deja expuestas y silenciadas a las personas que dialogan con su gobierno, en contra del compromiso "
                "de la Declaración de proteger la libertad de expresión, de asociación y de opinión de las "
                "organizaciones de la sociedad civil."
            ),
            breaches=(_CIVIC_PARTICIPATION["es"], "Valor de OGP: participación ciudadana"),
        ),
        fr=ConcernText(
            title="Surveillance numérique illégale de défenseurs de la santé ayant participé à un engagement de l'OGP",
            summary=(
                "Un logiciel espion vendu uniquement aux gouvernements a été utilisé contre des chercheurs et des "
                "militants favorables à une taxe sur les boissons sucrées. Deux des organisations visées "
                "participaient à l'engagement sur l'obésité du troisième Plan d'action national. Une surveillance "
                "sans contrôle judiciaire expose et réduit au silence les personnes qui dialoguent avec leur "
                "gouvernement, contrairement à l'engagement de la Déclaration de protéger la liberté d'expression, "
                "d'association et d'opinion des organisations de la société civile."
            ),
            breaches=(_CIVIC_PARTICIPATION["fr"], "Valeur de l'OGP : participation citoyenne"),
        ),
    ),
    "no-answer-demand-investigation": ConcernTranslations(
        es=ConcernText(
            title="Ninguna respuesta a la solicitud de investigación de la coalición",
            summary=(
                "El núcleo de organizaciones pidió a sus contrapartes de gobierno en el Secretariado Técnico "
                "Tripartito que investigaran la vigilancia y que incorporaran al plan de acción un compromiso al "
                "respecto. Ni la Secretaría de la Función Pública (SFP), ni la Coordinación de Estrategia Digital "
                "Nacional, ni el INAI respondieron, ni en público ni en privado."
            ),
            breaches=(
                "Valor de OGP: rendición de cuentas",
                "Estándares de Participación y Cocreación de OGP: una respuesta razonada a las aportaciones "
                "de la sociedad civil",
            ),
        ),
        fr=ConcernText(
            title="Aucune réponse à la demande d'enquête de la coalition",
            summary=(
                "Le noyau d'organisations a demandé à ses homologues gouvernementaux du Secrétariat technique "
                "tripartite d'enquêter sur la surveillance et d'inscrire au plan d'action un engagement à ce sujet. "
                "Ni le ministère de la Fonction publique (SFP), ni la Coordination de la stratégie numérique "
                "nationale, ni l'INAI n'ont répondu, ni publiquement ni en privé."
            ),
            breaches=(
                "Valeur de l'OGP : redevabilité publique",
                "Normes de participation et de co-création de l'OGP : une réponse motivée aux contributions de la "
                "société civile",
            ),
        ),
    ),
    "dilution-co-created-commitments": ConcernTranslations(
        es=ConcernText(
            title="Dependencias federales que diluyen compromisos cocreados",
            summary=(
                "Compromisos acordados en mesas de trabajo con más de 300 participantes fueron después acotados o "
                "modificados sustancialmente por dependencias federales."
            ),
            category_other="integridad del proceso de cocreación",
            breaches=(_CIVIC_PARTICIPATION["es"],),
        ),
        fr=ConcernText(
            title="Des administrations fédérales vident de leur substance des engagements co-construits",
            summary=(
                "Des engagements convenus lors de tables de travail réunissant plus de 300 participants ont ensuite "
                "été restreints ou profondément modifiés par des administrations fédérales."
            ),
            category_other="intégrité du processus de co-création",
            breaches=(_CIVIC_PARTICIPATION["fr"],),
        ),
    ),
}

EVENTS: Mapping[str, EventTranslations] = {
    "2016-obesity-commitment-work": EventTranslations(
        es=EventText(
            title="Organizaciones de salud que después serían atacadas trabajan en el compromiso sobre obesidad",
            description=(
                "Dos de las instituciones atacadas con el software espía participaron en el compromiso sobre la "
                "prevención de la obesidad y en las reuniones del núcleo de organizaciones con la administración "
                "federal."
            ),
            actors=("Administración Pública Federal",),
        ),
        fr=EventText(
            title="Des organisations de santé, visées plus tard, travaillent à l'engagement sur l'obésité",
            description=(
                "Deux des institutions visées par le logiciel espion ont participé à l'engagement sur la prévention "
                "de l'obésité et aux réunions du noyau d'organisations avec l'administration fédérale."
            ),
            actors=("Administration publique fédérale",),
        ),
    ),
    "2016-federal-offices-dilute-commitments": EventTranslations(
        es=EventText(
            title="Dependencias federales intentan acotar los compromisos acordados en las mesas de cocreación",
            actors=("Dependencias del gobierno federal",),
        ),
        fr=EventText(
            title="Des administrations fédérales tentent de restreindre les engagements convenus en co-création",
            actors=("Administrations du gouvernement fédéral",),
        ),
    ),
    "2017-02-11-citizen-lab-report-spyware": EventTranslations(
        es=EventText(
            title=(
                "Citizen Lab denuncia ataques con software espía contra tres promotores de un impuesto a los refrescos"
            ),
            description=(
                "Con SocialTIC y R3D, Citizen Lab documentó intentos de infección con Pegasus, el software espía de "
                "NSO Group, contra un investigador del Instituto Nacional de Salud Pública y dos activistas de "
                "organizaciones de salud pública; The New York Times lo publicó el mismo día."
            ),
            actors=("Dependencias del gobierno mexicano que compraron el software espía",),
        ),
        fr=EventText(
            title=(
                "Citizen Lab révèle des attaques par logiciel espion contre trois défenseurs d'une taxe sur les sodas"
            ),
            description=(
                "Avec SocialTIC et R3D, Citizen Lab a documenté des tentatives d'infection par Pegasus, le logiciel "
                "espion de NSO Group, visant un chercheur de l'Institut national de santé publique et deux militants "
                "d'organisations de santé publique ; The New York Times l'a rapporté le jour même."
            ),
            actors=("Services du gouvernement mexicain qui ont acheté le logiciel espion",),
        ),
    ),
    "2017-02-journalists-similar-attacks": EventTranslations(
        es=EventText(title="Periodistas y otras organizaciones muestran pruebas de ataques similares"),
        fr=EventText(title="Des journalistes et d'autres organisations font état d'attaques similaires"),
    ),
    "2017-05-23-core-group-leaves": EventTranslations(
        es=EventText(
            title="Las diez organizaciones del núcleo abandonan el Secretariado Técnico Tripartito",
            description=(
                "Sin respuestas y sin condiciones para una participación libre y segura, el núcleo de "
                "organizaciones pone fin a su participación en el Tercer Plan de Acción Nacional y anuncia un caso "
                "ante la Política de Respuesta."
            ),
        ),
        fr=EventText(
            title="Les dix organisations du noyau quittent le Secrétariat technique tripartite",
            description=(
                "Faute de réponses et de conditions pour une participation libre et sûre, le noyau d'organisations "
                "met fin à sa participation au troisième Plan d'action national et annonce une saisine au titre de "
                "la Politique de réponse."
            ),
        ),
    ),
}

DEMANDS: Mapping[str, DemandTranslations] = {
    "2017-02-16-investigate-surveillance": DemandTranslations(
        es=DemandText(
            to="el Secretariado Técnico Tripartito (SFP e INAI)",
            subject=(
                "una investigación exhaustiva e imparcial de la vigilancia ilegal, y un compromiso sobre vigilancia "
                "en el plan de acción"
            ),
        ),
        fr=DemandText(
            to="le Secrétariat technique tripartite (SFP et INAI)",
            subject=(
                "une enquête approfondie et impartiale sur la surveillance illégale, et un engagement sur la "
                "surveillance dans le plan d'action"
            ),
        ),
    ),
}
