"""Bundles that never change once issued (API.md, "Bundles, issued and reissued"): reads
alone never change a bundle, `to` defaults to today, and an issued bundle downloads byte
for byte as issued, with its number, SHA-256 and pages recorded."""

from __future__ import annotations

import hashlib

from tests.interfaces.api import a_contribution, a_working_plan, days_from_today, post
from tests.interfaces.people import LEAD, PARENT


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
