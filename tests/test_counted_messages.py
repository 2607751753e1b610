"""A message that states a count says one thing or several as people do, in English, Spanish and French.

Never "1 conflict(s)." or "clave(s)": each count takes the singular or plural its language gives it
(French says the singular for 0 and 1), and a sentence that changes with one item is written for one.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyrage
import pytest

from casefile.case import operations
from casefile.case.dates import parse_date
from casefile.case.model import ConcernCategory
from casefile.cli import messages
from casefile.storage import tomltext
from tests.conftest import Run
from tests.test_concurrency import child_env
from tests.test_encrypted_case import public
from tests.test_merge import EVENT, add, edit, git, merge, needs_git, sample, write

LOCALES = {"en": "C.UTF-8", "es": "es_ES.UTF-8", "fr": "fr_FR.UTF-8"}


@pytest.fixture(autouse=True)
def english_afterwards() -> object:
    yield None
    messages.setup("en")


def speak(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    monkeypatch.setenv("LANG", LOCALES[language])


def test_merge_conflicts_are_counted_one_and_several(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = sample()
    ours = edit(base, EVENT, title="Ours", date=parse_date("2017-02-12"))
    theirs = edit(base, EVENT, title="Theirs", date=parse_date("2017-02-13"))
    write(tomltext.dumps(merge(base, ours, theirs).case))
    two = {
        "en": ("2 conflicts.", "the case has 2 unresolved merge conflicts, e.g. "),
        "es": ("2 conflictos.", "el caso tiene 2 conflictos de fusión sin resolver, p. ej. "),
        "fr": ("2 conflits.", "le dossier a 2 conflits de fusion non réglés, par exemple "),
    }
    for language, (listed, refused) in two.items():
        speak(monkeypatch, language)
        assert listed in run("conflicts").stderr, language
        assert refused in run("draft-complaint", code=2).stderr, language
    speak(monkeypatch, "fr")
    assert "1 conflit restant." in run("resolve", EVENT, "--field", "title", "--take", "theirs").stderr
    one = {
        "en": ("1 conflict.", "the case has 1 unresolved merge conflict (", "See it with `casefile conflicts`"),
        "es": ("1 conflicto.", "el caso tiene 1 conflicto de fusión sin resolver (", "Véalo con"),
        "fr": ("1 conflit.", "le dossier a 1 conflit de fusion non réglé (", "Affichez-le avec"),
    }
    for language, (listed, *refused) in one.items():
        speak(monkeypatch, language)
        assert listed in run("conflicts").stderr, language
        said = run("draft-complaint", code=2).stderr
        assert all(part in said for part in refused), (language, said)
        assert "(s)" not in said and "e.g." not in said and "p. ej." not in said and "par exemple" not in said
    speak(monkeypatch, "en")
    assert "0 conflicts left." in run("resolve", EVENT, "--field", "date", "--take", "ours").stderr


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            (
                "unknown column for events: colour. The columns",
                "unknown columns for events: colour, size. The columns",
                "events need the column: date.",
                "events need the columns: date, title.",
                "column given twice: title.",
                "columns given twice: date, title.",
            ),
        ),
        (
            "es",
            (
                "columna desconocida para events: colour. Las columnas",
                "columnas desconocidas para events: colour, size. Las columnas",
                "para events hace falta la columna: date.",
                "para events hacen falta las columnas: date, title.",
                "columna repetida: title.",
                "columnas repetidas: date, title.",
            ),
        ),
        (
            "fr",
            (
                "colonne inconnue pour events\u00a0: colour. Les colonnes",
                "colonnes inconnues pour events\u00a0: colour, size. Les colonnes",
                "les events ont besoin de la colonne\u00a0: date.",
                "les events ont besoin des colonnes\u00a0: date, title.",
                "colonne donnée deux fois\u00a0: title.",
                "colonnes données deux fois\u00a0: date, title.",
            ),
        ),
    ],
)
def test_csv_columns_are_counted_one_and_several(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    speak(monkeypatch, language)
    headers = (
        "date,title,colour",
        "date,title,colour,size",
        "title",
        "tags",
        "date,title,Title",
        "date,title,Date,Title",
    )
    for header, message in zip(headers, expected, strict=True):
        (case_file.parent / "e.csv").write_text(f"{header}\n" + ",".join("x" * len(header.split(","))) + "\n")
        said = run("import", "e.csv", "--items", "events", code=2).stderr
        assert message in said, (header, said)
        assert "(s)" not in said and "(es)" not in said


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Too many arguments (extra: b c). Try"),
        ("es", "Demasiados argumentos (de más: b c). Pruebe"),
        ("fr", "Trop d'arguments (en trop\u00a0: b c). Essayez"),
    ],
)
def test_extra_arguments_are_said_in_the_users_language_without_a_count(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: str
) -> None:
    speak(monkeypatch, language)
    assert expected in run("show", "a", "b c", code=2).stderr
    assert expected.replace("b c", "b") in run("show", "a", "b", code=2).stderr


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("Encrypted the case to 1 key:", "1 key can read", "Re-encrypted 1 file to 2 keys.", "2 keys can read")),
        (
            "es",
            (
                "Caso cifrado para 1 clave:",
                "1 clave puede leer",
                "Se volvió a cifrar 1 archivo para 2 claves.",
                "2 claves",
            ),
        ),
        (
            "fr",
            (
                "Dossier chiffré pour 1 clé\u00a0:",
                "1 clé peut lire",
                "1 fichier rechiffré pour 2 clés.",
                "2 clés peuvent",
            ),
        ),
    ],
)
def test_keys_and_files_are_counted_one_and_several(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    run("keygen")
    run("init", "--title", "T", "--country", "Mexico")
    speak(monkeypatch, language)
    encrypted, one_reads, reencrypted, two_read = expected
    assert encrypted in run("encrypt").stderr
    assert one_reads in run("recipients", "list").stderr
    assert reencrypted in run("recipients", "add", public(pyrage.x25519.Identity.generate())).stderr
    said = run("recipients", "list").stderr
    assert two_read in said and "(s)" not in said


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            ("has 1 response: --response can only be 1.", "has 2 responses: --response takes a number from 1 to 2."),
        ),
        (
            "es",
            (
                "tiene 1 respuesta: --response solo admite 1.",
                "tiene 2 respuestas: --response admite un número de 1 a 2.",
            ),
        ),
        (
            "fr",
            (
                "a 1 réponse\u00a0: --response ne peut valoir que 1.",
                "a 2 réponses\u00a0: --response prend un nombre de 1 à 2.",
            ),
        ),
    ],
)
def test_a_demands_responses_are_counted_one_and_several(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    demand = run("add-demand", "--date", "2017-02-16", "--to", "the Secretariat", "--subject", "Investigate").stdout
    demand = demand.strip()
    translate = ("translate", demand, "--response", "3", "--language", "fr", "--summary", "x")
    speak(monkeypatch, language)
    for said, date in zip(expected, ("2017-03-01", "2017-04-01"), strict=True):
        run("respond", demand, "--date", date, "--status", "refused")
        assert said in run(*translate, code=2).stderr


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("Trusted 1 template in", "as it is now", "Trusted 2 templates in", "as they are now")),
        (
            "es",
            ("Se confía en 1 plantilla de", "tal como está ahora", "Se confía en 2 plantillas de", "tal como están"),
        ),
        ("fr", ("1 modèle de", "tel qu'il est maintenant", "2 modèles de", "tels qu'ils sont maintenant")),
    ],
)
def test_trusted_templates_are_counted_one_and_several(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    folder = isolated / "templates"
    folder.mkdir()
    speak(monkeypatch, language)
    for name, (count, shape) in zip(("letter.en.md.j2", "letter.es.md.j2"), (expected[:2], expected[2:]), strict=True):
        (folder / name).write_text("Only {{ country }}\n", encoding="utf-8")
        said = run("template", "trust", str(folder)).stderr
        assert count in said and shape in said and "(s)" not in said, said


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            (
                "Imported 1 event from",
                "Would import 2 demands from",
                "1 row gives an id the case already has among its events (row 2): left out.",
                "Imported 0 events from",
            ),
        ),
        (
            "es",
            (
                "Se importó 1 hecho de",
                "Se importarían 2 solicitudes de",
                "1 fila repite un id que el caso ya tiene entre sus hechos (fila 2): se omite.",
                "Se importaron 0 hechos de",
            ),
        ),
        (
            "fr",
            (
                "1 fait importé de",
                "2 demandes seraient importées de",
                "1 ligne reprend un identifiant que le dossier a déjà parmi ses faits (ligne 2)\u00a0: ignorée.",
                "0 fait importé de",  # French counts 0 in the singular
            ),
        ),
    ],
)
def test_imported_items_are_counted_one_and_several(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    one_event, two_demands, already_there, none = expected
    speak(monkeypatch, language)
    (case_file.parent / "e.csv").write_text("date,title\n2017-02-11,Citizen Lab report\n", encoding="utf-8")
    assert one_event in run("import", "e.csv", "--items", "events").stderr
    demands = "date,to,subject\n2017-02-16,the Secretariat,Investigate\n2017-03-16,the Ministry,Answer\n"
    (case_file.parent / "d.csv").write_text(demands, encoding="utf-8")
    assert two_demands in run("import", "d.csv", "--items", "demands", "--dry-run").stderr
    (case_file.parent / "again.csv").write_text(run("export", "--format", "csv", "--items", "events").stdout)
    said = run("import", "again.csv", "--items", "events").stderr
    assert already_there in said and none in said, said


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            (
                "it is named by {one}. Edit {one} first so it no longer names this concern.",
                "it is named by {one}, {two}. Edit those first so they no longer name this concern.",
            ),
        ),
        (
            "es",
            (
                "lo nombra {one}. Edite antes {one} para que deje de nombrar",
                "lo nombran {one}, {two}. Edítelos antes para que dejen de nombrar",
            ),
        ),
        (
            "fr",
            (
                ": {one} le nomme. Modifiez d'abord {one} pour qu'il ne nomme plus",
                ": {one}, {two} le nomment. Modifiez-les d'abord pour qu'ils ne nomment plus",
            ),
        ),
    ],
)
def test_the_items_naming_a_concern_are_counted_one_and_several(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    concern = run("add-concern", "--title", "Surveillance", "--category", "civic-space").stdout.strip()
    events = []
    speak(monkeypatch, language)
    for message, date in zip(expected, ("2017-02-11", "2017-03-11"), strict=True):
        events.append(run("add-event", "--date", date, "--title", "Report", "--concern", concern).stdout.strip())
        said = run("remove", concern, "--yes", code=2).stderr
        assert message.format(one=events[0], two=events[-1]) in said, said


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            (
                "it is named by {one}. Edit {one} first, or keep unused-concern with --take theirs.",
                "it is named by {one}, {two}. Edit those first, or keep unused-concern with --take theirs.",
            ),
        ),
        (
            "es",
            (
                "lo nombra {one}. Edite antes {one}, o conserve unused-concern con --take theirs.",
                "lo nombran {one}, {two}. Edítelos antes, o conserve unused-concern con --take theirs.",
            ),
        ),
        (
            "fr",
            (
                ": {one} le nomme. Modifiez d'abord {one}, ou gardez unused-concern avec --take theirs.",
                ": {one}, {two} le nomment. Modifiez-les d'abord, ou gardez unused-concern avec --take theirs.",
            ),
        ),
    ],
)
def test_a_removed_item_others_name_is_counted_one_and_several_when_a_conflict_is_settled(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    base, _ = operations.add_concern(sample(), title="Unused concern", category=ConcernCategory.CIVIC_SPACE)
    ours, _ = operations.remove_item(base, "unused")
    speak(monkeypatch, language)
    theirs = base
    for message, date in zip(expected, ("2017-05-01", "2017-06-01"), strict=True):
        theirs = add(theirs, date, "New event", concerns=("unused-concern",))
        write(tomltext.dumps(merge(base, ours, theirs).case))
        said = run("resolve", "unused", "--field", "*", "--take", "ours", code=2).stderr
        assert message.format(one="2017-05-01-new-event", two="2017-06-01-new-event") in said, said


@needs_git
def test_git_setup_says_what_it_added_to_gitignore_without_a_plural_mark(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(isolated, "init", "-q", "-b", "main")
    run("init", "--title", "T", "--country", "Mexico")
    speak(monkeypatch, "fr")
    said = run("git-setup").stderr
    assert "  - ajout de /casefile.toml.bak, /casefile.toml.lock" in said and "(s)" not in said, said


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            (
                "row 2: has 2 cells but the header has 1 column\n",
                "nothing was imported: 1 row cannot be. Fix it,",
                "row 3: has 3 cells but the header has 2 columns",
                "nothing was imported: 2 rows cannot be. Fix them,",
            ),
        ),
        (
            "es",
            (
                "fila 2: tiene 2 celdas, pero la fila de encabezado tiene 1 columna\n",
                "no se importó nada: 1 fila no se puede importar. Corríjala",
                "fila 3: tiene 3 celdas, pero la fila de encabezado tiene 2 columnas",
                "no se importó nada: 2 filas no se pueden importar. Corríjalas",
            ),
        ),
        (
            "fr",
            (
                "ligne 2\u00a0: a 2 cellules, mais la ligne d'en-tête a 1 colonne\n",
                "rien n'a été importé\u00a0: 1 ligne ne peut pas l'être. Corrigez-la",
                "ligne 3\u00a0: a 3 cellules, mais la ligne d'en-tête a 2 colonnes",
                "rien n'a été importé\u00a0: 2 lignes ne peuvent pas l'être. Corrigez-les",
            ),
        ),
    ],
)
def test_rows_with_too_many_cells_are_counted_one_and_several(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    speak(monkeypatch, language)
    (case_file.parent / "s.csv").write_text("name\nFundar,extra\n", encoding="utf-8")
    said = run("import", "s.csv", "--items", "signatories", code=2).stderr
    assert expected[0] in said and expected[1] in said, said
    (case_file.parent / "e.csv").write_text("date,title\n2017,a,b\n2018,c,d\n", encoding="utf-8")
    said = run("import", "e.csv", "--items", "events", code=2).stderr
    assert expected[2] in said and expected[3] in said, said


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("1 of 2 approved the current text", "2 of 2 approved the current text")),
        ("es", ("1 de 2 aprobó el texto actual", "2 de 2 aprobaron el texto actual")),
        ("fr", ("1 sur 2 a approuvé le texte actuel", "2 sur 2 ont approuvé le texte actuel")),
    ],
)
def test_sign_offs_agree_with_how_many_approved(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    run("add-signatory", "--name", "Fundar", "--lead")
    run("add-signatory", "--name", "Artículo 19")
    run("set-letter-date", "2017-05-23")
    speak(monkeypatch, language)
    for signatory, said in zip(("fundar", "articulo-19"), expected, strict=True):
        run("sign-off", signatory, "--date", "2017-05-23")
        assert said in run("status", "--as-of", "2017-05-23").stdout


@pytest.mark.parametrize(
    ("language", "one", "several"),
    [("en", "finding", "findings"), ("es", "observación", "observaciones"), ("fr", "constat", "constats")],
)
def test_the_demo_counts_its_findings(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, language: str, one: str, several: str
) -> None:
    speak(monkeypatch, language)
    said = run("demo", "demo").stderr
    found = re.search(r"check\.txt  \((\d+) (\w+)\)", said)
    assert found is not None, said
    count = int(found.group(1))
    assert found.group(2) == (one if count == 1 or (count == 0 and language == "fr") else several)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", '"pegasus":"1 event"\n"vigilancia":"2 events"'),
        ("es", '"pegasus":"1 hecho"\n"vigilancia":"2 hechos"'),
        ("fr", '"pegasus":"1 fait"\n"vigilancia":"2 faits"'),
    ],
)
def test_tag_completion_counts_the_events_of_each_tag(
    run: Run, case_file: Path, tmp_path: Path, language: str, expected: str
) -> None:
    run("add-event", "--date", "2017-02-11", "--title", "Citizen Lab", "--tag", "vigilancia", "--tag", "pegasus")
    run("add-event", "--date", "2017-06-19", "--title", "NYT", "--tag", "vigilancia")
    env = child_env(tmp_path) | {
        "_CASEFILE_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": "casefile list events --tag ",
        "LANG": LOCALES[language],
    }
    script = "import sys; sys.argv[0] = 'casefile'; from casefile.cli import app; app(prog_name='casefile')"
    command = [sys.executable, "-c", script]
    offered = subprocess.run(command, check=True, env=env, cwd=case_file.parent, capture_output=True, text=True)
    assert expected in offered.stdout


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("(an encrypted casefile case for 1 key, ", "(an encrypted casefile case for 2 keys, ")),
        ("es", ("(un caso cifrado de casefile para 1 clave, ", "(un caso cifrado de casefile para 2 claves, ")),
        ("fr", ("(un dossier casefile chiffré pour 1 clé, ", "(un dossier casefile chiffré pour 2 clés, ")),
    ],
)
def test_git_diff_without_a_key_counts_the_keys_of_an_encrypted_case(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: tuple[str, ...]
) -> None:
    speak(monkeypatch, language)
    for count, said in enumerate(expected, start=1):
        keys = [pyrage.x25519.Identity.generate().to_public() for _ in range(count)]
        (isolated / "case.age").write_bytes(pyrage.encrypt(b'title = "T"\n', keys))
        assert run("git-textconv", "case.age").stdout.startswith(said)
