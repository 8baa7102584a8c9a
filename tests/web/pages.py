"""Helpers for the fast page tests: an app on the test's store with the demo plan in it,
signing in through the real sign-in form, and reading what a page shows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from uuid import UUID

from fastapi.testclient import TestClient

from application.planning import Planning
from interfaces.http.app import create_app
from interfaces.settings import Settings

SECRET = "test-secret-for-the-web-pages-0123456789abcdef"


@dataclass
class Site:
    planning: Planning
    plan_id: UUID
    settings: Settings

    @contextmanager
    def client(self, base_url: str = "http://localhost") -> Iterator[TestClient]:
        app = create_app(self.settings, planning=self.planning)
        with TestClient(app, base_url=base_url, follow_redirects=False) as client:
            yield client


def settings_for(database_url: str, **extra: object) -> Settings:
    return Settings(database_url=database_url, jwt_secret=SECRET, web_demo_signin=True, **extra)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, user: str, *, manager: bool = False) -> None:
    page = client.get("/sign-in")
    form = {"csrf_token": csrf_token(page.text), "user": user, "next": "/plans"}
    if manager:
        form["manager"] = "yes"
    answer = client.post("/sign-in", data=form)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/plans"


class _Forms(HTMLParser):
    """The ids of the form panels on a page, and each field's value by its id."""

    def __init__(self) -> None:
        super().__init__()
        self.panels: set[str] = set()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (a.get("id") or "").startswith("form-"):
            self.panels.add(a["id"].removeprefix("form-"))
        if tag == "input" and a.get("id"):
            self.fields[a["id"]] = a.get("value") or ""
        if tag == "textarea" and a.get("id"):
            self._textarea = a["id"]
            self.fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


def forms_on(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


def event_count(planning: Planning, plan_id: UUID) -> int:
    return len(planning.history(plan_id))
