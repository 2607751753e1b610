"""Schema versions of the case file and the pure steps that upgrade one version to the next.

Each migration is a function ``document -> document`` registered for the version it upgrades
*from*; :func:`migrate` applies them in order. They never touch the disk: the store decides
whether to write the upgraded file (after keeping a backup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casefile.errors import CaseFileInvalid, Problem, SchemaTooNew
from casefile.i18n import _

Document = dict[str, Any]
Migration = Callable[[Document], Document]

#: The version this casefile writes.
SCHEMA_VERSION = 2

MIGRATIONS: dict[int, Migration] = {}


def migration(from_version: int) -> Callable[[Migration], Migration]:
    """Register a step from ``from_version`` to ``from_version + 1``."""

    def register(step: Migration) -> Migration:
        if from_version in MIGRATIONS:
            raise ValueError(f"two migrations from schema version {from_version}")
        MIGRATIONS[from_version] = step
        return step

    return register


_CASE_KEYS_V0 = (
    "title",
    "country",
    "language",
    "ogp_joined",
    "action_plan",
    "contact",
    "request",
    "addressees",
    "addressees_verified",
    "filer_category",
)


@migration(0)
def m000_case_table(document: Document) -> Document:
    """Version 0 is a hand-written file with no ``schema_version``.

    People who write a case by hand from an example often put the case's own fields at the
    top level; version 1 keeps them in a ``[case]`` table. Move them there.
    """
    upgraded = dict(document)
    upgraded["schema_version"] = 1
    if "case" in upgraded and not isinstance(upgraded["case"], dict):
        return upgraded  # never overwrite it: decoding reports that it is not a table
    case_table = dict(upgraded.get("case", {}))
    for key in _CASE_KEYS_V0:
        if key in upgraded and key not in case_table:
            case_table[key] = upgraded.pop(key)
    if case_table or "case" in upgraded:
        upgraded["case"] = case_table
    return upgraded


@migration(1)
def m001_country_code(document: Document) -> Document:
    """Version 2 stores the case's country as its ISO 3166-1 code, so the letter can name it in
    its own language (``le Mexique``, ``México``). A name casefile does not recognise is kept as
    written: `check` reports it, and `edit-case --country` sets it.
    """
    upgraded = dict(document)
    upgraded["schema_version"] = 2
    case_table = upgraded.get("case")
    if isinstance(case_table, dict) and isinstance(case_table.get("country"), str):
        from casefile.case.countries import find_country

        code = find_country(case_table["country"])
        if code is not None:
            upgraded["case"] = {**case_table, "country": code}
    return upgraded


def version_of(document: Document) -> int:
    """The schema version a document says it has (0 when it says nothing)."""
    version = document.get("schema_version", 0)
    return version if isinstance(version, int) and not isinstance(version, bool) else -1


def migrate(document: Document, *, path: str = "case file") -> Document:
    """Upgrade ``document`` to :data:`SCHEMA_VERSION`.

    Raises:
        SchemaTooNew: the file was written by a newer casefile.
    """
    version = version_of(document)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            _(
                "{path} has schema version {version}, but this casefile reads up to version "
                "{schema_version}. Upgrade casefile to a release that reads version {version}."
            ).format(path=path, version=version, schema_version=SCHEMA_VERSION)
        )
    if version < 0:
        problem = Problem(
            "schema_version",
            f"should be a whole number such as {SCHEMA_VERSION}, not {document.get('schema_version')!r}",
        )
        raise CaseFileInvalid(path, [problem])
    while version < SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
    return document
