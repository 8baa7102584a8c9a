"""Structured JSON logs, one line per request, with a request id and no personal data.

Only the route template, status, timing, role and request id are logged: never bodies,
query strings, names or user ids.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application.persistence.postgres import pool_queue_limit
from domain.documents import MAX_BYTES as MAX_DOCUMENT_BYTES

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_FIELDS = ("request_id", "method", "route", "status", "duration_ms", "role", "error_type")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for field in _FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        return json.dumps(entry)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("planledger")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    server_errors = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, TypeOnly) for f in server_errors.filters):
        server_errors.addFilter(TypeOnly())


class TypeOnly(logging.Filter):
    """Starlette re-raises an unhandled error after our handler has answered, and the
    server then logs its traceback and message, which may quote plan data. Keep the
    exception's type only; our own handler has logged it with the request id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            record.msg = f"unhandled error: {record.exc_info[0].__name__}"
            record.args, record.exc_info, record.exc_text = (), None, None
        return True


access_log = logging.getLogger("planledger.access")


POOL_QUEUE_SECONDS = 5.0
"""How long into a request it may still queue for a pooled connection (see
pool_queue_limit): past it the store is busy, and the caller gets 503 with Retry-After
rather than a longer wait. As long as a list read may wait for the read models (default
PLANLEDGER_READ_WAIT_SECONDS): with 3 s, bench/soak.py's list reads, whose catch-ups hold
connections, got 503 where they would have been answered within their wait."""


class RequestContext:
    """ASGI middleware: a request id for every request (echoed as X-Request-ID), a cap on
    body size (413 before the body is read), a limit on queueing for the store's pool, and
    one log line when the response ends."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, pool_queue_seconds: float = POOL_QUEUE_SECONDS
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.pool_queue_seconds = pool_queue_seconds

    def cap(self, scope: Scope) -> int:
        """The body size allowed: a document upload may carry a file up to the documents'
        limit, with room for the form around it; every other request the general cap."""
        if scope.get("method") == "POST" and _UPLOAD.match(scope.get("path", "")):
            return max(self.max_body_bytes, MAX_DOCUMENT_BYTES + 64 * 1024)
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        api = scope.get("path", "").startswith("/api/")

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # nosniff: a browser never guesses a type other than the one we declare
                # (a PDF or CSV taken for HTML); HSTS only where the site is on https.
                extra = [
                    (b"x-request-id", request_id.encode()),
                    (b"x-content-type-options", b"nosniff"),
                ]
                if scope.get("scheme") == "https":
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                names = {k.lower() for k, _ in message.get("headers", [])}
                if api and b"cache-control" not in names:
                    # Plans, histories and PDFs hold children's personal data: no shared
                    # or browser cache may keep a copy.
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        length = headers.get(b"content-length")
        cap = self.cap(scope)
        try:
            if length is not None and (
                not length.isdigit() or len(length) > 18 or int(length) > cap
            ):
                await _too_large(send_with_id, request_id)
            else:
                with pool_queue_limit(self.pool_queue_seconds):
                    await self.app(scope, _capped(receive, cap), send_with_id)
        finally:
            # Also after an unhandled error, which Starlette re-raises once answered.
            _log_request(scope, request_id, status, started)


def _log_request(scope: Scope, request_id: str, status: int, started: float) -> None:
    route = scope.get("route")
    access_log.info(
        "request",
        extra={
            "request_id": request_id,
            "method": scope["method"],
            "route": getattr(route, "path", "unmatched"),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "role": scope.get("state", {}).get("role"),
        },
    )


_UPLOAD = re.compile(r"^/(?:api/)?plans/[^/]+/documents$")


class BodyTooLargeError(Exception):
    pass


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLargeError
        return message

    return capped


async def _too_large(send: Any, request_id: str) -> None:
    body = json.dumps(
        {
            "type": "/problems/too-large",
            "title": "Request too large",
            "status": 413,
            "detail": "The request body is larger than this service accepts.",
            "request_id": request_id,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
