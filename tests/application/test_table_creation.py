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
