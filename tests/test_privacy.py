"""No private value reaches any exported document, in any format, unless asked for.

Private values are: private notes, signatories' emails, evidence file paths and the names of
affected people who are not marked public. The property puts random marker strings in every one
of them and searches every export for the markers.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.case.model import Affected, Attachment, Case
from casefile.storage.store import load
from tests.conftest import DATA

AS_OF = datetime.date(2018, 7, 16)
BASE = load(DATA / "fixture.toml").case

markers = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=10, max_size=16).map(lambda text: f"QX{text}")


def with_private_values(case: Case, marker: Callable[[], str]) -> tuple[Case, list[str]]:
    """Put a fresh marker in every private field of the case; return the markers used."""
    used: list[str] = []

    def fresh() -> str:
        value = marker()
        used.append(value)
        return value

    events = []
    for event in case.events:
        attachment = Attachment(sha256="0" * 64, size=1, name="photo.jpg", path=f"evidence/{fresh()}.jpg")
        affected = (*event.affected, Affected(name=fresh(), role="a witness"))
        events.append(dataclasses.replace(event, private_notes=fresh(), attachments=(attachment,), affected=affected))
    signatories = [dataclasses.replace(signatory, email=f"{fresh()}@example.org") for signatory in case.signatories]
    return dataclasses.replace(case, events=tuple(events), signatories=tuple(signatories)), used


def exports(case: Case) -> dict[str, str]:
    """Every document casefile can export, by name."""
    from casefile.exchange.ics import render_ics
    from casefile.letter.render import LANGUAGES, draft_letter, draft_reminder
    from casefile.workflow.followup import planned_steps  # noqa: F401  (ICS depends on it)

    documents: dict[str, str] = {}
    for language in LANGUAGES:
        documents[f"letter.{language}"] = draft_letter(case, language=language, as_of=AS_OF)
        documents[f"letter.{language}.redacted"] = draft_letter(case, language=language, as_of=AS_OF, redact=True)
        for demand in case.demands:
            from casefile.workflow.privacy import public_case

            public = public_case(case)
            documents[f"reminder.{language}.{demand.id}"] = draft_reminder(
                public, next(d for d in public.demands if d.id == demand.id), language=language, as_of=AS_OF
            )
    documents["ics"] = render_ics(case, as_of=AS_OF)
    documents.update(extra_exports(case))
    return documents


def extra_exports(case: Case) -> dict[str, str]:
    """Every format of `casefile export` except the office ones (tested with their XML in test_export)."""
    from casefile.exchange import ExportFormat, Items
    from casefile.exchange.exports import BINARY_FORMATS, export_case

    documents = {}
    for export_format in ExportFormat:
        if export_format in BINARY_FORMATS:
            continue
        kinds = list(Items) if export_format is ExportFormat.CSV else [None]
        for kind in kinds:
            for redact in (False, True):
                data = export_case(case, export_format, as_of=AS_OF, items=kind, redact=redact)
                documents[f"{export_format.value}.{kind}.{redact}"] = data.decode("utf-8")
    return documents


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_private_values_never_exported(data: st.DataObject) -> None:
    case, used = with_private_values(BASE, lambda: data.draw(markers))
    documents = exports(case)
    assert documents
    for name, text in documents.items():
        for value in used:
            assert value not in text, f"{value} leaked into {name}"


def test_markers_are_found_when_private_data_is_asked_for() -> None:
    """The search can fail: with --include-private, every marker is in the JSON export."""
    from casefile.exchange import ExportFormat
    from casefile.exchange.exports import export_case

    counter = iter(range(10_000))
    case, used = with_private_values(BASE, lambda: f"QXMARK{next(counter):05d}")
    text = export_case(case, ExportFormat.JSON, as_of=AS_OF, include_private=True).decode("utf-8")
    assert all(value in text for value in used)
