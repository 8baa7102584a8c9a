"""Documents kept with a plan (API.md, "Documents"): PDF, PNG or JPEG judged by content,
a size limit, the file served byte for byte, read by whoever may read the plan, and
destroyed with the plan's key."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader

from tests.interfaces.api import a_working_plan
from tests.interfaces.conftest import events_of
from tests.interfaces.people import AGENCY_PRACTITIONER, LEAD, PARENT

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(client, plan_id, person, content, name="report.pdf", content_type="application/pdf"):
    return client.post(
        f"/api/plans/{plan_id}/documents",
        files={"file": (name, content, content_type)},
        data={"title": "Speech and language report", "author": "Priya Shah", "kind": "report"},
        headers=person.headers(),
    )


def test_a_report_is_kept_and_served_byte_for_byte(client):
    plan_id = a_working_plan(client).plan_id
    answer = upload(client, plan_id, AGENCY_PRACTITIONER, PDF)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    listed = client.get(f"/api/plans/{plan_id}/documents", headers=PARENT.headers()).json()
    (item,) = listed["items"]
    assert (item["document_id"], item["title"], item["author"], item["kind"], item["bytes"]) == (
        body["document_id"],
        "Speech and language report",
        "Priya Shah",
        "report",
        len(PDF),
    )
    served = client.get(
        f"/api/plans/{plan_id}/documents/{body['document_id']}", headers=PARENT.headers()
    )
    assert served.status_code == 200
    assert served.content == PDF and served.headers["content-type"] == "application/pdf"


def test_the_type_is_judged_from_the_content_not_the_name(client):
    plan_id = a_working_plan(client).plan_id
    before = events_of(client.app.state.planning, plan_id)
    disguised = upload(client, plan_id, LEAD, b"MZ\x90\x00 not a pdf", name="report.pdf")
    assert disguised.status_code == 415, disguised.text
    png = upload(client, plan_id, LEAD, PNG, name="scan.pdf", content_type="application/pdf")
    assert png.status_code == 201, png.text
    listed = client.get(f"/api/plans/{plan_id}/documents", headers=LEAD.headers()).json()
    assert [d["media_type"] for d in listed["items"]] == ["image/png"]
    assert events_of(client.app.state.planning, plan_id) == before + 1


def test_a_file_over_the_limit_is_413_and_nothing_is_written(client):
    plan_id = a_working_plan(client).plan_id
    before = events_of(client.app.state.planning, plan_id)
    answer = upload(client, plan_id, LEAD, PDF + b"0" * (21 * 1024 * 1024))
    assert answer.status_code == 413, answer.text[:300]
    assert events_of(client.app.state.planning, plan_id) == before


def test_a_family_may_read_but_not_add_documents(client):
    plan_id = a_working_plan(client).plan_id
    assert upload(client, plan_id, PARENT, PDF).status_code == 403
    missing = client.get(
        f"/api/plans/{plan_id}/documents/00000000-0000-4000-8000-000000000000",
        headers=LEAD.headers(),
    )
    assert missing.status_code == 404


def test_the_bundle_lists_each_document_with_its_sha256(client):
    plan_id = a_working_plan(client).plan_id
    sha256 = upload(client, plan_id, LEAD, PDF).json()["sha256"]
    bundle = client.get(f"/api/plans/{plan_id}/bundle.pdf", headers=LEAD.headers())
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(bundle.content)).pages)
    assert "Documents held with the plan" in text
    assert sha256 in text.replace(" ", "").replace("\n", "")
