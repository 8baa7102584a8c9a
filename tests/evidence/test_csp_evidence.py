"""A CSP as a tribunal and a family read it: the copy in the form of the Schedule, signed
and dated; the bundle with its statutory timescales and notices and the plan as signed;
the diff naming the part of the plan that changed, and why."""

from __future__ import annotations

import pytest

from application.authority import load_stages
from application.evidence.diff import plan_diff
from domain.calendar import today
from interfaces.documents.bundle import build_bundle
from interfaces.documents.plan_copy import SharedCopyRenderer, render_plan_pdf
from tests.evidence.csp_story import OFFICER, a_signed_and_reviewed_csp
from tests.evidence.pdf_text import pages_text
from tests.examples import days_ago


@pytest.fixture
def csp(make_planning, master_key):
    planning = make_planning(
        PLANLEDGER_ENCRYPTION_KEY=master_key, shared_copy=SharedCopyRenderer(load_stages())
    )
    return planning, a_signed_and_reviewed_csp(planning)


def test_the_copy_is_the_csp_in_the_schedules_form_signed_and_dated(csp):
    planning, story = csp
    text = " ".join(pages_text(render_plan_pdf(planning.get_plan(story.plan_id), load_stages())))
    text = " ".join(text.split())
    headings = [
        "1. Child or young person",
        "2. Parents' details",
        "3. Profile",
        "4. Factors giving rise to additional support needs",
        "5. Educational objectives, additional support required, and by whom it is provided",
        "6. Nominated school",
        "7. Co-ordinator of the support",
        "8. Education authority contact officer",
        "9. Views of the child or young person and of the parents",
        "10. Review timetable",
        "11. Signature of the authorised officer",
    ]
    places = [text.index(h) for h in headings]
    assert places == sorted(places)
    assert "now leads games" in text and "Speech and Language Therapy" in text
    signed_on = days_ago(180)
    assert f"Signed by {OFFICER.name}" in text
    assert f"{signed_on.day} {signed_on:%B} {signed_on.year}" in text


def test_the_bundle_gives_the_statutory_timescales_notices_and_the_plan_as_signed(csp):
    planning, story = csp
    bundle = build_bundle(planning, story.plan_id, today())
    titles = [s.title for s in bundle.sections]
    assert "Statutory timescales and notices" in titles
    assert any(t.startswith("The plan as signed on") for t in titles)
    statutory = next(s for s in bundle.sections if s.key == "statutory")
    text = " ".join(
        " ".join(pages_text(bundle.pdf)[statutory.first_page - 1 : statutory.last_page]).split()
    )
    assert "Answer the request to establish whether a CSP is needed" in text
    assert "Complete the review begun" in text
    assert "Told that the authority proposes to establish whether a CSP is needed" in text


def test_the_diff_names_the_section_amended_after_review_and_why(csp):
    planning, story = csp
    history = planning.history(story.plan_id)
    diff = plan_diff(planning, story.plan_id, history[-2].recorded_at, history[-1].recorded_at)
    [change] = diff["sections"]["profile"]
    assert (change["change"], change["reason"]) == ("revised", "Amended after the statutory review")
    assert change["before"]["text"] == "Isla is curious and loves maps."
    assert change["data"]["text"].endswith("now leads games.")
