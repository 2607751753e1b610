"""Ids from titles in any script: ASCII words, deterministic suffixes, and git merges that keep both."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.case.ids import dated_id, new_id, slugify
from casefile.storage import store
from tests.conftest import Run
from tests.test_merge import git, needs_git, repo  # noqa: F401  (the repo fixture)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Обыск в офисе", "2024-03-01-obysk-v-ofise"),
        ("Έρευνα στο γραφείο", "2024-03-01-ereuna-sto-grapheio"),
        ("تفتيش المكتب", "2024-03-01-tftysh-lmktb"),
        ("警方搜查办公室", "2024-03-01-jing-fang-sou-cha"),
        ("Artículo 19 denuncia espionaje", "2024-03-01-articulo-19-denuncia-espionaje"),
        ("Straße gesperrt", "2024-03-01-strasse-gesperrt"),
    ],
)
def test_add_event_gives_ascii_words_in_any_script(run: Run, case_file: Path, title: str, expected: str) -> None:
    assert run("add-event", "--date", "2024-03-01", "--title", title).stdout.strip() == expected


def test_signatories_and_concerns_in_cyrillic_get_words(run: Run, case_file: Path) -> None:
    assert run("add-signatory", "--name", "Мемориал").stdout.strip() == "memorial"
    concern = run("add-concern", "--title", "Преследование журналистов", "--category", "media-freedom")
    assert concern.stdout.strip() == "presledovanie-zhurnalistov"


def test_titles_without_letters_get_a_digest_not_a_bare_date() -> None:
    first = dated_id("2024-03-01", "🔥🔥", [], fallback="event")
    second = dated_id("2024-03-01", "📢", [], fallback="event")
    assert first.startswith("2024-03-01-") and second.startswith("2024-03-01-")
    assert first != second
    assert first == dated_id("2024-03-01", "🔥🔥", ["2024-03-01"], fallback="event")  # deterministic
    assert new_id("★", [], fallback="signatory").startswith("signatory-")


def test_clashing_ids_get_numbered_suffixes_in_order(run: Run, case_file: Path) -> None:
    ids = [run("add-event", "--date", "2024-03-01", "--title", "Обыск в офисе").stdout.strip() for _ in range(3)]
    assert ids == ["2024-03-01-obysk-v-ofise", "2024-03-01-obysk-v-ofise-2", "2024-03-01-obysk-v-ofise-3"]
    run("remove", ids[2], "--yes")
    # A removed id is retired: it is never given out again.
    again = run("add-event", "--date", "2024-03-01", "--title", "Обыск в офисе").stdout.strip()
    assert again == "2024-03-01-obysk-v-ofise-4"


def test_existing_ids_never_change(run: Run, case_file: Path) -> None:
    text = case_file.read_text(encoding="utf-8")
    # An event made by an older casefile, whose id had no words for its Cyrillic title.
    case_file.write_text(
        text + '\n[[events]]\nid = "2024-03-01"\ndate = "2024-03-01"\ntitle = "Обыск в офисе"\n', encoding="utf-8"
    )
    new = run("add-event", "--date", "2024-03-01", "--title", "Обыск в офисе").stdout.strip()
    assert new == "2024-03-01-obysk-v-ofise"
    run("edit", "2024-03-01", "--title", "Обыск в офисе «Мемориала»")
    ids = [event.id for event in store.load(case_file).case.events]
    assert sorted(ids) == ["2024-03-01", "2024-03-01-obysk-v-ofise"]


def test_slugify_keeps_ascii_text_as_it_was() -> None:
    assert slugify("Citizen Lab: reports (2017)") == "citizen-lab-reports-2017"


@needs_git
def test_a_git_merge_of_two_same_day_cyrillic_events_keeps_both(repo: Path, run: Run) -> None:  # noqa: F811
    path = repo / "casefile.toml"
    for name, title in (("ana", "Обыск в офисе"), ("luis", "Задержание журналиста")):
        git(repo, "checkout", "-q", "-b", name, "main")
        run("add-event", "--date", "2024-03-01", "--title", title, "-f", str(path))
        git(repo, "commit", "-q", "-am", name)
    git(repo, "checkout", "-q", "ana")
    merged = git(repo, "merge", "--no-edit", "luis")
    assert "casefile.toml: merged" in merged.stderr
    titles = {event.id: event.title for event in store.load(path).case.events}
    assert titles["2024-03-01-obysk-v-ofise"] == "Обыск в офисе"
    assert titles["2024-03-01-zaderzhanie-zhurnalista"] == "Задержание журналиста"
    assert run("conflicts", "--json", "-f", str(path)).stdout.strip() == "[]"
