"""Realistic case files of any size, written directly as the TOML text casefile itself writes.

Going through the CLI (or even tomli_w) would take minutes for 100,000 events, so the text is
put together here by hand, in exactly the layout :func:`casefile.storage.tomltext.dumps` gives: a test
(``tests/test_perf_benchmark.py``) checks that loading and re-saving a generated case changes
no byte. Every event has a title of about 60 characters, a description of about 400 (some in
two paragraphs), two sources, two tags and a concern; some have a private note. Texts mix
English and Spanish words, with accents, and never need TOML escapes.
"""

from __future__ import annotations

import random
from pathlib import Path

_VOCABULARY = (
    "ministry police journalists advocates surveillance spyware report hearing court ruling "
    "protest permit denied registry transparency request information access budget health "
    "activists community leaders detained released complaint ombudsman commission decree "
    "legislation amendment freedom assembly expression media outlet raid equipment seized "
    "phone messages infection link investigation prosecutor evidence public consultation "
    "secretaría técnica organización sociedad civil derechos periodistas información pública "
    "espionaje denuncia fiscalía audiencia niños educación participación gobierno abierto"
)
WORDS = tuple(_VOCABULARY.split())
TAGS = ("surveillance", "civic-space", "access-to-information", "media", "protest", "health")
CATEGORIES = ("fundamental-freedoms", "civic-space", "access-to-information", "media-freedom")
CONCERNS = 5
SIGNATORIES = 6
DEMANDS = 8


def _sentence(rng: random.Random, length: int) -> str:
    words: list[str] = []
    size = -1
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _string(text: str) -> str:
    """A TOML string as tomli_w writes it with multi-line strings on (no escapes needed here)."""
    if "\n" in text:
        return f'"""\n{text}"""'
    return f'"{text}"'


def _array(values: list[str]) -> str:
    return "[\n" + "".join(f"    {value},\n" for value in values) + "]"


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(word for word in ascii_text.split() if word.isalnum())


def _event_date(rng: random.Random) -> str:
    year = rng.randint(2000, 2024)
    precision = rng.random()
    if precision < 0.05:
        return str(year)
    month = rng.randint(1, 12)
    if precision < 0.15:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def _sort_key(date: str) -> tuple[int, int, int]:
    parts = [int(part) for part in date.split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else 0)


def _sources(rng: random.Random, number: int) -> str:
    tables = []
    for index in range(2):
        url = f"https://news{index}.example.org/{2000 + number % 25}/{number}-{rng.choice(WORDS)}"
        title = _sentence(rng, rng.randint(20, 50))
        tables.append((url, title))
    inline = [f'{{ url = "{url}", title = "{title}" }}' for url, title in tables]
    if all(len(f"    {table},") <= 100 for table in inline):
        return "sources = " + _array(inline) + "\n"
    return "".join(f'\n[[events.sources]]\nurl = "{url}"\ntitle = "{title}"\n' for url, title in tables)


def case_text(events: int, *, seed: int = 7) -> str:
    """The text of a valid case with ``events`` events, in casefile's canonical layout."""
    rng = random.Random(seed)
    out = [
        "schema_version = 2\n\n[case]\n",
        'title = "Surveillance of health advocates and journalists"\ncountry = "MX"\nogp_joined = 2011\n',
        'request = "We ask the Steering Committee to review the case."\n',
        '\n[case.contact]\nname = "María Pérez"\norganisation = "Fundar"\nemail = "maria@example.org"\n',
    ]
    for number in range(SIGNATORIES):
        role = '\nrole = "lead"' if number == 0 else ""
        out.append(
            f'\n[[signatories]]\nid = "org-{number}"\nname = "Organización número {number} de la sociedad civil"\n'
            f'short_name = "Org {number}"\ncountry = "MX"\nemail = "contact{number}@example.org"{role}\n'
        )
    for number in range(CONCERNS):
        breaches = _array([f'"{_sentence(rng, 50)}"'])
        out.append(
            f'\n[[concerns]]\nid = "concern-{number}"\ntitle = {_string(_sentence(rng, 50))}\n'
            f'category = "{CATEGORIES[number % len(CATEGORIES)]}"\nsummary = {_string(_sentence(rng, 300))}\n'
            f"breaches = {breaches}\n"
        )
    drafts = []
    taken: set[str] = set()
    for number in range(events):
        date = _event_date(rng)
        title = _sentence(rng, 60)
        stem = f"{date}-{'-'.join(_slug(title).split('-')[:4])}"
        event_id, suffix = stem, 2
        while event_id in taken:
            event_id, suffix = f"{stem}-{suffix}", suffix + 1
        taken.add(event_id)
        drafts.append((_sort_key(date), event_id, date, title, number))
    drafts.sort()
    for _, event_id, date, title, number in drafts:
        description = _sentence(rng, 400)
        if number % 3 == 0:
            description = _sentence(rng, 200) + ".\n" + _sentence(rng, 200) + "."
        tags = _array([f'"{tag}"' for tag in rng.sample(TAGS, 2)])
        concerns = _array([f'"concern-{rng.randrange(CONCERNS)}"'])
        sources = _sources(rng, number)
        inline_sources, table_sources = (sources, "") if sources.startswith("sources") else ("", sources)
        note = f"private_notes = {_string(_sentence(rng, 80))}\n" if number % 10 == 0 else ""
        out.append(
            f'\n[[events]]\nid = "{event_id}"\ndate = "{date}"\ntitle = "{title}"\n'
            f"description = {_string(description)}\ntags = {tags}\nconcerns = {concerns}\n"
            f"{inline_sources}{note}{table_sources}"
        )
    for number in range(DEMANDS):
        date = f"{2001 + number * 3}-02-{number + 10:02d}"
        response = (
            f'\n[[demands.responses]]\ndate = "{2002 + number * 3}"\nstatus = "refused"\n'
            f'summary = "{_sentence(rng, 120)}"\n'
            if number % 2
            else ""
        )
        out.append(
            f'\n[[demands]]\nid = "{date}-demand-{number}"\ndate = "{date}"\n'
            f'to = "Secretaría Técnica Tripartita"\nsubject = "{_sentence(rng, 50)}"\n'
            f"by = {_array([chr(34) + 'org-0' + chr(34), chr(34) + 'org-1' + chr(34)])}\n"
            f'text = "{_sentence(rng, 300)}"\n{response}'
        )
    return "".join(out)


def write_case(path: Path, events: int) -> Path:
    """Write a case with ``events`` events at ``path`` (owner-only, as casefile would)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(case_text(events), encoding="utf-8")
    path.chmod(0o600)
    return path
