"""Two local authorities, each in its own PostgreSQL database on the test server.

The databases are made for this test run and dropped after it (WITH (FORCE), so a
connection left open cannot keep them); each test gets a fresh schema in both, so tests
never see each other's plans. PostgreSQL is never skipped: if it does not answer, these
tests fail.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from interfaces.http.app import create_app
from interfaces.settings import Settings
from interfaces.tenancy import Tenants
from tests.conftest import POSTGRES_URL
from tests.interfaces.people import SECRET

NORTH, SOUTH = "highland", "fife"
"""Two authorities; Fife has stages of its own (DOMAIN.md 1.6), Highland the default."""

FIFE_STAGES = """authority = "Fife Council"
[[stages]]
id = "universal"
name = "Universal"
level = 1
[[stages]]
id = "additional"
name = "Additional"
level = 2
[[stages]]
id = "extended"
name = "Extended"
level = 3
[[stages]]
id = "enhanced"
name = "Enhanced"
level = 4
[[stages]]
id = "specialist"
name = "Specialist"
level = 5
"""


def _admin_url() -> str:
    return urlunparse(urlparse(POSTGRES_URL)._replace(path="/postgres", query=""))


@pytest.fixture(scope="session")
def tenant_databases() -> Iterator[dict[str, str]]:
    """authority -> URL of a database of its own, for this run only."""
    run = uuid.uuid4().hex[:8]
    names = {a: f"pl_tenancy_{run}_{a}" for a in (NORTH, SOUTH)}
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        for name in names.values():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {
            a: urlunparse(urlparse(POSTGRES_URL)._replace(path=f"/{n}", query=""))
            for a, n in names.items()
        }
    finally:
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            for name in names.values():
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@pytest.fixture
def tenant_urls(tenant_databases: dict[str, str]) -> Iterator[dict[str, str]]:
    """authority -> URL of a fresh schema in its own database (dropped afterwards)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    for url in tenant_databases.values():
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield {
            a: f"{url}?schema={schema}&pool_size=2&max_overflow=2"
            for a, url in tenant_databases.items()
        }
    finally:
        for url in tenant_databases.values():
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def fife_stages(tmp_path: Path) -> Path:
    path = tmp_path / "fife.toml"
    path.write_text(FIFE_STAGES)
    return path


@pytest.fixture
def settings(
    tenant_urls: dict[str, str], fife_stages: Path, master_key: str, tmp_path: Path
) -> Settings:
    """Tenant mode. database_url names a file that must never be made: no request may
    fall back to a store of no authority."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'never-used.db'}",
        tenants={
            NORTH: tenant_urls[NORTH],
            SOUTH: {"database_url": tenant_urls[SOUTH], "stages_file": str(fife_stages)},
        },
        jwt_secret=SECRET,
        encryption_key=master_key,
        read_wait_seconds=5.0,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def tenants(client: TestClient) -> Tenants:
    """The app's own tenants, to look behind the API."""
    return client.app.state.tenants


def count_rows(url: str, table: str, plan_id: str) -> int:
    """Rows about a plan in one store's table, read with SQL (not through Planledger)."""
    parsed = urlparse(url)
    schema = dict(p.split("=") for p in parsed.query.split("&"))["schema"]
    with psycopg.connect(urlunparse(parsed._replace(query=""))) as conn:
        found = conn.execute(
            sql.SQL("SELECT count(*) FROM {}.{} WHERE {} = %s").format(
                sql.Identifier(schema),
                sql.Identifier(table),
                sql.Identifier("originator_id" if table.endswith("_events") else "plan_id"),
            ),
            (plan_id,),
        ).fetchone()
    return found[0] if found else 0
