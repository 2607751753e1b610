"""Each signatory once: the same organisation under a name written another way is caught."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from casefile.case.dates import parse_date
from casefile.case.model import Case, Signatory
from casefile.case.names import duplicates, folded
from casefile.letter.checks import check
from casefile.storage.store import load
from tests.conftest import DATA, Run

TODAY = parse_date("2025-03-01").first_day()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Acción Ciudadana", "Accion Ciudadana"),
        ("Acción Ciudadana", "Acción Ciudadana."),
        ("Acción Ciudadana", "ACCIÓN  CIUDADANA"),
        ("Fundar, Centro de Análisis", "fundar centro de analisis"),
        ("Observatoire de l'Éthique", "Observatoire de l’éthique"),
    ],
)
def test_names_fold_case_accents_punctuation_and_spaces(first: str, second: str) -> None:
    assert folded(first) == folded(second)


def test_different_names_stay_different() -> None:
    assert folded("Fundar") != folded("Fundación")
    assert folded("Artículo 19") != folded("Artículo 91")


def test_add_signatory_refuses_the_same_name_written_another_way(run: Run, case_file: Path) -> None:
    assert run("add-signatory", "--name", "Acción Ciudadana", "--lead").stdout == "accion-ciudadana\n"
    result = run("add-signatory", "--name", "Accion Ciudadana.", code=2)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "accion-ciudadana" in lines[0] and "--allow-duplicate" in lines[0]
    # A short name already in use names the same organisation too.
    run("add-signatory", "--name", "Fundar, Centro de Análisis e Investigación", "--short-name", "Fundar")
    assert "fundar" in run("add-signatory", "--name", "FUNDAR", code=2).stderr
    assert [s.id for s in load(case_file).case.signatories] == ["accion-ciudadana", "fundar"]


def test_allow_duplicate_adds_someone_else_with_the_same_name(run: Run, case_file: Path) -> None:
    run("add-signatory", "--name", "María García", "--kind", "individual", "--country", "Mexico")
    new_id = run(
        "add-signatory", "--name", "Maria Garcia", "--kind", "individual", "--country", "Spain", "--allow-duplicate"
    ).stdout.strip()
    case = load(case_file).case
    assert [s.id for s in case.signatories] == ["maria-garcia", new_id]
    assert case.signatories[1].distinct_from == ("maria-garcia",)
    assert "distinct_from" in case_file.read_text(encoding="utf-8")
    assert "duplicate-signatory" not in {finding.rule for finding in check(case, today=TODAY)}


def test_check_reports_duplicates_from_hand_edits_as_errors(run: Run, case_file: Path) -> None:
    run("add-signatory", "--name", "Artículo 19", "--lead")
    with case_file.open("a", encoding="utf-8") as handle:  # pasted in by hand
        handle.write('\n[[signatories]]\nid = "articulo-19-bis"\nname = "ARTICULO 19."\n')
    result = run("check", "--as-of", "2025-03-01", code=1)
    line = next(line for line in result.stdout.splitlines() if "[duplicate-signatory]" in line)
    assert line.startswith("error:")
    assert "articulo-19-bis" in line and "articulo-19 " in line


def test_duplicates_from_a_merge_or_import_are_found_pairwise() -> None:
    people = (
        Signatory(id="a", name="Transparencia Mexicana"),
        Signatory(id="b", name="Otra organización", short_name="TM"),
        Signatory(id="c", name="transparencia mexicana"),
        Signatory(id="d", name="Transparencia  Mexicana", distinct_from=("a", "c")),
        Signatory(id="e", name="T.M."),
    )
    assert [(first.id, second.id) for first, second in duplicates(people)] == [("a", "c"), ("b", "e")]
    case = dataclasses.replace(load_fixture(), signatories=people)
    found = [f for f in check(case, today=TODAY) if f.rule == "duplicate-signatory"]
    assert [(f.item_id, f.severity.value) for f in found] == [("c", "error"), ("e", "error")]
    assert "a (Transparencia Mexicana)" in found[0].message


def load_fixture() -> Case:
    return load(DATA / "fixture.toml").case


def test_a_csv_import_refuses_a_signatory_already_in_the_case(case_file: Path, run: Run) -> None:
    from casefile.exchange import Items
    from casefile.exchange.csvformat import import_rows, read_rows

    run("add-signatory", "--name", "Acción Ciudadana", "--lead")
    rows = read_rows(b"name\nAccion Ciudadana.\nR3D\n", Items.SIGNATORIES, source="s.csv")
    result = import_rows(load(case_file).case, rows, Items.SIGNATORIES)
    assert [item.id for item in result.added] == ["r3d"]
    [problem] = result.problems
    assert "row 2" in str(problem) and "accion-ciudadana" in str(problem)
