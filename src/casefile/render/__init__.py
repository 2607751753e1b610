"""Letters from cases: Jinja2 templates plus per-language message catalogues.

Templates are found in this order: the user's (``--template``, ``--templates``, a trusted
``templates/`` folder beside the case: :mod:`casefile.templatetrust` chooses them), then the
templates shipped with casefile. ``letter.<lang>.md.j2`` extends ``letter.md.j2``, so an edited
copy of either takes effect. Every template renders in Jinja2's immutable sandbox: a template
can shape the letter, never run code, read files or change the objects it is given.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import re
import shutil
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.dates import EdtfDate
from casefile.errors import TemplateError
from casefile.model import (
    Affected,
    Attachment,
    Case,
    Concern,
    Demand,
    DemandStatus,
    Event,
    Signatory,
    SignatoryKind,
    Source,
)
from casefile.render.grammar import Verbatim, capitalise, channel_key
from casefile.render.letter import (
    ChronologyEntry,
    CitedEvent,
    DemandOutcome,
    Footnote,
    Letter,
    NumberedConcern,
    build_letter,
)
from casefile.render.markdown import (
    Markdown,
    citation,
    escape_block,
    escape_inline,
    escape_text,
    link,
    link_text,
)
from casefile.render.prepared import Prepared, PreparedEvent, plain_footnote_text
from casefile.render.sandbox import template_mistakes

if TYPE_CHECKING:
    from casefile.templatetrust import UserTemplates

LANGUAGES = ("en", "es", "fr")
_HEX = re.compile(r"[0-9a-f]{64}")
_HELD = re.compile("\x00(\\d+)\x00")
TEMPLATE_FOLDER = "templates"
_HERE = Path(__file__).parent


def builtin_templates() -> Path:
    """The folder of the templates shipped with casefile."""
    # Beside this module: casefile is installed as files (importlib.resources costs 5 ms to import).
    return _HERE / "templates"


@functools.cache
def catalogue(language: str) -> Mapping[str, str]:
    """The fixed sentences of one language, as flat ``section.key`` names."""
    path = _HERE / "locales" / f"{language}.toml"
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    flat: dict[str, str] = {}
    for section, entries in document.items():
        for key, text in entries.items():
            if isinstance(text, dict):  # a sentence by plural category: {one = "...", other = "..."}
                flat.update({f"{section}.{key}.{category}": form for category, form in text.items()})
            else:
                flat[f"{section}.{key}"] = text
    return flat


class Translator:
    """``t("section.key", name=value)``: a fixed sentence with user values escaped.

    Values are joined to the words before them as the language does (``del``, ``d'``,
    ``du``) and capitalised when they begin a sentence (:func:`grammar.assemble`). A sentence
    given by plural category (``{one = ..., other = ...}``) is chosen by its ``count`` value;
    ``count`` and ``total`` are written as words up to ten.
    """

    def __init__(self, language: str, defaults: Mapping[str, Markdown] | None = None) -> None:
        self.language = language
        self.messages = catalogue(language)
        self._fixed: dict[str, Markdown] = {}  # sentences without values, made once
        # Values every sentence may use without the template passing them (the country's phrases).
        self.defaults = dict(defaults or {})

    def __call__(self, key: str, **params: Any) -> Markdown:
        if self.defaults and "{" in self.messages.get(key, "{"):
            params = {**self.defaults, **params}
        if not params:
            fixed = self._fixed.get(key)
            if fixed is None:
                fixed = self._fixed[key] = Markdown(self.messages[key].format())
            return fixed
        from casefile.render.grammar import Count, assemble, plural_category

        escaped: dict[str, Any] = {}
        for name, value in params.items():
            if name in _COUNTS and isinstance(value, int):
                escaped[name] = Count(value, self.language)
            else:
                escaped[name] = value if isinstance(value, Count) else _escape_param(value)
        message = self.messages.get(key)
        if message is None:  # by plural category
            category = plural_category(self.language, escaped["count"].value)
            message = self.messages.get(f"{key}.{category}") or self.messages[f"{key}.other"]
        return Markdown(assemble(self.language, message, escaped))


_COUNTS = frozenset({"count", "total"})


def _escape_param(value: Any) -> str:
    if isinstance(value, Markdown | Verbatim):
        return value
    return escape_inline(str(value))


class _Layout:
    """Helpers the template calls; they know the letter's language."""

    def __init__(self, language: str, t: Translator, prepared: Prepared | None = None) -> None:
        self.language = language
        self.t = t
        self._prepared = prepared or Prepared()
        # A large letter writes each event and source twice (body and annex) and many dates
        # again and again: each is worked out once. Keyed by the object, which the letter holds.
        self._dates: dict[str, str] = {}
        self._escaped_dates: dict[str, str] = {}
        self._footnote_lists: dict[int, tuple[Sequence[Footnote], list[str]]] = {}
        self._entries: dict[int, tuple[CitedEvent, str]] = {}
        self._held: list[str] = []
        self._date_colon = t("letter.date_colon")
        self._semicolon = " ; " if language == "fr" else "; "

    def hold(self, text: str) -> Markdown:
        """A long, already tidy block, kept aside while the template's output is tidied.

        The template gets a one-line placeholder; :meth:`put_back` swaps the block in after
        tidying, so the tens of thousands of lines of a large case's lists are not tidied again.
        """
        if not text:
            return Markdown("")
        self._held.append(text)
        return Markdown(f"\x00{len(self._held) - 1}\x00")

    def put_back(self, text: str) -> list[str]:
        """The pieces of the text with every held block in place of its placeholder.

        Pieces, not one string: a 100,000-event letter need never be held whole in memory
        (one non-Latin-1 character would make Python store all of it at two bytes a character).
        """
        parts = _HELD.split(text)
        # split() alternates text and the captured block numbers.
        return [self._held[int(part)] if index % 2 else part for index, part in enumerate(parts) if part]

    def forget(self) -> None:
        """Drop what was worked out for one letter."""
        self._held.clear()
        self._dates.clear()
        self._escaped_dates.clear()
        self._footnote_lists.clear()
        self._entries.clear()
        self._prepared = Prepared()

    def date(self, value: Any) -> str:
        from casefile.dates import EdtfDate, format_date

        if type(value) is not EdtfDate:
            return format_date(value, self.language)
        written = self._dates.get(value.text)
        if written is None:
            written = self._dates[value.text] = format_date(value, self.language)
        return written

    def day(self, value: datetime.date) -> str:
        from casefile.dates import format_day

        return format_day(value, self.language)

    def join_text(self, values: Iterable[Any]) -> Markdown:
        # French sets a space before a semicolon ("civique ; Valeur").
        return Markdown(self._semicolon.join(_escape_param(value) for value in values))

    @staticmethod
    def notes(numbers: Iterable[int]) -> Markdown:
        return Markdown(_note_marks(tuple(numbers)))

    @staticmethod
    def note_list(numbers: Iterable[int]) -> Markdown:
        return Markdown(", ".join(str(number) for number in numbers))

    def concern_title(self, item: NumberedConcern) -> Markdown:
        if not item.generated:
            return escape_inline(item.concern.title)
        if item.concern.title:
            return self.t("concern.tagged", tag=item.concern.title)
        return self.t("concern.untitled")

    def category_text(self, concern: Concern) -> Markdown:
        return self.t(f"category.{concern.category.value}", text=concern.category_other)

    @staticmethod
    def representative(signatory: Signatory) -> Markdown:
        parts = [signatory.representative, signatory.representative_title]
        return escape_inline(", ".join(part for part in parts if part))

    def footnote_text(self, source: Source) -> Markdown:
        return Markdown(self._footnote_text(source))

    def _footnote_text(self, source: Source) -> str:
        prepared = self._prepared.sources.get(id(source))
        if prepared is not None and prepared[0] is source:
            return prepared[1]
        plain = plain_footnote_text(source)
        if plain is not None:
            return plain
        parts = []
        if source.title:
            parts.append(escape_text(source.title))
        if source.publisher:
            parts.append(escape_text(source.publisher))
        if source.date is not None:
            parts.append(self._escaped_date(source.date))
        if source.url:
            parts.append(link_text(source.url))
        if source.archived_url:
            parts.append(self.t("footnote.archived", url=link(source.archived_url)))
        if source.accessed is not None:
            parts.append(self.t("footnote.accessed", date=self.date(source.accessed)))
        return citation(parts)

    def _escaped_date(self, date: EdtfDate) -> str:
        """A date where it begins a list item or a part of a note, so with a capital: "Hacia febrero de 2020"."""
        written = self._escaped_dates.get(date.text)
        if written is None:
            written = self._escaped_dates[date.text] = escape_text(capitalise(self.date(date)))
        return written

    def filers_sentence(self, letter: Letter) -> Markdown:
        signatories = letter.case.signatories
        if not signatories:
            return self.t("filers.none")
        if len(signatories) == 1:
            return self.t("filers.count_one", lead=signatories[0].name)
        signers = self.signers(signatories)
        if letter.lead is not None:
            return self.t("filers.count", signers=signers, lead=letter.lead.name)
        return self.t("filers.count_no_lead", signers=signers)

    def domestic_intro(self, letter: Letter) -> Markdown:
        """ "Before writing to OGP, the ten signatory organisations raised these matters with..."."""
        signatories = letter.case.signatories
        if not signatories:
            return self.t("domestic.intro", count=1, signers=self.t("domestic.senders_default"))
        return self.t("domestic.intro", count=len(signatories), signers=self.signers(signatories))

    def signers(self, signatories: Sequence[Signatory]) -> Markdown:
        """Who signs, counted: "the three signatory organisations", "las tres personas firmantes"."""
        people = sum(1 for signatory in signatories if signatory.kind is SignatoryKind.INDIVIDUAL)
        kind = "people" if people == len(signatories) else "organisations" if not people else "mixed"
        return self.t(f"signers.{kind}", count=len(signatories))

    def evidence_sentence(self, notes: tuple[int, ...]) -> Markdown:
        if not notes:
            return self.t("concern.no_evidence")
        key = "concern.evidence" if len(notes) > 1 else "concern.evidence_one"
        return self.t(key, notes=self.note_list(notes))

    def demand_sentence(self, outcome: DemandOutcome) -> Markdown:
        demand = outcome.demand
        return self.t(
            "domestic.demand",
            when=self.when(demand.date, capital=True),
            senders=self._senders(outcome),
            to=demand.to,
            channel=self.channel(demand.channel),
            subject=demand.subject,
        )

    def channel(self, channel: str) -> Markdown:
        """How a demand was sent, as the words after "was sent to X" (nothing when not recorded)."""
        if not channel:
            return Markdown("")
        known = channel_key(channel)
        return self.t(f"channel.{known}") if known else self.t("channel.other", channel=channel)

    def when(self, date: EdtfDate, *, capital: bool = False) -> Markdown:
        """A date as an adverbial phrase: "on 16 February 2017", "in March 2017", "around 2016"."""
        point = date.start if not date.is_interval else None
        written = escape_inline(self.date(date))
        if point is not None and not (point.approximate or point.uncertain):
            key = "domestic.when_day" if point.day is not None else "domestic.when_period"
            written = self.t(key, date=written)
        return Markdown(capitalise(written)) if capital else written

    def _senders(self, outcome: DemandOutcome) -> Markdown:
        if not outcome.senders:
            return self.t("domestic.senders_default")
        if outcome.sent_by_all and len(outcome.senders) > 2:
            return self.t("domestic.senders_all")
        return Markdown(", ".join(escape_inline(sender) for sender in outcome.senders))

    def outcome_sentence(self, outcome: DemandOutcome, letter_date: datetime.date) -> Markdown:
        demand = outcome.demand
        if outcome.days_unanswered is not None:
            if outcome.status is DemandStatus.OVERDUE and demand.deadline is not None:
                return self.t(
                    "domestic.overdue",
                    deadline=self.date(demand.deadline),
                    count=outcome.days_unanswered,
                    letter_date=self.day(letter_date),
                )
            return self.t("domestic.unanswered", count=outcome.days_unanswered, letter_date=self.day(letter_date))
        response = demand.latest_response()
        assert response is not None  # days_unanswered is None only once answered
        sentence = self.t(f"domestic.{response.status.value}", to=demand.to, when=self.when(response.date))
        if response.summary:
            sentence = Markdown(f"{sentence} {self.t('domestic.response_summary', summary=response.summary)}")
        return sentence

    def event_entry(self, cited: CitedEvent, *, details: bool = True) -> Markdown:
        """An event as a list item: date, title and notes, then description and actors below."""
        return Markdown(self._event_entry(cited, details))

    def _event_entry(self, cited: CitedEvent, details: bool) -> str:
        # Each event's first line is written twice (its concern and the chronology): kept until then.
        known = self._entries.pop(id(cited), None)
        event = cited.event
        prepared = self._prepared.events.get(id(event))
        if prepared is not None and prepared[0] is not event:
            prepared = None
        if known is not None and known[0] is cited:
            first = known[1]
        else:
            title = escape_text(event.title) if prepared is None else prepared[1]
            first = f"**{self._escaped_date(event.date)}**{self._date_colon}{title}{_note_marks(cited.notes)}"
            self._entries[id(cited)] = (cited, first)
        if not details:
            return first
        description = escape_text(event.description) if prepared is None else prepared[2]
        if not (event.actors or event.affected):  # most events: no list to build
            return f"{first}  \n  {description}" if description else first
        lines = [first]
        if description:
            lines.append(description)
        if event.actors:
            lines.append(self.t("concern.actors", actors=self.join_text(event.actors)))
        if event.affected:
            people = [self.affected_person(person) for person in event.affected]
            lines.append(self.t("concern.affected", people=Markdown(self._semicolon.join(people))))
        return "  \n  ".join(lines)

    def affected_person(self, person: Affected) -> Markdown:
        """A named person with their role, or only their role (privacy decides which, earlier)."""
        if person.name and person.role:
            return Markdown(f"{escape_inline(person.name)} ({escape_inline(person.role)})")
        return escape_inline(person.name or person.role) or self.t("concern.affected_unnamed")

    def evidence_line(self, event: Event, attachment: Attachment) -> Markdown:
        return self.t(
            "annex.evidence_line",
            name=Verbatim(escape_inline(attachment.name)),
            media_type=Verbatim(escape_inline(attachment.media_type)),
            size=attachment.size,
            event=event.title,
            sha256=Verbatim(attachment.sha256 if _HEX.fullmatch(attachment.sha256) else ""),
        )

    # Lists with one line per event or source are made here rather than by loops in the
    # template: a 10,000-event letter is mostly these lists, and a template loop costs several
    # times more per line. Templates still choose where each list goes, and can loop themselves.

    def event_list(self, events: Iterable[CitedEvent]) -> Markdown:
        """Events as a Markdown list, each with its details."""
        entry = self._event_entry
        return self.hold("\n".join(["- " + entry(cited, True) for cited in events]))

    def chronology_list(self, chronology: Iterable[ChronologyEntry]) -> Markdown:
        """The annex chronology: events and demands, one line each."""
        colon = self.t("letter.date_colon")
        lines = []
        for entry in chronology:
            if entry.event is not None:
                lines.append("- " + self._event_entry(entry.event, False))
            elif entry.demand is not None:
                demand = entry.demand.demand
                what = self.t("annex.chronology_demand", to=demand.to, subject=demand.subject)
                lines.append(f"- **{self._escaped_date(demand.date)}**{colon}{what}")
        return self.hold("\n".join(lines))

    def sources_index(self, footnotes: Iterable[Footnote]) -> Markdown:
        """Every source, numbered as its footnote."""
        footnotes = _as_sequence(footnotes)
        texts = self._footnote_texts(footnotes)
        lines = [f"{footnote.number}. {text}" for footnote, text in zip(footnotes, texts, strict=True)]
        return self.hold("\n".join(lines)) if lines else self.t("annex.sources_none")

    def footnote_definitions(self, footnotes: Iterable[Footnote]) -> Markdown:
        """The footnotes themselves, ``[^n]: ...``."""
        footnotes = _as_sequence(footnotes)
        texts = self._footnote_texts(footnotes)
        return self.hold("\n".join([f"[^{f.number}]: {text}" for f, text in zip(footnotes, texts, strict=True)]))

    def _footnote_texts(self, footnotes: Sequence[Footnote]) -> list[str]:
        # The built-in letter lists the same footnotes twice (annex and footnotes): kept until then.
        known = self._footnote_lists.pop(id(footnotes), None)
        if known is not None and known[0] is footnotes:
            return known[1]
        text = self._footnote_text
        texts = [text(footnote.source) for footnote in footnotes]
        self._footnote_lists[id(footnotes)] = (footnotes, texts)
        return texts

    def evidence_list(self, attachments: Iterable[tuple[Event, Attachment]]) -> Markdown:
        """Attached files with their SHA-256, one line each."""
        return self.hold("\n".join(f"- {self.evidence_line(event, attachment)}" for event, attachment in attachments))

    def signatory_line(self, signatory: Signatory) -> Markdown:
        name = escape_inline(signatory.name) if signatory.name else self.t("signatories.withheld")
        line = f"**{name}**"
        if signatory.country:
            from casefile.countries import country_name

            line += f" ({escape_inline(country_name(signatory.country, self.language))})"
        if signatory.representative:
            line += ", " + self.t("signatories.represented", representative=self.representative(signatory))
        return Markdown(line)


def country_defaults(country: str, language: str) -> dict[str, Markdown]:
    """The phrases sentences use for the case's country: ``country``, ``in_country``, ``country_name``."""
    from casefile.render.countrynames import country_phrases

    phrases = country_phrases(country, language)
    return {name: escape_inline(value) for name, value in phrases._asdict().items() if name != "name"} | {
        "country_name": escape_inline(phrases.name)
    }


def _as_sequence(items: Iterable[Any]) -> Sequence[Any]:
    """``items`` as a tuple, unless it is one: a template may pass a generator (``selectattr``)."""
    return items if isinstance(items, tuple) else tuple(items)


def _note_marks(numbers: tuple[int, ...]) -> str:
    """``[^1][^2]``: the footnote marks of ``numbers``."""
    return "[^" + "][^".join(map(str, numbers)) + "]" if numbers else ""


def _finalize(value: Any) -> Any:
    """Escape every value a template prints, unless casefile made it as Markdown."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        raise TemplateError("the template printed a missing value")
    return escape_inline(str(value))


def environment(user_templates: Mapping[str, str] | None = None) -> Any:
    """A sandboxed Jinja2 environment for Markdown letters: the user's templates (by name), then
    the built-in ones."""
    import jinja2

    from casefile.render.sandbox import sandbox_class

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
    from casefile.cache import cache_root, make_folder, write_file

    folder = cache_root() / "templates"  # scrub removes it: a template may quote the case
    try:
        make_folder(folder)
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
                write_file(folder, name, hashlib.sha256(body).digest(), body)

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
    prepared: Prepared | None = None,
) -> list[str]:
    """:func:`render_letter` as pieces whose concatenation is the letter."""
    import jinja2

    env = environment(templates.texts if templates else None)
    name = templates.start if templates else None
    t = Translator(letter.language, country_defaults(letter.case.country, letter.language))
    layout = _Layout(letter.language, t, prepared)
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
        evidence_sentence=layout.evidence_sentence,
        demand_sentence=layout.demand_sentence,
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
        with template_mistakes("the letter template"):
            text = _tidy_lines(env.get_template(name or f"letter.{letter.language}.md.j2").generate(letter=letter))
            pieces = layout.put_back(text)
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"template {error.name} not found among the letter's templates") from None
    except jinja2.TemplateError as error:
        lineno = getattr(error, "lineno", None)
        where = f" (line {lineno})" if lineno else ""
        raise TemplateError(f"the letter template failed{where}: {error.message}") from None
    finally:
        layout.forget()  # the environment keeps the layout in reference cycles: free its memos now
    return pieces


def _tidy(text: str) -> str:
    """Collapse runs of blank lines, give headings blank lines around them, end with one newline.

    Only casefile's own lines can start with ``#``: user text is escaped.
    """
    return _tidy_lines([text])


def _split_lines(pieces: Iterable[str]) -> Iterable[str]:
    """The lines of ``"".join(pieces)``, as ``str.splitlines`` gives them, without joining them all."""
    carry = ""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= 1 << 16:
            lines = (carry + "".join(buffer)).splitlines(keepends=True)
            # The last line may go on in the next piece (even after a \r, if a \n follows).
            carry = lines.pop() if lines else ""
            yield from "".join(lines).splitlines()
            buffer, size = [], 0
    yield from (carry + "".join(buffer)).splitlines()


def _tidy_lines(pieces: Iterable[str]) -> str:
    """:func:`_tidy` of the text made of ``pieces``.

    The tidied lines are joined in blocks as they come, and the text is stripped by stripping
    its first and last lines: a large letter is joined once, never held as a list of lines.
    """
    blocks: list[str] = []
    pending: list[str] = []  # the last lines, not yet in a block
    last: str | None = None  # the last line kept, as the rules see it (not yet stripped)
    for raw in _split_lines(pieces):
        line = raw if raw.endswith("  ") and raw.strip() else raw.rstrip()
        if line.startswith("#") and last:
            pending.append(last := "")
        if line and last is not None and last.startswith("#"):
            pending.append(last := "")
        if not line and not last:
            continue
        # The text is stripped at the end: the first line it keeps loses its leading spaces.
        pending.append(line if last is not None else line.lstrip())
        last = line
        if len(pending) >= 4096:
            blocks.append("\n".join(pending[:-2]) + "\n")
            del pending[:-2]  # the rules never keep two blank lines in a row
    while pending and not pending[-1]:
        pending.pop()
    if not pending and not blocks:
        return "\n"
    if pending:
        pending[-1] = pending[-1].rstrip()
    blocks.append("\n".join(pending))
    blocks.append("\n")
    return "".join(blocks)


def draft_letter(
    case: Case,
    *,
    language: str,
    as_of: datetime.date,
    templates: UserTemplates | None = None,
    redact: bool = False,
    prepared: Sequence[PreparedEvent] | None = None,
) -> str:
    """The full letter of concern for ``case`` as Markdown (private data never included)."""
    pieces = draft_letter_pieces(
        case,
        language=language,
        as_of=as_of,
        templates=templates,
        redact=redact,
        prepared=prepared,
    )
    return "".join(pieces)


def draft_letter_pieces(
    case: Case,
    *,
    language: str,
    as_of: datetime.date,
    templates: UserTemplates | None = None,
    redact: bool = False,
    prepared: Sequence[PreparedEvent] | None = None,
) -> list[str]:
    """:func:`draft_letter` as pieces, for writing a large letter without joining it.

    ``prepared`` is what :func:`prepared_texts` gave for ``case.events``, if it was kept.
    """
    from casefile.bounds import letter_facts
    from casefile.privacy import public_case
    from casefile.translations import localized

    public = public_case(case, redact=redact)
    # public_case keeps the events in their order, and their titles, descriptions and sources.
    texts = Prepared.of(public.events, prepared) if prepared is not None else None
    # What happened after the letter's date is not one of its facts (see casefile.bounds), and
    # each text is in the letter's language where the case has it (else the original).
    facts = localized(letter_facts(public, as_of), language)
    letter = build_letter(facts, language=language, as_of=as_of)
    return render_letter_pieces(letter, templates=templates, prepared=texts)


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

    from casefile.translations import localized

    case = localized(case, language)  # its texts in the reminder's language, where the case has them
    demand = next(item for item in case.demands if item.id == demand.id)

    env = environment(templates.texts if templates else None)
    t = Translator(language)
    layout = _Layout(language, t)
    env.filters.update(date=layout.date, day=layout.day, inline=escape_inline, block=escape_block)
    by_id = {signatory.id: signatory for signatory in case.signatories}
    senders = [by_id[sender] for sender in demand.by if sender in by_id] or list(case.signatories)
    outcome = build_letter(case, language=language, as_of=as_of).demands
    current = next(item for item in outcome if item.demand.id == demand.id)
    try:
        with template_mistakes("the reminder template"):
            text: str = env.get_template("reminder.md.j2").render(
                t=t,
                when=layout.when,
                demand=demand,
                today=as_of,
                days=current.days_unanswered if current.days_unanswered is not None else 0,
                senders=layout._senders(current),
                sender_names=[signatory.name for signatory in senders],
                reminder_dates=Markdown(", ".join(escape_inline(layout.date(r.date)) for r in demand.reminders)),
            )
    except jinja2.TemplateError as error:
        raise TemplateError(f"the reminder template failed: {error.message}") from None
    return _tidy(text)


def export_templates(folder: Path) -> list[Path]:
    """Copy the built-in templates into ``folder`` for editing; never overwrite a file."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(builtin_templates().glob("*.j2")):
        target = folder / source.name
        if target.exists():
            raise TemplateError(f"{target} already exists; remove it or choose another folder.")
        written.append(target)
    for target in written:
        shutil.copyfile(builtin_templates() / target.name, target)
    return written


def drafting_notes(language: str = "en") -> list[str]:
    """What the person sending the letter must still check by hand."""
    return [catalogue(language)["notes.annex_one"]]
