"""Signing in and out: the demo sign-in (development), OpenID Connect (production)."""

from __future__ import annotations

import logging
import time

import jwt
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from application.directory import DirectoryBusyError
from domain.access import Caller
from interfaces.demo import DEMO_USERS
from interfaces.http.auth import NotAuthenticatedError, issue_token
from interfaces.web.guard import PageError, optional_caller
from interfaces.web.mail_record import outbox_of
from interfaces.web.oidc import STATE_COOKIE, STATE_MAX_AGE, SignInFailed
from interfaces.web.rendering import render
from interfaces.web.security import (
    CSRF_FIELD,
    SESSION_COOKIE,
    clear_cookie,
    local_path,
    set_cookie,
)

log = logging.getLogger("planledger.web")

router = APIRouter(include_in_schema=False)

DEMO_DESCRIPTIONS = {
    "lead": "Lead professional at St Ninian's Primary: runs the demo plan",
    "practitioner": "Speech and language therapist (NHS Lothian): her agency has joined the plan",
    "outsider": "Practitioner at CAMHS Lothian: his agency has not joined any plan",
    "parent": "Parent: Isla's mum",
    "young_person": "Young person: Isla herself",
    "reviewer": "Tribunal reviewer: sees a plan only while it is disclosed to him",
    "analyst": "Council analyst: reports only, no plans",
    "officer": "Authority officer: takes the council's statutory decisions on every CSP",
}
MESSAGES = {
    "signed_out": "You have signed out.",
    "ended": "Your session has ended; please sign in again.",
}


@router.get("/")
def home(request: Request) -> Response:
    signed_in = optional_caller(request) is not None
    return RedirectResponse("/plans" if signed_in else "/sign-in", status_code=303)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str | None = None, message: str | None = None) -> Response:
    return _page(request, next_path=local_path(next), notice=MESSAGES.get(message or ""))


def _page(
    request: Request,
    *,
    next_path: str,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    web = request.app.state.web
    users = []
    if web.demo_signin:
        users = [(key, actor, DEMO_DESCRIPTIONS.get(key, "")) for key, actor in DEMO_USERS.items()]
    tenants = request.app.state.tenants
    response = render(
        request,
        "sign_in.html",
        {
            "users": users,
            "oidc": web.oidc.enabled,
            "next_path": next_path,
            "authorities": tenants.authorities if tenants is not None and users else [],
            "notice": notice,
            "error": error,
            "caller": optional_caller(request),
        },
        status_code,
    )
    return response


@router.post("/sign-in")
async def demo_sign_in(request: Request) -> Response:
    """Development only: become one of the demo users, with a token minted here."""
    web = request.app.state.web
    if not web.demo_signin:
        raise PageError(404, "Page not found", "The demo sign-in is switched off here.")
    form = await request.form()
    next_path = local_path(_text(form.get("next")))
    if problem := web.csrf.check(request, _text(form.get(CSRF_FIELD))):
        return _page(
            request, next_path=next_path, error=problem + " Please try again.", status_code=403
        )
    actor = DEMO_USERS.get(_text(form.get("user")) or "")
    secret = web.settings.jwt_signing_secret()
    if actor is None:
        return _page(
            request, next_path=next_path, error="Choose who to sign in as.", status_code=422
        )
    if not secret:
        return _page(
            request,
            next_path=next_path,
            status_code=503,
            error="The demo sign-in needs PLANLEDGER_JWT_SECRET to be set.",
        )
    manager = form.get("manager") == "yes" and actor.role.value == "lead_professional"
    authority = None
    if (tenants := request.app.state.tenants) is not None:
        # With tenants a demo user works in the authority picked with them.
        authority = _text(form.get("authority"))
        if tenants.get(authority) is None:
            return _page(
                request, next_path=next_path, error="Choose a local authority.", status_code=422
            )
    token = issue_token(
        secret,
        sub=actor.id,
        name=actor.name,
        role=actor.role,
        org=actor.org,
        manager=manager,
        authority=authority,
    )
    try:  # the very check every request makes, so a token it refuses never becomes a session
        caller = request.app.state.verifier.verify(token)
    except NotAuthenticatedError as e:
        return _page(request, next_path=next_path, error=str(e), status_code=401)
    await run_in_threadpool(_seen, request, caller)
    return _start_session(request, token, next_path)


@router.get("/sign-in/oidc")
async def oidc_start(request: Request, next: str | None = None) -> Response:
    web = request.app.state.web
    if not web.oidc.enabled:
        raise PageError(404, "Page not found", "Sign-in with an organisation is not set up here.")
    callback = str(request.url_for("oidc_callback"))
    try:
        url, cookie = await run_in_threadpool(web.oidc.start, callback, local_path(next))
    except SignInFailed as e:
        return _page(request, next_path=local_path(next), error=str(e), status_code=502)
    response = RedirectResponse(url, status_code=303)
    set_cookie(response, request, STATE_COOKIE, cookie, STATE_MAX_AGE)
    return response


@router.get("/sign-in/callback", name="oidc_callback")
async def oidc_callback(
    request: Request,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
) -> Response:
    web = request.app.state.web
    if not web.oidc.enabled:
        raise PageError(404, "Page not found", "Sign-in with an organisation is not set up here.")
    try:
        pending = web.oidc.pending(request.cookies.get(STATE_COOKIE), state)
        if error or not code:
            raise SignInFailed("The sign-in was cancelled or refused at your organisation.")
        token, caller = await run_in_threadpool(
            web.oidc.finish,
            code,
            pending,
            str(request.url_for("oidc_callback")),
            request.app.state.verifier,
        )
    except SignInFailed as e:
        response = _page(request, next_path="/plans", error=str(e), status_code=400)
        clear_cookie(response, request, STATE_COOKIE)
        return response
    if caller.email:
        await run_in_threadpool(_keep_address, request, caller)
    await run_in_threadpool(_seen, request, caller)
    response = _start_session(request, token, pending.next_path)
    clear_cookie(response, request, STATE_COOKIE)
    return response


def _seen(request: Request, caller: Caller) -> None:
    """The directory learns who signed in (their name, role, organisation and address), so
    colleagues can find them by name; a busy directory never stops a sign-in."""
    tenants = request.app.state.tenants
    tenant = tenants.get(caller.authority) if tenants is not None else None
    planning = tenant.planning if tenant is not None else request.app.state.planning
    try:
        planning.people.seen(caller)
    except DirectoryBusyError:
        log.warning("the directory was busy: a sign-in was not recorded in it")


def _keep_address(request: Request, caller: Caller) -> None:
    """The organisation's address for the person, unless they chose one on their Email page."""
    outbox = outbox_of(request)
    chosen = outbox.preference(caller.sub)
    if chosen.address is None:
        outbox.set_preference(caller.sub, chosen.delivery, caller.email)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    web = request.app.state.web
    form = await request.form()
    if problem := web.csrf.check(request, _text(form.get(CSRF_FIELD))):
        raise PageError(403, "Not signed out", problem + " Go back, reload the page and try again.")
    # The token itself stays valid until it expires (JWTs are not revocable here); the
    # browser forgets it, and so does every page.
    response = RedirectResponse("/sign-in?message=signed_out", status_code=303)
    clear_cookie(response, request, SESSION_COOKIE)
    return response


def _start_session(request: Request, token: str, next_path: str) -> Response:
    expires = jwt.decode(token, options={"verify_signature": False}).get("exp")
    max_age = max(int(expires - time.time()), 0) if isinstance(expires, int | float) else None
    response = RedirectResponse(next_path, status_code=303)
    set_cookie(response, request, SESSION_COOKIE, token, max_age)
    return response


def _text(raw: object) -> str | None:
    return raw if isinstance(raw, str) else None
