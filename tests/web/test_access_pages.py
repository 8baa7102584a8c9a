"""Who is on a plan, and who may see it, from the pages: removing a person, an agency
leaving, disclosing to a tribunal reviewer and ending it, closing the plan; and every
write the API offers has a page that makes it."""

from __future__ import annotations

import re

from domain.access import Caller
from domain.calendar import today
from domain.events import JoinAgency
from interfaces.demo import DEMO_USERS
from tests.web.pages import csrf_token, forms_on, sign_in


def post(client, plan_id, path, **fields):
    page = client.get(f"/plans/{plan_id}").text
    return client.post(f"/plans/{plan_id}/{path}", data={"csrf_token": csrf_token(page), **fields})


def listed(page: str, list_id: str) -> str:
    start = page.index(f'id="{list_id}"')
    return page[start : page.index("</ul>", start)]


def history_types(site) -> list[str]:
    return [e.type for e in site.planning.history(site.plan_id)]


def test_the_lead_removes_a_person_and_records_an_agency_leaving(site):
    site.planning.change(
        site.plan_id,
        JoinAgency(org="nhs:camhs-lothian", name="CAMHS Lothian", kind="health"),
        Caller.of(DEMO_USERS["lead"]),
    )
    with site.client() as client:
        sign_in(client, "lead")
        refused = post(client, site.plan_id, "members/remove", user_id="u-isla")
        assert refused.status_code == 422 and "reason" in refused.text.lower()
        removed = post(
            client, site.plan_id, "members/remove", user_id="u-isla", reason="Moved away"
        )
        assert removed.status_code == 303, removed.text
        left = post(
            client,
            site.plan_id,
            "agencies/leave",
            org="nhs:camhs-lothian",
            reason="Discharged from CAMHS",
        )
        assert left.status_code == 303, left.text
        page = client.get(f"/plans/{site.plan_id}").text
    members = page[
        page.index('id="members-list"') : page.index("</ul>", page.index("members-list"))
    ]
    assert "Isla Campbell" not in members
    assert "CAMHS Lothian" not in page[page.index('id="agencies-list"') :].split("</ul>")[0]
    assert history_types(site)[-2:] == ["MemberRemoved", "AgencyLeft"]


def test_a_disclosure_made_on_the_page_opens_the_plan_to_the_reviewer_until_it_ends(site):
    reviewer = DEMO_USERS["reviewer"]
    with site.client() as client:
        sign_in(client, "lead")
        granted = post(
            client,
            site.plan_id,
            "disclosures",
            grantee=reviewer.id,
            purpose="Reference about the CSP review",
        )
        assert granted.status_code == 303, granted.text
        lead_page = client.get(f"/plans/{site.plan_id}").text
        sign_in(client, "reviewer")
        seen = client.get(f"/plans/{site.plan_id}").text
        sign_in(client, "lead")
        (disclosure,) = site.planning.get_plan(site.plan_id).disclosures_in_force(today())
        revoked = post(
            client,
            site.plan_id,
            "disclosures/revoke",
            disclosure_id=str(disclosure.id),
            reason="The reference was withdrawn",
        )
        assert revoked.status_code == 303, revoked.text
        sign_in(client, "reviewer")
        after = client.get(f"/plans/{site.plan_id}")
    assert f"{reviewer.id}: Reference about the CSP review" in lead_page
    assert "disclosed to you for: Reference about the CSP review" in seen
    assert after.status_code == 404


def test_a_family_is_offered_none_of_these_and_never_learns_of_a_disclosure(site):
    with site.client() as client:
        sign_in(client, "lead")
        post(client, site.plan_id, "disclosures", grantee="u-alasdair", purpose="Reference")
        sign_in(client, "parent")
        page = client.get(f"/plans/{site.plan_id}").text
        refused = post(client, site.plan_id, "close", reason="We want it closed")
    panels = forms_on(page).panels
    assert not {"member_removal", "agency_leaving", "disclosure", "close"} & set(panels)
    assert "Disclosed to" not in page and "u-alasdair" not in page
    assert refused.status_code == 403
    assert "PlanClosed" not in history_types(site)


def test_closing_the_plan_from_the_page_needs_a_reason_and_ends_its_forms(site):
    with site.client() as client:
        sign_in(client, "lead")
        assert "close" in forms_on(client.get(f"/plans/{site.plan_id}").text).panels
        assert post(client, site.plan_id, "close").status_code == 422
        closed = post(client, site.plan_id, "close", reason="Targets met; support moves to PLP")
        assert closed.status_code == 303, closed.text
        page = client.get(f"/plans/{site.plan_id}").text
    assert not forms_on(page).panels
    assert history_types(site)[-1] == "PlanClosed"


# The API's write routes whose page form posts elsewhere: ids in the path come from the
# form's fields instead, or the page acts on another route of the same write.
PAGE_FOR = {
    "/api/plans": "/plans",
    "/api/plans/{plan_id}/csp/requests/{request_id}/answer": "/plans/{plan_id}/csp/answer",
    "/api/plans/{plan_id}/targets/{target_id}/evaluations": "/plans/{plan_id}/evaluations",
    "/api/plans/{plan_id}/targets/{target_id}/revisions": "/plans/{plan_id}/revisions",
    "/api/plans/{plan_id}/sections/{name}": "/plans/{plan_id}/sections",
}


def test_every_write_the_api_offers_has_a_page_that_makes_it(site):
    with site.client() as client:
        writes = [
            path
            for path, operations in client.get("/openapi.json").json()["paths"].items()
            if {"post", "put", "patch", "delete"} & set(operations)
        ]
        sign_in(client, "lead")
        # Without the form's CSRF token a page's route refuses (403) and writes nothing;
        # a path with no page behind it is not found.
        answers = {
            w: client.post(page_for(w).format(plan_id=site.plan_id)).status_code for w in writes
        }
    assert len(writes) > 40
    missing = sorted(w for w, status in answers.items() if status in (404, 405))
    assert not missing, f"API writes with no page: {missing}"
    assert set(answers.values()) == {403}


def page_for(api_path: str) -> str:
    """E.g. /api/plans/{plan_id}/provisions/{provision_id}/end: /plans/{plan_id}/provisions/end."""
    if api_path in PAGE_FOR:
        return PAGE_FOR[api_path]
    return re.sub(r"/\{(?!plan_id\})[^}]+\}", "", api_path.removeprefix("/api"))
