"""Without PLANLEDGER_TENANTS nothing changes: one store, the authority claim unused, no
national reports. (The rest of the suite runs in this mode and proves the rest.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from interfaces.http.app import create_app
from interfaces.settings import Settings
from tests.interfaces.api import a_plan_request
from tests.interfaces.people import ANALYST, LEAD, SECRET
from tests.tenancy.callers import headers


@pytest.fixture
def single(postgres_url: str, master_key: str) -> Iterator[TestClient]:
    settings = Settings(database_url=postgres_url, jwt_secret=SECRET, encryption_key=master_key)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize("authority", [None, "fife", "anywhere"])
def test_the_authority_claim_changes_nothing_in_one_store(single, authority):
    opened = single.post("/api/plans", json=a_plan_request(), headers=headers(LEAD, authority))
    assert opened.status_code == 201, opened.text
    plan_id = opened.json()["id"]
    for other in (None, "fife", "anywhere"):  # the same store, whatever the token says
        read = single.get(f"/api/plans/{plan_id}", headers=headers(LEAD, other))
        assert read.status_code == 200, read.text
    assert single.app.state.tenants is None


def test_there_are_no_national_reports_in_one_store(single):
    national = headers(ANALYST, None, national=True)
    assert (
        single.get("/api/reports/national/plans-by-type-and-stage", headers=national).status_code
        == 404
    )
    assert single.get("/api/reports/plans-by-type-and-stage", headers=national).status_code == 200
    assert not any("national" in path for path in single.get("/openapi.json").json()["paths"])


def test_with_tenants_the_national_reports_are_in_the_contract(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/reports/national", "/api/reports/national/{name}"} <= set(paths)
