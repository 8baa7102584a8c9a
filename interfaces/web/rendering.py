"""Templates: one Jinja2 environment, autoescaped, strict about missing names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from domain import access
from domain.calendar import today
from domain.directory import Directory
from domain.values import Progress
from interfaces import wording
from interfaces.http.deps import planning_of
from interfaces.http.problems import Problem
from interfaces.plan_text import FUNDING_STREAMS, LAWFUL_BASES
from interfaces.web.security import CSRF_FIELD

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,  # a misspelt name fails the tests, not the reader
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        day=wording.day,
        instant=wording.instant,
        days_phrase=wording.days_phrase,
        age=wording.age,
        role=lambda r: wording.ROLES.get(str(r), str(r)),
        plan_type=lambda t: wording.PLAN_TYPES.get(str(t), str(t)),
        progress=lambda p: wording.PROGRESS.get(str(p), str(p)),
        provision_kind=lambda k: wording.PROVISION_KINDS.get(str(k), str(k)),
        whose=lambda w: wording.WHOSE.get(str(w), str(w)),
        target_status=lambda s: wording.TARGET_STATUS.get(str(s), str(s)),
        chronology_kind=lambda k: wording.CHRONOLOGY_KINDS.get(str(k), str(k)),
        lawful_basis=lambda b: LAWFUL_BASES.get(str(b), str(b)),
        funding_stream=lambda f: FUNDING_STREAMS.get(str(f), str(f)),
        wellbeing=lambda w: wording.WELLBEING.get(str(w), str(w)),
        part_letter=wording.part_letter,
        as_date=lambda d: d if isinstance(d, date) else date.fromisoformat(str(d)),
    )
    # The menu offers what the domain's access rules allow the caller.
    env.globals.update(
        may_map=access.may_see_provision_map,
        may_search_directory=access.may_search_directory,
        progress=Progress,
    )
    return env


def directory_of(request: Request) -> Directory | None:
    """The directory of the request's store, read once per request; None for a page
    outside any store (sign-in, with tenants: no caller to choose an authority's store by)."""
    if not hasattr(request.state, "directory"):
        try:
            request.state.directory = planning_of(request).people.directory()
        except Problem:
            request.state.directory = None
    found: Directory | None = request.state.directory
    return found


def _namer(request: Request) -> Callable[[str | None], str]:
    """A person's or organisation's name from the directory, else the id it was given by."""

    def named(key: str | None) -> str:
        directory = directory_of(request) if key else None
        if directory is None:
            return key or ""
        person = directory.people.get(key or "")
        return (person.name if person else None) or directory.name_of(key) or key or ""

    return named


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    web = request.app.state.web
    page = {
        "request": request,
        "today": today(),
        "named": _namer(request),
        "csrf_field": CSRF_FIELD,
        "csrf_token": lambda: web.csrf.token(request),
        "caller": None,
        **context,
    }
    html = web.templates.get_template(template).render(page)
    response = HTMLResponse(html, status_code=status_code)
    # Pages hold personal data: never cached, never framed by another site.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["Referrer-Policy"] = "same-origin"
    web.csrf.persist(request, response)
    return response
