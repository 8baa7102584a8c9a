"""Provision on the pages: sessions delivered against planned (and a shortfall flagged),
an intervention ended with its reason, an amended one on the row underneath, and the
impact of each at a review."""

from __future__ import annotations

from datetime import date, timedelta

from domain.access import Caller
from domain.events import OpenPlan
from domain.values import Child, PlanType
from interfaces.demo import DEMO_USERS, SCHOOL
from tests.web.pages import csrf_token, event_count, sign_in


def day(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


def post(client, plan_id, path, **fields):
    page = client.get(f"/plans/{plan_id}").text
    return client.post(f"/plans/{plan_id}/{path}", data={"csrf_token": csrf_token(page), **fields})


def provision_id(site, description):
    plan = site.planning.get_plan(site.plan_id)
    return next(str(p.id) for p in plan.provisions.values() if p.description == description)


def row(page, pid):
    start = page.index(f'id="provision-{pid}"')
    return page[start : page.index("</tr>", start)]


def test_a_therapist_records_sessions_and_a_shortfall_is_flagged(site):
    semantics = provision_id(site, "Colourful semantics programme")
    with site.client() as client:
        sign_in(client, "practitioner")
        answer = post(
            client,
            site.plan_id,
            "provisions/deliveries",
            provision_id=semantics,
            period_from=day(13),
            period_to=day(0),
            sessions_delivered="4",
            sessions_missed="2",
            note="Therapist off sick",
        )
        assert answer.status_code == 303, answer.text
        page = client.get(f"/plans/{site.plan_id}").text
    # 3 a week planned over two weeks: 6; 4 delivered.
    assert "4 of 6 planned; 2 missed" in row(page, semantics)
    assert "Less than planned" in row(page, semantics)
    with site.client() as client:
        sign_in(client, "parent")
        family = client.get(f"/plans/{site.plan_id}").text
    assert "So far: 4 sessions given of 6 planned, 2 missed." in family
    assert "Cost a year: £900.00, paid by NHS Lothian." in family


def test_a_delivery_that_ends_before_it_starts_is_refused_and_nothing_is_written(site):
    semantics = provision_id(site, "Colourful semantics programme")
    with site.client() as client:
        sign_in(client, "lead")
        before = event_count(site.planning, site.plan_id)
        answer = post(
            client,
            site.plan_id,
            "provisions/deliveries",
            provision_id=semantics,
            period_from=day(1),
            period_to=day(8),
            sessions_delivered="3",
        )
        assert answer.status_code == 409
        assert "Not saved" in answer.text
    assert event_count(site.planning, site.plan_id) == before


def test_an_amended_intervention_sits_under_the_one_it_replaces_which_ends(site):
    semantics = provision_id(site, "Colourful semantics programme")
    with site.client() as client:
        sign_in(client, "lead")
        answer = post(
            client,
            site.plan_id,
            "provisions",
            kind="intervention",
            description="Colourful semantics, in a group of three",
            replaces=semantics,
            sessions_per_week="2",
            cost="600.00",
        )
        assert answer.status_code == 303, answer.text
        page = client.get(f"/plans/{site.plan_id}").text
    amended = provision_id(site, "Colourful semantics, in a group of three")
    assert page.index(f'id="provision-{semantics}"') < page.index(f'id="provision-{amended}"')
    assert 'data-status="ended"' in row(page, semantics)
    assert "Amends “Colourful semantics programme”" in row(page, amended)
    assert "£600.00" in row(page, amended)


def test_ending_needs_a_reason_and_a_review_records_each_provisions_impact(site):
    semantics = provision_id(site, "Colourful semantics programme")
    with site.client() as client:
        sign_in(client, "lead")
        refused = post(client, site.plan_id, "provisions/end", provision_id=semantics)
        assert refused.status_code == 422
        answer = post(
            client,
            site.plan_id,
            "reviews",
            held_on=day(0),
            summary="Language much better",
            **{f"provision_impact:{semantics}": "Now uses full sentences in class"},
        )
        assert answer.status_code == 303, answer.text
        ended = post(
            client,
            site.plan_id,
            "provisions/end",
            provision_id=semantics,
            reason="Targets met; SALT discharged",
        )
        assert ended.status_code == 303, ended.text
        page = client.get(f"/plans/{site.plan_id}").text
    assert "Now uses full sentences in class" in row(page, semantics)
    assert 'data-status="ended"' in row(page, semantics)


def test_a_sen_support_plan_short_of_its_in_year_meetings_says_so(site):
    plan_id = site.planning.open_plan(
        OpenPlan(
            plan_type=PlanType.SEN_SUPPORT,
            stage="additional",
            org=SCHOOL,
            child=Child(name="Oliver Hughes", date_of_birth=date(2017, 5, 2)),
        ),
        Caller.of(DEMO_USERS["lead"]),
        occurred_on=date.today() - timedelta(days=250),
    ).plan_id
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get(f"/plans/{plan_id}").text
    assert 'id="in-year-meetings" data-held="0" data-due="2"' in page
    assert "fewer than the 2 due by now" in page
