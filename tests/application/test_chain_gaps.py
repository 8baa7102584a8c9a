"""A chain with a missing link is never continued from a fresh start (PostgreSQL makes
each link in the statement that inserts it)."""

from __future__ import annotations

import psycopg
import pytest

from application.errors import ConcurrentUpdateError
from tests.examples import a_lead_professional, a_plan_of


def test_a_write_after_a_missing_link_is_refused_and_writes_nothing(make_planning, postgres_url):
    planning = make_planning(postgres_url)
    plan_id = a_plan_of(planning, events=3)
    last = len(planning.history(plan_id))
    schema = postgres_url.split("schema=")[1].split("&")[0]
    with psycopg.connect(postgres_url.split("?")[0], autocommit=True) as conn:
        conn.execute(f'DELETE FROM "{schema}".planning_links WHERE plan_id = %s AND position = %s',
                     (plan_id, last))
    with pytest.raises(ConcurrentUpdateError):
        planning.append_contribution(plan_id, kind="note", text="After the gap",
                                     actor=a_lead_professional())
    assert len(planning.history(plan_id)) == last
