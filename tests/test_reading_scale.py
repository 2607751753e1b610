"""The reading commands (check, status, timeline, list --json) on large cases: same answers, linear work.

The fast paths are checked against plain reference code (what the rules did before they were made
fast), and the work each command does is counted in steps (Python lines and calls), which do not
depend on the machine's speed: four times the events may cost about four times the steps, never sixteen.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import case_text
from hypothesis import given
from hypothesis import strategies as st

from casefile.case import timeline
from casefile.case.model import Case
from casefile.letter import textchecks
from casefile.storage import store
from casefile.terminal import shown_fields, shown_table
from tests.conftest import Run

DAY = datetime.date(2025, 1, 1)

# What private_data_in_public_text looked for before its fast paths, kept here as the reference.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w/.-])\+?\(?\d[\d ().-]{7,}\d(?![\w/-])")
_NOT_PHONE = re.compile(r"\d{4}-\d{2}(-\d{2})?|\d{4}\s*[-/]\s*\d{4}")


def _reference_phone(text: str) -> bool:
    for match in _PHONE.finditer(text):
        found = match.group(0)
        if sum(char.isdigit() for char in found) >= 8 and not _NOT_PHONE.fullmatch(found.strip()):
            return True
    return False


def _reference_private_data(case: Case) -> list[tuple[str, str]]:
    found = []
    for item_id, field, text in textchecks._public_texts(case):
        if _EMAIL.search(text):
            found.append((item_id, f"The {field} holds an email address"))
        if _reference_phone(text):
            found.append((item_id, f"The {field} holds a phone number"))
    return found


PHONE_LIKE = [
    "Llamen al +52 (55) 1234-5678 antes del lunes.",
    "Appelez le 01 23 45 67 89.",
    "Between 1999 - 2004 and 2017-03-12 nothing happened.",
    "Code 12345678 on the form",
    "file/2017.12.31.pdf and a/12345678",
    "Tel. ٠١٢٣٤٥٦٧٨٩ (Arabic-Indic digits)",
    "Fullwidth ０１２３ ４５６７ ８９",
    "Devanagari ०१२३४५६७८९ number",
    "Superscripts ¹²³ ⁴⁵⁶ ⁷⁸⁹ are not digits",
    "An email: maria.perez+ogp@fundar.org.mx.",
    "Not an email: @handle and name@ alone",
    "Accents and a year: en marzo de 2017 la Secretaría",
    "Ñandú 98765 4321",
    "",
]


@pytest.mark.parametrize("text", PHONE_LIKE)
def test_the_phone_and_email_tests_match_the_plain_patterns(text: str) -> None:
    assert textchecks._has_phone(text) == _reference_phone(text)
    assert ("@" in text and _EMAIL.search(text) is not None) == (_EMAIL.search(text) is not None)


@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789 ().-+/@_a.ñé٣０१²\n\t")) | st.characters(),
        max_size=60,
    )
)
def test_the_phone_test_matches_the_plain_pattern_on_any_text(text: str) -> None:
    assert textchecks._has_phone(text) == _reference_phone(text)


@given(st.lists(st.sampled_from(PHONE_LIKE) | st.text(alphabet="0123456789 @.ab-٣\n", max_size=20), max_size=12))
def test_private_data_findings_match_the_plain_patterns_on_any_texts(texts: list[str]) -> None:
    public = [(f"item-{number}", "title", text) for number, text in enumerate(texts)]
    case: Any = None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textchecks, "_public_texts", lambda case: public)
        patch.setattr(textchecks, "_CHUNK", 3)  # texts in several groups, of every kind
        found = [(f.item_id, f.message.split(",")[0]) for f in textchecks.private_data_in_public_text(case, DAY)]
        assert found == _reference_private_data(case)


@pytest.fixture
def large_case(isolated: Path) -> Case:
    """A generated case of 2,000 events, some of whose texts hold private data (in several scripts)."""
    path = isolated / "casefile.toml"
    path.write_text(case_text(2_000), encoding="utf-8")
    case = store.load(path).case
    events = list(case.events)
    for number in range(0, len(events), 23):
        event = events[number]
        extra = PHONE_LIKE[number % len(PHONE_LIKE)]
        events[number] = dataclasses.replace(event, title=f"{event.title} {extra}")
        if number % 3 == 0:
            events[number] = dataclasses.replace(
                events[number], description=f"{event.description}\n\n{PHONE_LIKE[(number + 5) % len(PHONE_LIKE)]}"
            )
    return dataclasses.replace(case, events=tuple(events))


def test_private_data_findings_on_a_large_case_are_the_plain_patterns_findings(large_case: Case) -> None:
    findings = textchecks.private_data_in_public_text(large_case, DAY)
    expected = _reference_private_data(large_case)
    assert len(expected) > 20  # the case does hold private data
    assert [(f.item_id, f.message.split(",")[0]) for f in findings] == expected


#: (findings, SHA-256 of their "severity rule item" lines) on ``large_case`` at each letter date, as
#: casefile gave them before check was made fast (commit 97e4341). A change to benchmarks/generate.py
#: changes them: recompute them with that commit's rules.
FINDINGS_BEFORE = {
    "2005-06-01": (2491, "c5ced54109cf093ab238bb77d34cce492b14d3bb141d4050108579d333ca0df4"),
    "2015-03-15": (2947, "f9d064fe62449405437e7c582c68a073a5ef66f8f24b5ddb0305b1001e3f452c"),
    "2024-12-20": (2966, "b9d2bc0b0d03f79ef0f3b195c1276f037eefeaf680da5bba63f3a6faaa0ecd6e"),
    "2025-01-01": (2962, "25c86d05f5b9cb862096104a556c670054f146ba798476867681b2f248308c85"),
}

#: Rules that did not exist at that commit.
NEWER_RULES = {"ogp-joined"}


@pytest.mark.parametrize("day", sorted(FINDINGS_BEFORE))
def test_check_finds_on_a_large_case_what_it_found_before(large_case: Case, day: str) -> None:
    import hashlib

    from casefile.letter.checks import check

    found = check(large_case, today=datetime.date.fromisoformat(day))
    # Rules added since that commit, each checked on its own: a letter dated 2005 precedes the
    # country's joining OGP (2011), which ogp-joined reports once.
    newer = [f.rule for f in found if f.rule in NEWER_RULES]
    assert newer == (["ogp-joined"] if day < "2011" else [])
    found = [f for f in found if f.rule not in NEWER_RULES]
    lines = "\n".join(f"{f.severity.value} {f.rule} {f.item_id}" for f in found)
    assert (len(found), hashlib.sha256(lines.encode()).hexdigest()) == FINDINGS_BEFORE[day]


# --- Linear work: steps counted at three sizes ---------------------------------------------------


def _steps(action: Callable[[], Any]) -> int:
    """How many Python lines and calls ``action`` runs (a loop's every turn counts), C calls included.

    A count, not a time: it does not depend on the machine or its load.
    """
    count = 0

    def trace(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return trace

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event == "c_call":
            count += 1

    previous_trace, previous_profile = sys.gettrace(), sys.getprofile()
    sys.settrace(trace)
    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.settrace(previous_trace)
        sys.setprofile(previous_profile)
    return count


def _case_of(folder: Path, events: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "casefile.toml"
    path.write_text(case_text(events), encoding="utf-8")
    return path


READING_COMMANDS = [
    ("check", "--as-of", "2025-01-01"),
    ("check", "--json", "--as-of", "2025-01-01"),
    ("status", "--as-of", "2025-01-01"),
    ("timeline", "--as-of", "2025-01-01"),
    ("list", "events", "--json", "--as-of", "2025-01-01"),
]


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_reading_commands_do_linear_work(run: Run, isolated: Path, command: tuple[str, ...]) -> None:
    """Each doubling of the events adds about twice the steps the previous one added (a quadratic
    path adds four times), whatever the command's fixed cost."""

    def steps_for(events: int) -> int:
        path = _case_of(isolated / str(events), events)
        for _ in range(2):  # the first read fills the cache, the second what is kept beside it
            run(*command, "-f", str(path), code=None)
        return _steps(lambda: run(*command, "-f", str(path), code=None))

    small, medium, large = steps_for(600), steps_for(1_200), steps_for(2_400)
    # A command whose work does not grow (a kept result) may still take a few steps more or fewer at
    # one size (a file under 1 MiB is hashed by another function): 100 steps of slack.
    assert large - medium <= 2.5 * max(medium - small, 0) + 100, (small, medium, large)


@pytest.mark.parametrize("command", ["check", "status", "timeline"])
def test_reading_commands_do_linear_work_when_nothing_is_kept(run: Run, isolated: Path, command: str) -> None:
    """The same, for the work itself: each counted run asks for another day, so nothing kept for the
    case's bytes answers it (the case itself is read from the parse cache)."""

    def steps_for(events: int) -> int:
        path = _case_of(isolated / str(events), events)
        run(command, "--as-of", "2024-12-31", "-f", str(path), code=None)
        return _steps(lambda: run(command, "--as-of", "2025-01-01", "-f", str(path), code=None))

    small, medium, large = steps_for(600), steps_for(1_200), steps_for(2_400)
    assert large - medium <= 2.5 * (medium - small), (small, medium, large)


# --- timeline: the rows and the piped lines, against the plain code -----------------------------


def _reference_rows(case: Case, as_of: datetime.date) -> list[timeline.Row]:
    keyed: list[tuple[tuple[int, ...], str, timeline.Row]] = []
    for event in case.events:
        row = timeline.Row(
            date=event.date.text, what=event.title, id=event.id, kind="event", status="", waiting_days=None
        )
        keyed.append((event.date.sort_key(), event.id, row))
    for demand in case.demands:
        status = demand.status(as_of).value
        waiting = demand.waiting(as_of)
        known = None if waiting is None or waiting.known is None else waiting.known.value
        if waiting is not None and known is not None:
            status = f"{status}, {'at least ' if known == 'at_least' else ''}{waiting.days} days without answer"
        row = timeline.Row(
            date=demand.date.text,
            what=f"Demand to {demand.to}: {demand.subject}",
            id=demand.id,
            kind="demand",
            status=status,
            waiting_days=None if waiting is None else waiting.days,
            waiting_known=known,
        )
        keyed.append((demand.date.sort_key(), demand.id, row))
    keyed.sort(key=lambda entry: (entry[0], entry[1]))
    return [row for _, _, row in keyed]


def test_timeline_rows_are_the_plain_sorts_rows(large_case: Case) -> None:
    events = list(large_case.events)
    # Twins (same date and id, as a bad merge leaves them) keep the case's order.
    events += [dataclasses.replace(events[5], title="Twin one"), dataclasses.replace(events[5], title="Twin two")]
    case = dataclasses.replace(large_case, events=tuple(events))
    for day in (DAY, datetime.date(2010, 6, 1)):
        assert timeline.rows(case, as_of=day) == _reference_rows(case, day)


HOSTILE = ["plain", "tab\there", "line\nbreak", "\x1b[2J", "bidi \u202e txt", "nbsp\u00a0ok", "sep\u2028x", "ñandú"]


@given(st.lists(st.tuples(*[st.sampled_from(HOSTILE) | st.text(max_size=5)] * 4), max_size=8))
def test_shown_table_is_shown_fields_line_by_line(rows: list[tuple[str, str, str, str]]) -> None:
    assert shown_table(rows) == "".join(shown_fields(*row) + "\n" for row in rows)
