"""Each readiness rule, on a case that is ready except for the one thing the test breaks."""

from __future__ import annotations

import dataclasses
import datetime
import json
import shutil

import pytest

from casefile.case.dates import parse_date
from casefile.case.model import Case, Concern, ConcernCategory, Event, Signatory, SignatoryKind, Source
from casefile.letter.checks import RULES, check
from casefile.letter.findings import Severity
from casefile.storage.store import load
from tests.conftest import DATA, Run

TODAY = datetime.date(2025, 3, 1)


def ready() -> Case:
    """The fixture case, which passes every rule without errors or warnings."""
    return load(DATA / "fixture.toml").case


def rules_found(case: Case, severity: Severity | None = None) -> set[str]:
    return {f.rule for f in check(case, today=TODAY) if severity is None or f.severity is severity}


def test_fixture_case_is_ready() -> None:
    findings = check(ready(), today=TODAY)
    assert [f.severity for f in findings] == [Severity.INFO] * len(findings)
    assert {f.rule for f in findings} == {"annex-1", "demand-senders"}


def test_every_rule_is_a_documented_pure_function() -> None:
    for rule in RULES:
        assert rule.__doc__, rule.__name__
        assert rule(ready(), TODAY) == rule(ready(), TODAY)


def test_no_signatories() -> None:
    case = dataclasses.replace(ready(), signatories=(), demands=())
    assert "no-signatories" in rules_found(case, Severity.ERROR)


def test_no_lead() -> None:
    case = ready()
    signatories = tuple(dataclasses.replace(s, role="signatory") for s in case.signatories)  # type: ignore[arg-type]
    assert "no-lead" in rules_found(dataclasses.replace(case, signatories=signatories), Severity.ERROR)


def test_only_individuals() -> None:
    case = dataclasses.replace(
        ready(),
        signatories=(Signatory(id="ana", name="Ana", kind=SignatoryKind.INDIVIDUAL, role="lead"),),
        demands=(),  # type: ignore[arg-type]
    )
    assert "only-individuals" in rules_found(case, Severity.ERROR)


def test_filer_category_missing_says_verify() -> None:
    findings = [
        f for f in check(dataclasses.replace(ready(), filer_category=None), today=TODAY) if f.rule == "filer-category"
    ]
    assert findings and findings[0].severity is Severity.WARNING
    assert "verify against the current Response Policy procedures" in findings[0].message


def test_concern_without_event_and_without_breach() -> None:
    case = ready()
    lonely = Concern(id="lonely", title="Lonely", category=ConcernCategory.MEDIA_FREEDOM)
    findings = check(dataclasses.replace(case, concerns=(*case.concerns, lonely)), today=TODAY)
    by_rule = {(f.rule, f.item_id): f for f in findings}
    assert by_rule["concern-without-event", "lonely"].severity is Severity.ERROR
    assert by_rule["concern-without-breach", "lonely"].severity is Severity.ERROR
    assert "--concern lonely" in by_rule["concern-without-event", "lonely"].message


def test_other_category_needs_text() -> None:
    case = ready()
    concerns = (dataclasses.replace(case.concerns[2], category_other=""), *case.concerns[:2])
    assert "category-other" in rules_found(dataclasses.replace(case, concerns=concerns), Severity.WARNING)


def test_event_without_source() -> None:
    case = ready()
    events = (dataclasses.replace(case.events[0], sources=()), *case.events[1:])
    findings = [
        f for f in check(dataclasses.replace(case, events=events), today=TODAY) if f.rule == "event-without-source"
    ]
    assert [f.item_id for f in findings] == [case.events[0].id]


def test_demand_without_recipient_or_date() -> None:
    case = ready()
    demands = (dataclasses.replace(case.demands[0], to=" ", date=parse_date("../2017-02")), *case.demands[1:])
    findings = [
        f for f in check(dataclasses.replace(case, demands=demands), today=TODAY) if f.rule == "demand-incomplete"
    ]
    assert len(findings) == 2 and all(f.severity is Severity.ERROR for f in findings)


def test_events_before_joining_ogp() -> None:
    case = ready()
    old = Event(id="2009-old", date=parse_date("2009"), title="Old", sources=(Source(url="https://x.example"),))
    findings = check(dataclasses.replace(case, events=(*case.events, old)), today=TODAY)
    assert [(f.rule, f.severity) for f in findings if f.rule == "before-joining"] == [
        ("before-joining", Severity.WARNING)
    ]
    assert [f.item_id for f in findings if f.rule == "before-joining"] == ["2009-old"]


@pytest.mark.parametrize(("joined", "found"), [(2011, False), (2025, False), (1999, True), (2026, True), (99999, True)])
def test_ogp_joined_before_ogp_or_after_the_letter(joined: int, found: bool) -> None:
    """A year the letter would state that cannot be: before OGP existed, or after the letter's date."""
    findings = [
        f for f in check(dataclasses.replace(ready(), ogp_joined=joined), today=TODAY) if f.rule == "ogp-joined"
    ]
    assert [(f.severity, f.item_id) for f in findings] == ([(Severity.ERROR, "")] if found else [])
    if found:
        assert f"joined OGP in {joined} (Mexico)" in findings[0].message


def test_ogp_joined_and_before_joining_name_the_country_in_the_users_language(run: Run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The country is named, not given as its code, in English (--json too), Spanish and French,
    and again when the findings come from the cache."""
    path = tmp_path / "case.toml"
    shutil.copy(DATA / "fixture.toml", path)
    text = path.read_text(encoding="utf-8").replace("ogp_joined = 2011", "ogp_joined = 2030")
    path.write_text(text, encoding="utf-8")
    check_args = ("check", "-f", str(path), "--as-of", "2025-03-01")
    report = json.loads(run(*check_args, "--json", code=1).stdout)
    messages = [f["message"] for f in report["findings"] if f["rule"] in ("ogp-joined", "before-joining")]
    assert messages and all("(Mexico" in message and "MX" not in message for message in messages)
    expected = {
        "es": (
            "el país se incorporó a OGP en 2030 (México), después de la fecha de la carta (1 de marzo de 2025)",
            "anterior a la adhesión del país a OGP (México, 2030)",
        ),
        "fr": (
            "le pays a rejoint l'OGP en 2030 (Mexique), après la date de la lettre (1er mars 2025)",
            "antérieur à l'adhésion du pays à l'OGP (Mexique, 2030)",
        ),
    }
    for language, sentences in expected.items():
        run("config", "language", language)
        for _ in range(2):  # drafted, then from the cache
            shown = run(*check_args, code=1).stdout
            assert all(sentence in shown for sentence in sentences), shown
    run("config", "language", "auto")


def test_addressees_not_verified_recently() -> None:
    case = ready()
    assert "addressees" not in rules_found(case)
    later = check(case, today=datetime.date(2025, 9, 1))
    assert any(f.rule == "addressees" and f.severity is Severity.WARNING and "2025-01-10" in f.message for f in later)
    never = check(dataclasses.replace(case, addressees_verified=None), today=TODAY)
    assert any(f.rule == "addressees" and "never" in f.message for f in never)


@pytest.mark.parametrize("text", ["write to ana.ruiz@example.org", "call +52 55 1234 5678", "tel. (55) 5555-1234"])
def test_private_data_in_public_text(text: str) -> None:
    case = ready()
    events = (dataclasses.replace(case.events[0], description=text), *case.events[1:])
    findings = [f for f in check(dataclasses.replace(case, events=events), today=TODAY) if f.rule == "private-data"]
    assert [f.item_id for f in findings] == [case.events[0].id]


@pytest.mark.parametrize("text", ["In 2017-02-11 the report", "Decree 4-2020 was passed", "Law 1712 of 2014"])
def test_dates_and_law_numbers_are_not_phone_numbers(text: str) -> None:
    case = ready()
    events = (dataclasses.replace(case.events[0], description=text), *case.events[1:])
    assert "private-data" not in rules_found(dataclasses.replace(case, events=events))


def test_routing_hints() -> None:
    case = ready()
    process = (
        Concern(
            id="late",
            title="The action plan was two years late",
            category=ConcernCategory.OTHER,
            category_other="co-creation",
        ),
    )
    assert "route-procedural-review" in rules_found(dataclasses.replace(case, concerns=process, events=()))
    urgent = (dataclasses.replace(case.events[0], tags=("urgent",)), *case.events[1:])
    assert "route-rapid-response" in rules_found(dataclasses.replace(case, events=urgent))
    assert not {"route-procedural-review", "route-rapid-response"} & rules_found(case)


def test_check_cli_exit_codes_and_json(run: Run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(DATA / "fixture.toml", tmp_path / "case.toml")
    result = run("check", "-f", str(tmp_path / "case.toml"), "--as-of", "2025-03-01")
    assert "0 errors" in result.stderr
    report = json.loads(run("check", "--json", "-f", str(tmp_path / "case.toml"), "--as-of", "2025-03-01").stdout)
    assert report["ok"] is True and report["errors"] == 0
    assert {"severity", "rule", "item", "message"} <= set(report["findings"][0])
    run("init", "--title", "Empty", "--country", "Chile", "-f", str(tmp_path / "empty.toml"))
    result = run("check", "-f", str(tmp_path / "empty.toml"), code=1)
    assert "error: [no-signatories]" in result.stdout
    report = json.loads(run("check", "--json", "-f", str(tmp_path / "empty.toml"), code=1).stdout)
    assert report["ok"] is False
