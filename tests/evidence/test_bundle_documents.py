"""The documents held with a plan inside its bundle: each after the index by its date, a
PDF's own pages under the bundle's page numbers and bookmark, an image on a page, a file
that cannot be read said so; and the bundle's bytes the same each time."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from domain.calendar import today
from interfaces.documents import render
from interfaces.documents.bundle import build_bundle
from tests.application.test_personal_data import destroy_key
from tests.evidence.pdf_text import pages_text
from tests.evidence.plans import a_reviewed_plan
from tests.examples import as_caller, days_ago


def a_pdf(*pages: str) -> bytes:
    body = "".join(f'<p style="break-before: page">{text}</p>' for text in pages)
    return render.pdf_bytes(render.layout(f"<html><body>{body}</body></html>"))


def a_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def with_documents(make_planning, master_key):
    planning = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
    story = a_reviewed_plan(planning)
    for content, title, on in (
        (a_pdf("Educational psychology report, first page", "Second page: advice"), "EP", 20),
        (a_png(), "Drawing of my day", 40),
        (b"%PDF-1.7\nnot really a pdf\n%%EOF\n", "Scanned letter", 30),
    ):
        planning.add_document(
            story.plan_id,
            as_caller(),
            content,
            title=title,
            author="Dr Anna Reid",
            kind="report",
            occurred_on=days_ago(on),
        )
    return planning, story


def test_documents_follow_the_index_by_date_each_page_numbered(with_documents):
    planning, story = with_documents
    bundle = build_bundle(planning, story.plan_id, today())
    titles = [s.title for s in bundle.sections]
    assert titles[2:5] == ["D1. Drawing of my day", "D2. Scanned letter", "D3. EP"]
    ep = next(s for s in bundle.sections if s.title == "D3. EP")
    assert ep.last_page - ep.first_page == 2  # its title page, then its own two pages
    pages = pages_text(bundle.pdf)
    first, second = pages[ep.first_page], pages[ep.first_page + 1]  # 0-based: the next two
    assert "Educational psychology report, first page" in first
    assert "Second page: advice" in second
    for number in (ep.first_page + 1, ep.first_page + 2):
        assert f"Part A, page A{number}" in pages[number - 1]
    letter = next(s for s in bundle.sections if s.title == "D2. Scanned letter")
    assert "could not be read as a PDF" in pages[letter.first_page - 1]
    outline = [
        item.title
        for item in PdfReader(io.BytesIO(bundle.pdf)).outline
        if not isinstance(item, list)
    ]
    assert "D3. EP" in outline
    # The index still gives where each section really is, documents and all.
    index = pages[1]
    assert f"A{ep.first_page}\N{EN DASH}A{ep.last_page}" in index


def test_a_bundle_with_documents_is_the_same_bytes_each_time(with_documents):
    planning, story = with_documents
    first = build_bundle(planning, story.plan_id, today())
    again = build_bundle(planning, story.plan_id, today())
    assert first.sha256 == again.sha256


def test_a_destroyed_plans_bundle_says_its_documents_were_destroyed(with_documents):
    planning, story = with_documents
    destroy_key(planning, story.plan_id)
    bundle = build_bundle(planning, story.plan_id, today())
    text = " ".join(pages_text(bundle.pdf))
    assert text.count("destroyed with the plan's personal data") == 3
    assert "Educational psychology report" not in text
