"""The tribunal bundle: its index tells where each document really is, every page is
numbered, and reissuing it for the same records gives the same bytes."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from application.authority import load_stages
from application.errors import PlanNotFoundError
from domain.calendar import local_date, today
from domain.events import RecordViews, SharePlan
from interfaces.documents.bundle import build_bundle
from interfaces.documents.plan_copy import SharedCopyRenderer
from tests.evidence.pdf_text import pages_text
from tests.evidence.plans import a_reviewed_plan
from tests.examples import a_lead_professional, as_caller, days_ago


@pytest.fixture
def story_planning(make_planning, master_key):
    planning = make_planning(
        PLANLEDGER_ENCRYPTION_KEY=master_key, shared_copy=SharedCopyRenderer(load_stages())
    )
    story = a_reviewed_plan(planning)
    lead = a_lead_professional()
    # A read before the last event: a bundle's access log ends where its record does.
    planning.record_access(story.plan_id, lead, "GET /api/plans/{plan_id}")
    planning.change(
        story.plan_id, SharePlan(recipients=("Morag Campbell",), method="post"), as_caller(lead)
    )
    return planning, story


@pytest.fixture
def bundle(story_planning):
    planning, story = story_planning
    return build_bundle(planning, story.plan_id, today())


def test_the_index_gives_the_pages_where_each_document_really_is(bundle):
    pages = pages_text(bundle.pdf)
    assert len(pages) == bundle.pages == len(PdfReader(io.BytesIO(bundle.pdf)).pages)
    index = pages[1]
    expected_next = 2
    for section in bundle.sections[1:]:
        found = re.search(re.escape(section.title) + r" A(\d+)–A(\d+)", index)  # noqa: RUF001 - the en dash printed
        assert found, f"{section.title} is not in the index: {index}"
        first, last = int(found.group(1)), int(found.group(2))
        assert (first, last) == (section.first_page, section.last_page)
        assert first == expected_next, "documents follow one another without gaps"
        assert section.title in pages[first - 1], f"{section.title} does not start on page {first}"
        expected_next = last + 1
    assert expected_next - 1 == bundle.pages


def test_the_bundle_holds_each_review_each_copy_and_the_plan_in_full_at_its_end(bundle):
    titles = [s.title for s in bundle.sections]
    assert titles[:3] == ["Cover", "Index", "Chronology of recorded events"]
    assert titles[-3].startswith("The plan as it stood at the end of")
    assert titles[-2:] == ["Access log summary", "Verification of the record"]
    [review] = [t for t in titles if t.startswith("Review held on")]
    [copy] = [t for t in titles if t.startswith("Copy 1 given to the family")]
    assert titles.index(review) < titles.index(copy)
    text = " ".join(" ".join(pages_text(bundle.pdf)).split())
    held = text[text.index(review, text.index("Verification of the record")) :]
    assert "Targets evaluated at the review" in held and "Partly achieved" in held


def test_the_plan_in_full_is_not_repeated_at_each_review_and_copy(story_planning):
    planning, story = story_planning
    for first_layout, times in ((True, 2), (False, 1)):
        built = build_bundle(planning, story.plan_id, today(), first_layout=first_layout)
        text = " ".join(pages_text(built.pdf))
        assert text.count("What we are working towards") == times


def test_every_page_is_numbered_in_its_part_never_against_a_total(bundle):
    for number, text in enumerate(pages_text(bundle.pdf), start=1):
        assert f"Part A, page A{number}" in text
        assert f" of {bundle.pages}" not in text


def test_the_chronology_marks_backdated_entries_and_gives_reasons(bundle):
    text = " ".join(pages_text(bundle.pdf))
    assert "(backdated)" in text
    assert "Agreed with Isla and her mum: a smaller step first" in text


def test_the_chronology_says_what_each_entry_recorded_and_the_access_log_who_read_what(bundle):
    text = " ".join(" ".join(pages_text(bundle.pdf)).split())
    chronology = text[text.index("Every recorded event") : text.rindex("Access log summary")]
    assert "Set a target: “Take turns in a board game with two peers”" in chronology
    assert "Partly achieved" in chronology
    access = text[text.rindex("Access log summary") :]
    assert "Fiona MacLeod Lead professional" in access
    assert "The plan (API)" in access or "The history (API)" in access
    assert "u-lead-1" not in access.replace(" ", "")


def test_reads_after_the_last_event_are_not_in_the_bundle(story_planning):
    planning, story = story_planning
    before = build_bundle(planning, story.plan_id, today())
    planning.record_access(story.plan_id, a_lead_professional(), "GET /api/plans/{plan_id}")
    assert build_bundle(planning, story.plan_id, today()).pdf == before.pdf


def test_reissuing_for_the_same_records_gives_the_same_bytes(story_planning):
    planning, story = story_planning
    cutoff = planning.history(story.plan_id)[-1].recorded_at
    first = build_bundle(planning, story.plan_id, local_date(cutoff), cutoff=cutoff)
    # Later events and reads fall after the cut-off, so they change nothing.
    planning.change(story.plan_id, RecordViews(whose="child", text="I like Lego"), as_caller())
    planning.record_access(
        story.plan_id, a_lead_professional(), "GET /api/plans/{plan_id}/bundle.pdf"
    )
    again = build_bundle(planning, story.plan_id, local_date(cutoff), cutoff=cutoff)
    assert again.pdf == first.pdf
    assert "I like Lego" not in " ".join(pages_text(again.pdf))


def test_the_same_date_twice_gives_the_same_bytes(story_planning):
    planning, story = story_planning
    assert (
        build_bundle(planning, story.plan_id, today()).pdf
        == build_bundle(planning, story.plan_id, today()).pdf
    )


def test_a_date_before_anything_was_recorded_has_no_bundle(story_planning):
    planning, story = story_planning
    with pytest.raises(PlanNotFoundError):
        build_bundle(planning, story.plan_id, days_ago(1))
