"""Runs of common list items read and written at once agree with reading them line by line.

:func:`casefile.letter.letterdoc.source_blocks_and_runs` hands the HTML writer most of a letter's
list items as one :class:`ItemRun` (found with one pattern over many lines), which the writer turns
into HTML with a few replacements. Both must give exactly what the line-by-line reader and the
item-by-item writer give, for any lines, hostile ones and window edges included.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casefile.exchange.html import _Writer, letter_page
from casefile.exchange.officebase import LetterSource
from casefile.letter import letterdoc
from casefile.letter.letterdoc import ItemRun, ListItemSource, source_blocks, source_blocks_and_runs

# Lines a letter's lists are made of, with the near misses a run must not take in.
_LINES = st.sampled_from(
    [
        *("- **2000**: Equipment[^1][^2]  ", "- **1 May**: a > b 'c' \"d\"[^3]", "- **x**", "- **x**  ", "- **x** "),
        *("- **a**: b [^1]", "- **a**[^1]x", "- ****: x", "- **a\t**: b", "- **a**: b\t", "- **a**: b\u00a0"),
        *("- **a**: b\\", "- **a**: <https://a.example/>", "- **a**: *b*", "- **a** & b", "- **a**: b[^x]"),
        *("  Hearing > consultation.", "  more  ", "  more ", "   three", "  - nested", "  2. numbered"),
        *("  \u0663. arabic", "  +plus", "  \tTab", "  text[^2]", "  text\r", "  [^1]: x", "  `code`", "  a_b"),
        *("  *emphasis*", "  a & b", "  a\\b", "  <x>", "  x [^1] y", "  [x] [^2", "  a ** b", "  \u00a0x"),
        *(
            "",
            "  ",
            "# Heading",
            "## Annex",
            "[^1]: A note <https://a.example/?a=1&b='>",
            "[^2]: x",
            " [^3]: y",
            "  [^4]: text",
        ),
        *("1. one", "* star", "+ plus", "- plain item", "lazy line", "---", "> quote", "- - -", "\r"),
    ]
)
# Lines a run is made of, often, so that most documents hold runs.
_COMMON = st.sampled_from(
    ["- **a**: b[^1]", "- **c** > d[^2][^9]  ", "- **e**  ", "- **f**", "  g", "  h > i  ", "  j "]
)
_DOCUMENTS = st.lists(_COMMON | _COMMON | _LINES, max_size=40)


def _expanded(blocks: list[letterdoc.SourceBlock | ItemRun]) -> list[letterdoc.SourceBlock]:
    """The blocks with each run read line by line, in its list."""
    out: list[letterdoc.SourceBlock] = []
    for block in blocks:
        if type(block) is ItemRun:
            assert block.lines and out and type(out[-1]) is ListItemSource
            for item in source_blocks(block.lines):
                assert type(item) is ListItemSource and item.number is None
                out.append(item._replace(list_id=block.list_id))
        else:
            out.append(block)
    return out


@pytest.mark.parametrize("window", [2, 3, 5, letterdoc.RUN_WINDOW])
@given(lines=_DOCUMENTS)
@example(lines=["- **a**: b[^1]  ", "  c", "- **d**[^2]", "- **e**", "  f  ", "  g", "- **h**", "lazy"])
@example(lines=["[^1]: x", "[^2]: y", "- **a**", "- **b**", "[^3]: z", "  more"])
@example(lines=["[^1]: x", " [^2]: y", "  [^3]: a paragraph, not a note", "[^4]: z"])
def test_runs_of_items_hold_the_items_the_line_reader_reads(
    window: int, lines: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(letterdoc, "RUN_WINDOW", window)
    assert _expanded(list(source_blocks_and_runs(lines))) == list(source_blocks(lines))


def _writer(defined: tuple[int, ...]) -> _Writer:
    definitions = [f"[^{number}]: note {number}" for number in defined]
    return _Writer(
        LetterSource.of(definitions, title="", date=datetime.date(2020, 1, 1), language="", annex_heading="Annex")
    )


@given(lines=_DOCUMENTS)
@example(lines=["- **a**: b > c[^1][^2]  ", "  d", "- **e**[^1][^9]", "- **f**  ", "  g  ", "  h", "- **i**"])
@example(lines=["- **a**", "- **b**  ", "- **c**", "  d  ", "- **e**[^1]  ", "- **f**"])
@example(lines=["- **a**", "- **b**", "  *emphasis* and a ** b", "- **c**", "- **d**"])
@example(lines=["- **a**", "- **b**", "  x", "- **c**", "  a & b", "- **d**", "  a\\*b", "- **e**", "- **f**"])
@example(lines=["- **a**", "- **b**", "  a\\.b", "- **c**", "  a\rb", "- **d**"])
@example(
    lines=["- **a**", "- **b**", "  <https://a.example/>", "- **c**", "  `code`", "- **d**", "  _em_ x", "- **e**"]
)
@example(lines=["- **a**", "- **b**", "  x [^1] y [x] [^2", "- **c**", "  text\r", "- **d**", "- **e**"])
def test_html_of_a_run_is_the_html_of_its_items(lines: list[str]) -> None:
    for block in source_blocks_and_runs(lines):
        if type(block) is not ItemRun:
            continue
        at_once, one_by_one = _writer((1, 2, 3)), _writer((1, 2, 3))
        items = [item for item in source_blocks(block.lines) if type(item) is ListItemSource]
        expected = "".join(f"<li>{one_by_one.text(item.paragraphs[0])}</li>\n" for item in items)
        assert all(len(item.paragraphs) == 1 for item in items)
        assert at_once.item_run(block.lines) == expected
        assert list(at_once.citations.items()) == list(one_by_one.citations.items())


def test_a_run_of_hostile_items_is_escaped() -> None:
    markdown = "\n".join(
        [
            "- **first**",
            "- **<b>x</b>**: y",  # < is a Markdown mark here: read line by line
            "- **a > b**: \"c\" 'd' > e[^1]  ",
            "  </li><script>alert(1)</script>",
            "- **f**: g[^1]",
            "- **h**",
            "",
            "[^1]: A note <https://a.example/?q=\"'&x>",
        ]
    )
    page = letter_page(markdown, language="en", title="t")
    assert "<script>" not in page and "<b>" not in page
    assert "<li><strong>a &gt; b</strong>: \"c\" 'd' &gt; e<sup" in page
    assert '<a href="#fn1" id="fnref1:1">1</a></sup></li>' in page
    assert '<a href="https://a.example/?q=&quot;&#x27;&amp;x">' in page
