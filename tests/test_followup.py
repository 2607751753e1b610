"""Sign-off digests, diff-since, reminders, filing and stages, status and the ICS calendar."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import icalendar
import pytest

from tests.conftest import DATA, Run


@pytest.fixture
def case(run: Run, tmp_path: Path) -> Path:
    """The fixture case, with its letter dated."""
    path = tmp_path / "case.toml"
    shutil.copy(DATA / "fixture.toml", path)
    run("set-letter-date", "2018-07-16", "-f", str(path))
    return path


class FakeDate(datetime.date):
    """A ``date`` whose today() is fixed, to run commands "on another day"."""

    fixed = datetime.date(2018, 7, 16)

    @classmethod
    def today(cls) -> FakeDate:
        return cls(cls.fixed.year, cls.fixed.month, cls.fixed.day)


def test_sign_off_digest_is_the_same_on_any_day(run: Run, case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datetime, "date", FakeDate)
    FakeDate.fixed = datetime.date(2018, 7, 1)
    first = run("sign-off", "articulo", "-f", str(case)).stdout.strip()
    FakeDate.fixed = datetime.date(2019, 3, 9)
    second = run("sign-off", "fundar", "-f", str(case)).stdout.strip()
    assert first == second and first.startswith("sha256:") and len(first) == 71
    drafted = run("draft-complaint", "-f", str(case))
    assert f"casefile: letter digest {first}" in drafted.stderr
    status = json.loads(run("status", "--json", "-f", str(case)).stdout)
    states = {entry["signatory"]: entry["state"] for entry in status["sign_off"]}
    assert states["articulo-19"] == states["fundar"] == "approved"
    assert states["cidac"] == "pending"
    assert status["sign_off"][0]["approved_on"] == "2018-07-01"


def test_sign_off_needs_a_fixed_letter_date(run: Run, tmp_path: Path) -> None:
    shutil.copy(DATA / "fixture.toml", tmp_path / "case.toml")
    assert "set-letter-date" in run("sign-off", "articulo", "-f", str(tmp_path / "case.toml"), code=2).stderr


def test_text_change_makes_approval_out_of_date(run: Run, case: Path) -> None:
    run("sign-off", "articulo", "--date", "2018-07-10", "-f", str(case))
    run("check", "-f", str(case), "--as-of", "2018-07-12")
    run(
        "edit",
        "2017-02-11",
        "--title",
        "Citizen Lab shows spyware attacks on three soda-tax advocates",
        "-f",
        str(case),
    )
    result = run("check", "-f", str(case), "--as-of", "2018-07-12", code=1)
    assert "error: [approval-out-of-date] articulo-19" in result.stdout
    assert "casefile diff-since articulo-19" in result.stdout
    status = run("status", "-f", str(case), "--as-of", "2018-07-12").stdout
    assert "OUT OF DATE: approved an earlier text on 10 July 2018" in status
    assert "Readiness: not ready" in status
    # Approving again brings it back.
    run("sign-off", "articulo", "--date", "2018-07-12", "-f", str(case))
    run("check", "-f", str(case), "--as-of", "2018-07-12")


def test_changing_the_letter_date_also_changes_the_text(run: Run, case: Path) -> None:
    run("sign-off", "articulo", "-f", str(case))
    run("set-letter-date", "2018-07-20", "-f", str(case))
    assert "approval-out-of-date" in run("check", "-f", str(case), code=1).stdout


def test_diff_since_shows_the_changes(run: Run, case: Path) -> None:
    run("sign-off", "fundar", "--date", "2018-07-10", "-f", str(case))
    assert "No change since fundar" in run("diff-since", "fundar", "-f", str(case)).stderr
    run("edit", "2017-05-23", "--title", "The core group walks out of the Secretariat", "-f", str(case))
    diff = run("diff-since", "fundar", "-f", str(case)).stdout
    assert diff.startswith("--- approved by fundar on 2018-07-10\n+++ current letter\n")
    assert "-- **23 May 2017**: The ten core-group organisations leave" in diff
    assert "+- **23 May 2017**: The core group walks out of the Secretariat" in diff
    assert "has not approved" in run("diff-since", "cidac", "-f", str(case), code=2).stderr


def test_approved_texts_are_kept_once(run: Run, case: Path) -> None:
    run("sign-off", "articulo", "-f", str(case))
    run("sign-off", "fundar", "-f", str(case))
    assert case.read_text().count("[[approved_texts]]") == 1
    assert case.read_text().count("[[approvals]]") == 2


def test_draft_and_record_reminder(run: Run, case: Path) -> None:
    text = run("draft-reminder", "2017-04-20", "--as-of", "2017-06-01", "-f", str(case)).stdout
    assert text.startswith("1 June 2017\n\n**Subject: Reminder – the minutes of the last Secretariat meeting**")
    assert "To the Ministry of Public Administration (SFP):" in text
    assert "On 20 April 2017, a demand was sent to you on behalf of the signatories" in text
    assert "We had asked for an answer by 20 May 2017. As of 1 June 2017, 42 days have passed" in text
    run("record-reminder", "2017-04-20", "--date", "2017-06-02", "--channel", "email", "-f", str(case))
    demand = json.loads(run("show", "2017-04-20", "--json", "-f", str(case)).stdout)
    assert demand["reminders"] == [{"date": "2017-06-02", "channel": "email", "note": ""}]
    again = run("draft-reminder", "2017-04-20", "--as-of", "2017-07-01", "--language", "es", "-f", str(case)).stdout
    assert "Ya se envió un recordatorio el 2 de junio de 2017." in again


def test_filing_stages_and_status(run: Run, case: Path) -> None:
    assert (
        "record the filing first"
        in run("record-stage", "eligible", "--date", "2018-08-24", "-f", str(case), code=2).stderr
    )
    run("record-filing", "--date", "2018-07-16", "-f", str(case))
    run("record-stage", "acknowledged", "--date", "2018-07-20", "--note", "Receipt confirmed", "-f", str(case))
    run(
        "record-stage",
        "eligible",
        "--date",
        "2018-08-24",
        "--source",
        "https://www.opengovpartnership.org/ogp-response-policy/response-policy-case-mexico/",
        "-f",
        str(case),
    )
    run(
        "record-stage",
        "recommendation",
        "--date",
        "2019-05-02",
        "--deadline",
        "2019-07-01",
        "--note",
        "Set up a coordination committee",
        "-f",
        str(case),
    )
    assert (
        "goes with a recommendation"
        in run(
            "record-stage", "report", "--date", "2019-05-02", "--deadline", "2019-07-01", "-f", str(case), code=2
        ).stderr
    )
    status = json.loads(run("status", "--json", "--as-of", "2019-08-01", "-f", str(case)).stdout)
    assert status["filing"] == {"date": "2018-07-16", "channel": "email", "to": "info@opengovpartnership.org"}
    assert [stage["stage"] for stage in status["stages"]] == ["acknowledged", "eligible", "recommendation"]
    assert [(step["stage"], step["planned"]) for step in status["next"]] == [
        ("government-response", "2018-11-23"),
        ("report", "2019-05-21"),
        ("resolution", "2020-01-07"),
    ]
    assert all("not an OGP rule" in step["basis"] for step in status["next"])
    overdue = {(item["kind"], item["deadline"]) for item in status["overdue"]}
    assert ("recommendation", "2019-07-01") in overdue
    assert ("demand", "2017-05-20") in overdue  # the unanswered demand to the SFP
    text = run("status", "--as-of", "2019-08-01", "-f", str(case)).stdout
    assert "Filing: 16 July 2018 by email to info@opengovpartnership.org" in text
    assert "Next expected: government-response around 23 November 2018" in text
    assert "recommendation recommendation-3: deadline 1 July 2019 (Set up a coordination committee)" in text


def test_ics_export_parses_back(run: Run, case: Path) -> None:
    from casefile.exchange.ics import render_ics
    from casefile.storage.store import load

    run("record-filing", "--date", "2018-07-16", "-f", str(case))
    run(
        "record-stage",
        "recommendation",
        "--date",
        "2019-05-02",
        "--deadline",
        "2019-07-01",
        "--note",
        "Roadmap, with a comma; and more",
        "-f",
        str(case),
    )
    text = render_ics(load(case).case, as_of=datetime.date(2018, 7, 16))
    assert text == render_ics(load(case).case, as_of=datetime.date(2018, 7, 16))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(text)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert events["Deadline: answer from the Ministry of Public Administration (SFP)"]["DTSTART"].dt == datetime.date(
        2017, 5, 20
    )
    assert events["Deadline of an OGP recommendation"]["DESCRIPTION"] == "Roadmap, with a comma; and more"
    assert events["Expected: eligible (Mexico)"]["DTSTART"].dt == datetime.date(2018, 8, 27)
    assert len({str(event["UID"]) for event in calendar.walk("VEVENT")}) == len(events)


@pytest.mark.parametrize(
    ("language", "summaries", "planning"),
    [
        (
            "es",
            [
                "Plazo: respuesta de la Secretaría de la Función Pública (SFP)",
                "Previsto: declaración de admisibilidad (México)",
            ],
            "Fecha de planificación: los casos anteriores tardaron unas 6 semanas desde la presentación; es una",
        ),
        (
            "fr",
            [
                "Échéance\u00a0: réponse du ministère de la Fonction publique",
                "Prévu\u00a0: déclaration de recevabilité (Mexique)",
            ],
            "Date de planification\u00a0: les dossiers passés ont pris environ 6 semaines depuis le dépôt\u00a0;",
        ),
    ],
)
def test_ics_export_speaks_the_letters_language(
    run: Run, case: Path, tmp_path: Path, language: str, summaries: list[str], planning: str
) -> None:
    """Its entries were in English whatever the language: "Deadline: answer from…", "Expected: eligible"."""
    run("record-filing", "--date", "2018-07-16", "-f", str(case))
    output = tmp_path / "case.ics"
    run(
        "export",
        "--format",
        "ics",
        "--as-of",
        "2018-07-16",
        "--language",
        language,
        "--output",
        str(output),
        "-f",
        str(case),
    )
    events = icalendar.Calendar.from_ical(output.read_text(encoding="utf-8")).walk("VEVENT")
    said = {str(event["SUMMARY"]): str(event["DESCRIPTION"]) for event in events}
    for summary in summaries:
        assert any(text.startswith(summary) for text in said), (summary, list(said))
    assert any(text.startswith(planning) for text in said.values()), list(said.values())
    assert not any("Deadline" in text or "Expected" in text for text in said)
    english = tmp_path / "en.ics"
    run(
        "export",
        "--format",
        "ics",
        "--as-of",
        "2018-07-16",
        "--language",
        "en",
        "--output",
        str(english),
        "-f",
        str(case),
    )
    uids = {str(event["UID"]) for event in icalendar.Calendar.from_ical(english.read_text()).walk("VEVENT")}
    assert {str(event["UID"]) for event in events} == uids  # the same entries, in another language


def test_export_format_ics(run: Run, case: Path, tmp_path: Path) -> None:
    run("record-filing", "--date", "2018-07-16", "-f", str(case))
    run("export", "--format", "ics", "--as-of", "2018-07-16", "--output", str(tmp_path / "case.ics"), "-f", str(case))
    calendar = icalendar.Calendar.from_ical((tmp_path / "case.ics").read_bytes())
    summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert "Expected: acknowledged (Mexico)" in summaries


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Earlier reminders were sent on 2 May 2024, in September 2024 and on 1 October 2024."),
        ("es", "Ya se enviaron recordatorios el 2 de mayo de 2024, en septiembre de 2024 y el 1 de octubre de 2024."),
        ("fr", "Des rappels ont déjà été envoyés le 2 mai 2024, en septembre 2024 et le 1er octobre 2024."),
    ],
)
def test_a_reminder_names_the_earlier_ones_as_a_sentence_does(
    run: Run, case_file: Path, language: str, sentence: str
) -> None:
    """It said "Earlier reminders were sent on: 2 May 2024, September 2024, 1 October 2024."."""
    run("add-demand", "--date", "2024-04-01", "--to", "the Ministry", "--subject", "Publish it")
    for day in ("2024-05-02", "2024-09", "2024-10-01"):
        run("record-reminder", "2024-04-01", "--date", day)
    reminder = run("draft-reminder", "2024-04-01", "--as-of", "2024-11-15", "--language", language).stdout
    assert sentence in " ".join(reminder.split())


@pytest.mark.parametrize(
    ("locale", "line"),
    [
        ("C.UTF-8", "Readiness: not ready (1 error, 1 warning; see casefile check)"),
        ("es_MX.UTF-8", "Preparación: no está lista (1 error, 1 aviso; véase casefile check)"),
    ],
)
def test_status_says_readiness_with_one_colon(
    run: Run, case_file: Path, locale: str, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said "Readiness: not ready: 1 error, 1 warning (casefile check)"."""
    monkeypatch.setenv("LANG", locale)
    assert line in run("status", "--as-of", "2017-05-23").stdout


def test_filing_a_letter_check_finds_errors_in_is_recorded_with_a_warning(
    run: Run, case: Path, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letter sent with errors (here: no signatory) was probably sent by mistake: the filing is a
    fact and is recorded, and the user is told at once, in their language; a ready letter is not."""
    ready = run("record-filing", "--date", "2018-07-16", "-f", str(case)).stderr
    assert "warning" not in ready
    filed = run("record-filing", "--date", "2018-07-16", "-f", str(case_file)).stderr
    assert "casefile: warning: the letter had 1 error when filed (`casefile check` shows it)" in filed
    assert '[case.filing]\ndate = "2018-07-16"' in case_file.read_text(encoding="utf-8")  # recorded all the same
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    filed = run("record-filing", "--date", "2018-07-17", "-f", str(case_file)).stderr
    assert "casefile: aviso: la carta tenía 1 error al presentarse (`casefile check` lo muestra)" in filed
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    filed = run("record-filing", "--date", "2018-07-17", "-f", str(case_file)).stderr
    assert "la lettre comportait 1\u00a0erreur" in filed or "la lettre comportait 1 erreur" in filed


def test_status_of_a_case_without_signatories_says_so(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not "0 of 0 approved the current text": there is no one yet to approve it."""
    expected = {
        "C": "Sign-off: no signatories yet (casefile add-signatory)",
        "es_ES.UTF-8": "Aprobaciones: aún no hay firmantes (casefile add-signatory)",
        "fr_FR.UTF-8": "Approbations\u00a0: pas encore de signataires (casefile add-signatory)",
    }
    for locale, line in expected.items():
        monkeypatch.setenv("LANG", locale)
        shown = run("status", "-f", str(case_file)).stdout
        assert line in shown.splitlines() and "0 of 0" not in shown and "0 de 0" not in shown, shown


@pytest.mark.parametrize(
    ("language", "subject", "repeated"),
    [
        ("es", "Recordatorio – la reapertura del periodo de consulta", "La reapertura del periodo de consulta"),
        ("fr", "Rappel – la réouverture de la période de consultation", "La réouverture de la période de consultation"),
    ],
)
def test_a_request_repeated_by_its_subject_starts_its_paragraph_with_a_capital(
    run: Run, tmp_path: Path, language: str, subject: str, repeated: str
) -> None:
    # A subject translated to fit "con el asunto «la reapertura…»" stood alone in lowercase.
    path = tmp_path / "us.toml"
    shutil.copy(DATA / "us.toml", path)
    options = ("--as-of", "2020-08-03", "--language", language, "-f", str(path))
    text = run("draft-reminder", "2020-02", *options).stdout.replace("\u00a0", " ")
    assert subject in text
    assert f":\n\n{repeated}\n\n" in text
