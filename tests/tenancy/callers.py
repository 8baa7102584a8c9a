"""The test people of tests/interfaces, working in one authority or another.

The same person (same user id) is used in both authorities on purpose: a plan of one
authority lists them as a member, so only the store the request is routed to can keep
them from it in the other."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from interfaces.http.auth import issue_token
from tests.interfaces.api import a_plan_request
from tests.interfaces.people import SECRET, Person


def token(person: Person, authority: str | None, *, national: bool = False) -> str:
    return issue_token(
        SECRET,
        sub=person.sub,
        name=person.name,
        role=person.role,
        org=person.org,
        ttl_seconds=3600,
        authority=authority,
        national=national,
    )


def headers(
    person: Person, authority: str | None, *, national: bool = False, **extra: str
) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(person, authority, national=national)}", **extra}


def post(
    client: TestClient,
    person: Person,
    authority: str,
    path: str,
    body: dict[str, Any],
    **extra: str,
) -> dict[str, Any]:
    response = client.post(path, json=body, headers=headers(person, authority, **extra))
    assert response.status_code == 201, response.text
    return response.json()


def open_plan(client: TestClient, person: Person, authority: str, **fields: Any) -> str:
    return post(client, person, authority, "/api/plans", a_plan_request(**fields))["id"]
