"""A bundle laid out in pieces side by side reads as one document: every entry once and
in order, every page numbered, the index's links landing where it says; and a long bundle
does not make a family's copy wait for all of it."""

from __future__ import annotations

import io
import re
import threading
import time

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from application.authority import load_stages
from domain.calendar import today
from domain.events import RecordViews
from interfaces.documents import bundle as bundles
from interfaces.documents import workers
from interfaces.documents.bundle import build_bundle
from interfaces.documents.plan_copy import SharedCopyRenderer, render_plan_pdf
from tests.evidence.pdf_text import pages_text
from tests.evidence.plans import a_reviewed_plan
from tests.examples import as_caller


@pytest.fixture
def story(make_planning, master_key):
    planning = make_planning(
        PLANLEDGER_ENCRYPTION_KEY=master_key, shared_copy=SharedCopyRenderer(load_stages())
    )
    return planning, a_reviewed_plan(planning).plan_id


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of a few entries and one record each, so a short plan is many pieces."""
    monkeypatch.setattr(bundles, "CHRONOLOGY_A_PIECE", 3)
    monkeypatch.setattr(bundles, "RECORDS_A_PIECE", 1)


def test_a_chronology_in_many_pieces_holds_every_entry_once_in_order(story, small_pieces):
    planning, plan_id = story
    built = build_bundle(planning, plan_id, today())
    chronology = next(s for s in built.sections if s.key == "chronology")
    lines = [
        line
        for page in PdfReader(io.BytesIO(built.pdf)).pages[
            chronology.first_page - 1 : chronology.last_page
        ]
        for line in page.extract_text().splitlines()
    ]
    numbers = [int(m.group(1)) for line in lines if (m := re.match(r"(\d+)\. [A-Z]", line))]
    assert numbers == list(range(1, planning.get_plan(plan_id).version + 1))
    pages = pages_text(built.pdf)
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"Part A, page A{number}"), page[-80:]
    for section in built.sections[1:]:
        assert section.title in pages[section.first_page - 1]


def test_the_index_links_each_document_to_the_page_it_starts_on(story, small_pieces):
    planning, plan_id = story
    built = build_bundle(planning, plan_id, today())
    reader = PdfReader(io.BytesIO(built.pdf))
    named = reader.named_destinations
    targets = []
    for annotation in reader.pages[1]["/Annots"]:
        dest = annotation.get_object()["/Dest"]
        page = dest[0] if isinstance(dest, ArrayObject) else named[str(dest)].page
        targets.append(reader.get_page_number(reader.get_object(page)) + 1)
    expected = [p for s in built.sections[1:] for p in (s.first_page, s.last_page)]
    assert targets == expected


def test_a_long_bundle_does_not_make_a_family_copy_wait_for_all_of_it(story, monkeypatch):
    planning, plan_id = story
    for n in range(150):  # with a piece an entry, a bundle of 150 pieces: seconds
        planning.change(plan_id, RecordViews(whose="child", text=f"Note {n}"), as_caller())
    monkeypatch.setattr(bundles, "CHRONOLOGY_A_PIECE", 1)
    render_plan_pdf(planning.get_plan(plan_id), planning.stages)  # the workers started
    finished: dict[str, float] = {}
    lay_out_all = workers.lay_out_all

    def noting_when_laid_out(htmls):  # the real layout, noting when a bundle's is done
        laid = lay_out_all(list(htmls))
        if len(laid) > 1:
            finished["bundle"] = time.monotonic()
        return laid

    monkeypatch.setattr(workers, "lay_out_all", noting_when_laid_out)
    laying_out = threading.Thread(target=build_bundle, args=(planning, plan_id, today()))
    laying_out.start()
    time.sleep(0.5)  # its pieces are queued; were it alone, the copy would wait for it all
    render_plan_pdf(planning.get_plan(plan_id), planning.stages)
    finished["copy"] = time.monotonic()
    laying_out.join()
    assert finished["copy"] < finished["bundle"]
