"""Bundles that never change once issued (API.md, "Bundles, issued and reissued"): reads
alone never change a bundle, `to` defaults to today, and an issued bundle downloads byte
for byte as issued, with its number, SHA-256 and pages recorded."""

from __future__ import annotations

import hashlib
from uuid import UUID

from application.retention import destroy_personal_data
from domain import access
from interfaces.documents import bundle as bundles
from interfaces.documents import render
from tests.interfaces.api import (
    a_closure,
    a_contribution,
    a_working_plan,
    days_from_today,
    post,
)
from tests.interfaces.people import LEAD, OFFICER, PARENT, REVIEWER
from tests.interfaces.test_documents_api import PDF, upload


def test_two_downloads_with_no_write_between_are_the_same_bytes(client):
    plan_id = a_working_plan(client).plan_id
    first = client.get(f"/api/plans/{plan_id}/bundle.pdf", headers=LEAD.headers())
    second = client.get(f"/api/plans/{plan_id}/bundle.pdf", headers=LEAD.headers())
    assert first.status_code == second.status_code == 200, first.text
    assert first.content == second.content  # `to` defaults to today; its own read not counted


def test_an_issued_bundle_downloads_as_issued_after_later_writes_and_reads(client):
    plan_id = a_working_plan(client).plan_id
    base = f"/api/plans/{plan_id}"
    issued = post(client, LEAD, f"{base}/bundles", {})
    assert issued["number"] == 1 and issued["pages"] >= 1
    post(client, LEAD, f"{base}/contributions", a_contribution())
    client.get(base, headers=LEAD.headers())
    listed = client.get(f"{base}/bundles", headers=LEAD.headers()).json()["items"]
    assert [(b["number"], b["sha256"], b["pages"]) for b in listed] == [
        (1, issued["sha256"], issued["pages"])
    ]
    again = client.get(f"{base}/bundles/1.pdf", headers=LEAD.headers())
    assert again.status_code == 200, again.text
    assert hashlib.sha256(again.content).hexdigest() == issued["sha256"]
    second = post(client, LEAD, f"{base}/bundles", {"to": days_from_today(0)})
    assert second["number"] == 2 and second["sha256"] != issued["sha256"]


def test_a_family_may_not_issue_or_download_an_issued_bundle(client):
    plan_id = a_working_plan(client).plan_id
    base = f"/api/plans/{plan_id}"
    post(client, LEAD, f"{base}/bundles", {})
    assert client.post(f"{base}/bundles", json={}, headers=PARENT.headers()).status_code == 403
    assert client.get(f"{base}/bundles/1.pdf", headers=PARENT.headers()).status_code == 403
    assert client.get(f"{base}/bundles/9.pdf", headers=LEAD.headers()).status_code == 404


def test_a_bundle_to_a_future_day_is_refused(client):
    plan_id = a_working_plan(client).plan_id
    future = client.post(
        f"/api/plans/{plan_id}/bundles", json={"to": days_from_today(3)}, headers=LEAD.headers()
    )
    assert future.status_code == 422


def test_an_issued_bundle_is_served_as_kept_with_no_layout_after_the_renderer_changes(
    client, monkeypatch
):
    plan_id = a_working_plan(client).plan_id
    base = f"/api/plans/{plan_id}"
    issued = post(client, LEAD, f"{base}/bundles", {})
    first = client.get(f"{base}/bundles/1.pdf", headers=LEAD.headers())

    def refused(*args, **kwargs):
        raise AssertionError("an issued bundle was laid out again")

    monkeypatch.setattr(render, "render_html", refused)
    monkeypatch.setattr(render, "layout", refused)
    monkeypatch.setattr(bundles, "build_bundle", refused)
    again = client.get(f"{base}/bundles/1.pdf", headers=LEAD.headers())
    assert again.status_code == 200, again.text
    assert again.content == first.content
    assert hashlib.sha256(again.content).hexdigest() == issued["sha256"]
    assert again.headers["Planledger-SHA256"] == issued["sha256"]


def test_once_the_plan_is_destroyed_an_issued_bundle_is_gone_as_its_documents_are(
    client, store, monkeypatch
):
    plan_id = a_working_plan(client).plan_id
    base = f"/api/plans/{plan_id}"
    post(client, LEAD, f"{base}/bundles", {})
    document_id = upload(client, plan_id, LEAD, PDF).json()["document_id"]
    post(client, LEAD, f"{base}/close", a_closure())
    destroy_personal_data(store, UUID(plan_id), reason="Retention ended")
    # Those who may read issued bundles no longer find the plan, its documents included.
    for person in (LEAD, OFFICER, REVIEWER):
        bundle = client.get(f"{base}/bundles/1.pdf", headers=person.headers())
        document = client.get(f"{base}/documents/{document_id}", headers=person.headers())
        assert bundle.status_code == document.status_code == 404
    # Those who still find it are answered 410 for a document, and would be for the bundle.
    monkeypatch.setattr(access, "may_read_issued_bundles", lambda caller: True)
    document = client.get(f"{base}/documents/{document_id}", headers=PARENT.headers())
    bundle = client.get(f"{base}/bundles/1.pdf", headers=PARENT.headers())
    assert bundle.status_code == document.status_code == 410, bundle.text
    assert bundle.json()["type"] == document.json()["type"] == "/problems/destroyed"
    assert b"%PDF" not in bundle.content
