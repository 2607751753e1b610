"""A signatory's name in a sentence takes its article ("encabezadas por el Centro...", "une demande
du CENIDH", "led by the Centre for Justice"), but not in the signature list: the article is a field
of its own, given per language, joined to the sentence by the language's rules, and asked for by
`check` when the name begins with a noun that takes one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casefile.letter.grammar import missing_article, with_article
from tests.conftest import Run

CENIDH = "Centro Nicaragüense de Derechos Humanos"


def _nicaragua(run: Run, language: str = "es", *, article: str = "el") -> None:
    """A case of three organisations led by the CENIDH, with one demand it sent alone and one with Fundar."""
    run("init", "--title", "Ley", "--country", "Nicaragua", "--language", language, "--ogp-joined", "2012")
    lead = ["--short-name", "CENIDH", "--country", "Nicaragua", "--representative", "Vilma Núñez", "--lead"]
    run("add-signatory", "--name", CENIDH, *lead, *(["--article", article] if article else []))
    run("add-signatory", "--name", "Fundar", "--country", "Mexico")
    run("add-signatory", "--name", "Artículo 19", "--country", "Mexico")
    run("add-demand", "--date", "2022-04-05", "--to", "el Ministerio del Interior", "--subject", "X", "--by", "cenidh")
    run("add-demand", "--date", "2022-04-06", "--to", "el Ministerio del Interior", "--subject", "Y")
    run("edit", "2022-04-06-y", "--by", "fundar", "--by", "cenidh")


def _letter(run: Run, *options: str) -> str:
    return str(run("draft-complaint", "--as-of", "2022-06-01", *options).stdout)


def test_spanish_letter_names_the_lead_and_senders_with_their_article(run: Run) -> None:
    _nicaragua(run, article="")
    before = _letter(run)
    assert "que figuran al final, encabezadas por Centro Nicaragüense de Derechos Humanos." in before
    assert "una solicitud de CENIDH con el asunto «X»." in before
    assert "- **Centro Nicaragüense de Derechos Humanos** (Nicaragua), representada por Vilma Núñez" in before

    run("edit", "cenidh", "--article", "el")
    letter = _letter(run)
    assert (
        "Presentan esta carta las tres organizaciones firmantes que figuran al final, encabezadas por "
        "el Centro Nicaragüense de Derechos Humanos." in letter
    )
    assert (
        "- El 5 de abril de 2022, se envió al Ministerio del Interior una solicitud del CENIDH con el asunto «X»."
    ) in letter
    assert "una solicitud de Fundar y el CENIDH con el asunto «Y»." in letter
    # The signature list gives the name alone; "representado" agrees with "el Centro".
    assert "- **Centro Nicaragüense de Derechos Humanos** (Nicaragua), representado por Vilma Núñez" in letter
    assert "**el Centro" not in letter and "**El Centro" not in letter


def test_french_letter_takes_the_french_article_and_contracts_it(run: Run) -> None:
    _nicaragua(run)
    run("translate", "cenidh", "--language", "fr", "--name", "Centre nicaraguayen des droits humains")
    run("translate", "2022-04-05-x", "--language", "fr", "--to", "le ministère de l'Intérieur")
    before = _letter(run, "--language", "fr")
    # The Spanish "el" is Spanish only: a French letter with no French article has none.
    assert "sous la conduite de Centre nicaraguayen des droits humains." in before
    assert "une demande de CENIDH a été adressée au ministère de l'Intérieur" in before

    run("translate", "cenidh", "--language", "fr", "--article", "le")
    letter = _letter(run, "--language", "fr")
    assert (
        "Cette lettre est déposée par les trois organisations signataires dont la liste figure à la fin, "
        "sous la conduite du Centre nicaraguayen des droits humains." in letter
    )
    assert "- Le 5 avril 2022, une demande du CENIDH a été adressée au ministère de l'Intérieur, ayant pour" in letter
    assert "une demande de Fundar et du CENIDH a été adressée" in letter
    assert "- **Centre nicaraguayen des droits humains** (Nicaragua), représenté par Vilma Núñez" in letter
    # The Spanish letter keeps its own article.
    assert "encabezadas por el Centro Nicaragüense de Derechos Humanos." in _letter(run)


def test_french_elides_the_article_before_a_vowel_and_keeps_its_gender(run: Run) -> None:
    run("init", "--title", "Loi", "--country", "France", "--language", "fr", "--ogp-joined", "2014")
    run("edit-case", "--filer-category", "involved-entity")
    run(
        "add-signatory",
        "--name",
        "Association pour la justice",
        "--short-name",
        "APJ",
        "--article",
        "la",
        "--country",
        "FR",
    )
    run("edit", "apj", "--lead", "--representative", "Inès Martin")
    run("add-demand", "--date", "2022-04-05", "--to", "le ministère de l'Intérieur", "--subject", "X", "--by", "apj")
    letter = _letter(run)
    assert "Cette lettre est déposée par l'Association pour la justice." in letter
    assert "L'Association pour la justice est une organisation qui participe" in letter
    assert "une demande de l'APJ a été adressée au ministère de l'Intérieur" in letter
    assert "- **Association pour la justice** (France), représentée par Inès Martin" in letter
    reminder = run("draft-reminder", "2022-04-05-x", "--as-of", "2022-06-01").stdout
    assert "une demande vous a été adressée au nom de l'APJ, ayant pour objet" in reminder
    assert "- Association pour la justice\n" in reminder


def test_english_letter_writes_the_and_capitalises_it_at_a_sentence_start(run: Run) -> None:
    run("init", "--title", "Law", "--country", "Kenya", "--language", "en", "--ogp-joined", "2011")
    run("edit-case", "--filer-category", "involved-entity")
    run("add-signatory", "--name", "Centre for Justice", "--lead", "--article", "The")
    run(
        "add-demand", "--date", "2022-04-05", "--to", "the Ministry of the Interior", "--subject", "X", "--by", "centre"
    )
    letter = _letter(run)
    assert "This letter is filed by the Centre for Justice." in letter
    assert "The Centre for Justice is an organisation that is or has been involved in OGP" in letter
    assert "a demand from the Centre for Justice was sent to the Ministry of the Interior" in letter
    assert "- **Centre for Justice**" in letter

    run("add-signatory", "--name", "Artículo 19")
    run("add-signatory", "--name", "Fundar")
    assert "led by the Centre for Justice." in _letter(run)
    run("edit", "centre", "--no-lead")
    run("edit", "articulo-19", "--lead")
    assert "led by Artículo 19." in _letter(run)


def test_the_spanish_reminder_names_the_senders_with_their_article(run: Run) -> None:
    _nicaragua(run)
    reminder = run("draft-reminder", "2022-04-05-x", "--as-of", "2022-06-01").stdout
    assert "se les envió una solicitud en nombre del CENIDH con el asunto «X»." in reminder
    assert f"- {CENIDH}\n" in reminder


@pytest.mark.parametrize(
    ("language", "article", "name", "written"),
    [
        ("es", "el", "CENIDH", "el CENIDH"),
        ("es", "la", "Asociación", "la Asociación"),
        ("fr", "la", "Association", "l'Association"),
        ("fr", "le", "Institut", "l'Institut"),
        ("fr", "l'", "ONG", "l'ONG"),
        ("fr", "le", "Centre", "le Centre"),
        ("en", "the", "Centre", "the Centre"),
        ("en", "", "Fundar", "Fundar"),
        ("es", "el", "", ""),  # a redacted individual has no name left
    ],
)
def test_with_article(language: str, article: str, name: str, written: str) -> None:
    assert with_article(language, article, name) == written


def test_an_article_is_one_of_the_language(run: Run) -> None:
    _nicaragua(run, article="")
    refused = run("edit", "cenidh", "--article", "le", code=2)
    assert '"le" is not an article a name takes in Spanish: give one of el, la, los, las' in refused.stderr
    refused = run("translate", "cenidh", "--language", "fr", "--article", "el", code=2)
    assert "give one of le, la, l', les" in refused.stderr
    run("add-signatory", "--name", "Red de Defensoras", "--article", " La ")
    run("translate", "cenidh", "--language", "fr", "--article", "l’")  # a typographic apostrophe
    text = Path("casefile.toml").read_text(encoding="utf-8")
    assert 'article = "la"' in text and 'article = "l\'"' in text
    run("edit", "red-de-defensoras", "--article", "")
    assert 'article = "la"' not in Path("casefile.toml").read_text(encoding="utf-8")
    assert "does not apply" in run("edit", "2022-04-05-x", "--article", "el", code=2).stderr


def test_an_article_typed_by_hand_is_one_of_the_language_too(run: Run) -> None:
    # The letter writes the article as it is: "encabezadas por El Centro..." must not be drafted.
    _nicaragua(run)
    run("translate", "cenidh", "--language", "fr", "--article", "le")
    path = Path("casefile.toml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('article = "el"', 'article = "El"').replace('article = "le"', 'article = "el"'))
    refused = run("draft-complaint", code=2).stderr
    assert "line 9: signatories[1].article: 'El' is not an article a name takes in Spanish: use one of el" in refused
    assert "signatories[1].translations.fr.article: 'el' is not an article a name takes in French" in refused
    path.write_text(text)
    assert "encabezadas por el Centro Nicaragüense" in _letter(run)


def test_the_article_survives_toml_json_and_csv(run: Run) -> None:
    _nicaragua(run)
    run("translate", "cenidh", "--language", "fr", "--article", "le")
    text = Path("casefile.toml").read_text(encoding="utf-8")
    assert 'short_name = "CENIDH"\narticle = "el"\n' in text
    assert '[signatories.translations.fr]\narticle = "le"\n' in text

    shown = json.loads(run("show", "cenidh", "--json").stdout)
    assert shown["article"] == "el" and shown["translations"]["fr"]["article"] == "le"
    assert json.loads(run("show", "fundar", "--json").stdout)["article"] == ""

    exported = run("export", "--format", "json").stdout
    Path("case.json").write_text(exported, encoding="utf-8")
    run("import", "case.json", "--file", "again.toml")
    assert run("export", "--format", "json", "--file", "again.toml").stdout == exported
    assert Path("again.toml").read_text(encoding="utf-8") == text

    sheet = run("export", "--format", "csv").stdout
    Path("case.csv").write_text(sheet, encoding="utf-8")
    run("import", "case.csv", "--file", "sheet.toml")
    assert run("export", "--format", "json", "--file", "sheet.toml").stdout == exported

    rows = run("export", "--format", "csv", "--items", "signatories").stdout
    assert rows.splitlines()[0].startswith("id,name,short_name,article,country,")
    run("init", "--title", "Otra", "--country", "Nicaragua", "--language", "es", "-f", "other.toml")
    Path("rows.csv").write_text(rows, encoding="utf-8")
    run("import", "rows.csv", "--items", "signatories", "--file", "other.toml")
    assert 'article = "el"' in Path("other.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("language", "name", "article"),
    [
        ("es", CENIDH, "el"),
        ("es", "Fundación para el Debido Proceso", "la"),
        ("es", "Red en Defensa de los Derechos Digitales", "la"),
        ("es", "Fundar, Centro de Análisis e Investigación", None),  # not its first word
        ("es", "Artículo 19 Oficina para México y Centroamérica", None),
        ("es", "el Centro Prodh", None),
        ("fr", "Centre nicaraguayen des droits humains", "le"),
        ("fr", "Association pour la justice", "la"),  # the letter elides it: "l'Association"
        ("fr", "Ligue des droits de l'homme", "la"),
        ("fr", "SocialTIC", None),
        ("en", "Centre for Justice", "the"),
        ("en", "Open Records Alliance", "the"),  # English puts the noun last
        ("en", "Artículo 19", None),
        ("en", "The Centre for Justice", None),
        ("en", "Kenya Human Rights Commission", "the"),  # the noun anywhere among its words
        ("en", "Law Society of Kenya", "the"),
        ("en", "Open Society Justice Initiative", "the"),
        ("en", "Government Accountability Project", "the"),
        ("en", "Green Belt Movement", "the"),
        ("en", "Mzalendo Trust", "the"),
        ("en", "Washington Office on Latin America", "the"),
        ("en", "Open Government Partnership Civil Society Secretariat", "the"),
        ("en", "Amnesty International", None),
        ("en", "Transparency International", None),
        ("en", "Human Rights Watch", None),
        ("en", "Fundar", None),
        ("en", "Fundar, Centre for Analysis and Research", None),  # only the words before the comma
        ("en", "María Pérez", None),
    ],
)
def test_an_organisation_whose_name_takes_an_article(language: str, name: str, article: str | None) -> None:
    assert missing_article(language, name, "organisations") == article


def _findings(run: Run, *options: str) -> list[dict[str, str]]:
    found = json.loads(run("check", "--as-of", "2022-06-01", "--json", *options, code=None).stdout)
    return [finding for finding in found["findings"] if finding["rule"] == "signatory-article"]


def test_check_asks_for_the_article_of_an_organisation_the_letter_names(run: Run) -> None:
    _nicaragua(run, article="")
    (finding,) = _findings(run)
    assert finding["severity"] == "info" and finding["item"] == "cenidh"
    assert "`casefile edit cenidh --article el`" in finding["message"]
    run("edit", "cenidh", "--article", "el")
    assert _findings(run) == []

    # In French, the name's French version is looked at, and the fix is a translation.
    run("translate", "cenidh", "--language", "fr", "--name", "Centre nicaraguayen des droits humains")
    (finding,) = _findings(run, "--language", "fr")
    assert "`casefile translate cenidh --language fr --article le`" in finding["message"]
    run("translate", "cenidh", "--language", "fr", "--article", "le")
    assert _findings(run, "--language", "fr") == []


def test_check_leaves_out_people_and_signatories_not_named_in_sentences(run: Run) -> None:
    _nicaragua(run)
    run("add-signatory", "--name", "Centro de Estudios", "--kind", "network")  # in the list only
    run("add-signatory", "--name", "Colectivo Ana", "--kind", "individual")
    run("add-demand", "--date", "2022-04-07", "--to", "el Ministerio", "--subject", "Z", "--by", "colectivo-ana")
    assert _findings(run) == []


def test_the_merge_driver_merges_the_article_like_any_other_field() -> None:
    from casefile.case import operations
    from tests.test_merge import merge, sample

    base = sample()
    ours = operations.edit_item(base, "fundar", {"article": "the"})[0]
    theirs = operations.edit_item(base, "fundar", {"representative": "Ana"})[0]
    result = merge(base, ours, theirs)
    assert result.conflicts == ()
    (merged,) = result.case.signatories
    assert (merged.article, merged.representative) == ("the", "Ana")
    both = merge(base, ours, operations.edit_item(base, "fundar", {"article": "the", "short_name": "F"})[0])
    assert both.conflicts == () and (both.case.signatories[0].article, both.case.signatories[0].short_name) == (
        "the",
        "F",
    )


def test_check_leaves_out_senders_said_to_be_all_the_signatory_organisations(run: Run) -> None:
    run("init", "--title", "Law", "--country", "Kenya", "--language", "en", "--ogp-joined", "2011")
    for name in ("Centre for Justice", "Fundar", "Accountability Network"):
        run("add-signatory", "--name", name, *(["--lead", "--article", "the"] if name.startswith("Centre") else []))
    run("add-demand", "--date", "2022-04-05", "--to", "the Ministry", "--subject", "X")
    run("edit", "2022-04-05-x", "--by", "centre", "--by", "fundar", "--by", "accountability")
    assert "a demand from all the signatory organisations was sent" in _letter(run)
    assert _findings(run) == []
    run("add-demand", "--date", "2022-04-06", "--to", "the Ministry", "--subject", "Y", "--by", "accountability")
    assert [finding["item"] for finding in _findings(run)] == ["accountability-network"]


def test_the_hint_is_said_in_the_users_language(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _nicaragua(run, article="")
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    said = run("check", "--as-of", "2022-06-01", code=None)
    assert f"El firmante «{CENIDH}» no tiene artículo" in said.stdout + said.stderr


def test_an_english_letter_asks_for_the_of_a_commission_or_a_society(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    # "led by Kenya Human Rights Commission", "a demand from Law Society of Kenya": check says so.
    run("init", "--title", "Law", "--country", "Kenya", "--language", "en", "--ogp-joined", "2011")
    run("add-signatory", "--name", "Kenya Human Rights Commission", "--short-name", "KHRC", "--lead")
    run("add-signatory", "--name", "Law Society of Kenya")
    run("add-signatory", "--name", "Amnesty International")
    run("add-signatory", "--name", "Human Rights Watch")
    run("add-demand", "--date", "2022-04-05", "--to", "the Ministry", "--subject", "X", "--by", "law-society-of-kenya")
    run("add-demand", "--date", "2022-04-06", "--to", "the Ministry", "--subject", "Y", "--by", "amnesty")
    run("add-demand", "--date", "2022-04-07", "--to", "the Ministry", "--subject", "Z", "--by", "human-rights-watch")
    letter = _letter(run)
    assert "led by Kenya Human Rights Commission." in letter and "a demand from Law Society of Kenya" in letter
    found = {finding["item"]: finding["message"] for finding in _findings(run)}
    assert sorted(found) == ["khrc", "law-society-of-kenya"]
    assert found["khrc"] == (
        'The signatory "Kenya Human Rights Commission" has no article, and the letter names it in sentences '
        '("led by Kenya Human Rights Commission"). If its name takes one there, give it (the signature list '
        "leaves it out): `casefile edit khrc --article the`."
    )
    assert '("a demand from Law Society of Kenya")' in found["law-society-of-kenya"]
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    said = run("check", "--as-of", "2022-06-01", code=None).stdout.replace("\u00a0", " ")
    assert (
        "Le signataire « Kenya Human Rights Commission » n'a pas d'article, et la lettre le nomme dans des phrases "
        "(« sous la conduite de Kenya Human Rights Commission »)." in said
    )
    assert "`casefile edit khrc --article the`" in said

    run("edit", "khrc", "--article", "the")
    run("edit", "law-society-of-kenya", "--article", "the")
    assert _findings(run) == []
    letter = _letter(run)
    assert "led by the Kenya Human Rights Commission." in letter and "a demand from the Law Society of Kenya" in letter
