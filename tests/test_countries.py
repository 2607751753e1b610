"""Countries: typed as codes or names in three languages, stored as ISO 3166-1 codes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from casefile.case.countries import UnknownCountry, country_code, country_data, country_name, find_country, names
from casefile.storage import files
from tests.conftest import Run


@pytest.mark.parametrize(
    "typed",
    ["MX", "mx", "Mexico", "mexico", "MEXICO", "México", "mexico ", "Mexique", "mexique"],
)
def test_mexico_in_every_spelling(typed: str) -> None:
    assert country_code(typed) == "MX"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Estados Unidos", "US"),
        ("États-Unis", "US"),
        ("etats unis", "US"),
        ("USA", "US"),
        ("Royaume-Uni", "GB"),
        ("UK", "GB"),
        ("Côte d'Ivoire", "CI"),  # CLDR writes a typographic apostrophe
        ("cote d’ivoire", "CI"),
        ("Pays-Bas", "NL"),
        ("Países Bajos", "NL"),
        ("Turkey", "TR"),
        ("Trinidad and Tobago", "TT"),  # CLDR's English says "Trinidad & Tobago"
        ("El Salvador", "SV"),
        ("Salvador", "SV"),
    ],
)
def test_names_in_english_spanish_and_french(typed: str, code: str) -> None:
    assert country_code(typed) == code


def test_an_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(UnknownCountry) as raised:
        country_code("Mexcio")
    assert "Mexico (MX)" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_two_letter_word_that_is_no_code_is_refused() -> None:
    with pytest.raises(UnknownCountry):
        country_code("QQ")


def test_names_by_language_come_from_cldr() -> None:
    assert country_name("MX", "es") == "México"
    assert country_name("MX", "fr") == "Mexique"
    assert country_name("US", "en") == "United States"
    assert country_name("TT", "en") == "Trinidad and Tobago"
    assert country_name("Mexico", "fr") == "Mexique"  # an old free-text name still localises
    assert country_name("Narnia", "fr") == "Narnia"  # the user's own words otherwise


def test_every_member_in_the_data_file_is_a_cldr_country() -> None:
    members = country_data()["members"]
    assert 75 <= len(members) <= 90
    assert set(members) <= set(names("en"))
    assert all(find_country(alias) == code for alias, code in country_data()["aliases"].items())


def test_init_stores_the_code(run: Run, isolated: Path) -> None:
    run("init", "--title", "T", "--country", "Mexique", "-f", "c.toml")
    assert tomllib.loads((isolated / "c.toml").read_text())["case"]["country"] == "MX"


def test_init_with_an_unknown_country_exits_2_with_one_line(run: Run, isolated: Path) -> None:
    result = run("init", "--title", "T", "--country", "Mexiko", "-f", "c.toml", code=2)
    assert "Mexico (MX)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not (isolated / "c.toml").exists()


def test_edit_case_country_takes_a_spanish_name(run: Run, case_file: Path) -> None:
    run("edit-case", "--country", "estados unidos")
    assert tomllib.loads(case_file.read_text())["case"]["country"] == "US"
    run("edit-case", "--country", "Narnia", code=2)
    assert tomllib.loads(case_file.read_text())["case"]["country"] == "US"


VERSION_1 = """\
schema_version = 1

[case]
title = "Vigilancia ilegal"
country = "México"
language = "es"
"""


def test_a_version_1_file_gets_its_country_as_a_code(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(VERSION_1)
    result = run("add-event", "--date", "2017-02", "--title", "Hechos", "-f", str(path))
    assert "upgraded from schema version 1" in result.stderr
    document = tomllib.loads(path.read_text())
    assert document["schema_version"] == 2
    assert document["case"]["country"] == "MX"
    assert files.sidecar(path, ".bak").read_text() == VERSION_1  # the old text is kept


def test_a_version_1_country_casefile_cannot_read_is_kept(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(VERSION_1.replace("México", "Freedonia"))
    run("add-event", "--date", "2017-02", "--title", "Hechos", "-f", str(path))
    assert tomllib.loads(path.read_text())["case"]["country"] == "Freedonia"
