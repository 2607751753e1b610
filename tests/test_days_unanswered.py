"""A demand's days without an answer are shown only as far as they are known, in every output.

As of 12 January 2020: a demand of 20 December 2019 has waited 23 days; one of "2019" at least 12
(it was sent by 31 December 2019, perhaps long before); one of "2019-03/.." (March 2019 or any
day since) and one of "2020-01" (a month not over) for a number of days nobody knows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Run

AS_OF = "2020-01-12"
#: Each demand's date, and the id ``add-demand`` gives it.
DEMANDS = {
    "known": ("2019-12-20", "2019-12-20-known-day"),
    "year": ("2019", "2019-sent-some-day-2019"),
    "open": ("2019-03/..", "2019-03-sent-since-march"),
    "month": ("2020-01", "2020-01-sent-this-month"),
}
SUBJECTS = {
    "known": "Known day",
    "year": "Sent some day of 2019",
    "open": "Sent since March",
    "month": "Sent this month",
}
LOCALES = {"en": "C.UTF-8", "es": "es_ES.UTF-8", "fr": "fr_FR.UTF-8"}


@pytest.fixture
def demands(run: Run, case_file: Path) -> dict[str, str]:
    """The four demands, none answered; their ids by what their date is."""
    ids = {}
    for name, (date, expected) in DEMANDS.items():
        ids[name] = run("add-demand", "--date", date, "--to", "SFP", "--subject", SUBJECTS[name]).stdout.strip()
        assert ids[name] == expected
    return ids


def _speak(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    monkeypatch.setenv("LANG", LOCALES[language])


# --- list and show --json: days_unanswered as always, and how far it is a count ----------------


def test_json_records_say_how_far_days_unanswered_is_a_count(run: Run, demands: dict[str, str]) -> None:
    records = {record["id"]: record for record in json.loads(run("list", "demands", "--json", "--as-of", AS_OF).stdout)}
    found = {name: records[id] for name, id in demands.items()}
    # days_unanswered is what it always was (counted from the last day the date allows, or its first).
    assert {name: record["days_unanswered"] for name, record in found.items()} == {
        "known": 23,
        "year": 12,
        "open": 317,
        "month": 11,
    }
    assert {name: record["days_unanswered_known"] for name, record in found.items()} == {
        "known": "exact",
        "year": "at_least",
        "open": None,
        "month": None,
    }
    shown = json.loads(run("show", demands["year"], "--json", "--as-of", AS_OF).stdout)
    assert (shown["days_unanswered"], shown["days_unanswered_known"]) == (12, "at_least")


def test_an_answered_demand_has_no_days_and_nothing_known(run: Run, demands: dict[str, str]) -> None:
    run("respond", demands["year"], "--date", "2020-01-02", "--status", "refused")
    shown = json.loads(run("show", demands["year"], "--json", "--as-of", AS_OF).stdout)
    assert (shown["days_unanswered"], shown["days_unanswered_known"]) == (None, None)


@pytest.mark.parametrize(
    ("language", "at_least"),
    [
        ("en", "days_unanswered: at least 12"),
        ("es", "days_unanswered: al menos 12"),
        ("fr", "days_unanswered: au moins 12"),
    ],
)
def test_show_gives_days_only_as_far_as_they_are_known(
    run: Run, demands: dict[str, str], monkeypatch: pytest.MonkeyPatch, language: str, at_least: str
) -> None:
    _speak(monkeypatch, language)
    shown = {name: run("show", id, "--as-of", AS_OF).stdout.splitlines() for name, id in demands.items()}
    assert "days_unanswered: 23" in shown["known"]
    assert at_least in shown["year"]
    for name in ("open", "month"):  # no count at all: the status says it is unanswered
        assert "status: unanswered" in shown[name]
        assert not [line for line in shown[name] if line.startswith("days_unanswered")], shown[name]
    assert not any("days_unanswered_known" in line for lines in shown.values() for line in lines)


# --- list demands: the status with the days, as far as they are known --------------------------


@pytest.mark.parametrize(
    ("language", "known", "at_least", "to"),
    [
        ("en", "unanswered (23 days)", "unanswered (at least 12 days)", "to SFP: "),
        ("es", "sin respuesta (23 días)", "sin respuesta (al menos 12 días)", "a SFP: "),
        ("fr", "sans réponse (23 jours)", "sans réponse (au moins 12 jours)", "à SFP\u00a0: "),
    ],
)
def test_list_gives_days_only_as_far_as_they_are_known(
    run: Run,
    demands: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    known: str,
    at_least: str,
    to: str,
) -> None:
    _speak(monkeypatch, language)
    lines = run("list", "demands", "--as-of", AS_OF).stdout.splitlines()
    status = {line.split("\t")[0]: line.split("\t")[2] for line in lines}
    unanswered = known.split(" (", maxsplit=1)[0]  # the status in the user's words: "sin respuesta", "sans réponse"
    assert {name: status[id] for name, id in demands.items()} == {
        "known": known,
        "year": at_least,
        "open": unanswered,
        "month": unanswered,
    }
    assert f"2019-03/..\t{unanswered}\t{to}{SUBJECTS['open']}" in lines[1]


def test_list_counts_one_day_in_each_languages_words(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("add-demand", "--date", "2019-12", "--to", "SFP", "--subject", "S")
    said = {}
    for language in LOCALES:
        _speak(monkeypatch, language)
        said[language] = run("list", "demands", "--as-of", "2020-01-01").stdout.split("\t")[2]
    assert said == {
        "en": "unanswered (at least 1 day)",
        "es": "sin respuesta (al menos 1 día)",
        "fr": "sans réponse (au moins 1 jour)",
    }


def test_one_known_day_is_said_in_the_singular(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("add-demand", "--date", "2019-12-31", "--to", "SFP", "--subject", "S")
    listed, shown = {}, {}
    for language in LOCALES:
        _speak(monkeypatch, language)
        listed[language] = run("list", "demands", "--as-of", "2020-01-01").stdout.split("\t")[2]
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("COLUMNS", "200")
        table = re.sub(r"\x1b\[[0-9;]*m", "", run("timeline", "--as-of", "2020-01-01").stdout)
        monkeypatch.delenv("FORCE_COLOR")
        shown[language] = next(part.strip() for part in table.split("│") if "(1 " in part)
    assert listed == {"en": "unanswered (1 day)", "es": "sin respuesta (1 día)", "fr": "sans réponse (1 jour)"}
    assert shown == listed  # the table says it as the list does


# --- timeline: the table (in the user's language), the piped rows and --json -------------------


@pytest.mark.parametrize(
    ("language", "known", "at_least"),
    [
        ("en", "unanswered (23 days)", "unanswered (at least 12 days)"),
        ("es", "sin respuesta (23 días)", "sin respuesta (al menos 12 días)"),
        ("fr", "sans réponse (23 jours)", "sans réponse (au moins 12 jours)"),
    ],
)
def test_the_timeline_table_gives_days_only_as_far_as_they_are_known(
    run: Run, demands: dict[str, str], monkeypatch: pytest.MonkeyPatch, language: str, known: str, at_least: str
) -> None:
    _speak(monkeypatch, language)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    table = re.sub(r"\x1b\[[0-9;]*m", "", run("timeline", "--as-of", AS_OF).stdout)  # the table's styles
    cells = {
        cell[3]: cell[4]
        for cell in ([part.strip() for part in line.split("│")] for line in table.splitlines())
        if len(cell) == 6
    }
    unanswered = known.split(" (", maxsplit=1)[0]
    assert {name: cells[id] for name, id in demands.items()} == {
        "known": known,
        "year": at_least,
        "open": unanswered,
        "month": unanswered,
    }


def test_piped_timeline_rows_and_json_give_days_only_as_far_as_they_are_known(
    run: Run, demands: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _speak(monkeypatch, "es")  # piped rows and --json are for scripts: English whatever the language
    piped = [line.split("\t") for line in run("timeline", "--as-of", AS_OF).stdout.splitlines()]
    assert {row[2]: row[3] for row in piped} == {
        demands["known"]: "unanswered, 23 days without answer",
        demands["year"]: "unanswered, at least 12 days without answer",
        demands["open"]: "unanswered",
        demands["month"]: "unanswered",
    }
    rows = json.loads(run("timeline", "--json", "--as-of", AS_OF).stdout)["rows"]
    assert {row["id"]: (row["status"], row["days_unanswered"], row["days_unanswered_known"]) for row in rows} == {
        demands["known"]: ("unanswered, 23 days without answer", 23, "exact"),
        demands["year"]: ("unanswered, at least 12 days without answer", 12, "at_least"),
        demands["open"]: ("unanswered", 317, None),
        demands["month"]: ("unanswered", 11, None),
    }


# --- draft-reminder: the days without answer, as far as they are known -------------------------


@pytest.mark.parametrize(
    ("language", "known", "at_least", "undated"),
    [
        (
            "en",
            "As of 12 January 2020, 23 days have passed without a response.",
            "As of 12 January 2020, at least 12 days have passed without a response.",
            "As of 12 January 2020, no response has been received.",
        ),
        (
            "es",
            "Al 12 de enero de 2020, han transcurrido 23 días sin respuesta.",
            "Al 12 de enero de 2020, han transcurrido al menos 12 días sin respuesta.",
            "Al 12 de enero de 2020, no se ha recibido respuesta.",
        ),
        (
            "fr",
            "Au 12 janvier 2020, 23 jours se sont écoulés sans réponse.",
            "Au 12 janvier 2020, au moins 12 jours se sont écoulés sans réponse.",
            "Au 12 janvier 2020, aucune réponse n'a été reçue.",
        ),
    ],
)
def test_the_reminder_gives_days_only_as_far_as_they_are_known(
    run: Run, demands: dict[str, str], language: str, known: str, at_least: str, undated: str
) -> None:
    said = {
        name: run("draft-reminder", id, "--language", language, "--as-of", AS_OF).stdout for name, id in demands.items()
    }
    assert known in said["known"]
    assert at_least in said["year"]
    for name in ("open", "month"):
        assert undated in said[name]
        assert not re.search(r"\b(317|11|once|onze)\b", said[name]), said[name]  # no guessed count


def test_the_reminder_counts_one_day_in_each_languages_words(run: Run, case_file: Path) -> None:
    demand = run("add-demand", "--date", "2019-12", "--to", "SFP", "--subject", "S").stdout.strip()
    said = [
        run("draft-reminder", demand, "--language", language, "--as-of", "2020-01-01").stdout for language in LOCALES
    ]
    assert "As of 1 January 2020, at least one day has passed without a response." in said[0]
    assert "Al 1 de enero de 2020, ha transcurrido al menos un día sin respuesta." in said[1]
    assert "Au 1er janvier 2020, au moins un jour s'est écoulé sans réponse." in said[2]


@pytest.mark.parametrize(
    ("language", "sentence_start"), [("en", "As of 12 January 2020"), ("es", "Al 12 de enero"), ("fr", "Au 12 janvier")]
)
def test_a_reminder_about_an_answered_demand_counts_no_days(
    run: Run, demands: dict[str, str], language: str, sentence_start: str
) -> None:
    """It said "zero days have passed without a response" of a demand refused long before."""
    run("respond", demands["known"], "--date", "2019-12-30", "--status", "refused")
    result = run("draft-reminder", demands["known"], "--language", language, "--as-of", AS_OF)
    assert sentence_start not in result.stdout
    # The sentence on the demand ends its paragraph (each language quotes the subject: «Known day»).
    ends = {"es": "Known day».\n", "fr": "Known day\u00a0».\n"}.get(language, "Known day”.\n")
    assert ends in result.stdout
    assert f"{demands['known']} already has a response: check that a reminder is still needed." in result.stderr


# --- exports: TimelineJS -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "known", "at_least", "undated"),
    [
        (
            "en",
            "No response has been received: 23 days have passed as of 12 January 2020.",
            "No response has been received: at least 12 days have passed as of 12 January 2020.",
            "No response has been received as of 12 January 2020.",
        ),
        (
            "es",
            "No se ha recibido respuesta: han transcurrido 23 días al 12 de enero de 2020.",
            "No se ha recibido respuesta: han transcurrido al menos 12 días al 12 de enero de 2020.",
            "No se ha recibido respuesta al 12 de enero de 2020.",
        ),
        (
            "fr",
            "Aucune réponse n&#x27;a été reçue\u00a0: 23 jours se sont écoulés au 12 janvier 2020.",
            "Aucune réponse n&#x27;a été reçue\u00a0: au moins 12 jours se sont écoulés au 12 janvier 2020.",
            "Aucune réponse n&#x27;a été reçue au 12 janvier 2020.",
        ),
    ],
)
def test_the_timelinejs_slides_give_days_only_as_far_as_they_are_known(
    run: Run, demands: dict[str, str], language: str, known: str, at_least: str, undated: str
) -> None:
    document = json.loads(run("export", "--format", "timeline", "--language", language, "--as-of", AS_OF).stdout)
    texts = {slide["unique_id"]: slide["text"]["text"] for slide in document["events"]}
    assert {name: texts[id] for name, id in demands.items()} == {
        "known": f"<p>{known}</p>",
        "year": f"<p>{at_least}</p>",
        "open": f"<p>{undated}</p>",
        "month": f"<p>{undated}</p>",
    }


# --- exports: the SVG picture (and the HTML letter's figure) -----------------------------------


@pytest.mark.parametrize(
    ("language", "known", "at_least", "undated", "dates"),
    [
        (
            "en",
            "(unanswered, 23 days)",
            "(unanswered, at least 12 days)",
            "(unanswered)",
            ["2019", "Since March 2019", "20 December 2019", "January 2020"],
        ),
        (
            "es",
            "(sin respuesta, 23 días)",
            "(sin respuesta, al menos 12 días)",
            "(sin respuesta)",
            ["2019", "Desde marzo de 2019", "20 de diciembre de 2019", "Enero de 2020"],
        ),
        (
            "fr",
            "(sans réponse, 23 jours)",
            "(sans réponse, au moins 12 jours)",
            "(sans réponse)",
            ["2019", "Depuis mars 2019", "20 décembre 2019", "Janvier 2020"],
        ),
    ],
)
def test_the_svg_gives_days_only_as_far_as_they_are_known(
    run: Run, demands: dict[str, str], language: str, known: str, at_least: str, undated: str, dates: list[str]
) -> None:
    """It counted "2019" from 1 January 2019 (376 days): no count at all was further from the truth.
    Its dates are written in its language, as the letter writes them (they were ISO: "2019-03/..")."""
    svg = run("export", "--format", "svg", "--language", language, "--as-of", AS_OF).stdout
    titles = re.findall(r"<title>[0-9]+\. ([^<]*)</title>", svg)
    colon = "\u00a0: " if language == "fr" else ": "  # French sets a no-break space before a colon
    assert titles == [
        f"{dates[0]}{colon}SFP{colon}{SUBJECTS['year']} {at_least}",
        f"{dates[1]}{colon}SFP{colon}{SUBJECTS['open']} {undated}",
        f"{dates[2]}{colon}SFP{colon}{SUBJECTS['known']} {known}",
        f"{dates[3]}{colon}SFP{colon}{SUBJECTS['month']} {undated}",
    ]
    key = re.findall(r">[0-9]+\. ([^<]*) — ([^<]*)</text>", svg)  # the numbered key below the chart says the same
    assert key == [tuple(title.split(colon, 1)) for title in titles]
