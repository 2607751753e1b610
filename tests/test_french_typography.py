"""French messages set a no-break space before a colon, a semicolon, a question or exclamation mark,
all of them: "s.csv : ligne 2 : …", "avertissement : [rule] id : …". They mixed a space, a no-break
space and none ("s.csv: ligne 2 : …"), and a wrapped help line could begin with the colon."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Run

_PO = Path(__file__).parents[1] / "src/casefile/locale/fr/LC_MESSAGES/casefile.po"


def _msgstrs() -> list[str]:
    """Every French translation, its wrapped lines joined (the header left out)."""
    texts, current, in_msgstr = [], [], False
    for line in _PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            current, in_msgstr = [line.split('"', 1)[1].rstrip('"')], True
            texts.append(current)
        elif in_msgstr and line.startswith('"'):
            current.append(line[1:].rstrip('"'))
        else:
            in_msgstr = False
    return ["".join(parts) for parts in texts if parts != [""]][1:]


def test_every_french_message_puts_a_no_break_space_before_its_colons_and_semicolons() -> None:
    # "? pour une date incertaine" names the sign itself: it is no question mark.
    spaced = [text for text in _msgstrs() if re.search(r"(?<![,~]) [:;?!](?= |$|\\n)", text)]
    assert spaced == []


def test_a_rejected_import_names_its_file_as_french_does(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("s.csv").write_text("date,title\n2024-13-01,x\n", encoding="utf-8")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    said = run("import", "s.csv", "--items", "events", code=2).stderr
    assert said.startswith("casefile\u00a0: erreur\u00a0: s.csv\u00a0: ligne 2\u00a0: «\u00a02024-13-01\u00a0» ")


def test_check_says_the_item_of_a_finding_as_french_does(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("add-event", "--date", "2017-02-11", "--title", "Citizen Lab")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    checked = run("check", code=1).stdout
    assert "erreur\u00a0: [event-without-source] 2017-02-11-citizen-lab\u00a0: Le fait n'a pas de source" in checked
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert (
        "error: [event-without-source] 2017-02-11-citizen-lab: The event has no source" in run("check", code=1).stdout
    )


def test_a_system_error_names_its_file_as_french_does() -> None:
    from casefile.cli import UserError, messages

    messages.setup("fr")
    said = UserError(PermissionError(13, "Permission denied", "/srv/dossier.toml")).message
    assert said == "Permission refusée\u00a0: /srv/dossier.toml"
    messages.setup("en")
    assert UserError(PermissionError(13, "Permission denied", "/x")).message == "Permission denied: /x"
    assert UserError(PermissionError(13, "Permission denied")).message == "Permission denied"


def test_a_broken_case_file_names_its_file_and_field_as_french_does(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "…/casefile.toml: ligne 8 : events[1].date: « … »": the colons after the file and the field
    # were joined in English.
    run("add-event", "--date", "2017-02-11", "--title", "Citizen Lab")
    path = case_file.resolve()
    path.write_text(path.read_text(encoding="utf-8").replace('"2017-02-11"', '"2024-06-99"'), encoding="utf-8")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    said = run("status", code=2).stderr
    assert re.match(
        f"casefile\u00a0: erreur\u00a0: {re.escape(str(path))}\u00a0: ligne \\d+\u00a0: events\\[1\\]\\.date\u00a0: "
        "«\u00a02024-06-99\u00a0» n'est pas une date que casefile comprend\u00a0: juin 2024 n'a pas de jour 99",
        said,
    ), said
    assert " : " not in said and not re.search(r"\S: ", said), said
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    said = run("status", code=2).stderr
    assert re.match(
        f"casefile: error: {re.escape(str(path))}: línea \\d+: events\\[1\\]\\.date: «2024-06-99» no es", said
    )
    monkeypatch.setenv("LANG", "C.UTF-8")
    said = run("status", code=2).stderr
    assert re.match(
        f'casefile: error: {re.escape(str(path))}: line \\d+: events\\[1\\]\\.date: "2024-06-99" is not', said
    )
