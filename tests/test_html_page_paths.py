"""A whole HTML page written with its quick paths is the page written without them.

The quick paths (runs of common items, note definitions passed a run at a time, notes in the
common shape written from one match) are checked piece by piece elsewhere; here a page, with its
notes section and its citation counts, is compared with the page the line-by-line reader and the
run-by-run writer give, for letters holding hostile lines.
"""

from __future__ import annotations

import re
from unittest import mock

from hypothesis import example, given
from hypothesis import strategies as st

from casefile.exchange import html as html_module
from casefile.exchange.html import letter_page
from casefile.letter.letterdoc import source_blocks
from tests.test_item_runs import _DOCUMENTS

_NOTES = st.lists(
    st.sampled_from(
        [
            "[^1]: A report <https://a.example/?a=1&b='x'>",
            "[^2]: 2017\\. <HTTPS://b.example/x>",
            ' [^3]: a > b "c" [^1]',
            "[^4]: <mailto:a@b.example>",
            "[^5]:",
            "[^1]: a second definition, not used",
            "[^7]: *em* and `code` & <b>",
            "[^9]: text  ",
            "[^30]: x\r",
        ]
    ),
    max_size=9,
)


def _slow_page(markdown: str) -> str:
    def line_by_line(lines: list[str], report: object = None) -> object:
        return source_blocks(lines)

    with (
        mock.patch.object(html_module, "source_blocks_and_runs", line_by_line),
        mock.patch.object(html_module, "_NOTE", re.compile(r"(?!)")),
    ):
        return letter_page(markdown, language="en", title="t")


@given(lines=_DOCUMENTS, notes=_NOTES)
@example(lines=["- **a**: b[^1][^2]", "  c > d", "- **e**[^1]", "- **f**[^30]"], notes=["[^1]: x <https://a.example/>"])
@example(lines=["- **a**[^1]"] * 30 + ["- **b**"], notes=["[^1]: x", "[^2]: y"])
def test_a_page_is_the_page_written_without_quick_paths(lines: list[str], notes: list[str]) -> None:
    markdown = "\n".join([*lines, "", *notes])
    assert letter_page(markdown, language="en", title="t") == _slow_page(markdown)
