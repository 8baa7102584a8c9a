"""Faults an outside review found by attacking the running service, each pinned here."""

from __future__ import annotations

import json
import logging
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from application.config import ConfigurationError
from application.evidence.verification import verify_export
from domain.access import Caller
from domain.events import AppendContribution
from domain.plans import Plan
from domain.values import Actor
from interfaces.bootstrap import application
from interfaces.http.app import create_app
from interfaces.http.auth import TokenVerifier, issue_token
from interfaces.settings import Settings
from tests.interfaces.api import a_plan_request, a_working_plan, open_plan, problem_of
from tests.interfaces.conftest import events_of
from tests.interfaces.people import (
    AGENCY_PRACTITIONER,
    CHILD_NAME,
    LEAD,
    PARENT,
    SECRET,
    YOUNG_PERSON,
)

CONTROL = "u-lead\x00-1"


def _token(**claims: object) -> dict[str, str]:
    fields = {"sub": LEAD.sub, "name": LEAD.name, "role": LEAD.role, "org": LEAD.org, **claims}
    return {"Authorization": f"Bearer {issue_token(SECRET, **fields)}"}  # type: ignore[arg-type]


class TestClaimsAreCheckedLikeInput:
    def test_a_nul_in_the_subject_is_refused_before_anything_is_written(self, client, store):
        answer = client.post("/api/plans", json=a_plan_request(), headers=_token(sub=CONTROL))
        assert answer.status_code == 401
        assert store.recorder.max_notification_id() is None

    def test_a_control_character_in_the_name_is_refused(self, client):
        answer = client.get("/api/plans", headers=_token(name="Fiona\nMacLeod"))
        assert answer.status_code == 401

    def test_an_overlong_org_is_refused(self, client):
        assert client.get("/api/stages", headers=_token(org="x" * 201)).status_code == 401


class TestWhoHasAccessIsForTheLeadProfessional:
    """A family need not learn that a tribunal or a social worker has been given access:
    the rule the plan lists follow holds for every way of reading a plan."""

    def test_history_leaves_disclosures_out_for_the_family_and_practitioners(self, client):
        plan = a_working_plan(client)
        url = f"/api/plans/{plan.plan_id}/history"
        for reader in (PARENT, YOUNG_PERSON, AGENCY_PRACTITIONER):
            types = [e["type"] for e in client.get(url, headers=reader.headers()).json()["items"]]
            assert "DisclosureGranted" not in types, reader
            assert "ViewsRecorded" in types or "TargetSet" in types
        lead_types = [e["type"] for e in client.get(url, headers=LEAD.headers()).json()["items"]]
        assert "DisclosureGranted" in lead_types

    def test_the_diff_leaves_disclosures_out_for_a_parent(self, client):
        plan = a_working_plan(client)
        url = f"/api/plans/{plan.plan_id}/diff"
        query = {"from": "2000-01-01T00:00:00Z"}
        parents = client.get(url, params=query, headers=PARENT.headers()).json()
        leads = client.get(url, params=query, headers=LEAD.headers()).json()
        assert parents["sections"]["disclosures"] == []
        assert leads["sections"]["disclosures"] != []

    def test_a_parents_export_withholds_disclosures_and_still_verifies(self, client):
        plan = a_working_plan(client)
        url = f"/api/plans/{plan.plan_id}/export"
        document = client.get(url, headers=PARENT.headers()).json()
        withheld = [e for e in document["events"] if e.get("withheld")]
        assert len(withheld) == 1
        assert set(withheld[0]) == {"position", "digest", "link", "withheld"}
        assert "camhs" not in json.dumps(document)
        assert verify_export(document).intact
        leads = client.get(url, headers=LEAD.headers()).json()
        assert not any(e.get("withheld") for e in leads["events"])


def test_an_if_match_of_thousands_of_digits_is_a_precondition_failure(client):
    plan_id = open_plan(client)
    answer = client.post(
        f"/api/plans/{plan_id}/contributions",
        json={"kind": "note", "text": "Calm week"},
        headers=LEAD.headers(**{"If-Match": '"' + "9" * 4301 + '"'}),
    )
    assert answer.status_code == 412
    problem_of(answer)


def test_a_writer_who_keeps_losing_the_race_is_told_busy_with_retry_after(
    client, store, settings, monkeypatch
):
    """No If-Match, and another writer lands first every time: each time the sharer
    decides (while its copy is rendered), a colleague in a second application on the same
    store appends a contribution, so every save of the copy conflicts in PostgreSQL.
    Three attempts, then 503 (not 409: no rule refused it), and nothing of it saved."""
    plan_id = open_plan(client)
    colleague = application(settings)
    lead = Caller.of(Actor(id=LEAD.sub, name=LEAD.name, role=LEAD.role, org=LEAD.org))
    render = store.shared_copy
    assert render is not None
    decided_on: list[int] = []
    racing = True

    def render_while_a_colleague_writes(plan: Plan) -> bytes:
        decided_on.append(plan.version)
        if racing:
            note = AppendContribution(kind="note", text=f"Colleague {len(decided_on)}")
            colleague.change(UUID(plan_id), note, lead)
        return render(plan)

    monkeypatch.setattr(store, "shared_copy", render_while_a_colleague_writes)
    monkeypatch.setattr(store, "max_attempts", 3)
    share = {"recipients": ["Morag Campbell"], "method": "email"}
    url = f"/api/plans/{plan_id}/shared-copies"
    try:
        answer = client.post(url, json=share, headers=LEAD.headers())
        assert answer.status_code == 503
        assert problem_of(answer)["type"] == "/problems/concurrent-update"
        assert int(answer.headers["Retry-After"]) > 0
        assert decided_on == [1, 2, 3]
        history = client.get(f"/api/plans/{plan_id}/history", headers=LEAD.headers()).json()
        types = [e["type"] for e in history["items"]]
        assert types == ["PlanOpened"] + ["ContributionAppended"] * 3
        racing = False
        again = client.post(url, json=share, headers=LEAD.headers())
        assert again.status_code == 201
        assert events_of(store, plan_id) == 5
    finally:
        colleague.close()


def test_a_content_length_of_thousands_of_digits_is_too_large(client):
    answer = client.post(
        "/api/plans",
        content=b"{}",
        headers=LEAD.headers(**{"Content-Length": "9" * 5000, "Content-Type": "application/json"}),
    )
    assert answer.status_code == 413


def test_a_lead_professional_opens_plans_under_their_own_organisation_only(client):
    answer = client.post(
        "/api/plans", json=a_plan_request(org="school:another-school"), headers=LEAD.headers()
    )
    assert answer.status_code == 403
    assert "own organisation" in problem_of(answer)["detail"]


def test_nothing_is_recorded_as_happening_before_the_child_was_born(client):
    plan_id = open_plan(client)
    answer = client.post(
        f"/api/plans/{plan_id}/contributions",
        json={"kind": "note", "text": "Calm week", "occurred_on": "1900-01-01"},
        headers=LEAD.headers(),
    )
    assert answer.status_code == 409
    assert "date of birth" in problem_of(answer)["detail"]


def test_opening_a_plan_is_a_read_of_its_personal_data(client, store):
    answer = client.post(
        "/api/plans",
        json=a_plan_request(),
        headers=LEAD.headers(**{"Idempotency-Key": "open-once"}),
    )
    again = client.post(
        "/api/plans",
        json=a_plan_request(),
        headers=LEAD.headers(**{"Idempotency-Key": "open-once"}),
    )
    assert again.json()["child"] == answer.json()["child"]
    log = store.access_log(UUID(answer.json()["id"]))
    assert [(e.user_id, e.action) for e in log] == [(LEAD.sub, "POST /api/plans")] * 2


def test_every_answer_says_nosniff_and_https_adds_hsts(app):
    with TestClient(app) as plain:
        answer = plain.get("/api/stages", headers=LEAD.headers())
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in answer.headers
    with TestClient(app, base_url="https://planledger.example") as secure:
        answer = secure.get("/api/stages", headers=LEAD.headers())
        assert answer.headers["Strict-Transport-Security"].startswith("max-age=")


def test_an_unhandled_error_is_logged_with_its_request_id_and_a_request_line(settings, capsys):
    app = create_app(settings)

    def fails() -> None:
        raise RuntimeError(f"{CHILD_NAME} broke it")  # a message may quote plan data

    app.add_api_route("/api/fails", fails)
    with TestClient(app, raise_server_exceptions=False) as client:
        capsys.readouterr()
        answer = client.get("/api/fails")
        logged = capsys.readouterr().err
    assert answer.status_code == 500
    request_id = problem_of(answer)["request_id"]
    lines = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    events = {(line["event"], line.get("request_id")) for line in lines}
    assert ("unhandled error", request_id) in events
    assert ("request", request_id) in events
    assert CHILD_NAME not in logged


def test_a_short_development_secret_is_refused_at_start(tmp_path):
    with pytest.raises(ConfigurationError, match="at least 32 bytes"):
        TokenVerifier(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", jwt_secret="secret"))


def test_a_postgresql_store_without_a_master_key_is_refused_unless_opted_out(postgres_url, caplog):
    plain = Settings(database_url=postgres_url, jwt_secret=SECRET)
    with pytest.raises(ConfigurationError, match="PLANLEDGER_ENCRYPTION_KEY"):
        application(plain)
    opted_out = plain.model_copy(update={"allow_plaintext_store": True})
    with caplog.at_level(logging.WARNING, "planledger"):
        application(opted_out).close()
    assert "unsealed" in caplog.text
