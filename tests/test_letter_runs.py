"""The letter's Markdown read back: the quick readings of common lines agree with the full one.

:mod:`casefile.letter.runs` reads the lines a letter writes most (``**date**: title[^1][^2]``,
``text <https://...>``, plain text) with one pattern each, and the HTML writer turns those lines
into HTML straight from their parts. Both must give exactly what reading token by token gives,
for any line, hostile ones included.
"""

from __future__ import annotations

import datetime

from hypothesis import example, given
from hypothesis import strategies as st

from casefile.exchange.html import _Writer, letter_page
from casefile.exchange.officebase import LetterSource
from casefile.letter import runs as letter_runs
from casefile.letter.letterdoc import ListItem, NoteTexts, Paragraph, blocks
from casefile.letter.runs import Link, NoteMark, Text, inline_runs, paragraph_runs

# Markdown's marks and HTML's specials, often, among ordinary letters.
_PIECES = st.sampled_from(
    [
        *("**", "*", "_", "__", "\\", "[^1]", "[^2]", "[^9]", "[^", "]", "<", ">", "&", "&amp;", '"', "'", "`", ":"),
        *("<https://a.example/x?y=1&z=2>", "<mailto:a@b.example>", " ", "  ", "a", "word", "é", "2017", "\t"),
    ]
)
_LINES = st.lists(_PIECES, max_size=12).map("".join)
# Lines in the common shapes, their text holding what HTML escapes and Markdown does not mark.
_TEXT = st.text(alphabet=st.sampled_from(["a", "é", " ", ">", '"', "'", ":", "]", "^", "1"]), max_size=8)
_SHAPED = st.builds(
    lambda bold, text, end, breaks: (f"**{bold}**" if bold is not None else "") + text + end + breaks,
    st.none() | _TEXT,
    _TEXT,
    st.sampled_from(["", "[^1]", "[^2][^1]", "[^7]", "<https://a.example/?a=1&b='>", "<mailto:a@b.example>"]),
    st.sampled_from(["", "  ", "\\", "\\\\", " "]),
)


@given(_LINES | _SHAPED)
@example("**2017-02-11**: Citizen Lab publica[^1][^2]")
@example("Denied permit hearing request. <https://news0.example.org/2012/2412-detained>")
@example('**<script>alert(1)</script>** & "quotes" [^9] **')
@example("****plain[^1]")
@example("**a**b <https://x.example/a_b*c>")
def test_quick_reading_of_a_line_is_the_full_reading(line: str) -> None:
    text = line.strip()
    assert letter_runs._line_runs(text) == letter_runs._tokens_runs(text)


def _page_writer(defined: tuple[int, ...]) -> _Writer:
    definitions = [f"[^{number}]: note {number}" for number in defined]
    return _Writer(
        LetterSource.of(definitions, title="", date=datetime.date(2020, 1, 1), language="", annex_heading="Annex")
    )


@given(st.lists(_SHAPED | _LINES, min_size=1, max_size=4), st.booleans())
@example(["**2000**: <b>Equipment</b> & co[^1][^2]  ", "Hearing > consultation[^1]"], False)
@example(["Plain \\", "text[^3]\\\\", "**bold**"], False)
@example(["a > b[^1]", "**'c'**"], False)
@example(["Denied & <https://news0.example.org/2012/2412-detained>"], True)
def test_html_of_a_paragraph_straight_from_its_lines_is_the_html_of_its_runs(lines: list[str], in_note: bool) -> None:
    straight, from_runs = _page_writer((1, 2)), _page_writer((1, 2))
    assert straight.text(lines, in_note=in_note) == from_runs.runs(paragraph_runs(lines), in_note=in_note)
    assert list(straight.citations.items()) == list(from_runs.citations.items())  # counts, in order of first citation


def test_hostile_text_in_common_shapes_is_escaped() -> None:
    """A fact's line, a note and a plain line, each holding text that must never become a tag."""
    markdown = "\n".join(
        [
            "- **<script>alert(1)</script>**: x > y & \"z\" 'w'[^1]  ",
            "  </li><img src=x onerror=alert(2)> [^9] **",
            "",
            "<b>bold?</b> & more",
            "",
            '[^1]: A & B <https://a.example/?q="><script>>',
        ]
    )
    page = letter_page(markdown, language="en", title="<t>")
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>: x &gt; y &amp; \"z\" 'w'" in page
    # A note that does not exist stays as Markdown shows it; an unclosed ** marks nothing.
    assert "&lt;/li&gt;&lt;img src=x onerror=alert(2)&gt; [^9] </li>" in page
    link = '<a href="https://a.example/?q=&quot;">https://a.example/?q=&quot;</a>'
    assert f"<p>A &amp; B {link}&lt;script&gt;&gt; " in page
    assert "<p>&lt;b&gt;bold?&lt;/b&gt; &amp; more</p>" in page


def test_paragraph_runs_are_the_runs_of_the_joined_text() -> None:
    lines = ["**2000**: Equipment[^1][^2]  ", "Hearing \\", "consultation", "**a**"]
    assert paragraph_runs(lines) == inline_runs("\n".join(lines))
    assert paragraph_runs(lines)[:4] == (Text("2000", True), Text(": Equipment"), NoteMark(1), NoteMark(2))


def test_notes_are_found_first_and_read_when_asked() -> None:
    lines = ["Text[^1].", "", "[^1]: First <https://a.example/>", "[^1]: Second", " [^2]: Two"]
    notes = NoteTexts(lines)
    assert list(notes) == [1, 2] and 2 in notes and 3 not in notes and len(notes) == 2
    assert notes[1] == (Text("First "), Link("https://a.example/"))
    assert notes.source(2) == "Two"
    assert list(blocks(lines)) == [Paragraph((Text("Text"), NoteMark(1), Text(".")))]


def test_list_items_keep_their_paragraphs_and_lists_their_numbers() -> None:
    lines = ["1. one", "   more", "", "   second paragraph", "2. two", "- bullet", "lazy line"]
    assert list(blocks(lines)) == [
        ListItem(1, 1, ((Text("one more"),), (Text("second paragraph"),))),
        ListItem(1, 2, ((Text("two"),),)),
        ListItem(2, None, ((Text("bullet lazy line"),),)),
    ]


def test_a_note_cited_many_times_links_back_to_each_citation() -> None:
    markdown = "\n".join([*(f"Claim {index}[^1]" for index in range(28)), "", "[^1]: The source."])
    page = letter_page(markdown, language="en", title="t")
    note = page[page.index('<li id="fn1"') :]
    assert '<a href="#fnref1" class="footnote-backref">\u21a9\ufe0e a</a>' in note
    assert '<a href="#fnref1:1" class="footnote-backref">b</a>' in note
    assert '<a href="#fnref1:25" class="footnote-backref">z</a>' in note
    assert '<a href="#fnref1:27" class="footnote-backref">28</a></p>' in note
    assert page.count('id="fnref1:') == 27 and 'id="fnref1"' in page
