"""Exports written in pieces give the very text they gave when they were written whole."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from casefile.exchange.jsonformat import dump_pieces, dumps

TEXTS = st.text(st.characters(codec="utf-8"), max_size=12)  # line breaks, quotes, accents, controls
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS, inner, max_size=4),
    max_leaves=20,
)


@given(document=st.dictionaries(TEXTS, VALUES, max_size=6), streamed=st.data())
def test_json_in_pieces_is_the_json_written_whole(document: dict[str, Any], streamed: st.DataObject) -> None:
    expected = dumps(document)
    # Any list at the top may be handed over as an iterator, made item by item.
    given_as = {
        key: iter(value) if isinstance(value, list) and streamed.draw(st.booleans()) else value
        for key, value in document.items()
    }
    assert "".join(dump_pieces(given_as)) == expected


def test_a_letter_split_into_lines_a_piece_at_a_time_is_split_as_one_text() -> None:
    from casefile.exchange.exports import _lines

    for pieces in ([], [""], ["a\nb", "c", "\n", "\nd\n"], ["\n"], ["x"], ["a\r\n", "b\n\n"]):
        assert _lines(pieces) == "".join(pieces).split("\n")
