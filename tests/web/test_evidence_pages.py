"""The evidence from the pages: the plan printed, a copy given to the family, the bundle,
and a bundle issued and downloaded as issued; a reviewer sees why the plan is disclosed
to them and until when."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader

from domain.access import Caller
from domain.events import GrantDisclosure, RevokeDisclosure
from interfaces.demo import DEMO_USERS
from interfaces.documents import bundle as bundles
from interfaces.documents import render
from tests.web.pages import csrf_token, sign_in
from tests.web.test_csp_pages import demo_csps


def post(client, plan_id, path, **fields):
    page = client.get(f"/plans/{plan_id}").text
    return client.post(f"/plans/{plan_id}/{path}", data={"csrf_token": csrf_token(page), **fields})


def test_the_lead_gives_the_family_a_copy_and_issues_a_bundle_from_the_page(site):
    with site.client() as client:
        sign_in(client, "lead")
        printed = client.get(f"/plans/{site.plan_id}/copy.pdf")
        assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
        shared = post(
            client, site.plan_id, "shared-copies", recipients="Morag Campbell (mum)", method="email"
        )
        assert shared.status_code == 303, shared.text
        issued = post(client, site.plan_id, "bundles")
        assert issued.status_code == 303, issued.text
        page = client.get(f"/plans/{site.plan_id}").text
        assert "Copy 1</a>, given" in page and "Morag Campbell (mum)" in page
        assert "Bundle 1</a>: the record to" in page
        copy = client.get(f"/plans/{site.plan_id}/shared-copies/1.pdf")
        assert copy.status_code == 200 and copy.content.startswith(b"%PDF")
        bundle = client.get(f"/plans/{site.plan_id}/bundles/1.pdf")
    recorded = site.planning.get_plan(site.plan_id).bundles[0]
    assert hashlib.sha256(bundle.content).hexdigest() == recorded.sha256


def test_a_second_bundle_from_the_page_keeps_the_first_and_says_so(site):
    with site.client() as client:
        sign_in(client, "lead")
        assert post(client, site.plan_id, "bundles").status_code == 303
        post(client, site.plan_id, "contributions", kind="observation", text="Late evidence")
        assert post(client, site.plan_id, "bundles").status_code == 303
        page = client.get(f"/plans/{site.plan_id}").text
        first = client.get(f"/plans/{site.plan_id}/bundles/1.pdf").content
        second = client.get(f"/plans/{site.plan_id}/bundles/2.pdf").content
    assert "It keeps every page of bundle 1 and adds part B." in page
    earlier = [p.extract_text() for p in PdfReader(io.BytesIO(first)).pages]
    later = [p.extract_text() for p in PdfReader(io.BytesIO(second)).pages]
    assert later[: len(earlier)] == earlier and len(later) > len(earlier)


def test_an_issued_bundle_downloads_from_the_page_as_kept_with_no_layout(site, monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("an issued bundle was laid out again")

    with site.client() as client:
        sign_in(client, "lead")
        assert post(client, site.plan_id, "bundles").status_code == 303
        monkeypatch.setattr(render, "layout", refused)
        monkeypatch.setattr(bundles, "build_bundle", refused)
        bundle = client.get(f"/plans/{site.plan_id}/bundles/1.pdf")
    assert bundle.status_code == 200, bundle.text
    recorded = site.planning.get_plan(site.plan_id).bundles[0]
    assert hashlib.sha256(bundle.content).hexdigest() == recorded.sha256


def test_a_reviewer_sees_the_purpose_and_end_of_their_disclosure_and_the_bundle(site):
    reviewer = DEMO_USERS["reviewer"]
    site.planning.change(
        site.plan_id,
        GrantDisclosure(grantee=reviewer.org, purpose="Reference to the tribunal", until=None),
        Caller.of(DEMO_USERS["lead"]),
    )
    with site.client() as client:
        sign_in(client, "reviewer")
        page = client.get(f"/plans/{site.plan_id}").text
        assert "disclosed to you for: Reference to the tribunal" in page
        assert 'href="/plans/' in page and "/bundle.pdf" in page
        assert 'id="form-bundle"' not in page and 'id="form-share"' not in page
        bundle = client.get(f"/plans/{site.plan_id}/bundle.pdf")
    assert bundle.status_code == 200 and bundle.content.startswith(b"%PDF")


def test_a_family_has_no_evidence_panel_and_no_issued_bundle(site):
    with site.client() as client:
        sign_in(client, "lead")
        post(client, site.plan_id, "bundles")
        sign_in(client, "parent")
        page = client.get(f"/plans/{site.plan_id}").text
        assert 'id="issued-bundles"' not in page
        assert "Print the plan as it stands (PDF)" in page
        assert client.get(f"/plans/{site.plan_id}/bundles/1.pdf").status_code == 403


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(client, plan_id, content, **fields):
    page = client.get(f"/plans/{plan_id}").text
    return client.post(
        f"/plans/{plan_id}/documents",
        data={"csrf_token": csrf_token(page), **fields},
        files={"file": ("report.pdf", content, "application/pdf")},
    )


def test_a_therapist_adds_a_report_and_the_family_opens_it(site):
    with site.client() as client:
        sign_in(client, "practitioner")
        answer = upload(
            client,
            site.plan_id,
            PDF,
            title="SLT report, spring term",
            author="Priya Shah",
            kind="report",
        )
        assert answer.status_code == 303, answer.text
        page = client.get(f"/plans/{site.plan_id}").text
        assert "SLT report, spring term" in page
    (document,) = site.planning.get_plan(site.plan_id).documents.values()
    with site.client() as client:
        sign_in(client, "parent")
        page = client.get(f"/plans/{site.plan_id}").text
        assert "SLT report, spring term" in page and 'id="form-document"' not in page
        served = client.get(f"/plans/{site.plan_id}/documents/{document.id}")
    assert served.content == PDF and served.headers["content-type"] == "application/pdf"


def test_a_file_that_is_not_a_pdf_or_image_is_refused_naming_the_rule(site):
    with site.client() as client:
        sign_in(client, "lead")
        answer = upload(
            client,
            site.plan_id,
            b"PK\x03\x04 a word file",
            title="Minutes",
            author="Fiona",
            kind="minutes",
        )
        assert answer.status_code == 415
        assert "Only PDF, PNG and JPEG files are kept" in answer.text
    assert not site.planning.get_plan(site.plan_id).documents


def test_a_reviewer_lands_on_the_plans_disclosed_to_them_and_on_none_once_it_ends(site):
    reviewer, lead = DEMO_USERS["reviewer"], DEMO_USERS["lead"]
    with site.client() as client:
        sign_in(client, "reviewer")
        landing = client.get("/plans").text
    assert "Plans disclosed to you (1)" in landing and "Calum Reid" in landing
    assert "Disclosed for: A reference to the Tribunal about the CSP" in landing
    assert "days left" in landing and "/bundle.pdf" in landing
    assert "Reviews overdue" not in landing and "Isla Campbell" not in landing

    calum = site.planning.get_plan(demo_csps(site)["Calum Reid"])
    (disclosure,) = calum.disclosures.values()
    site.planning.change(
        calum.id, RevokeDisclosure(disclosure_id=disclosure.id), Caller.of(lead), reason="Decided"
    )
    with site.client() as client:
        sign_in(client, "reviewer")
        landing = client.get("/plans").text
    assert "Calum Reid" not in landing and "No plan is disclosed to you" in landing
    assert disclosure.grantee == reviewer.org


def test_the_family_sees_and_downloads_every_copy_it_was_given(site):
    with site.client() as client:
        sign_in(client, "lead")
        for method in ("email", "post"):
            shared = post(
                client, site.plan_id, "shared-copies", recipients="Morag Campbell", method=method
            )
            assert shared.status_code == 303, shared.text
        for family in ("parent", "young_person"):
            sign_in(client, family)
            page = client.get(f"/plans/{site.plan_id}").text
            listed = page[page.index('id="shared-copies"') :].split("</ul>")[0]
            assert listed.count("<li>") == 2, family
            for number in (1, 2):
                assert f"/shared-copies/{number}.pdf" in listed
                copy = client.get(f"/plans/{site.plan_id}/shared-copies/{number}.pdf")
                assert copy.status_code == 200 and copy.content.startswith(b"%PDF"), family
