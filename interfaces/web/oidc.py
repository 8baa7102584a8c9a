"""Sign-in with OpenID Connect: the authorisation-code flow with PKCE, state and nonce.

The browser is sent to the issuer's authorisation endpoint; the issuer sends it back to
/sign-in/callback with a code, which is exchanged at the token endpoint (server to
server, with the client secret). The token kept in the session cookie is one the API's
verifier accepts (the issuer's signature, the configured audience, role and org claims).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

import httpx
import jwt
from itsdangerous import BadSignature, URLSafeTimedSerializer

from interfaces.http.auth import Caller, NotAuthenticatedError, TokenVerifier
from interfaces.settings import Settings

STATE_COOKIE = "planledger_oidc"
STATE_MAX_AGE = 600  # ten minutes to sign in at the issuer
STALE = "The sign-in took too long or was started elsewhere; try again."


class SignInFailed(Exception):
    """The flow could not complete; the message is safe to show."""


@dataclass(frozen=True)
class Pending:
    """What the callback must find again: kept in a signed, short-lived cookie."""

    state: str
    nonce: str
    verifier: str
    next_path: str


class OidcClient:
    def __init__(self, settings: Settings, secret: str) -> None:
        self.issuer = (settings.oidc_issuer or "").rstrip("/")
        self.client_id = settings.oidc_client_id
        self.client_secret = (
            settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
        )
        self.redirect_uri = settings.oidc_redirect_uri
        self.scopes = settings.oidc_scopes
        self._metadata: dict[str, Any] | None = None
        self._pending = URLSafeTimedSerializer(secret, salt="planledger-oidc-state")

    @property
    def enabled(self) -> bool:
        return bool(self.issuer and self.client_id)

    def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            try:
                answer = httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=5.0)
                answer.raise_for_status()
                metadata = answer.json()
            except (httpx.HTTPError, ValueError):
                raise SignInFailed("The sign-in service could not be reached.") from None
            if str(metadata.get("issuer", "")).rstrip("/") != self.issuer:
                raise SignInFailed("The sign-in service described itself as another issuer.")
            self._metadata = metadata
        return self._metadata

    def start(self, redirect_uri: str, next_path: str) -> tuple[str, str]:
        """The issuer's URL to send the browser to, and the signed cookie to set."""
        pending = Pending(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            verifier=secrets.token_urlsafe(48),
            next_path=next_path,
        )
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(pending.verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri or redirect_uri,
                "scope": self.scopes,
                "state": pending.state,
                "nonce": pending.nonce,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        cookie = self._pending.dumps(pending.__dict__)
        return f"{self.metadata()['authorization_endpoint']}?{query}", cookie

    def pending(self, cookie: str | None, state: str | None) -> Pending:
        if not cookie or not state:
            raise SignInFailed(STALE)
        try:
            found = Pending(**self._pending.loads(cookie, max_age=STATE_MAX_AGE))
        except (BadSignature, TypeError):
            raise SignInFailed(STALE) from None
        if not hmac.compare_digest(found.state, state):
            raise SignInFailed("The sign-in answer does not belong to this browser; try again.")
        return found

    def finish(
        self, code: str, pending: Pending, redirect_uri: str, verifier: TokenVerifier
    ) -> tuple[str, Caller]:
        """Exchange the code; answer the token to keep and who it says is calling."""
        tokens = self._exchange(code, pending, self.redirect_uri or redirect_uri)
        id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
        refusals: list[str] = []
        if isinstance(id_token, str):
            try:
                caller = verifier.verify(id_token)
            except NotAuthenticatedError as e:
                refusals.append(str(e))
            else:
                # The signature was checked just now, so reading the claims is safe.
                nonce = jwt.decode(id_token, options={"verify_signature": False}).get("nonce")
                if not isinstance(nonce, str) or not hmac.compare_digest(nonce, pending.nonce):
                    raise SignInFailed("The sign-in answer was not issued for this sign-in.")
                return id_token, caller
        if isinstance(access_token, str):
            # Some issuers put the role and org claims in the access token only.
            try:
                return access_token, verifier.verify(access_token)
            except NotAuthenticatedError as e:
                refusals.append(str(e))
        if refusals:
            raise SignInFailed(f"Your sign-in was not accepted: {refusals[0]}")
        raise SignInFailed("The sign-in service sent no token.")

    def _exchange(self, code: str, pending: Pending, redirect_uri: str) -> dict[str, Any]:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": pending.verifier,
        }
        auth = None
        if self.client_secret:
            # client_secret_basic: both halves form-urlencoded first (RFC 6749 2.3.1).
            auth = (quote_plus(self.client_id or ""), quote_plus(self.client_secret))
        else:
            form["client_id"] = self.client_id or ""  # a public client
        try:
            answer = httpx.post(
                self.metadata()["token_endpoint"],
                data=form,
                auth=auth,
                timeout=10.0,
                headers={"Accept": "application/json"},
            )
        except httpx.HTTPError:
            raise SignInFailed("The sign-in service could not be reached.") from None
        if answer.status_code != 200:
            raise SignInFailed("The sign-in service refused to complete the sign-in.")
        try:
            tokens = answer.json()
        except ValueError:
            raise SignInFailed("The sign-in service answered in a form not understood.") from None
        if not isinstance(tokens, dict):
            raise SignInFailed("The sign-in service answered in a form not understood.")
        return tokens
