"""A chain with a missing link is never continued from a fresh start."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlparse

import psycopg
import pytest

from application.errors import ConcurrentUpdateError
from domain.events import AppendContribution
from tests.examples import a_plan_of, as_caller


def test_a_write_after_a_missing_link_is_refused_and_writes_nothing(make_planning, database_url):
    planning = make_planning()
    plan_id = a_plan_of(planning, events=3)
    last = len(planning.history(plan_id))
    delete_link(database_url, plan_id, last)
    with pytest.raises(ConcurrentUpdateError):
        planning.change(plan_id, AppendContribution(kind="note", text="After the gap"), as_caller())
    assert len(planning.history(plan_id)) == last


def delete_link(database_url: str, plan_id, position: int) -> None:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(urlparse(database_url).path.removeprefix("/")) as conn:
            conn.execute(
                "DELETE FROM planledger_links WHERE plan_id = ? AND position = ?",
                (plan_id.hex, position),
            )
        return
    schema = database_url.split("schema=")[1].split("&")[0]
    with psycopg.connect(database_url.split("?")[0], autocommit=True) as conn:
        conn.execute(
            f'DELETE FROM "{schema}".planning_links WHERE plan_id = %s AND position = %s',
            (plan_id, position),
        )
