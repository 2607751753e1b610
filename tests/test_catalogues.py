"""The gettext catalogues are complete, in step with the code, and compiled as they read.

Every message casefile shows (help, notices, click's words, the core's errors) is extracted by
Babel into ``casefile.pot``; Spanish and French translate each one, none fuzzy, and the shipped
``.mo`` files say what the ``.po`` files say.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from casefile.cli import messages

ROOT = Path(__file__).resolve().parent.parent
LOCALE = messages.LOCALE_DIR
TRANSLATED = ("es", "fr")
EXTRACT = (
    "PYTHONPATH=tools pybabel extract -F babel.cfg --no-location --sort-output "
    "-o src/casefile/locale/casefile.pot src/casefile"
)


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {_key(message) for message in catalog if message.id}


def _key(message: Message) -> str | tuple[str, ...]:
    return message.id if isinstance(message.id, str) else tuple(message.id)


def _strings(message: Message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def test_the_template_holds_every_message_of_the_code(tmp_path: Path) -> None:
    """Re-extracting gives the same msgids as the shipped casefile.pot."""
    fresh = tmp_path / "casefile.pot"
    command = [
        *(sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"),
        *("--no-location", "--sort-output", "-o", str(fresh), "src/casefile"),
    ]
    env = {"PYTHONPATH": str(ROOT / "tools"), "PATH": "/usr/bin:/bin"}
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    shipped = _ids(_read_po(LOCALE / "casefile.pot"))
    extracted = _ids(_read_po(fresh))
    assert extracted == shipped, (
        f"casefile.pot is out of date: new {sorted(map(str, extracted - shipped))[:5]}, "
        f"gone {sorted(map(str, shipped - extracted))[:5]}. Run `{EXTRACT}`, then pybabel update and translate."
    )
    assert len(shipped) > 300


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    template = _read_po(LOCALE / "casefile.pot")
    catalog = _read_po(LOCALE / language / "LC_MESSAGES" / "casefile.po")
    by_id = {_key(message): message for message in catalog if message.id}
    untranslated = [key for key in _ids(template) if key not in by_id or not all(_strings(by_id[key]))]
    fuzzy = [key for key, message in by_id.items() if message.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated in {language}, e.g. {untranslated[:3]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}, e.g. {fuzzy[:3]}"
    assert set(by_id) == _ids(template), "obsolete messages are left in the catalogue: run pybabel update"


_PLACEHOLDER = re.compile(r"\{[a-z_]*(?:![rs])?\}")


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language: str) -> None:
    """A translation may reorder the {names} of its message, never drop or invent one."""
    catalog = _read_po(LOCALE / language / "LC_MESSAGES" / "casefile.po")
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = set(_PLACEHOLDER.findall(ids[-1]))
        for string in _strings(message):
            assert set(_PLACEHOLDER.findall(string)) == wanted, (language, message.id, string)
            assert string.endswith("\n") == ids[0].endswith("\n") and string.endswith(" ") == ids[0].endswith(" ")


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogues_say_what_their_sources_say(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    po = _read_po(folder / "casefile.po")
    with (folder / "casefile.mo").open("rb") as compiled:
        mo = read_mo(compiled)
    source = {_key(message): _strings(message) for message in po if message.id}
    assert {_key(message): _strings(message) for message in mo if message.id} == source
    assert po.plural_forms == mo.plural_forms
