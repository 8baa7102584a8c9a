"""Processes that start together on a new PostgreSQL database (the API's workers, the
projector) all come up: table creation is taken in turns."""

from __future__ import annotations

import multiprocessing


def _start_planning(database_url: str) -> str:
    from application.config import persistence_env
    from application.planning import Planning

    try:
        Planning(env=persistence_env(database_url)).close()
    except Exception as e:  # reported to the parent as a failure
        return f"{type(e).__name__}: {e}"
    return "started"


def test_four_processes_starting_at_once_on_an_empty_schema_all_start(postgres_url):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        outcomes = pool.map(_start_planning, [postgres_url] * 4)
    assert outcomes == ["started"] * 4


def test_a_pool_of_one_connection_creates_its_tables_and_records_a_plan(postgres_url):
    # The turn to create tables is taken on the connection that creates them: a lock
    # held on one while the DDL asked the pool for another never got one.
    from application.config import persistence_env
    from application.planning import Planning
    from tests.examples import an_opening, as_caller

    separator = "&" if "?" in postgres_url else "?"
    url = f"{postgres_url}{separator}pool_size=1&max_overflow=0"
    env = {**persistence_env(url), "POSTGRES_POOL_TIMEOUT": "5"}
    app = Planning(env=env)
    try:
        plan_id = app.open_plan(an_opening(), as_caller()).plan_id
        assert app.get_plan(plan_id).version == 1
    finally:
        app.close()
    again = Planning(env=env)  # the tables exist now, the types too: no error
    again.close()
