"""One JSON log line per request: request id, route template, status; never the child's
name, the caller's id or anything else personal."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from interfaces.http.app import create_app
from tests.interfaces.api import a_plan_request, open_plan
from tests.interfaces.people import CHILD_NAME, LEAD


@contextmanager
def logging_client(settings, capsys) -> Iterator[tuple[TestClient, Callable[[], list[dict]]]]:
    """A client of an app built inside the test, so that its log handler writes to the
    captured stderr, and a function giving the request log lines since the last call."""
    with TestClient(create_app(settings)) as client:
        capsys.readouterr()

        def lines() -> list[dict]:
            err = capsys.readouterr().err
            entries = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
            return [e for e in entries if e.get("event") == "request"]

        yield client, lines


@pytest.fixture
def logged(settings, capsys):
    return lambda: logging_client(settings, capsys)


def test_a_request_is_one_json_line_with_its_id_route_and_status(logged):
    with logged() as (client, lines):
        response = client.post("/api/plans", json=a_plan_request(), headers=LEAD.headers())
        [entry] = lines()
        assert entry["request_id"] == response.headers["X-Request-ID"]
        assert (entry["route"], entry["status"], entry["method"]) == ("/api/plans", 201, "POST")


def test_the_line_names_the_route_template_not_the_plan(logged):
    with logged() as (client, lines):
        plan_id = open_plan(client)
        lines()
        client.get(f"/api/plans/{plan_id}", headers=LEAD.headers())
        [entry] = lines()
        assert entry["route"] == "/api/plans/{plan_id}"
        assert plan_id not in json.dumps(entry)


def test_no_line_holds_the_childs_name_or_the_callers_id(logged):
    with logged() as (client, lines):
        plan_id = open_plan(client)
        client.get(f"/api/plans/{plan_id}/history", headers=LEAD.headers())
        client.post(
            "/api/plans", json={**a_plan_request(), "child": CHILD_NAME}, headers=LEAD.headers()
        )
        entries = lines()
        assert [e["status"] for e in entries] == [201, 200, 422]
        text = json.dumps(entries)
        for personal in (CHILD_NAME, LEAD.sub, LEAD.name, LEAD.token()):
            assert personal not in text


def test_a_client_request_id_is_kept_and_an_error_is_logged_with_its_status(logged):
    with logged() as (client, lines):
        response = client.get("/api/stages", headers={"X-Request-ID": "abc-123"})
        [entry] = lines()
        assert response.headers["X-Request-ID"] == entry["request_id"] == "abc-123"
        assert entry["status"] == 401
