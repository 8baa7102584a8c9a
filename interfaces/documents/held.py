"""The documents held with a plan, as pages of its bundle: each after the index in the
order they are dated, every page under the bundle's own page number.

An image is laid out on a page of the bundle like any other. A PDF's pages cannot be:
the layout gives each of them a blank page of its own (numbered, in the index, under
the document's bookmark), and `stamped` then draws the document's page beneath that
page's footer, scaled to fit above it. pypdf does the merging: WeasyPrint lays out HTML
only, and no other well-kept library stamps existing PDF pages. A bundle with no PDF
document is never touched by pypdf, so its bytes are WeasyPrint's alone.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Collection
from dataclasses import dataclass, replace
from uuid import UUID

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError

from application.planning import Planning
from domain.documents import DocumentDestroyedError, DocumentNotFoundError
from domain.plans import Plan
from domain.values import Document

FOOTER_BAND = 45.0
"""Points at the foot of a bundle page kept clear for its number (the @page margin of
documents.css is 22 mm, its footer text sits in the lower part of that)."""


@dataclass(frozen=True)
class HeldDocument:
    key: str
    number: int
    title: str
    author: str
    kind: str
    occurred_on: str
    media_type: str
    sha256: str
    image: str | None = None
    """A PNG or JPEG as a data: URI, laid out on its own page."""
    pdf: bytes | None = None
    pages: int = 0
    """The PDF's pages, each placed on a page of the bundle."""
    unreadable: str | None = None


def held_documents(
    planning: Planning, plan: Plan, *, held_before: Collection[UUID] = ()
) -> list[HeldDocument]:
    """The plan's documents by the date on them, then the order they were added. Those in
    `held_before` are left out, and the rest numbered after them: a later part of a
    bundle adds documents after the numbers the earlier parts gave."""
    ordered = sorted(
        (d for d in enumerate(plan.documents.values()) if d[1].id not in held_before),
        key=lambda d: (d[1].occurred_on, d[0]),
    )
    return [
        _held(planning, plan.id, number, document)
        for number, (_, document) in enumerate(ordered, start=len(held_before) + 1)
    ]


def _held(planning: Planning, plan_id: UUID, number: int, d: Document) -> HeldDocument:
    base = HeldDocument(
        key=f"held-{number}",
        number=number,
        title=d.title,
        author=d.author,
        kind=d.kind,
        occurred_on=d.occurred_on.isoformat(),
        media_type=d.media_type,
        sha256=d.sha256,
    )
    try:
        content = planning.document(plan_id, d.id)
    except (DocumentDestroyedError, DocumentNotFoundError):
        return replace(base, unreadable=DESTROYED)
    if d.media_type != "application/pdf":
        uri = f"data:{d.media_type};base64,{base64.b64encode(content).decode()}"
        return replace(base, image=uri)
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            return replace(base, unreadable=UNREADABLE + " It is protected by a password.")
        return replace(base, pdf=content, pages=len(reader.pages))
    except (PyPdfError, ValueError, OSError):
        return replace(base, unreadable=UNREADABLE)


DESTROYED = "The file was destroyed with the plan's personal data; its SHA-256 is above."
UNREADABLE = (
    "This file could not be read as a PDF, so its pages are not reproduced here; the file "
    "itself is kept with the plan exactly as added (its SHA-256 is above)."
)


def stamped(pdf: bytes, documents: list[HeldDocument], placed: dict[str, list[int]]) -> bytes:
    """The laid-out bundle with each PDF document's pages drawn beneath the blank pages
    kept for them (`placed`: document key -> the bundle's page indexes, in order)."""
    if not any(d.pdf is not None and d.pages for d in documents):
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    draw_held_pages(writer, documents, placed)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def draw_held_pages(
    writer: PdfWriter, documents: list[HeldDocument], placed: dict[str, list[int]]
) -> None:
    """Each PDF document's pages drawn beneath the pages of `writer` kept for them, scaled
    to fit above the footer."""
    for document in documents:
        if document.pdf is None or not document.pages:
            continue
        source = PdfReader(io.BytesIO(document.pdf))
        for index, page in zip(placed[document.key], source.pages, strict=True):
            target = writer.pages[index]
            width, height = float(target.mediabox.width), float(target.mediabox.height)
            page_width, page_height = float(page.mediabox.width), float(page.mediabox.height)
            scale = min(width / page_width, (height - FOOTER_BAND) / page_height)
            x = (width - page_width * scale) / 2 - float(page.mediabox.left) * scale
            y = FOOTER_BAND + (height - FOOTER_BAND - page_height * scale) / 2
            y -= float(page.mediabox.bottom) * scale
            fit = Transformation().scale(scale, scale).translate(x, y)
            target.merge_transformed_page(page, fit, over=False)
