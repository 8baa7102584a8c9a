"""Shared fixtures: every store-backed test runs on SQLite and on a real PostgreSQL.

PostgreSQL is never skipped: if it does not answer, the tests fail. Each test gets a
schema of its own, dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest

from application.config import persistence_env
from application.evidence.checkpoints import CheckpointSigner
from application.persistence.keys import new_master_key
from application.planning import Planning
from domain.plans import Plan
from tests.smtp import Inbox, smtp_server

POSTGRES_URL = os.environ.get(
    "PLANLEDGER_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A database URL whose tables live in a fresh schema."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?schema={schema}&pool_size=4&max_overflow=4"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'planledger.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def master_key() -> str:
    return new_master_key()


@pytest.fixture
def make_planning(database_url) -> Iterator:
    """Builds Planning applications on the test's store (several may share it)."""
    apps: list[Planning] = []

    def make(
        url: str | None = None,
        *,
        shared_copy: Callable[[Plan], bytes] | None = None,
        checkpoint_signer: CheckpointSigner | None = None,
        **env: str,
    ) -> Planning:
        app = Planning(
            env={**persistence_env(url or database_url), **env},
            shared_copy=shared_copy,
            checkpoint_signer=checkpoint_signer,
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


@pytest.fixture
def planning(make_planning) -> Planning:
    return make_planning()


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server that keeps what it accepts (tests/smtp.py)."""
    with smtp_server() as server:
        yield server
