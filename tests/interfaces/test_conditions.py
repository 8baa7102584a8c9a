"""If-Match and Idempotency-Key: a stale write is 412 and writes nothing; a retried write
answers as the first did and writes nothing new; two writers racing on one version get
exactly one 201 and one 412."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest

from interfaces.http.app import create_app
from tests.interfaces.api import a_contribution, a_plan_request, an_outcome, problem_of
from tests.interfaces.conftest import events_of, serving
from tests.interfaces.people import LEAD

ROUNDS = 8


@pytest.fixture
def plan(plan_with_target):
    """No more is needed here than a plan with a target."""
    return plan_with_target


def contribute(client, plan, **headers):
    return client.post(
        f"/api/plans/{plan.plan_id}/contributions",
        json=a_contribution(),
        headers=LEAD.headers(**headers),
    )


def version_of(client, plan) -> int:
    return int(
        client.get(f"/api/plans/{plan.plan_id}", headers=LEAD.headers()).headers["ETag"].strip('"')
    )


class TestIfMatch:
    def test_the_current_version_is_written(self, client, plan):
        version = version_of(client, plan)
        response = contribute(client, plan, **{"If-Match": f'"{version}"'})
        assert (response.status_code, response.json()["version"]) == (201, version + 1)
        assert response.headers["ETag"] == f'"{version + 1}"'

    def test_a_stale_version_is_412_and_nothing_is_written(self, client, store, plan):
        version = version_of(client, plan)
        contribute(client, plan)
        before = events_of(store, plan.plan_id)
        response = contribute(client, plan, **{"If-Match": f'"{version}"'})
        assert response.status_code == 412
        assert problem_of(response)["type"] == "/problems/stale-version"
        assert events_of(store, plan.plan_id) == before


class TestIdempotencyKey:
    def test_the_same_key_and_body_answers_the_first_response_and_writes_nothing(
        self, client, store, plan
    ):
        first = contribute(client, plan, **{"Idempotency-Key": "k-1"})
        before = events_of(store, plan.plan_id)
        again = contribute(client, plan, **{"Idempotency-Key": "k-1"})
        assert (again.status_code, again.json()) == (first.status_code, first.json())
        assert events_of(store, plan.plan_id) == before

    def test_the_same_key_with_another_body_is_422_and_writes_nothing(self, client, store, plan):
        contribute(client, plan, **{"Idempotency-Key": "k-2"})
        before = events_of(store, plan.plan_id)
        response = client.post(
            f"/api/plans/{plan.plan_id}/outcomes",
            json=an_outcome(),
            headers=LEAD.headers(**{"Idempotency-Key": "k-2"}),
        )
        assert response.status_code == 422
        problem_of(response)
        assert events_of(store, plan.plan_id) == before

    def test_a_retried_plan_opening_opens_one_plan(self, client, store):
        send = lambda: client.post(  # noqa: E731
            "/api/plans",
            json=a_plan_request(),
            headers=LEAD.headers(**{"Idempotency-Key": "open-1"}),
        )
        first, again = send(), send()
        assert again.status_code == first.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert store.recorder.max_notification_id() == 1


def race(base_url: str, requests: list[Callable[[httpx.Client], httpx.Response]]) -> list[int]:
    """Sends the requests at once, each from its own client in its own thread."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []

    def run(send):
        with httpx.Client(base_url=base_url, timeout=30) as http:
            barrier.wait()
            statuses.append(send(http).status_code)

    threads = [threading.Thread(target=run, args=(send,)) for send in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


@pytest.fixture
def live(settings, plan):
    """A second app on the same store, served by uvicorn over loopback."""
    with serving(create_app(settings)) as base_url:
        yield base_url


def contribution_at(plan, **headers) -> Callable[[httpx.Client], httpx.Response]:
    return lambda http: http.post(
        f"/api/plans/{plan.plan_id}/contributions",
        json=a_contribution(),
        headers=LEAD.headers(**headers),
    )


def test_two_writers_on_one_version_get_one_201_and_one_412(client, store, plan, live):
    for _ in range(ROUNDS):
        version, before = version_of(client, plan), events_of(store, plan.plan_id)
        writers = [contribution_at(plan, **{"If-Match": f'"{version}"'}) for _ in range(2)]
        assert race(live, writers) == [201, 412]
        assert events_of(store, plan.plan_id) == before + 1


def test_two_retries_racing_with_one_key_write_once(client, store, plan, live):
    for n in range(ROUNDS):
        before = events_of(store, plan.plan_id)
        retries = [contribution_at(plan, **{"Idempotency-Key": f"race-{n}"}) for _ in range(2)]
        assert race(live, retries) == [201, 201]
        assert events_of(store, plan.plan_id) == before + 1
