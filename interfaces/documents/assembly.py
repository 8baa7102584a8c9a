"""One PDF from pieces laid out apart (workers.py): their pages in order, the links
between pieces made, and every page numbered at its foot.

The numbers are drawn on the joined pages, as bundling tools stamp a bundle, because a
piece cannot know on which page it starts until the pieces before it are laid out: laid
out by WeasyPrint, the numbers would make the pieces wait on each other. The footer's text
is set in Helvetica, one of the fonts every PDF reader has (ISO 32000-1 9.6.2.2), so it
needs no embedding and its bytes never vary. Laying out a footer cost WeasyPrint about
6 ms a page (a 368-page bundle: 2 s).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    NameObject,
    PdfObject,
)

# Helvetica's widths (AFM), as pypdf sets its own form fields' text with them.
from pypdf.generic._font import Font

from interfaces.documents.workers import Anchor, Laid

MARGIN = 18 * 72 / 25.4
"""The page's side margins (documents.css: 18 mm), in points."""
BASELINE = 28.0
"""Points above the page's foot: the middle of its 22 mm bottom margin."""
SIZE = 8
GREY = 0.267
"""#444, as documents.css sets the footer."""

_HELVETICA = Font.from_core_font_name("/Helvetica")
_FONT = NameObject("/PlFoot")


def joined(pieces: Sequence[Laid]) -> PdfWriter:
    """The pieces' pages in order, with their bookmarks, and each link to an anchor held
    by another piece pointed at where that piece's pages now are."""
    writer = PdfWriter()
    for piece in pieces:
        writer.append(PdfReader(io.BytesIO(piece.pdf)))
    starts = _page_starts(pieces)
    where: dict[str, tuple[int, Anchor]] = {}
    for start, piece in zip(starts, pieces, strict=True):
        for index, anchors in enumerate(piece.anchors):
            for anchor in anchors:
                where.setdefault(anchor.name, (start + index, anchor))
    for start, piece in zip(starts, pieces, strict=True):
        for link in piece.links:
            if link.target not in where:
                continue
            page, anchor = where[link.target]
            height = float(writer.pages[start + link.page].mediabox.height)
            to_height = float(writer.pages[page].mediabox.height)
            left, top, right, bottom = link.rect
            writer.add_annotation(
                start + link.page,
                Link(
                    rect=(left, height - bottom, right, height - top),
                    target_page_index=page,
                    fit=Fit.xyz(left=anchor.x, top=to_height - anchor.y, zoom=0),
                ),
            )
    return writer


def _page_starts(pieces: Sequence[Laid]) -> list[int]:
    """The index, in the joined document, of each piece's first page."""
    starts, at = [], 0
    for piece in pieces:
        starts.append(at)
        at += piece.pages
    return starts


def number_pages(writer: PdfWriter, left: str, label: str) -> None:
    """`left` at the foot of every page on the left, and on the right the page's label:
    `label` with its number put in, e.g. "Part A, page A{}"."""
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    # The page's own drawing in q ... Q, so that whatever state it leaves (WeasyPrint
    # flips the y axis) cannot move the footer.
    save, restore = (writer._add_object(_stream(b"q\n")), writer._add_object(_stream(b"\nQ\n")))
    for number, page in enumerate(writer.pages, start=1):
        width = float(page.mediabox.width)
        text = label.format(number)
        right = width - MARGIN - _HELVETICA.get_text_width(text) * SIZE / 1000
        footer = _stream(b"q %.3f g " % GREY + _text(MARGIN, left) + _text(right, text) + b"Q\n")
        resources = page.get("/Resources")
        if resources is None:
            page[NameObject("/Resources")] = resources = DictionaryObject()
        resources = resources.get_object()
        fonts = resources.get("/Font")
        if fonts is None:
            resources[NameObject("/Font")] = fonts = DictionaryObject()
        fonts.get_object()[_FONT] = font
        page[NameObject("/Contents")] = ArrayObject(
            [save, *_drawn(page), restore, writer._add_object(footer)]
        )


def _text(x: float, words: str) -> bytes:
    """`words` set at the footer's baseline from `x`."""
    return b"BT %s %d Tf %.2f %.2f Td (%s) Tj ET " % (
        _FONT.encode(),
        SIZE,
        x,
        BASELINE,
        _escaped(words),
    )


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _drawn(page: PageObject) -> list[PdfObject]:
    """The page's content streams, as a /Contents array lists them."""
    contents = page.get(NameObject("/Contents"))
    if contents is None:
        return []
    resolved = contents.get_object()
    return list(resolved) if isinstance(resolved, ArrayObject) else [contents]


def _escaped(text: str) -> bytes:
    """A PDF literal string in WinAnsi: the footer's text is the plan's id, a date and
    page labels, all within it."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")
