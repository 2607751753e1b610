"""What ``status`` shows is kept for the case file's bytes and every other input, and made again when any changes.

Drafting the letter for its digest is most of ``status``'s work on a large case, so its data is
kept in the parse cache (:mod:`casefile.storage.derived`). These tests count how often the data is
made, and check that a kept value is never shown for another file, day, template or code.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest

import casefile
from casefile.cli import status as status_command
from casefile.storage import cache, derived
from tests.conftest import Run


@pytest.fixture
def case(mexico_case: Path) -> Path:
    return mexico_case


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[datetime.date]:
    """The days ``status`` worked its data out for (nothing is added when it was kept)."""
    days: list[datetime.date] = []
    work = status_command._status_data

    def counted(loaded: object, today: datetime.date, templates: object) -> object:
        days.append(today)
        return work(loaded, today, templates)  # type: ignore[arg-type]

    monkeypatch.setattr(status_command, "_status_data", counted)
    return days


def _status(run: Run, case: Path, *args: str) -> str:
    return str(run("status", "--json", *args, "-f", str(case)).stdout)


def test_status_is_kept_for_the_same_bytes_and_day(run: Run, case: Path, made: list[datetime.date]) -> None:
    first = _status(run, case, "--as-of", "2018-07-20")
    assert _status(run, case, "--as-of", "2018-07-20") == first
    assert run("status", "--as-of", "2018-07-20", "-f", str(case)).stdout.startswith("Illegal surveillance")
    assert len(made) == 1
    _status(run, case, "--as-of", "2019-07-20")  # another --as-of: made again
    assert made == [datetime.date(2018, 7, 20), datetime.date(2019, 7, 20)]


def test_a_change_to_the_file_is_shown_at_once(run: Run, case: Path, made: list[datetime.date]) -> None:
    before = json.loads(_status(run, case, "--as-of", "2018-07-20"))
    # A hand edit, as a git pull would make it: the same length, one letter changed.
    text = case.read_text(encoding="utf-8")
    text = text.replace("Illegal surveillance of OGP", "Illegal surveillance of OGQ", 1)
    text = text.replace("show evidence of similar attacks", "show evidence of similar attackz", 1)
    case.write_text(text, encoding="utf-8")
    after = json.loads(_status(run, case, "--as-of", "2018-07-20"))
    assert after["case"]["title"].endswith("OGQ participants in Mexico")
    assert after["letter"]["digests"] != before["letter"]["digests"]
    assert len(made) == 2


def test_the_letter_of_today_is_drafted_again_the_next_day(
    run: Run, case: Path, made: list[datetime.date], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no fixed letter date the letter is dated today: its digest changes from day to day."""

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls) -> Tomorrow:
            return cls(2030, 1, 2)

    first = json.loads(_status(run, case, "--as-of", "2018-07-20"))
    monkeypatch.setattr(datetime, "date", Tomorrow)
    second = json.loads(_status(run, case, "--as-of", "2018-07-20"))
    assert first["letter"]["digests"] != second["letter"]["digests"]
    assert len(made) == 2


def test_trusted_templates_and_their_changes_are_inputs(run: Run, case: Path, made: list[datetime.date]) -> None:
    run("set-letter-date", "2018-07-16", "-f", str(case))
    built_in = json.loads(_status(run, case))["letter"]["digests"]
    folder = case.parent / "templates"
    folder.mkdir()
    (folder / "letter.en.md.j2").write_text("Only {{ country }}\n", encoding="utf-8")
    untrusted = run("status", "--json", "-f", str(case))
    assert "not trusted" in untrusted.stderr  # the note is said whether the data was kept or not
    assert json.loads(untrusted.stdout)["letter"]["digests"] == built_in
    run("template", "trust", str(folder))
    trusted = json.loads(_status(run, case))["letter"]["digests"]
    assert trusted != built_in
    assert json.loads(_status(run, case))["letter"]["digests"] == trusted  # kept
    (folder / "letter.en.md.j2").write_text("Changed {{ country }}\n", encoding="utf-8")
    lapsed = run("status", "--json", "-f", str(case))
    assert "changed since" in lapsed.stderr and json.loads(lapsed.stdout)["letter"]["digests"] == built_in
    assert len(made) == 3  # the built-in templates again: what was kept for them is used


def test_other_code_or_other_messages_make_it_again(
    run: Run, case: Path, made: list[datetime.date], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _status(run, case, "--as-of", "2018-07-20")
    monkeypatch.setattr(casefile, "__version__", casefile.__version__ + "+other")
    assert _status(run, case, "--as-of", "2018-07-20") == first
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")  # messages in Spanish
    _status(run, case, "--as-of", "2018-07-20")
    assert len(made) == 3


def test_a_damaged_or_foreign_entry_is_never_used(run: Run, case: Path, made: list[datetime.date]) -> None:
    first = _status(run, case, "--as-of", "2018-07-20")
    entry = cache.folder_for(case.resolve()) / "derived-status"
    data = bytearray(entry.read_bytes())
    data[-3] ^= 0xFF  # a flipped bit in the payload: its SHA-256 no longer matches
    entry.write_bytes(bytes(data))
    assert _status(run, case, "--as-of", "2018-07-20") == first
    # An entry made for other bytes (another file's, copied over) is not this file's.
    other = case.parent / "other.toml"
    shutil.copy(case, other)
    run("edit-case", "--title", "Another case", "-f", str(other))
    _status(run, other, "--as-of", "2018-07-20")
    shutil.copy(cache.folder_for(other.resolve()) / "derived-status", entry)
    assert _status(run, case, "--as-of", "2018-07-20") == first
    assert len(made) == 4


def test_the_code_key_names_casefile(monkeypatch: pytest.MonkeyPatch) -> None:
    key = derived.code_key()
    assert derived.code_key() == key
    monkeypatch.setattr(casefile, "__version__", "0.0.0-other")
    assert derived.code_key() != key


def test_timeline_rows_are_kept_for_the_bytes_and_the_day(
    run: Run, case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casefile.case import timeline

    days: list[datetime.date] = []
    work = timeline.rows

    def counted(case: object, *, as_of: datetime.date) -> object:
        days.append(as_of)
        return work(case, as_of=as_of)  # type: ignore[arg-type]

    monkeypatch.setattr(timeline, "rows", counted)
    piped = run("timeline", "--as-of", "2018-07-20", "-f", str(case)).stdout
    assert run("timeline", "--as-of", "2018-07-20", "-f", str(case)).stdout == piped
    as_json = json.loads(run("timeline", "--json", "--as-of", "2018-07-20", "-f", str(case)).stdout)
    assert [row["id"] for row in as_json["rows"]] == [line.split("\t")[2] for line in piped.splitlines()]
    assert len(days) == 1
    run("timeline", "--as-of", "2019-01-01", "-f", str(case))  # another day
    run("edit", "2017-02-16", "--to", "Secretaría de la Función Pública", "-f", str(case))  # another file
    changed = run("timeline", "--as-of", "2018-07-20", "-f", str(case)).stdout
    assert "Demand to Secretaría de la Función Pública" in changed and changed != piped
    assert len(days) == 3

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls) -> Tomorrow:
            return cls(2030, 1, 2)

    run("timeline", "-f", str(case))  # today's timeline
    run("timeline", "-f", str(case))
    monkeypatch.setattr(datetime, "date", Tomorrow)
    run("timeline", "-f", str(case))  # the next day's: demands have waited a day more
    assert len(days) == 5 and days[-1] == datetime.date(2030, 1, 2)


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[datetime.date]:
    """The letter dates the readiness rules ran for (nothing is added when their findings were kept)."""
    from casefile.letter import checks

    days: list[datetime.date] = []
    work = checks.check

    def counted(case: object, *, today: datetime.date, **options: object) -> object:
        days.append(today)
        return work(case, today=today, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(checks, "check", counted)
    return days


def test_check_findings_are_kept_and_file_modes_looked_at_each_time(
    run: Run, case: Path, checked: list[datetime.date]
) -> None:
    case.chmod(0o600)
    first = run("check", "--as-of", "2018-07-20", "-f", str(case), code=None)
    again = run("check", "--as-of", "2018-07-20", "-f", str(case), code=None)
    assert (again.stdout, again.stderr, again.exit_code) == (first.stdout, first.stderr, first.exit_code)
    assert len(checked) == 1
    case.chmod(0o644)  # the modes of the files are not the case's bytes: looked at every time
    loose = run("check", "--as-of", "2018-07-20", "-f", str(case), code=None).stdout
    assert "[permissions]" in loose and "[permissions]" not in first.stdout
    assert len(checked) == 1
    case.chmod(0o600)
    as_json = json.loads(run("check", "--json", "--as-of", "2018-07-20", "-f", str(case), code=None).stdout)
    assert len(as_json["findings"]) == len(first.stdout.splitlines())
    run("check", "--as-of", "2018-07-20", "--language", "es", "-f", str(case), code=None)  # another language
    run("add-event", "--date", "2018-01-10", "--title", "Not sourced yet", "-f", str(case))  # another file
    changed = run("check", "--as-of", "2018-07-20", "-f", str(case), code=1)
    assert "[event-without-source]" in changed.stdout and "[event-without-source]" not in first.stdout
    assert run("check", "--as-of", "2018-07-20", "-f", str(case), code=1).stdout == changed.stdout  # kept
    assert len(checked) == 3


def test_kept_findings_say_what_the_templates_said(run: Run, case: Path, checked: list[datetime.date]) -> None:
    """With approvals, check drafts the letter for its digest: the note on untrusted templates comes each time."""
    run("set-letter-date", "2018-07-16", "-f", str(case))
    run("sign-off", "articulo", "-f", str(case))
    folder = case.parent / "templates"
    folder.mkdir()
    (folder / "letter.en.md.j2").write_text("Only {{ country }}\n", encoding="utf-8")
    results = [run("check", "-f", str(case), code=None) for _ in range(2)]
    assert len(checked) == 1
    for result in results:
        assert sum("not trusted" in line for line in result.stderr.splitlines()) == 1, result.stderr
        assert "approval-out-of-date" not in result.stdout  # the digest is the built-in letter's, as signed
    assert results[0].stdout == results[1].stdout


def test_findings_about_dates_are_kept_too(
    run: Run, case: Path, checked: list[datetime.date], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding's values may be dates (a fact after the letter's date): they are kept as their text,
    and a kept finding is shown in the user's language as one just made."""
    first = run("check", "--as-of", "2017-03-01", "-f", str(case), code=None)
    assert "[after-letter-date]" in first.stdout
    assert run("check", "--as-of", "2017-03-01", "-f", str(case), code=None).stdout == first.stdout
    assert len(checked) == 1
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    french = run("check", "--as-of", "2017-03-01", "-f", str(case), code=None).stdout
    assert run("check", "--as-of", "2017-03-01", "-f", str(case), code=None).stdout == french
    assert french != first.stdout and "2017-05-23" in french and "2017-05-23" in first.stdout
    assert len(checked) == 2


def test_a_value_is_not_kept_when_the_file_was_replaced_while_it_was_made(
    run: Run, case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scrub replaces the file while ``status`` works: what was made from the old bytes is not kept,
    even when the new file holds the same bytes (it is another file: casefile writes a new one)."""
    days: list[datetime.date] = []
    work = status_command._status_data

    def replaced_meanwhile(loaded: object, today: datetime.date, templates: object) -> object:
        days.append(today)
        copy = case.with_name("replacement.toml")
        shutil.copyfile(case, copy)
        copy.replace(case)
        return work(loaded, today, templates)  # type: ignore[arg-type]

    monkeypatch.setattr(status_command, "_status_data", replaced_meanwhile)
    first = _status(run, case, "--as-of", "2018-07-20")
    assert _status(run, case, "--as-of", "2018-07-20") == first
    assert len(days) == 2  # made again: the first value was not kept
    monkeypatch.setattr(status_command, "_status_data", work)
    _status(run, case, "--as-of", "2018-07-20")  # made and kept now
    monkeypatch.setattr(status_command, "_status_data", replaced_meanwhile)
    assert _status(run, case, "--as-of", "2018-07-20") == first
    assert len(days) == 2  # the kept value, for these very bytes


def test_event_records_are_made_again_by_other_code(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``list events --json``'s kept records name casefile's code: an edited command is never shown stale."""
    from casefile.cli import items

    made: list[int] = []
    work = items._events_json

    def counted(loaded: object) -> bytes:
        made.append(1)
        return work(loaded)

    monkeypatch.setattr(items, "_events_json", counted)
    first = items.events_json(case)
    assert items.events_json(case) == first and len(made) == 1  # kept
    monkeypatch.setattr(derived, "code_key", lambda: "other code")  # as after an edit of cli/items.py
    assert items.events_json(case) == first
    assert len(made) == 2
