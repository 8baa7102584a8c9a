"""Web pages for lead professionals, practitioners and families, served by the API's app.

Server-rendered Jinja2 pages with plain forms. They call the same Planning use cases and
ask the same authorisation module (domain/access.py) as the API; see guard.py.
`install(app, settings)` adds them to the app that create_app builds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from interfaces.settings import Settings
from interfaces.web import (
    directory_pages,
    evidence_pages,
    import_pages,
    mail_pages,
    map_pages,
    pages,
    plan_forms,
    report_pages,
    signin,
)
from interfaces.web.guard import PageError, SignInRequired, optional_caller
from interfaces.web.oidc import OidcClient
from interfaces.web.rendering import environment, render
from interfaces.web.security import SESSION_COOKIE, Csrf, clear_cookie, signing_secret

STATIC = Path(__file__).parent / "static"


@dataclass
class WebState:
    settings: Settings
    csrf: Csrf
    oidc: OidcClient
    demo_signin: bool
    templates: Environment = field(default_factory=environment)


def install(app: FastAPI, settings: Settings) -> None:
    secret = signing_secret(settings)
    app.state.web = WebState(
        settings=settings,
        csrf=Csrf(secret),
        oidc=OidcClient(settings, secret),
        demo_signin=settings.demo_signin_enabled(),
    )
    for module in (
        signin,
        pages,
        plan_forms,
        evidence_pages,
        report_pages,
        map_pages,
        directory_pages,
        import_pages,
        mail_pages,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(PageError, _error_page)
    app.add_exception_handler(
        StarletteHTTPException, _html_for_browsers(app.exception_handlers[StarletteHTTPException])
    )


def _html_for_browsers(answer_as_problem: Any) -> Any:
    """A browser asking for an address that is no page gets a page saying so; the API's
    clients keep their problem details (interfaces/http/problems.py)."""

    def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        wants_page = "text/html" in request.headers.get("accept", "")
        if exc.status_code == 404 and wants_page and not request.url.path.startswith("/api/"):
            detail = "There is no page at this address. Start again from your plans."
            return _error_page(request, PageError(404, "Page not found", detail))
        return answer_as_problem(request, exc)

    return handler


def _sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    query = {"next": exc.next_path, **({"message": "ended"} if exc.message else {})}
    response = RedirectResponse(f"/sign-in?{urlencode(query)}", status_code=303)
    if exc.message:
        clear_cookie(response, request, SESSION_COOKIE)
    return response


def _error_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return render(
        request,
        "error.html",
        {
            "caller": optional_caller(request),
            "title": exc.title,
            "detail": exc.detail,
            "status": exc.status,
        },
        exc.status,
    )
