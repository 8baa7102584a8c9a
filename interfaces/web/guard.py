"""Who is signed in, and which plan they may act on: the pages' only doors.

Every decision is asked of domain/access.py, the same module the API asks;
nothing here decides who may do what.
"""

from __future__ import annotations

from uuid import UUID

from starlette.requests import Request

from application.errors import PlanNotFoundError
from application.planning import Planning
from domain import access
from domain.access import Action, Decision
from domain.plans import Plan
from interfaces.http.auth import Caller, NotAuthenticatedError
from interfaces.web.security import session_token


class SignInRequired(Exception):
    """Not signed in (or the session has ended): answered with a redirect to sign in."""

    def __init__(self, next_path: str, message: str | None = None) -> None:
        super().__init__(message or "Please sign in.")
        self.next_path, self.message = next_path, message


class PageError(Exception):
    """An error page: 403, 404. The detail is shown, so it never holds personal data."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def not_found() -> PageError:
    # The same answer for a plan that does not exist and one the caller may not see,
    # as the API gives, so that a plan's existence is not disclosed.
    return PageError(404, "Page not found", "There is no such plan, or it is not shared with you.")


def forbidden(detail: str) -> PageError:
    return PageError(403, "Not allowed", detail)


def optional_caller(request: Request) -> Caller | None:
    token = session_token(request)
    if token is None:
        return None
    try:
        caller = request.app.state.verifier.verify(token)
    except NotAuthenticatedError:
        return None
    request.state.role = caller.role.value  # for the request log; never the user id
    request.state.caller = caller  # with tenants, the pages' store is the caller's authority's
    return caller


def signed_in(request: Request) -> Caller:
    caller = optional_caller(request)
    if caller is None:
        ended = "Your session has ended; please sign in again." if session_token(request) else None
        if request.method != "GET":
            # A form sent after the session ended: its URL only takes POSTs, and what was
            # typed cannot be carried safely through sign-in, so go back to the plans.
            raise SignInRequired("/plans", ended)
        query = f"?{request.url.query}" if request.url.query else ""
        raise SignInRequired(request.url.path + query, ended)
    tenants = request.app.state.tenants
    if tenants is not None and tenants.get(caller.authority) is None:
        raise PageError(
            403,
            "Not served here",
            "Your sign-in names no local authority whose "
            "plans are kept here. Ask your administrator to check your account.",
        )
    return caller


def parse_plan_id(plan_id: str) -> UUID:
    try:
        return UUID(plan_id)
    except ValueError:
        raise not_found() from None


def load_plan(planning: Planning, caller: Caller, plan_id: UUID, action: Action) -> Plan:
    """The plan, if access.decide lets the caller do `action` on it."""
    try:
        plan = planning.get_plan(plan_id)
    except PlanNotFoundError:
        raise not_found() from None
    decision = access.decide(caller, action, plan)
    if decision is Decision.NOT_FOUND:
        raise not_found()
    if decision is Decision.FORBIDDEN:
        raise forbidden(f"Your role does not allow this on this plan ({_action_words(action)}).")
    return plan


def allowed_actions(caller: Caller, plan: Plan) -> dict[str, bool]:
    """For templates: which forms to show. Each answer is access.decide's."""
    return {a.value: access.decide(caller, a, plan) is Decision.ALLOW for a in Action}


def record_read(
    request: Request, planning: Planning, caller: Caller, plan_id: UUID, action: Action
) -> None:
    """Write a read of personal data to the plan's access log, as the API does."""
    if access.is_personal_read(action):
        planning.record_access(plan_id, caller.actor(), endpoint(request))


def endpoint(request: Request) -> str:
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', request.url.path)}"


def _action_words(action: Action) -> str:
    return action.value.replace("_", " ")
