"""Every wait on PostgreSQL is bounded (issue 18): a lock held elsewhere, a session left idle
in a transaction, a peer that falls silent. The bounds are in application/config.py (the
library's lock and idle timeouts) and application/persistence/postgres.py
(CONNECTION_OPTIONS: libpq's keepalives, tcp_user_timeout, connect_timeout); each test
here fails without its bound. Short timeouts are asked for in the URL so the tests are
quick; the defaults are generous (a busy machine never comes near them)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient
from psycopg.errors import IdleInTransactionSessionTimeout, LockNotAvailable
from psycopg.sql import SQL, Identifier

from application.config import persistence_env
from application.persistence.keys import new_master_key
from application.persistence.postgres import CONNECTION_OPTIONS, StoreBusyError
from application.planning import Planning
from domain.events import AppendContribution
from domain.values import Role
from interfaces.http.app import create_app
from interfaces.http.auth import issue_token
from interfaces.settings import Settings
from tests.conftest import POSTGRES_URL
from tests.examples import a_plan_in, as_caller

SECRET = "planledger-timeouts-tests-0123456789-abcdefghijklmnopqrstuvwx"


def schema_of(url: str) -> str:
    return url.split("schema=")[1].split("&")[0]


@contextmanager
def planning_at(url: str) -> Iterator[Planning]:
    planning = Planning(env=persistence_env(url))
    try:
        yield planning
    finally:
        planning.close()


@contextmanager
def events_table_locked(url: str) -> Iterator[None]:
    """Another session holds the lock every writer takes, as a stuck transaction would."""
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn, conn.transaction():
        conn.execute(
            SQL("LOCK TABLE {}.planning_events IN EXCLUSIVE MODE").format(
                Identifier(schema_of(url))
            )
        )
        yield


def note(text: str) -> AppendContribution:
    return AppendContribution(kind="note", text=text)


def test_the_defaults_bound_lock_waits_and_idle_transactions() -> None:
    env = persistence_env(f"{POSTGRES_URL}?schema=s")
    assert env["POSTGRES_LOCK_TIMEOUT"] == "10"
    assert env["POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT"] == "5"
    # Writers behind a stalled holder get the lock when its session is ended, before
    # they give up on it.
    assert int(env["POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT"]) < int(
        env["POSTGRES_LOCK_TIMEOUT"]
    )


# -- a lock held elsewhere ----------------------------------------------------------------


def test_a_write_behind_a_held_events_lock_is_busy_after_the_lock_timeout(postgres_url) -> None:
    with planning_at(f"{postgres_url}&lock_timeout=1") as planning:
        plan_id = a_plan_in(planning)
        with events_table_locked(postgres_url):
            began = time.monotonic()
            with pytest.raises(StoreBusyError) as raised:
                planning.change(plan_id, note("Behind the lock"), as_caller())
            waited = time.monotonic() - began
        assert isinstance(raised.value.__cause__, LockNotAvailable)
        # One lock timeout, not ten: a retried OperationalError waited 10 x 1 s + 9 x 0.2 s.
        assert 0.9 < waited < 3.0
        # Nothing was written, and once the lock is free the same write lands.
        assert planning.change(plan_id, note("After the lock"), as_caller()).version == 2


def test_without_a_lock_timeout_a_write_waits_for_as_long_as_the_lock_is_held(
    postgres_url,
) -> None:
    """The library's default (0), as it was: the reason for the setting."""
    with planning_at(f"{postgres_url}&lock_timeout=0") as planning:
        plan_id = a_plan_in(planning)
        done = threading.Event()
        with events_table_locked(postgres_url):
            writer = threading.Thread(
                target=lambda: (planning.change(plan_id, note("Waits"), as_caller()), done.set())
            )
            writer.start()
            assert not done.wait(2.5)  # still waiting, with no end in sight
        writer.join(10)
        assert done.is_set()


def test_the_api_answers_503_with_retry_after_when_the_events_lock_is_not_granted(
    postgres_url,
) -> None:
    settings = Settings(
        database_url=f"{postgres_url}&lock_timeout=1",
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
    body = {
        "plan_type": "iep",
        "stage": "additional",
        "org": "school:x",
        "child": {"name": "Timeout Child", "date_of_birth": "2016-03-14"},
    }
    with TestClient(create_app(settings)) as client:
        with events_table_locked(postgres_url):
            began = time.monotonic()
            answer = client.post(
                "/api/plans",
                json=body,
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1"},
            )
            took = time.monotonic() - began
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == "1"
        assert answer.json()["type"] == "/problems/unavailable"
        assert took < 4.0
        again = client.post(
            "/api/plans",
            json=body,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1"},
        )
        assert again.status_code == 201, again.text


# -- a session left idle in a transaction -------------------------------------------------


def test_a_stalled_writer_is_ended_by_the_server_and_the_writers_behind_it_carry_on(
    postgres_url,
) -> None:
    url = f"{postgres_url}&idle_in_transaction_session_timeout=1&lock_timeout=3"
    with planning_at(url) as planning:
        plan_id = a_plan_in(planning)
        datastore = planning.recorder.datastore
        holding = threading.Event()
        stalled_error: list[BaseException] = []

        def stalled_writer() -> None:
            # A writer that took the events table's lock and then stopped (a thread that
            # never got the CPU back, a client cut off): its session idles in the
            # transaction.
            try:
                with datastore.transaction(commit=True) as curs:
                    curs.execute(
                        SQL("LOCK TABLE {}.planning_events IN EXCLUSIVE MODE").format(
                            Identifier(datastore.schema)
                        )
                    )
                    holding.set()
                    time.sleep(3.5)  # past the lock timeout of those waiting behind it
                    curs.execute("SELECT 1")
            except BaseException as e:
                stalled_error.append(e)

        stalled = threading.Thread(target=stalled_writer)
        stalled.start()
        assert holding.wait(10)
        began = time.monotonic()
        written = planning.change(plan_id, note("Behind a stalled writer"), as_caller())
        waited = time.monotonic() - began
        stalled.join(10)
        assert written.version == 2
        # It got the lock when the server ended the idle session (1 s), before its own
        # lock timeout (3 s) made it busy, as it would have been with no idle timeout.
        assert waited < 2.5
        # The stalled writer learns its connection is gone: an OperationalError, which
        # the library's recorders retry on a new connection (psycopg's own class for it
        # is an InternalError, which nothing retried and the HTTP layer answered 500).
        [error] = stalled_error
        assert isinstance(error, OperationalError), repr(error)
        assert isinstance(error.__cause__, IdleInTransactionSessionTimeout)
        # And the next requests still work, on the pool's other connections.
        assert planning.change(plan_id, note("Next"), as_caller()).version == 3


# -- a peer that falls silent -------------------------------------------------------------


def test_every_pooled_connection_probes_a_silent_peer_and_bounds_unacknowledged_data(
    postgres_url,
) -> None:
    """A partition closes nothing: without keepalive probes after seconds (the kernel's
    default is 2 hours) and tcp_user_timeout, a statement in flight or a request on an
    idle pooled connection waits for good (measured in a network namespace with its
    loopback taken down: no answer after 60 s). The kernel runs these timers, so they
    are checked here as the kernel holds them, on the socket of a real pooled
    connection."""
    with (
        planning_at(postgres_url) as planning,
        planning.recorder.datastore.get_connection() as conn,
    ):
        sock = socket.fromfd(conn.pgconn.socket, socket.AF_INET, socket.SOCK_STREAM)
        try:
            held = {
                "keepalives": sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
                "keepalives_idle": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
                "keepalives_interval": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
                "keepalives_count": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT),
                "tcp_user_timeout": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT),
            }
        finally:
            sock.close()  # a duplicate of the connection's descriptor
        assert held == {
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "tcp_user_timeout": 25_000,
        }
        assert held == {k: CONNECTION_OPTIONS[k] for k in held}


def test_making_a_connection_is_bounded_by_libpq_not_psycopgs_130_seconds(postgres_url) -> None:
    with (
        planning_at(postgres_url) as planning,
        planning.recorder.datastore.get_connection() as conn,
    ):
        assert conn.info.get_parameters().get("connect_timeout") == "10"


def test_the_session_has_the_librarys_idle_timeout(postgres_url) -> None:
    with (
        planning_at(postgres_url) as planning,
        planning.recorder.datastore.get_connection() as conn,
    ):
        [setting] = conn.execute("SHOW idle_in_transaction_session_timeout").fetchone().values()
        assert setting == "5s"
