"""A note's text is one paragraph of text for any CommonMark reader (with footnotes), and for
casefile's own HTML, whatever its source holds: an address ending with a line break, a year or a
number alone before the note's first stop ("2017. <https://...>" would start a numbered list); and
an autolink is a link in casefile's exports too, its scheme in any case ("<HTTPS://...>")."""

from __future__ import annotations

import dataclasses

import pytest

from casefile.case.dates import parse_date
from casefile.case.model import Event, Source
from casefile.exchange.html import letter_page
from casefile.letter.render import LANGUAGES, draft_letter
from casefile.letter.runs import Link, Text, inline_runs
from tests.test_render import AS_OF, fixture_case, html, parse

SOURCES = [
    Source(url="https://example.org/report\n", title="Report"),
    Source(url="https://example.org/report\n"),
    Source(url="https://example.org/report", date=parse_date("2017")),
    Source(url="https://example.org/report", title="2030"),
    Source(url="https://example.org/report", title="1984", publisher="Editorial"),
    Source(title="1984"),
    Source(publisher="2017", url="https://example.org/report", accessed=parse_date("2019-01-02")),
]


def _letter(source: Source, language: str) -> str:
    event = Event(id="2017-01-01-x", date=parse_date("2017-01-01"), title="Hearing", sources=(source,))
    case = dataclasses.replace(fixture_case(), events=(event,), concerns=(), demands=())
    return draft_letter(case, language=language, as_of=AS_OF)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=[str(n) for n in range(len(SOURCES))])
def test_a_note_is_one_paragraph_of_text(source: Source, language: str) -> None:
    text = _letter(source, language)
    plain = _letter(Source(url="https://example.org/plain", title="Report"), language)
    kinds = [token.type for token in parse(text)]
    # As many lists and quotes as a letter citing a plain source: the note's text is no list in the
    # sources index nor in the note.
    for kind in ("ordered_list_open", "bullet_list_open", "blockquote_open", "paragraph_open"):
        assert kinds.count(kind) == [token.type for token in parse(plain)].count(kind), kind
    note = kinds[kinds.index("footnote_open") + 1 : kinds.index("footnote_close")]
    assert [kind for kind in note if kind != "footnote_anchor"] == ["paragraph_open", "inline", "paragraph_close"]
    definitions = [line for line in text.split("\n") if line.startswith("[^")]
    assert len(definitions) == 1 and text.endswith(definitions[0] + "\n")
    page = letter_page(text, language=language, title="t")
    assert page.count('class="footnote-item"') == 1 and "&lt;https" not in page


@pytest.mark.parametrize(
    "url", ["HTTPS://Example.org/report", "Https://example.org/report", "FTP://files.example.org/r"]
)
def test_an_address_whose_scheme_has_capitals_is_a_link_in_the_html_too(url: str) -> None:
    text = _letter(Source(url=url, title="Report"), "en")
    assert f"[^1]: Report. <{url}>" in text  # an autolink, for CommonMark as for the letter
    assert f'href="{url}"' in html(text)
    page = letter_page(text, language="en", title="t")
    assert f'<a href="{url}">{url}</a>' in page and "&lt;" not in page.split('class="footnotes"')[1]
    assert inline_runs(f"see <{url}> or <MailTo:a@b.example>") == (
        Text("see "),
        Link(url),
        Text(" or "),
        Link("MailTo:a@b.example"),
    )


@pytest.mark.parametrize("forged", ["\x000\x00", "\x001\x00", "a\x002\x00b\x003\x00"])
def test_user_text_shaped_like_a_held_list_stays_text(forged: str) -> None:
    # The letter's long lists are held aside while the template's output is tidied, each behind a
    # placeholder of NUL, its number and NUL: user text holding the same must not bring one in.
    case = fixture_case()
    concern = dataclasses.replace(case.concerns[0], summary=forged)
    demand = dataclasses.replace(case.demands[0], subject=forged)
    forged_case = dataclasses.replace(case, request=forged, concerns=(concern, *case.concerns[1:]), demands=(demand,))
    plain_case = dataclasses.replace(case, demands=(case.demands[0],))
    text = draft_letter(forged_case, language="en", as_of=AS_OF)
    plain = draft_letter(plain_case, language="en", as_of=AS_OF)
    assert text.count("\n- **") == plain.count("\n- **")  # no list brought in, nor moved
    assert text.count("[^") == plain.count("[^") and text.count(forged) >= 3
