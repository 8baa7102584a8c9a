"""The chronology on the pages: added from a form by the lead professional and by an
agency's practitioner, read by every agency merged or one alone, read by indicator on the
Wellbeing Wheel, and read by the family in their words, without what is kept from them."""

from __future__ import annotations

from datetime import date, timedelta

from domain.access import Caller
from domain.events import OpenPlan
from domain.values import Child, PlanType
from interfaces.demo import DEMO_USERS, SCHOOL
from tests.evidence.pdf_text import pages_text
from tests.web.pages import csrf_token, event_count, sign_in


def add_entry(client, plan_id, **fields):
    page = client.get(f"/plans/{plan_id}").text
    return client.post(
        f"/plans/{plan_id}/chronology", data={"csrf_token": csrf_token(page), **fields}
    )


def test_the_demo_chronology_reads_in_the_order_things_happened(site):
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get(f"/plans/{site.plan_id}").text
    grandfather = page.index("Grandfather, who did the school run")
    late = page.index("Late on 9 of 15 mornings")
    buddy = page.index("Acted as a Buddy for a P1 pupil")
    assert grandfather < late < buddy
    assert "About " in page[grandfather - 400 : grandfather]  # an uncertain date


def test_an_entry_added_from_the_form_is_in_the_chronology_with_its_indicators(site):
    with site.client() as client:
        sign_in(client, "lead")
        before = event_count(site.planning, site.plan_id)
        answer = add_entry(
            client,
            site.plan_id,
            kind="strength",
            text="Read aloud to the class for the first time",
            source="Class teacher",
            impact="Proud all afternoon",
            wellbeing=["achieving", "respected"],
            occurred_on=(date.today() - timedelta(days=2)).isoformat(),
        )
        assert answer.status_code == 303, answer.text
        assert event_count(site.planning, site.plan_id) == before + 1
        page = client.get(answer.headers["location"]).text
    assert "Read aloud to the class for the first time" in page
    assert "Proud all afternoon" in page
    assert "Achieving, Respected" in page


def test_an_entry_without_a_source_is_refused_naming_the_field_and_nothing_is_written(site):
    with site.client() as client:
        sign_in(client, "lead")
        before = event_count(site.planning, site.plan_id)
        answer = add_entry(client, site.plan_id, kind="concern", text="Upset at the gate")
        assert answer.status_code == 422
        assert "Where the information came from" in answer.text
        assert "Upset at the gate" in answer.text  # what was typed is kept
    assert event_count(site.planning, site.plan_id) == before


def test_one_agencys_chronology_alone_and_the_wheel_by_indicator(site):
    with site.client() as client:
        sign_in(client, "practitioner")
        salt_only = client.get(
            f"/plans/{site.plan_id}/chronology", params={"agency": "nhs:salt-lothian"}
        ).text
        merged = client.get(f"/plans/{site.plan_id}/chronology").text
    assert "three-step instruction" in salt_only
    assert "Late on 9 of 15 mornings" not in salt_only
    assert "Late on 9 of 15 mornings" in merged and "three-step instruction" in merged
    # The wheel and its table carry the same figures: achieving is touched by two demo
    # entries and one outcome in the merged chronology.
    assert '<g data-indicator="achieving" data-total="3">' in merged
    assert '<tr data-indicator="achieving">' in merged


def test_the_family_reads_the_chronology_without_what_is_kept_from_them(site):
    with site.client() as client:
        sign_in(client, "lead")
        answer = add_entry(
            client,
            site.plan_id,
            kind="concern",
            text="A neighbour reported shouting at night",
            source="Social work duty team",
            keep_from_family="yes",
        )
        assert answer.status_code == 303, answer.text
        assert "Not shared with the family" in client.get(f"/plans/{site.plan_id}").text
    for family in ("parent", "young_person"):
        with site.client() as client:
            sign_in(client, family)
            page = client.get(f"/plans/{site.plan_id}").text
            timeline = client.get(f"/plans/{site.plan_id}/timeline").text
        assert "Things that have happened" in page
        assert "Acted as a Buddy for a P1 pupil" in page
        assert "Something going well" in page
        assert "shouting at night" not in page
        assert "shouting at night" not in timeline


def test_a_childs_plan_assessment_by_indicator_is_read_on_the_wellbeing_wheel(site):
    plan_id = site.planning.open_plan(
        OpenPlan(
            plan_type=PlanType.CHILDS_PLAN,
            stage="additional",
            org=SCHOOL,
            child=Child(name="Rory Stewart", date_of_birth=date(2016, 2, 9)),
        ),
        Caller.of(DEMO_USERS["lead"]),
    ).plan_id
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get(f"/plans/{plan_id}").text
        assert 'name="detail:nurtured"' in page  # the form asks indicator by indicator
        answer = client.post(
            f"/plans/{plan_id}/sections",
            data={
                "csrf_token": csrf_token(page),
                "name": "assessment",
                "text": "Strengths in school; worries about home routines.",
                "detail:nurtured": "Needs a settled bedtime routine",
                "detail:healthy": "Sleeps badly; often tired in class",
            },
        )
        assert answer.status_code == 303, answer.text[:500]
        wheel = client.get(f"/plans/{plan_id}/chronology").text
        copy = " ".join(pages_text(client.get(f"/plans/{plan_id}/copy.pdf").content))
    assert "Nurtured Needs a settled bedtime routine" in copy
    assert '<g data-indicator="nurtured" data-total="1">' in wheel
    assert '<g data-indicator="safe" data-total="0">' in wheel
    assert "Needs a settled bedtime routine" in wheel
