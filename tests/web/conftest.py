"""Fixtures for the page tests. The fast tests run the app in-process (TestClient) on
SQLite and PostgreSQL; the browser tests (test_browser.py) run `planledger serve` as a
real process on PostgreSQL and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import pytest

from interfaces.demo import load_demo
from tests.web.pages import Site, settings_for


@pytest.fixture
def site(make_planning, database_url) -> Site:
    planning = make_planning()
    plan_id = load_demo(planning)
    return Site(planning=planning, plan_id=plan_id, settings=settings_for(database_url))
