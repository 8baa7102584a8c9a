"""The web pages route by the signed-in person's authority, as the API does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from interfaces.demo import load_demo
from interfaces.http.app import create_app
from interfaces.settings import Settings
from tests.interfaces.people import LEAD
from tests.tenancy.callers import token
from tests.tenancy.conftest import NORTH, SOUTH
from tests.web.pages import csrf_token, event_count


@pytest.fixture
def site(settings: Settings) -> Iterator[TestClient]:
    with TestClient(
        create_app(settings.model_copy(update={"web_demo_signin": True})),
        base_url="http://localhost",
        follow_redirects=False,
    ) as client:
        yield client


@pytest.fixture
def demo_plan(site: TestClient):
    """The demo plan (Isla Campbell, the demo people as members), in Highland's store."""
    planning = site.app.state.tenants.get(NORTH).planning
    return planning, load_demo(planning)


def sign_in(client: TestClient, user: str, authority: str | None) -> None:
    page = client.get("/sign-in")
    form = {"csrf_token": csrf_token(page.text), "user": user, "next": "/plans"}
    if authority:
        form["authority"] = authority
    answer = client.post("/sign-in", data=form)
    assert answer.status_code == 303, answer.text


def test_the_demo_sign_in_asks_which_authority(site):
    page = site.get("/sign-in")
    for authority in (NORTH, SOUTH):
        assert f'value="{authority}"' in page.text
    for authority in (None, "atlantis"):
        form = {
            "csrf_token": csrf_token(site.get("/sign-in").text),
            "user": "lead",
            "next": "/plans",
            **({"authority": authority} if authority else {}),
        }
        answer = site.post("/sign-in", data=form)
        assert answer.status_code == 422
        assert "Choose a local authority" in answer.text


def test_my_plans_and_the_plan_pages_are_the_authoritys_own(site, demo_plan):
    _, plan_id = demo_plan
    sign_in(site, "lead", NORTH)
    mine = site.get("/plans")
    assert mine.status_code == 200
    assert f'data-plan-id="{plan_id}"' in mine.text
    assert site.get(f"/plans/{plan_id}").status_code == 200

    site.cookies.clear()
    sign_in(site, "lead", SOUTH)  # the same person, in the other authority
    theirs = site.get("/plans")
    assert theirs.status_code == 200
    assert str(plan_id) not in theirs.text and "Isla Campbell" not in theirs.text
    for path in ("", "/timeline", "/progress", "?as_of=2030-01-01"):
        page = site.get(f"/plans/{plan_id}{path}")
        assert page.status_code == 404, path
        assert "Isla Campbell" not in page.text


def test_a_form_sent_from_the_other_authority_writes_nothing(site, demo_plan):
    planning, plan_id = demo_plan
    before = event_count(planning, plan_id)
    sign_in(site, "lead", SOUTH)
    form = {
        "csrf_token": csrf_token(site.get("/plans").text),
        "kind": "observation",
        "text": "Written in the wrong authority",
    }
    answer = site.post(f"/plans/{plan_id}/contributions", data=form)
    assert answer.status_code == 404
    assert event_count(planning, plan_id) == before


@pytest.mark.parametrize("authority", [None, "atlantis"])
def test_a_session_of_no_authority_served_here_sees_no_pages(site, demo_plan, authority):
    _, plan_id = demo_plan
    site.cookies.set("planledger_session", token(LEAD, authority))
    for path in ("/plans", f"/plans/{plan_id}", "/reviews/on-time"):
        page = site.get(path)
        assert page.status_code == 403, path
        assert "no local authority" in page.text
        assert "Isla Campbell" not in page.text
