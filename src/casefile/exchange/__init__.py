"""Exchanging cases with other programs: JSON (the whole case) and CSV (one kind of item).

Exports go through :func:`casefile.workflow.privacy.public_case` first (see :mod:`casefile.exchange.exports`),
so nothing here decides what is private. Imports build items with the rules of the ``add-*``
commands (:mod:`casefile.case.operations`) and are written through :func:`casefile.storage.store.update`.

Only the two choices the command line needs at start-up live here; the formats are imported
when a command runs.
"""

from enum import StrEnum


class ExportFormat(StrEnum):
    """What ``casefile export`` can write."""

    MARKDOWN = "markdown"
    HTML = "html"
    DOCX = "docx"
    ODT = "odt"
    PDF = "pdf"
    JSON = "json"
    JSON_SCHEMA = "json-schema"
    TIMELINE = "timeline"
    CSV = "csv"
    ICS = "ics"
    SVG = "svg"


class Items(StrEnum):
    """The kinds of item a CSV file can hold."""

    EVENTS = "events"
    DEMANDS = "demands"
    SIGNATORIES = "signatories"
