"""Cookies and forms: the session cookie, the CSRF check, and the secret that signs them.

The session cookie holds a token that the API would accept as a bearer token, and it is
verified on every request with the same verifier as the API (app.state.verifier), so the
pages and the API can never disagree about who is calling.

CSRF: a signed double-submit token. A random nonce lives in its own HttpOnly cookie; each
form carries the nonce and a digest of the session cookie, signed with the web secret. A
form is accepted only if its token is genuine, fresh, matches the nonce cookie and was
issued for the session that submits it, so a token lifted from another browser, or a
cookie planted by a sibling site, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from urllib.parse import urlsplit

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from interfaces.settings import Settings

log = logging.getLogger("planledger.web")

SESSION_COOKIE = "planledger_session"
CSRF_COOKIE = "planledger_csrf"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE = 12 * 3600  # a form left open over a working day still submits
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def signing_secret(settings: Settings) -> str:
    """The web secret; else one derived from the HS256 secret (so tests and one-secret
    set-ups need nothing more); else a per-process secret, which only suits one worker."""
    if secret := settings.web_signing_secret():
        return secret
    if jwt_secret := settings.jwt_signing_secret():
        return hmac.new(jwt_secret.encode(), b"planledger web pages", hashlib.sha256).hexdigest()
    log.warning("no PLANLEDGER_WEB_SECRET: forms signed with a per-process secret")
    return secrets.token_urlsafe(48)


def cookie_secure(request: Request) -> bool:
    """Secure everywhere except plain http on this machine (development)."""
    return not (request.url.scheme == "http" and request.url.hostname in LOCAL_HOSTS)


def set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(
        name, path="/", httponly=True, samesite="lax", secure=cookie_secure(request)
    )


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def _session_binding(request: Request) -> str:
    # The session a form was issued for. Set by a sign-in within this request, so the
    # page rendered after it carries tokens for the new session.
    token = getattr(request.state, "new_session", None) or session_token(request) or ""
    return hashlib.sha256(token.encode()).hexdigest()[:32] if token else ""


class Csrf:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="planledger-csrf")

    def _nonce(self, request: Request) -> str:
        nonce = getattr(request.state, "csrf_nonce", None) or request.cookies.get(CSRF_COOKIE)
        if not nonce:
            nonce = secrets.token_urlsafe(24)
            request.state.csrf_nonce_is_new = True
        request.state.csrf_nonce = nonce
        return nonce

    def token(self, request: Request) -> str:
        """The token for a form on the page being rendered."""
        return self._serializer.dumps({"n": self._nonce(request), "s": _session_binding(request)})

    def persist(self, request: Request, response: Response) -> None:
        """Set the nonce cookie if this page made a new nonce for its forms."""
        if getattr(request.state, "csrf_nonce_is_new", False):
            set_cookie(response, request, CSRF_COOKIE, request.state.csrf_nonce, None)

    def check(self, request: Request, submitted: str | None) -> str | None:
        """None if the form's token is good; otherwise why not, in plain words."""
        cookie = request.cookies.get(CSRF_COOKIE)
        if not submitted or not cookie:
            return "The form arrived without its security token."
        try:
            payload = self._serializer.loads(submitted, max_age=CSRF_MAX_AGE)
        except SignatureExpired:
            return "The form was open too long and has expired."
        except BadSignature:
            return "The form's security token is not genuine."
        if not isinstance(payload, dict):
            return "The form's security token is not genuine."
        if not hmac.compare_digest(str(payload.get("n", "")), cookie):
            return "The form's security token belongs to another browser."
        if not hmac.compare_digest(str(payload.get("s", "")), _session_binding(request)):
            return "The form was issued before you signed in or out."
        return None


def local_path(target: str | None, default: str = "/plans") -> str:
    """A redirect target on this site only: refuses other hosts and scheme-relative URLs."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
