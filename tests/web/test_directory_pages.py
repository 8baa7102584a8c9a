"""People and organisations by name: the directory's page, and the plan's forms that add
a colleague, join an agency and disclose to a tribunal by choosing from it."""

from __future__ import annotations

from html import unescape

from interfaces.demo import DEMO_USERS, demo_mail
from tests.web.pages import csrf_token, sign_in

TOM, REVIEWER = DEMO_USERS["outsider"], DEMO_USERS["reviewer"]


def post(client, path, page_path, **fields):
    page = client.get(page_path).text
    return client.post(path, data={"csrf_token": csrf_token(page), **fields})


def test_the_plan_names_its_school_and_the_forms_offer_people_and_agencies_by_name(site):
    with site.client() as client:
        sign_in(client, "lead")
        page = unescape(client.get(f"/plans/{site.plan_id}").text)
    assert "St Ninian's Primary School" in page and "school:st-ninians-primary</dd>" not in page
    assert "Tom Baird, Practitioner, NHS Lothian CAMHS" in page  # not on the plan yet
    assert ">Priya Shah, " not in page  # on the plan already
    assert "First-tier Tribunal for Scotland" in page  # disclosures go to a tribunal
    assert "Morag Campbell" not in page.split('id="member-known"')[1].split("</select>")[0]


def test_a_colleague_an_agency_and_a_disclosure_chosen_by_name(site):
    plan_path = f"/plans/{site.plan_id}"
    with site.client() as client:
        sign_in(client, "lead")
        added = post(client, f"{plan_path}/members", plan_path, known=TOM.id, role="parent_carer")
        joined = post(client, f"{plan_path}/agencies", plan_path, known="nhs:camhs-lothian")
        disclosed = post(
            client,
            f"{plan_path}/disclosures",
            plan_path,
            known=REVIEWER.org,
            purpose="A reference about the IEP",
        )
        page = unescape(client.get(plan_path).text)
    assert (added.status_code, joined.status_code, disclosed.status_code) == (303, 303, 303)
    plan = site.planning.get_plan(site.plan_id)
    tom = plan.members[TOM.id]
    # The directory's own details, whatever the form's other fields said.
    assert (tom.name, tom.role.value, tom.email) == (TOM.name, "practitioner", demo_mail(TOM))
    assert plan.agencies["nhs:camhs-lothian"].name == "NHS Lothian CAMHS"
    assert "First-tier Tribunal for Scotland (Health and Education Chamber): A reference" in page


def test_a_lead_invites_a_colleague_and_names_an_organisation_and_others_find_them(site):
    with site.client() as client:
        sign_in(client, "lead")
        invited = post(
            client,
            "/directory/people",
            "/directory",
            name="Dr Aileen Moffat",
            email="aileen.moffat@ep.example",
            role="practitioner",
            org="council:edinburgh-psychology",
        )
        named = post(
            client,
            "/directory/organisations",
            "/directory",
            org="council:edinburgh-psychology",
            name="Edinburgh Psychological Service",
            kind="education",
        )
        bad = post(client, "/directory/organisations", "/directory", org="no id", name="", kind="x")
        sign_in(client, "practitioner")
        found = unescape(client.get("/directory", params={"q": "psychological"}).text)
        refused = post(client, "/directory/people", "/directory", name="A", email="a@b.example")
    assert invited.status_code == named.status_code == 303
    assert bad.status_code == 422 and "Not saved" in bad.text
    assert "Dr Aileen Moffat" in found and "invited" in found
    listed = found[found.index('id="people-title"') :]
    assert "Edinburgh Psychological Service" in listed and "Tom Baird" not in listed
    assert refused.status_code == 403  # a practitioner finds people; she does not add them


def test_families_are_never_listed_and_have_no_directory(site):
    with site.client() as client:
        sign_in(client, "parent")
        answer = client.get("/directory")
        sign_in(client, "lead")
        page = client.get("/directory").text
    everyone = page[page.index('id="people-title"') :]
    assert answer.status_code == 403
    assert "Morag Campbell" not in everyone and "Isla Campbell" not in everyone
    assert "Priya Shah" in everyone
