"""An exhausted connection pool is an answer, not a wait (application/persistence/postgres.py).

Before: a pool timeout was an OperationalError, which the library's recorders retry ten
times, each attempt waiting the pool's timeout again, and a request behind an exhausted
pool hung for ~50 s. The pools here have two connections (with one, Planning cannot even
make its tables: SerialisedDDL holds one while the library takes another), and the tests
hold both.
"""

from __future__ import annotations

import time
import uuid
from contextlib import ExitStack, contextmanager

import pytest
from fastapi.testclient import TestClient

from application.config import persistence_env
from application.persistence.keys import new_master_key
from application.persistence.postgres import StoreBusyError, pool_queue_limit
from application.planning import Planning
from domain.values import Role
from interfaces.http.app import create_app
from interfaces.http.auth import issue_token
from interfaces.settings import Settings

SECRET = "planledger-busy-store-tests-0123456789-abcdefghijklmnopqrstuv"


def two_connections(postgres_url: str, wait: int) -> str:
    # parse_qs keeps the last value of a repeated parameter (application/config.py)
    return f"{postgres_url}&pool_size=2&max_overflow=0&connect_timeout={wait}"


@contextmanager
def all_connections_held(planning: Planning):
    with ExitStack() as stack:
        for _ in range(2):
            stack.enter_context(planning.recorder.datastore.get_connection())
        yield


@pytest.fixture
def planning(postgres_url):
    planning = Planning(env=persistence_env(two_connections(postgres_url, 1)))
    yield planning
    planning.close()


def test_a_pool_timeout_is_busy_after_one_wait_not_ten(planning) -> None:
    with all_connections_held(planning):
        began = time.monotonic()
        with pytest.raises(StoreBusyError):
            planning.recorder.max_notification_id()
        waited = time.monotonic() - began
    assert 0.9 < waited < 3.0  # retried, it was 10 waits of 1 s and 9 pauses of 0.2 s


def test_within_a_queue_limit_the_wait_is_cut_to_what_is_left_of_it(postgres_url) -> None:
    planning = Planning(env=persistence_env(two_connections(postgres_url, 5)))
    try:
        with all_connections_held(planning), pool_queue_limit(0.3):
            began = time.monotonic()
            with pytest.raises(StoreBusyError):
                planning.recorder.max_notification_id()
            assert time.monotonic() - began < 1.5  # not the pool's 5 s
    finally:
        planning.close()


def test_past_its_queue_limit_a_request_still_takes_a_free_connection(planning) -> None:
    with pool_queue_limit(0.0):
        time.sleep(0.01)
        assert planning.recorder.max_notification_id() is None


def test_the_api_answers_503_with_retry_after_when_no_connection_comes_free(postgres_url) -> None:
    settings = Settings(
        database_url=two_connections(postgres_url, 1),
        jwt_secret=SECRET,
        encryption_key=new_master_key(),
    )
    token = issue_token(
        SECRET,
        sub="u-lead",
        name="Lead",
        role=Role.LEAD_PROFESSIONAL,
        org="school:x",
        ttl_seconds=600,
    )
    with (
        TestClient(create_app(settings)) as client,
        all_connections_held(client.app.state.planning),
    ):
        began = time.monotonic()
        answer = client.get(
            f"/api/plans/{uuid.uuid4()}", headers={"Authorization": f"Bearer {token}"}
        )
        took = time.monotonic() - began
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "1"
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "/problems/unavailable"
    assert took < 4.0
