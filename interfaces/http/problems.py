"""Every error is an RFC 9457 problem: type, title, status, detail. Nothing else leaks.

Details come only from messages known to be safe (domain and application errors carry
ids and dates, never personal data). Validation errors name the field and the rule but
never echo the input, which may be personal data.
"""

from __future__ import annotations

import logging
from typing import Any

from eventsourcing.persistence import DataError, InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.errors import (
    ConcurrentUpdateError,
    IdempotencyKeyReusedError,
    PlanNotFoundError,
    PreconditionFailedError,
)
from application.persistence.postgres import StoreBusyError
from domain.documents import (
    DocumentDestroyedError,
    DocumentNotFoundError,
    DocumentTooLargeError,
    UnsupportedDocumentError,
)
from domain.errors import ActionForbiddenError, PlanningError, PlanNotVisibleError
from domain.sections import UnknownSectionError
from domain.statutory import UnknownRequestError
from interfaces.documents.render import RendererBusyError
from interfaces.http.logs import BodyTooLargeError

log = logging.getLogger("planledger.http")

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """Raised by the HTTP layer itself (auth, access, preconditions it checks)."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    request: Request | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail}
    if request is not None:
        body["instance"] = request.url.path
        request_id = getattr(request.state, "request_id", None)
        if request_id:
            body["request_id"] = request_id
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def not_found(what: str = "plan") -> Problem:
    return Problem(404, "not-found", "Not found", f"No such {what}.")


def forbidden(detail: str = "Your role does not allow this on this plan.") -> Problem:
    return Problem(403, "forbidden", "Forbidden", detail)


def not_authenticated(detail: str) -> Problem:
    return Problem(
        401,
        "not-authenticated",
        "Not authenticated",
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="planledger"'},
    )


def unavailable(detail: str, retry_after: int = 1) -> Problem:
    return Problem(
        503,
        "unavailable",
        "Service unavailable",
        detail,
        headers={"Retry-After": str(retry_after)},
    )


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
    },
}


def documented(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}}


RESPONSES: dict[int | str, dict[str, Any]] = {
    401: documented("No token, or a token that cannot be trusted"),
    403: documented("Not allowed this action on this plan"),
    404: documented("No such plan (also a plan the caller may not see)"),
    409: documented("A rule of the plan refuses the command"),
    412: documented("If-Match names a version the plan has moved on from"),
    413: documented("The request body is too large"),
    422: documented("Malformed input, or an Idempotency-Key reused with another body"),
    503: documented("The plan store is busy or unavailable; retry after Retry-After"),
}
"""The problems the API's routes may answer, for the OpenAPI document."""


_STATUS_SLUGS = {
    400: ("bad-request", "Bad request"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("too-large", "Request too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


def _invalid_input(request: Request, errors: Any, detail: str) -> JSONResponse:
    shown = [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": e.get("msg", ""),
            "type": e.get("type", ""),
        }
        for e in errors
    ]
    return problem_response(422, "invalid-input", "Invalid input", detail, request, errors=shown)


STATUS_OF: dict[type[Exception], tuple[int, str, str]] = {
    UnknownSectionError: (404, "not-found", "Not found"),
    UnknownRequestError: (404, "not-found", "Not found"),
    DocumentNotFoundError: (404, "not-found", "Not found"),
    DocumentTooLargeError: (413, "too-large", "Document too large"),
    UnsupportedDocumentError: (415, "unsupported-media-type", "Unsupported file"),
    DocumentDestroyedError: (410, "destroyed", "Destroyed"),
}
"""Rules of the plan answered with a status of their own (others of PlanningError: 409)."""


def _answer_with(status: int, kind: str, title: str) -> Any:
    def handler(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(status, kind, title, str(exc), request)

    return handler


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(
            exc.status, exc.slug, exc.title, exc.detail, request, exc.headers, **exc.extra
        )

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid_input(request, exc.errors(), "The request does not match the API's schema.")

    @app.exception_handler(ValidationError)
    def _invalid_content(request: Request, exc: ValidationError) -> JSONResponse:
        # The domain's own checks of a command's content: a section's fields, once the
        # plan's type is known (domain/sections.py), and rules across fields.
        loc = ("body",)
        errors = [{**e, "loc": (*loc, *e.get("loc", ()))} for e in exc.errors()]
        rules = [
            e["msg"].removeprefix("Value error, ") for e in errors if e["type"] == "value_error"
        ]
        detail = rules[0] if rules else "The plan does not hold these fields."
        return _invalid_input(request, errors, detail)

    # Rules whose message is safe to show, each answered with its own status.
    for error, (status, kind, title) in STATUS_OF.items():
        app.add_exception_handler(error, _answer_with(status, kind, title))

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, BodyTooLargeError):
            # FastAPI turns any error while reading a body into a 400; a streamed
            # (chunked) body over the cap is a 413 like one with a Content-Length.
            return problem_response(
                413,
                "too-large",
                "Request too large",
                "The request body is larger than this service accepts.",
                request,
            )
        if exc.status_code == 400:
            # FastAPI answers 400 for a body it cannot parse (e.g. JSON that is not
            # UTF-8); the contract answers malformed input with 422.
            return problem_response(
                422,
                "invalid-input",
                "Invalid input",
                "The request body could not be read as JSON.",
                request,
            )
        slug, title = _STATUS_SLUGS.get(exc.status_code, ("error", "Error"))
        detail = "No such resource." if exc.status_code == 404 else str(exc.detail)
        return problem_response(
            exc.status_code, slug, title, detail, request, dict(exc.headers or {})
        )

    @app.exception_handler(PlanNotFoundError)
    def _plan_not_found(request: Request, exc: PlanNotFoundError) -> JSONResponse:
        return problem_response(404, "not-found", "Not found", "No such plan.", request)

    @app.exception_handler(PlanNotVisibleError)
    def _not_visible(request: Request, exc: PlanNotVisibleError) -> JSONResponse:
        return problem_response(404, "not-found", "Not found", "No such plan.", request)

    @app.exception_handler(ActionForbiddenError)
    def _forbidden(request: Request, exc: ActionForbiddenError) -> JSONResponse:
        return problem_response(403, "forbidden", "Forbidden", str(exc), request)

    @app.exception_handler(PlanningError)
    def _refused(request: Request, exc: PlanningError) -> JSONResponse:
        return problem_response(
            409,
            "rule-refused",
            "Refused by a rule of the plan",
            str(exc),
            request,
            rule=type(exc).__name__,
        )

    @app.exception_handler(PreconditionFailedError)
    def _stale(request: Request, exc: PreconditionFailedError) -> JSONResponse:
        return problem_response(
            412,
            "stale-version",
            "Precondition failed",
            str(exc),
            request,
            headers={"ETag": f'"{exc.current_version}"'},
        )

    @app.exception_handler(ConcurrentUpdateError)
    def _conflict(request: Request, exc: ConcurrentUpdateError) -> JSONResponse:
        # Nothing was written and no rule refused it: other writers kept winning the
        # plan's next version. 409 is for refusals by the domain; this is "busy".
        return problem_response(
            503,
            "concurrent-update",
            "Too many writers at once",
            "Other changes to this plan kept arriving first; nothing was saved. Send it again.",
            request,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(IdempotencyKeyReusedError)
    def _key_reused(request: Request, exc: IdempotencyKeyReusedError) -> JSONResponse:
        return problem_response(
            422, "idempotency-key-reused", "Idempotency key reused", str(exc), request
        )

    @app.exception_handler(DataError)
    def _unstorable(request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the request gave (e.g. a NUL character in a
        # query parameter): malformed input, not a fault of ours.
        return problem_response(
            422,
            "invalid-input",
            "Invalid input",
            "The request holds a value that cannot be stored or searched for.",
            request,
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(StoreBusyError)
    def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # The database is down, restarting, or every pooled connection is busy.
        log.warning("store unavailable", extra={"error_type": type(exc).__name__})
        return problem_response(
            503,
            "unavailable",
            "Service unavailable",
            "The plan store is busy or unavailable; try again shortly.",
            request,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(RendererBusyError)
    def _renderer_busy(request: Request, exc: RendererBusyError) -> JSONResponse:
        return problem_response(
            503,
            "unavailable",
            "Service unavailable",
            "Other documents are being prepared; try again shortly.",
            request,
            headers={"Retry-After": str(exc.retry_after_seconds)},
        )

    @app.exception_handler(Exception)
    def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The type only: an exception's message may hold personal data.
        log.error(
            "unhandled error",
            extra={
                "error_type": type(exc).__name__,
                "request_id": getattr(request.state, "request_id", None),
            },
        )
        return problem_response(
            500,
            "internal-error",
            "Internal error",
            "Something went wrong on our side; the request id identifies it in our logs.",
            request,
        )
