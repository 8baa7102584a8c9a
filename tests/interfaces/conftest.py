"""The API on a real PostgreSQL schema of its own, called in-process or over loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from application.planning import Planning
from interfaces.http.app import create_app
from interfaces.settings import Settings
from projections.engine.runtime import Projector
from tests.interfaces.api import PlanRefs, a_plan_with_target, a_working_plan
from tests.interfaces.people import SECRET


@pytest.fixture
def settings(postgres_url: str, master_key: str) -> Settings:
    """Production-like: personal data sealed with a master key, HS256 tokens."""
    return Settings(
        database_url=postgres_url,
        jwt_secret=SECRET,
        encryption_key=master_key,
        read_wait_seconds=5.0,
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def store(client: TestClient) -> Planning:
    """The app's own application, to look behind the API (history length, access log)
    without adding to the access log."""
    return client.app.state.planning


@pytest.fixture
def projector(settings: Settings) -> Iterator[Projector]:
    """The read models' projector beside the app, as docker-compose runs one: the lists
    (GET /api/plans, review lists, reports) read what it has projected."""
    projector = Projector(settings.planning_env(), poll_seconds=0.1).start()
    yield projector
    projector.stop()


@pytest.fixture
def plan(client: TestClient) -> PlanRefs:
    """A plan with something of most kinds and people in most roles (api.a_working_plan)."""
    return a_working_plan(client)


@pytest.fixture
def plan_with_target(client: TestClient) -> PlanRefs:
    return a_plan_with_target(client)


def events_of(store: Planning, plan_id: str) -> int:
    return len(store.history(UUID(plan_id)))


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
