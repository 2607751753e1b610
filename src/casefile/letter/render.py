"""Letters from cases: Jinja2 templates plus per-language message catalogues.

Templates are found in this order: the user's (``--template``, ``--templates``, a trusted
``templates/`` folder beside the case: :mod:`casefile.letter.templatetrust` chooses them), then the
templates shipped with casefile. ``letter.<lang>.md.j2`` extends ``letter.md.j2``, so an edited
copy of either takes effect. Every template renders in Jinja2's immutable sandbox: a template
can shape the letter, never run code, read files or change the objects it is given.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.case.model import (
    Case,
    Demand,
)
from casefile.errors import TemplateError
from casefile.i18n import N_, _
from casefile.letter.catalogue import LANGUAGES, Translator, catalogue
from casefile.letter.letter import (
    Letter,
    build_letter,
)
from casefile.letter.lists import Lists
from casefile.letter.markdown import (
    Markdown,
    escape_block,
    escape_inline,
)
from casefile.letter.sandbox import template_mistakes
from casefile.letter.tidy import tidy, tidy_lines

__all__ = [
    "LANGUAGES",
    "catalogue",
    "draft_letter",
    "draft_letter_pieces",
    "draft_reminder",
    "drafting_notes",
    "environment",
    "export_templates",
    "render_letter",
    "render_letter_pieces",
]

if TYPE_CHECKING:
    from casefile.letter.templatetrust import UserTemplates

TEMPLATE_FOLDER = "templates"
_HERE = Path(__file__).parent


def builtin_templates() -> Path:
    """The folder of the templates shipped with casefile."""
    # Beside this module: casefile is installed as files (importlib.resources costs 5 ms to import).
    return _HERE / "templates"


def country_defaults(country: str, language: str) -> dict[str, Markdown]:
    """The phrases sentences use for the case's country: ``country``, ``in_country``, ``country_name``."""
    from casefile.letter.countrynames import country_phrases

    phrases = country_phrases(country, language)
    return {name: escape_inline(value) for name, value in phrases._asdict().items() if name != "name"} | {
        "country_name": escape_inline(phrases.name)
    }


def _finalize(value: Any) -> Any:
    """Escape every value a template prints, unless casefile made it as Markdown."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        raise TemplateError(_("the template printed a missing value"))
    return escape_inline(str(value))


def environment(user_templates: Mapping[str, str] | None = None) -> Any:
    """A sandboxed Jinja2 environment for Markdown letters: the user's templates (by name), then
    the built-in ones."""
    import jinja2

    from casefile.letter.sandbox import sandbox_class

    loader = jinja2.ChoiceLoader(
        [jinja2.DictLoader(dict(user_templates or {})), jinja2.FileSystemLoader(str(builtin_templates()))]
    )
    return sandbox_class()(
        loader=loader,
        bytecode_cache=_compiled_templates(),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        **_ENVIRONMENT_OPTIONS,
    )


_ENVIRONMENT_OPTIONS: dict[str, Any] = {
    "autoescape": False,  # Markdown, not HTML: _finalize escapes for Markdown instead
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


def _compiled_templates() -> Any:
    """Where compiled templates are kept between runs, or None if the cache folder can't be made.

    Compiling the letter template takes longer than running it on a small case. Jinja2 checks
    each compiled template against its source's checksum and its own version before using it;
    the key adds casefile's version and the environment's options, which change the code.
    Like the parse cache, it is only ever an optimisation: a cache that cannot be read or
    written is passed over, never an error.
    """
    import hashlib
    import io
    import os

    import jinja2

    from casefile import __version__
    from casefile.storage.cache import cache_root, owned, replace_held
    from casefile.storage.files import make_folders

    folder = cache_root() / "templates"  # scrub removes it: a template may quote the case
    try:
        make_folders(folder)
        if not owned(os.stat(folder)):  # code another user put there would be run
            return None
    except OSError:
        return None
    stamp = f"{__version__}|{sorted(_ENVIRONMENT_OPTIONS.items())}|{_finalize.__qualname__}|sandbox-1"

    class CompiledTemplates(jinja2.FileSystemBytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            key = super().get_cache_key(name, filename)
            return hashlib.sha1(f"{key}|{stamp}".encode(), usedforsecurity=False).hexdigest()

        # Each file is the SHA-256 of the compiled code, then the code: code that does not
        # match its hash (a damaged file) is never run, since damaged bytecode can crash Python.
        def load_bytecode(self, bucket: Any) -> None:
            try:
                with open(self._get_cache_filename(bucket), "rb") as handle:
                    data = handle.read()
                if len(data) > 32 and hashlib.sha256(data[32:]).digest() == data[:32]:
                    bucket.load_bytecode(io.BytesIO(data[32:]))
            except Exception:  # unreadable or unusable: compile the template again
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(Exception):  # unwritable or full: next time compiles again
                code = io.BytesIO()
                bucket.write_bytecode(code)
                body = code.getvalue()
                name = os.path.basename(self._get_cache_filename(bucket))
                replace_held(folder / name, [hashlib.sha256(body).digest(), body])  # a killed writer's: removed

    return CompiledTemplates(str(folder))


def render_letter(
    letter: Letter,
    *,
    templates: UserTemplates | None = None,
) -> str:
    """The letter as Markdown, from the built-in or an overriding template."""
    return "".join(render_letter_pieces(letter, templates=templates))


def render_letter_pieces(
    letter: Letter,
    *,
    templates: UserTemplates | None = None,
) -> list[str]:
    """:func:`render_letter` as pieces whose concatenation is the letter."""
    import jinja2

    env = environment(templates.texts if templates else None)
    name = templates.start if templates else None
    t = Translator(letter.language, country_defaults(letter.case.country, letter.language))
    layout = Lists(letter.language, t)
    env.filters.update(
        date=layout.date,
        day=layout.day,
        inline=escape_inline,
        block=escape_block,
        join_text=layout.join_text,
        notes=layout.notes,
        note_list=layout.note_list,
    )
    env.globals.update(
        t.defaults,  # country, in_country, country_name: "le Mexique", "au Mexique", "Mexique"
        t=t,
        br=Markdown("  "),  # a hard line break at the end of a Markdown line
        filers_sentence=lambda: layout.filers_sentence(letter),
        domestic_intro=lambda: layout.domestic_intro(letter),
        filer_category_sentence=lambda: layout.filer_category_sentence(letter),
        signers=layout.signers,
        signers_form=layout.signers_form,
        evidence_sentence=layout.evidence_sentence,
        demand_sentence=lambda outcome: layout.demand_sentence(outcome, letter.case.signatories),
        outcome_sentence=layout.outcome_sentence,
        signatory_line=layout.signatory_line,
        event_entry=layout.event_entry,
        evidence_line=layout.evidence_line,
        concern_title=layout.concern_title,
        category_text=layout.category_text,
        representative=layout.representative,
        footnote_text=layout.footnote_text,
        event_list=layout.event_list,
        chronology_list=layout.chronology_list,
        sources_index=layout.sources_index,
        footnote_definitions=layout.footnote_definitions,
        evidence_list=layout.evidence_list,
    )
    try:
        # Tidied as it is made, so a large letter is never held as both pieces and text.
        with template_mistakes(N_("the letter template")):
            text = tidy_lines(env.get_template(name or f"letter.{letter.language}.md.j2").generate(letter=letter))
            pieces = layout.put_back(text)
    except jinja2.TemplateNotFound as error:
        raise TemplateError(
            _("template {name} not found among the letter's templates").format(name=error.name)
        ) from None
    except jinja2.TemplateError as error:
        lineno = getattr(error, "lineno", None)
        if lineno:
            raise TemplateError(
                _("the letter template failed (line {line}): {message}").format(line=lineno, message=error.message)
            ) from None
        raise TemplateError(_("the letter template failed: {message}").format(message=error.message)) from None
    finally:
        layout.forget()  # the environment keeps the layout in reference cycles: free its memos now
    return pieces


def draft_letter(
    case: Case,
    *,
    language: str,
    as_of: datetime.date,
    templates: UserTemplates | None = None,
    redact: bool = False,
) -> str:
    """The full letter of concern for ``case`` as Markdown (private data never included)."""
    return "".join(draft_letter_pieces(case, language=language, as_of=as_of, templates=templates, redact=redact))


def draft_letter_pieces(
    case: Case,
    *,
    language: str,
    as_of: datetime.date,
    templates: UserTemplates | None = None,
    redact: bool = False,
) -> list[str]:
    """:func:`draft_letter` as pieces, for writing a large letter without joining it."""
    from casefile.case.bounds import letter_facts
    from casefile.case.translations import localized
    from casefile.workflow.privacy import public_case

    public = public_case(case, redact=redact)
    # What happened after the letter's date is not one of its facts (see casefile.case.bounds), and
    # each text is in the letter's language where the case has it (else the original).
    facts = localized(letter_facts(public, as_of), language)
    letter = build_letter(facts, language=language, as_of=as_of)
    return render_letter_pieces(letter, templates=templates)


def draft_reminder(
    case: Case,
    demand: Demand,
    *,
    language: str,
    as_of: datetime.date,
    templates: UserTemplates | None = None,
) -> str:
    """A follow-up letter to the recipient of an unanswered demand, as Markdown."""
    import jinja2

    from casefile.case.datewords import is_uncertain
    from casefile.case.kinds import ResponseStatus
    from casefile.case.translations import localized
    from casefile.letter.grammar import capitalise

    case = localized(case, language)  # its texts in the reminder's language, where the case has them
    demand = next(item for item in case.demands if item.id == demand.id)

    env = environment(templates.texts if templates else None)
    t = Translator(language)
    layout = Lists(language, t)
    # How it was sent, for "reminder.sent" (a template exported before it said so still works).
    t.defaults.update(sent=layout.sent(demand.channel), channel=layout.channel(demand.channel))
    env.filters.update(date=layout.date, day=layout.day, inline=escape_inline, block=escape_block)
    env.filters.update(capital=capitalise)  # a subject that stands as the request: "La reapertura…"
    # A deadline's date, and whether it is probable ("reminder.deadline_probable").
    env.filters.update(deadline=layout.deadline, probable=is_uncertain)
    by_id = {signatory.id: signatory for signatory in case.signatories}
    senders = [by_id[sender] for sender in demand.by if sender in by_id] or list(case.signatories)
    outcome = build_letter(case, language=language, as_of=as_of).demands
    current = next(item for item in outcome if item.demand.id == demand.id)
    # The earlier reminders as a sentence says them: "on 1 August 2024, in September 2024 and on 1 October 2024".
    whens = [layout.when(reminder.date) for reminder in demand.reminders]
    reminder_dates = layout.and_list(whens, whens[-1]) if whens else Markdown("")
    # A partial answer, which the reminder acknowledges before renewing what remains of the request.
    latest = demand.latest_response()
    partial = latest if latest is not None and latest.status is ResponseStatus.PARTIAL else None
    try:
        with template_mistakes(N_("the reminder template")):
            text: str = env.get_template("reminder.md.j2").render(
                t=t,
                when=layout.when,
                demand=demand,
                today=as_of,
                # The days without answer as far as they are known (exact, at least), else None.
                days=current.days_unanswered if current.days_known is not None else None,
                days_known=None if current.days_known is None else current.days_known.value,
                answered=current.days_unanswered is None,
                senders=layout._senders(current, case.signatories),
                sender_names=[signatory.name for signatory in senders],
                reminder_dates=reminder_dates,
                partial=partial,
                summary=layout.summary,
            )
    except jinja2.TemplateError as error:
        raise TemplateError(_("the reminder template failed: {message}").format(message=error.message)) from None
    return tidy(text)


def export_templates(folder: Path) -> list[Path]:
    """Copy the built-in templates into ``folder`` for editing; never overwrite a file, nor write
    through a symbolic link there (a git pull can put one in a shared ``templates/``, to anywhere)."""
    import os

    from casefile.storage.files import make_folders

    make_folders(folder)  # owner-only, as every file casefile writes: a coalition's wording may name people
    written = []
    for source in sorted(builtin_templates().glob("*.j2")):
        target = folder / source.name
        if os.path.lexists(target):
            raise TemplateError(_("{target} already exists; remove it or choose another folder.").format(target=target))
        written.append(target)
    for target in written:
        # O_EXCL: never through a link put there meanwhile.
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write((builtin_templates() / target.name).read_bytes())
    return written


def drafting_notes(language: str = "en") -> list[str]:
    """What the person sending the letter must still check by hand."""
    return [catalogue(language)["notes.annex_one"]]
