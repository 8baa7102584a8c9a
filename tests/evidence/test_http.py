"""The evidence endpoints over HTTP, on PostgreSQL: status codes, shapes, access rules,
and the same guarantees as the functions behind them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from application.evidence.checkpoints import new_signing_key
from domain.calendar import today
from domain.events import GrantDisclosure
from domain.values import Actor, Role
from interfaces.documents import render
from interfaces.evidence_settings import EvidenceSettings
from interfaces.http.app import create_app
from interfaces.http.auth import issue_token
from tests.evidence.pdf_text import pages_text
from tests.evidence.plans import a_reviewed_plan
from tests.evidence.verifiers import stdlib_verify
from tests.examples import SCHOOL, a_lead_professional, a_parent, as_caller

SECRET = "evidence-http-tests-0123456789-abcdefghijklmnopqrstuvwxyz"


def bearer(sub: str, name: str, role: Role, org: str | None = None) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {issue_token(SECRET, sub=sub, name=name, role=role, org=org)}"
    }


LEAD = bearer(a_lead_professional().id, a_lead_professional().name, Role.LEAD_PROFESSIONAL, SCHOOL)
PARENT = bearer(a_parent().id, a_parent().name, Role.PARENT_CARER)
REVIEWER = bearer("u-rev-1", "Alasdair Grant", Role.REVIEWER, "tribunal:hec-scotland")


@pytest.fixture
def settings(postgres_url, master_key):
    return EvidenceSettings(
        database_url=postgres_url,
        jwt_secret=SECRET,
        encryption_key=master_key,
        signing_key=new_signing_key(),
    )


@pytest.fixture
def client(settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def plan_id(client) -> str:
    return str(a_reviewed_plan(client.app.state.planning).plan_id)


def test_sharing_answers_201_with_the_copy_and_the_pdf_has_that_sha256(client, plan_id):
    answer = client.post(
        f"/api/plans/{plan_id}/shared-copies",
        json={"recipients": ["Morag Campbell"], "method": "email"},
        headers=LEAD,
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (
        body["number"] == 1
        and len(body["sha256"]) == 64
        and answer.headers["ETag"] == f'"{body["version"]}"'
    )
    items = client.get(f"/api/plans/{plan_id}/shared-copies", headers=PARENT).json()["items"]
    assert [
        (i["number"], i["sha256"], i["version"], i["recipients"], i["method"]) for i in items
    ] == [(1, body["sha256"], body["version"] - 1, ["Morag Campbell"], "email")]
    pdf = client.get(f"/api/plans/{plan_id}/shared-copies/1.pdf", headers=PARENT)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == body["sha256"]


def test_a_copy_never_shared_is_404_problem(client, plan_id):
    answer = client.get(f"/api/plans/{plan_id}/shared-copies/7.pdf", headers=LEAD)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_parent_may_read_the_copies_but_not_record_one(client, plan_id):
    answer = client.post(
        f"/api/plans/{plan_id}/shared-copies",
        json={"recipients": ["Morag Campbell"], "method": "email"},
        headers=PARENT,
    )
    assert answer.status_code == 403


def test_a_share_without_recipients_is_422(client, plan_id):
    answer = client.post(
        f"/api/plans/{plan_id}/shared-copies",
        json={"recipients": [], "method": "email"},
        headers=LEAD,
    )
    assert answer.status_code == 422


def test_the_diff_lists_changes_by_section(client, plan_id):
    start = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    answer = client.get(
        f"/api/plans/{plan_id}/diff",
        params={"from": start, "to": datetime.now(UTC).isoformat()},
        headers=LEAD,
    )
    assert answer.status_code == 200, answer.text
    sections = answer.json()["sections"]
    assert [c["change"] for c in sections["targets"]] == ["added", "revised", "revised"]
    assert {"actor", "occurred_on", "recorded_at", "reason"} <= set(sections["targets"][-1])


def test_an_instant_without_an_offset_is_422(client, plan_id):
    answer = client.get(
        f"/api/plans/{plan_id}/diff", params={"from": "2026-01-01T09:00:00"}, headers=LEAD
    )
    assert answer.status_code == 422


def test_the_export_verifies_offline_with_the_published_key(client, plan_id, settings, tmp_path):
    answer = client.get(f"/api/plans/{plan_id}/export", headers=LEAD)
    assert answer.status_code == 200
    path = tmp_path / "export.json"
    path.write_bytes(answer.content)
    assert "checkpoint" in json.loads(answer.content)
    code, out = stdlib_verify(path, settings.checkpoint_signer().public_key_b64)
    assert code == 0 and "checkpoint verified" in out, out


def test_the_bundle_is_a_pdf_and_the_same_for_the_same_date(client, plan_id):
    url = f"/api/plans/{plan_id}/bundle.pdf"
    first = client.get(url, params={"to": today().isoformat()}, headers=LEAD)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert int(first.headers["Planledger-Pages"]) >= 5
    future = client.get(url, params={"to": (today() + timedelta(days=1)).isoformat()}, headers=LEAD)
    assert future.status_code == 422


def test_the_bundle_names_who_read_the_plan_only_for_the_lead_and_a_reviewer(client, plan_id):
    planning = client.app.state.planning
    social_worker = Actor(
        id="u-sw-reader-77", name="Iona Reid", role=Role.PRACTITIONER, org="social-work:edinburgh"
    )
    planning.record_access(UUID(plan_id), social_worker, "GET /api/plans/{plan_id}")
    planning.change(
        UUID(plan_id),
        GrantDisclosure(grantee="u-rev-1", purpose="Tribunal reference"),
        as_caller(),
    )
    url = f"/api/plans/{plan_id}/bundle.pdf?to={today().isoformat()}"

    def bundle_text(headers: dict[str, str]) -> str:
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200, answer.text
        return " ".join(pages_text(answer.content))

    for reader in (LEAD, REVIEWER):
        assert "u-sw-reader-77" in bundle_text(reader)
    for_family = bundle_text(PARENT)
    assert "u-sw-reader-77" not in for_family and "withheld from this copy" in for_family


def test_a_reviewer_without_a_disclosure_cannot_see_the_evidence(client, plan_id):
    for path in ("export", "bundle.pdf?to=" + today().isoformat(), "shared-copies"):
        assert client.get(f"/api/plans/{plan_id}/{path}", headers=REVIEWER).status_code == 404


def test_evidence_reads_are_written_to_the_access_log(client, plan_id):
    client.get(f"/api/plans/{plan_id}/export", headers=LEAD)
    log = client.get(f"/api/plans/{plan_id}/access-log", headers=LEAD).json()["items"]
    assert any(e["action"].endswith("/export") for e in log)


def test_while_every_renderer_slot_is_taken_a_bundle_is_503_with_retry_after(
    client, plan_id, monkeypatch
):
    monkeypatch.setattr(render, "WAIT_FOR_RENDERER_SECONDS", 0.1)
    with ExitStack() as others:  # other requests' documents, still being laid out
        for _ in range(render.RENDERS_AT_ONCE):
            others.enter_context(render.render_slot())
        answer = client.get(
            f"/api/plans/{plan_id}/bundle.pdf?to={today().isoformat()}", headers=LEAD
        )
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "10"
    assert answer.headers["content-type"] == "application/problem+json"
    later = client.get(f"/api/plans/{plan_id}/bundle.pdf?to={today().isoformat()}", headers=LEAD)
    assert later.status_code == 200
