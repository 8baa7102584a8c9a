"""Annotated dependencies: the application, the caller, the authorised plan, the conditions
of a write. Routes declare what they need; these do the checking."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from application.persistence.records import IdempotencyClaim
from application.planning import Conditions, Planning
from domain.access import Caller, may_read_national_reports
from domain.actions import Action
from domain.events import Command
from domain.plans import Plan
from interfaces.documents.signing import PdfSigner
from interfaces.http.answers import written
from interfaces.http.auth import NotAuthenticatedError
from interfaces.http.problems import Problem, forbidden, not_authenticated
from interfaces.http.schemas import Attributed
from interfaces.tenancy import Tenant


def planning_of(request: Request) -> Planning:
    """The application the request works on: the one store, or (PLANLEDGER_TENANTS) the
    store of the caller's authority."""
    if request.app.state.tenants is None:
        return request.app.state.planning
    return tenant_of(request).planning


def pdf_signer_of(request: Request) -> PdfSigner | None:
    """The signer of the bundles the request's store issues (None: they go unsigned)."""
    if request.app.state.tenants is None:
        return request.app.state.services.store.pdf_signer
    return tenant_of(request).pdf_signer


def tenant_of(request: Request) -> Tenant:
    """The caller's authority's tenant; never another one. 401 without a usable token,
    403 when the token names no authority served here."""
    caller = getattr(request.state, "caller", None) or _bearer_caller(request)
    tenant = request.app.state.tenants.get(caller.authority)
    if tenant is None:
        raise unknown_authority()
    return tenant


def unknown_authority() -> Problem:
    return Problem(
        403,
        "unknown-authority",
        "Forbidden",
        "Your token names no local authority whose plans are kept here.",
    )


def _bearer_caller(request: Request) -> Caller:
    # A dependency that routes by tenant may run before get_caller does: check the same
    # bearer token the same way (the verifier remembers it, so get_caller pays nothing).
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if not token or scheme.lower() != "bearer":
        raise not_authenticated("A bearer token is required.")
    try:
        caller = request.app.state.verifier.verify(token)
    except NotAuthenticatedError as e:
        raise not_authenticated(str(e)) from None
    request.state.role = caller.role.value  # for the request log; never the user id
    request.state.caller = caller
    return caller


async def get_planning(request: Request) -> Planning:
    # async: no I/O here, so no trip through the thread pool (each costs more than this)
    return planning_of(request)


PlanningDep = Annotated[Planning, Depends(get_planning)]


async def get_pdf_signer(request: Request) -> PdfSigner | None:
    return pdf_signer_of(request)


PdfSignerDep = Annotated[PdfSigner | None, Depends(get_pdf_signer)]

_bearer = HTTPBearer(auto_error=False, description="A JWT: see `planledger token`")


async def get_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None:
        raise not_authenticated("A bearer token is required.")
    verifier = request.app.state.verifier
    try:
        # A token seen before is answered here; a new one may need the identity
        # provider's keys, which must never block the event loop.
        caller = verifier.remembered(credentials.credentials) or await run_in_threadpool(
            verifier.verify, credentials.credentials
        )
    except NotAuthenticatedError as e:
        raise not_authenticated(str(e)) from None
    request.state.role = caller.role.value  # for the request log; never the user id
    if request.app.state.tenants is not None:
        _check_tenant(request, caller)
    return caller


def _check_tenant(request: Request, caller: Caller) -> None:
    """With tenants, every caller needs an authority served here, except a national
    analyst, who reads only the national reports (any other read still routes by
    authority, through tenant_of, and is refused there)."""
    request.state.caller = caller
    if request.app.state.tenants.get(caller.authority) is None and not (
        may_read_national_reports(caller)
    ):
        raise unknown_authority()


CallerDep = Annotated[Caller, Depends(get_caller)]


def _endpoint(request: Request) -> str:
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', request.url.path)}"


def authorise(action: Action):
    """A dependency giving the plan if the caller may read it so (Planning.read: the read
    is written to the plan's access log before anything is returned)."""

    def dependency(
        plan_id: UUID, request: Request, planning: PlanningDep, caller: CallerDep
    ) -> Plan:
        return planning.read(plan_id, caller, action, via=_endpoint(request))

    return Depends(dependency)


def require(allowed: bool, detail: str = "Your role does not allow this.") -> None:
    if not allowed:
        raise forbidden(detail)


# A version is a plan's event count: 18 digits are far beyond any plan, and a longer
# number would only be refused later by Python's integer-digit limit.
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')


async def write_conditions(
    request: Request,
    caller: CallerDep,
    if_match: Annotated[str | None, Header(description='The version read: "<version>"')] = None,
    idempotency_key: Annotated[
        str | None, Header(max_length=200, description="Makes a retried POST write once")
    ] = None,
) -> Conditions:
    expected = None
    if if_match is not None and if_match.strip() != "*":
        match = _ETAG.match(if_match.split(",")[0])
        if match is None:
            raise Problem(
                412,
                "stale-version",
                "Precondition failed",
                'If-Match must name a version, e.g. "3".',
            )
        expected = int(match.group(1))
    claim = None
    if idempotency_key:
        claim = IdempotencyClaim(
            scope=caller.sub,
            key=idempotency_key,
            fingerprint=_fingerprint(request.method, request.url.path, await _body_of(request)),
        )
    return Conditions(expected_version=expected, idempotency=claim)


async def _body_of(request: Request) -> bytes:
    """The body, for a fingerprint. A form with a file (a document) is read as a form,
    which has consumed the stream: its fields, each file by its SHA-256."""
    if not request.headers.get("content-type", "").startswith("multipart/"):
        return await request.body()
    parts = []
    for name, given in (await request.form()).multi_items():
        if isinstance(given, UploadFile):
            await given.seek(0)
            digest = hashlib.sha256(await given.read()).hexdigest()
            await given.seek(0)  # the endpoint reads it next
            parts.append(f"{name}={digest}")
        else:
            parts.append(f"{name}={given}")
    return "\n".join(sorted(parts)).encode()


def _fingerprint(method: str, path: str, body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
    except ValueError:
        canonical = body.decode("latin-1")
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


ConditionsDep = Annotated[Conditions, Depends(write_conditions)]


@dataclass(frozen=True)
class Writer:
    """Carries out a command for the caller, with the request's If-Match and
    Idempotency-Key, and shapes the answer (ETag, version, what it created)."""

    planning: Planning
    caller: Caller
    conditions: Conditions
    response: Response

    def __call__(self, plan_id: UUID, command: Command, body: Attributed) -> dict[str, Any]:
        return written(
            self.response,
            self.planning.change(
                plan_id,
                command,
                self.caller,
                occurred_on=body.occurred_on,
                reason=body.reason,
                conditions=self.conditions,
            ),
        )


def get_writer(
    planning: PlanningDep, caller: CallerDep, conditions: ConditionsDep, response: Response
) -> Writer:
    return Writer(planning, caller, conditions, response)


WriterDep = Annotated[Writer, Depends(get_writer)]
