"""Who is calling (a domain.access.Caller): bearer JWTs, HS256 with a shared secret or an
OIDC issuer's JWKS.

Algorithms are pinned per mode, so a token signed with 'none' or with the other mode's
algorithm is refused before its claims are read.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
from pydantic import ValidationError

from application.config import ConfigurationError
from domain.access import Caller
from domain.values import Role
from interfaces.settings import Settings

TOKEN_ROLES = (
    Role.LEAD_PROFESSIONAL,
    Role.PRACTITIONER,
    Role.PARENT_CARER,
    Role.YOUNG_PERSON,
    Role.REVIEWER,
    Role.ANALYST,
    Role.AUTHORITY_OFFICER,
)
HS_ALGORITHMS = ["HS256"]
MIN_SECRET_BYTES = 32
"""An HS256 key shorter than the hash it keys weakens it (RFC 7518 section 3.2)."""
OIDC_ALGORITHMS = ["RS256", "ES256"]


class NotAuthenticatedError(Exception):
    """No token, or a token that cannot be trusted. The message is safe to show."""


def caller_from_claims(claims: dict[str, Any]) -> Caller:
    claims = {"name": claims.get("sub"), **claims}
    try:
        caller = Caller.model_validate(claims)
    except ValidationError:
        raise NotAuthenticatedError("The token's claims are incomplete or invalid.") from None
    if caller.role not in TOKEN_ROLES:
        raise NotAuthenticatedError("The token's role is not one a person may hold.")
    return caller


class TokenVerifier:
    MAX_REMEMBERED = 10_000

    def __init__(self, settings: Settings) -> None:
        self._verified: dict[str, tuple[Caller, float]] = {}
        self.issuer = settings.oidc_issuer
        self.audience = settings.oidc_audience
        # With an identity provider, tokens come from it alone: a shared secret would let
        # whoever holds it mint any user in any role. Development tokens then need an
        # explicit opt-in.
        self.secret = (
            settings.jwt_signing_secret()
            if (not self.issuer or settings.allow_development_tokens)
            else None
        )
        self._jwks: jwt.PyJWKClient | None = None
        self._jwks_url = settings.oidc_jwks_url
        if self.secret and len(self.secret.encode()) < MIN_SECRET_BYTES:
            msg = (
                f"PLANLEDGER_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes "
                "(`openssl rand -base64 48` makes one)"
            )
            raise ConfigurationError(msg)
        if not self.secret and not self.issuer:
            msg = "Set PLANLEDGER_JWT_SECRET (development) or PLANLEDGER_OIDC_ISSUER (production)"
            raise ConfigurationError(msg)
        if self.issuer and not self.audience:
            msg = "PLANLEDGER_OIDC_AUDIENCE is required with PLANLEDGER_OIDC_ISSUER"
            raise ConfigurationError(msg)

    def remembered(self, token: str) -> Caller | None:
        """The caller for a token already verified and not yet expired (no I/O)."""
        # A token's verdict cannot change before it expires (the signature covers every
        # claim), and checking it again costs more than a read of a plan: remember it.
        known = self._verified.get(token)
        if known is not None and known[1] > time.time():
            return known[0]
        return None

    def verify(self, token: str) -> Caller:
        """May fetch the issuer's keys: call it off the event loop."""
        known = self.remembered(token)
        if known is not None:
            return known
        caller, expires = self._verify(token)
        if len(self._verified) >= self.MAX_REMEMBERED:
            self._verified.clear()
        self._verified[token] = (caller, expires)
        return caller

    def _verify(self, token: str) -> tuple[Caller, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise NotAuthenticatedError("The bearer token is malformed.") from None
        algorithm = header.get("alg")
        try:
            if self.issuer and algorithm in OIDC_ALGORITHMS:
                claims = self._verify_oidc(token)
            elif self.secret and algorithm in HS_ALGORITHMS:
                claims = jwt.decode(
                    token,
                    self.secret,
                    algorithms=HS_ALGORITHMS,
                    options={"require": ["exp", "sub"]},
                )
            else:
                raise NotAuthenticatedError("The token's signing algorithm is not accepted.")
        except jwt.ExpiredSignatureError:
            raise NotAuthenticatedError("The token has expired.") from None
        except jwt.PyJWTError:
            raise NotAuthenticatedError("The token's signature or claims are invalid.") from None
        return caller_from_claims(claims), float(claims["exp"])

    def _verify_oidc(self, token: str) -> dict[str, Any]:
        signing_key = self._jwks_client().get_signing_key_from_jwt(token)
        # The algorithm follows the key, never the token's header: a header naming ES256
        # over an RSA key's id would otherwise reach the EC verifier with an RSA key.
        algorithm = signing_key.algorithm_name
        if algorithm not in OIDC_ALGORITHMS:
            raise jwt.InvalidAlgorithmError("The identity provider's key is not accepted.")
        return jwt.decode(
            token,
            signing_key.key,
            algorithms=[algorithm],
            issuer=self.issuer,
            audience=self.audience,
            options={"require": ["exp", "sub", "iss"]},
        )

    def _jwks_client(self) -> jwt.PyJWKClient:
        if self._jwks is None:
            url = self._jwks_url or self._discover_jwks_url()
            # A token with an unknown key id refetches the key set at most once a minute,
            # so junk tokens cannot make us hammer the identity provider.
            self._jwks = jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, cooldown_duration=60)
        return self._jwks

    def _discover_jwks_url(self) -> str:
        import httpx

        assert self.issuer is not None
        try:
            config = httpx.get(
                self.issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=5.0
            ).json()
            return str(config["jwks_uri"])
        except (httpx.HTTPError, ValueError, KeyError):
            raise jwt.PyJWKClientError("The identity provider could not be reached.") from None


def issue_token(
    secret: str,
    *,
    sub: str,
    name: str,
    role: Role,
    org: str | None = None,
    ttl_seconds: int = 8 * 3600,
    manager: bool = False,
    authority: str | None = None,
    national: bool = False,
) -> str:
    """A development token signed with the shared secret (never used with OIDC)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub,
        "name": name,
        "role": role.value,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if org:
        claims["org"] = org
    if manager:
        claims["manager"] = True
    if authority:
        claims["authority"] = authority
    if national:
        claims["national"] = True
    return jwt.encode(claims, secret, algorithm="HS256")
