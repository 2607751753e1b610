"""Pages of several PDFs written one after another into one PDF, a part at a time.

A PDF library holds every page it joins, with its links and fonts, until it writes the file:
about 300 KiB a page here, so 3 GiB for a 100,000-event letter. This writer copies each
part's kept pages, and what they use, to the file as soon as the part is read (pikepdf reads
it), and keeps only where each object is; its memory does not grow with the letter. Each
object keeps its bytes as qpdf writes them, with its references renumbered; a reference to a
page that is not kept (a link Typst made to a page dropped from its part) becomes null.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import IO, Any

# A literal string, a hex string, or an indirect reference, in qpdf's rendering of an object
# (qpdf escapes the parentheses inside a literal string).
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|(?<![\w.#/+-])(\d+) (\d+) R(?![\w])", re.DOTALL)
_HEADER = b"%PDF-1.7\n%\x80\x80\x80\x80\n"
_PAGES, _CATALOG, _INFO = 1, 2, 3  # the objects written last, numbered first


class PdfJoiner:
    """Writes the pages given to :meth:`add` into ``target``, then the document's frame in :meth:`close`."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.position = 0
        self.digest = hashlib.sha256()
        self.offsets: dict[int, int] = {}
        self.next_number = _INFO + 1
        self.pages: list[int] = []
        self.info = b"<<>>"
        self.language = b""
        self._write(_HEADER)

    def _write(self, data: bytes) -> None:
        self.target.write(data)
        self.digest.update(data)
        self.position += len(data)

    def _object(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.position
        self._write(b"%d 0 obj\n" % number + body)
        if stream is not None:
            self._write(b"\nstream\n" + stream + b"\nendstream")
        self._write(b"\nendobj\n")

    def add(self, pdf: Any, keep: int) -> None:
        """Copy the first ``keep`` pages of ``pdf`` (an open pikepdf.Pdf) and what they use."""
        if not self.pages:  # the document's title, date and language come from its first part
            self.info = pdf.trailer.Info.unparse(resolved=True) if "/Info" in pdf.trailer else b"<<>>"
            self.language = pdf.Root.Lang.unparse() if "/Lang" in pdf.Root else b""
        pages = [page.obj for page in pdf.pages]
        numbers: dict[tuple[int, int], bytes] = {pdf.Root.Pages.objgen: b"%d 0 R" % _PAGES}
        for page in pages[keep:]:
            numbers[page.objgen] = b"null"
        waiting: list[tuple[int, int]] = []
        for page in pages[:keep]:
            self.pages.append(self._number(numbers, page.objgen, waiting))

        def renumbered(match: re.Match[bytes]) -> bytes:
            if match.group(1) is None:
                return match.group()
            return numbers.get((int(match.group(1)), int(match.group(2)))) or (
                b"%d 0 R" % self._number(numbers, (int(match.group(1)), int(match.group(2))), waiting)
            )

        stream: Any = _stream_type()
        while waiting:
            objgen = waiting.pop()
            number = int(numbers[objgen].split()[0])
            item: Any = pdf.get_object(objgen)
            if isinstance(item, stream):
                raw = item.read_raw_bytes()
                item.stream_dict.Length = len(raw)
                self._object(number, _TOKEN.sub(renumbered, item.stream_dict.unparse()), raw)
            else:
                self._object(number, _TOKEN.sub(renumbered, item.unparse(resolved=True)))

    def _number(self, numbers: dict[tuple[int, int], bytes], objgen: tuple[int, int], waiting: list[Any]) -> int:
        number = self.next_number
        self.next_number += 1
        numbers[objgen] = b"%d 0 R" % number
        waiting.append(objgen)
        return number

    def close(self) -> None:
        """Write the page tree, the catalogue, the document's information and the cross-reference table."""
        kids = b" ".join(b"%d 0 R" % number for number in self.pages)
        self._object(_PAGES, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(self.pages), kids))
        language = b"/Lang" + self.language if self.language else b""
        # The pages are numbered 1, 2, 3... throughout, as each part numbered them.
        labels = b"/PageLabels<</Nums[0<</S/D/St 1>>]>>"
        self._object(_CATALOG, b"<</Type/Catalog/Pages %d 0 R%s%s>>" % (_PAGES, language, labels))
        self._object(_INFO, self.info)
        start = self.position
        count = self.next_number
        rows = [b"xref\n0 %d\n0000000000 65535 f \n" % count]
        rows += [b"%010d 00000 n \n" % self.offsets[number] for number in range(1, count)]
        self._write(b"".join(rows))
        # The file's identifier is a digest of its content: the same letter, the same bytes.
        identifier = self.digest.hexdigest()[:32].encode()
        self._write(
            b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
            % (count, _CATALOG, _INFO, identifier, identifier, start)
        )


def _stream_type() -> type:
    import pikepdf

    stream: type = pikepdf.Stream
    return stream


def join_pdfs(target: IO[bytes], parts: Sequence[tuple[bytes, int]]) -> None:
    """Write the first pages of each PDF (its bytes, how many pages) into ``target`` as one PDF."""
    import io

    import pikepdf

    joiner = PdfJoiner(target)
    for data, keep in parts:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            joiner.add(pdf, keep)
    joiner.close()
