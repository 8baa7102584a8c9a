"""Reading what a store holds, bypassing the application: raw rows and plain replays."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlparse

import psycopg

from tests.conftest import POSTGRES_URL


def stored_states(database_url: str, table: str) -> list[bytes]:
    """The raw `state` column of the events or snapshots table ("events" / "snapshots")."""
    url = urlparse(database_url)
    if url.scheme == "sqlite":
        with sqlite3.connect(url.path) as conn:
            rows = conn.execute(f"SELECT state FROM stored_{table}").fetchall()
    else:
        schema = parse_qs(url.query)["schema"][0]
        with psycopg.connect(POSTGRES_URL) as conn:
            rows = conn.execute(f'SELECT state FROM "{schema}".planning_{table}').fetchall()
    return [bytes(row[0]) for row in rows]


def replay(events):
    plan = None
    for event in events:
        plan = event.mutate(plan)
    return plan
