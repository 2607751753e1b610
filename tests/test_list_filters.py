"""``list`` filters: tag, date range (EDTF rules), concern, signatory and text, ANDed, in every output form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run


@pytest.fixture
def spanish_case(run: Run, case_file: Path) -> Path:
    """A Mexican coalition's case, written by Spanish speakers."""
    run("add-signatory", "--name", "Artículo 19", "--lead")
    run("add-signatory", "--name", "Fundar")
    run("add-signatory", "--name", "Red en Defensa de los Derechos Digitales", "--short-name", "R3D")
    run("add-concern", "--title", "Vigilancia ilegal", "--category", "fundamental-freedoms")
    run("add-concern", "--title", "Acceso a la información negado", "--category", "access-to-information")
    events = [
        ("2017-02-11", "Citizen Lab publica el informe «Bitter Sweet»", ["vigilancia", "Pegasus"], ["vigilancia"]),
        ("2017-02", "Periodistas denuncian ataques similares", ["vigilancia"], ["vigilancia"]),
        ("2017", "Solicitudes de información sin respuesta", ["transparencia"], ["acceso"]),
        ("2016-05/2017-03", "Campaña de mensajes con enlaces maliciosos", ["Pegasus"], ["vigilancia"]),
        ("2017-06-19", "The New York Times publica la investigación", ["prensa"], []),
    ]
    for date, title, tags, concerns in events:
        args = ["add-event", "--date", date, "--title", title]
        for tag in tags:
            args += ["--tag", tag]
        for concern in concerns:
            args += ["--concern", concern]
        run(*args)
    run("add-demand", "--date", "2017-02-16", "--to", "Secretariado Técnico", "--subject", "Investigar", "--by", "art")
    run("add-demand", "--date", "2017-06-23", "--to", "PGR", "--subject", "Información", "--by", "art", "--by", "r3d")
    return case_file


def ids(run: Run, *args: str) -> list[str]:
    lines = run("list", *args).stdout.splitlines()
    by_json = [record["id"] for record in json.loads(run("list", *args, "--json").stdout)]
    by_global_json = [record["id"] for record in json.loads(run("--json", "list", *args).stdout)]
    listed = [line.split("\t", 1)[0] for line in lines]
    assert listed == by_json == by_global_json  # every output form lists the same items
    return listed


def test_tag_is_case_insensitive_and_repeated_tags_all_apply(run: Run, spanish_case: Path) -> None:
    assert ids(run, "events", "--tag", "pegasus") == [
        "2016-05-campana-mensajes-enlaces-maliciosos",
        "2017-02-11-citizen-lab-publica-informe",
    ]
    assert ids(run, "events", "--tag", "pegasus", "--tag", "vigilancia") == ["2017-02-11-citizen-lab-publica-informe"]


def test_dates_compare_by_their_whole_period(run: Run, spanish_case: Path) -> None:
    # 2017 and the range 2016-05/2017-03 overlap March 2017; 2017-02-11 and 2017-02 do not.
    assert ids(run, "events", "--from", "2017-03", "--to", "2017-03") == [
        "2016-05-campana-mensajes-enlaces-maliciosos",
        "2017-solicitudes-informacion-sin-respuesta",
    ]
    assert ids(run, "events", "--from", "2017-06") == [
        "2017-solicitudes-informacion-sin-respuesta",
        "2017-06-19-new-york-times-publica",
    ]
    assert ids(run, "events", "--to", "2016") == ["2016-05-campana-mensajes-enlaces-maliciosos"]
    assert ids(run, "demands", "--from", "2017-02-16", "--to", "2017-02-16") == ["2017-02-16-investigar"]


def test_concern_and_signatory_by_prefix(run: Run, spanish_case: Path) -> None:
    assert ids(run, "events", "--concern", "acceso") == ["2017-solicitudes-informacion-sin-respuesta"]
    assert ids(run, "demands", "--signatory", "r3d") == ["2017-06-23-informacion"]
    assert ids(run, "demands", "--signatory", "articulo") == ["2017-02-16-investigar", "2017-06-23-informacion"]


def test_text_ignores_case_and_accents(run: Run, spanish_case: Path) -> None:
    assert ids(run, "events", "--text", "CAMPANA") == ["2016-05-campana-mensajes-enlaces-maliciosos"]
    assert ids(run, "events", "--text", "información") == ["2017-solicitudes-informacion-sin-respuesta"]
    assert ids(run, "signatories", "--text", "derechos digitales") == ["r3d"]
    assert ids(run, "concerns", "--text", "INFORMACION") == ["acceso-informacion-negado"]


def test_filters_combine_with_and(run: Run, spanish_case: Path) -> None:
    assert ids(run, "events", "--tag", "vigilancia", "--concern", "vig", "--from", "2017-02", "--text", "informe") == [
        "2017-02-11-citizen-lab-publica-informe"
    ]
    empty = run("list", "events", "--tag", "prensa", "--concern", "vig")
    assert empty.stdout == "" and "No events match." in empty.stderr
    assert run("list", "events", "--tag", "prensa", "--concern", "vig", "--json").stdout.strip() == "[]"


def test_filters_that_mean_nothing_for_the_kind_are_refused(run: Run, spanish_case: Path) -> None:
    result = run("list", "signatories", "--tag", "vigilancia", code=2)
    assert "--tag filters events, not signatories" in result.stderr
    result = run("list", "events", "--signatory", "fundar", code=2)
    assert "--signatory filters demands and signatories, not events" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_filter_values_are_one_line_errors(run: Run, spanish_case: Path) -> None:
    assert "not a date" in run("list", "events", "--from", "2017-13", code=2).stderr
    assert "no concern has the id 'nada'" in run("list", "events", "--concern", "nada", code=2).stderr


def test_a_filter_refused_for_a_kind_says_so_in_the_users_language(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for locale, said in (
        ("es_MX.UTF-8", "--tag solo se aplica a hechos, no a firmantes."),
        ("fr_FR.UTF-8", "--tag ne s'applique qu'aux faits, pas aux signataires."),
    ):
        monkeypatch.setenv("LANG", locale)
        refused = run("list", "signatories", "--tag", "x", code=2)
        assert refused.stderr.strip().endswith(said) and refused.stderr.count("\n") == 1
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    assert (
        "no hay solicitud con el id 'nada'"
        in run("respond", "nada", "--date", "2017", "--status", "refused", code=2).stderr
    )
