"""Planledger's settings, all from PLANLEDGER_* environment variables."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from application.config import DEFAULT_DATABASE_URL, ConfigurationError, persistence_env
from application.persistence.keys import new_master_key
from application.planning import ENCRYPTION_KEY, STAGES_FILE
from application.tenancy import TenantSpec, parse_tenants


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANLEDGER_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    pool_size: int = 10
    max_overflow: int = 10
    encryption_key: SecretStr | None = None
    encryption_key_file: Path | None = None
    stages_file: Path | None = None

    # Authentication: HS256 with a shared secret (development, tests), or an OIDC
    # issuer's keys (production: RS256/ES256 verified against its JWKS).
    jwt_secret: SecretStr | None = None
    jwt_secret_file: Path | None = None
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    allow_plaintext_store: bool = False
    """Keep personal data unsealed on a store other than the embedded default (development
    only: without a master key, names and dates of birth are stored in clear and
    crypto-shredding cannot destroy them)."""
    allow_development_tokens: bool = False
    """With an OIDC issuer, also accept HS256 tokens signed with the shared secret (for a
    staging set-up only: whoever holds the secret can mint any user)."""

    # Web pages (interfaces/web). Sign-in with OIDC's authorisation-code flow needs the
    # issuer above plus this client; the demo sign-in (pick a demo user) is on by default
    # only on the embedded store with no OIDC client, and must never be on in production.
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_redirect_uri: str | None = None  # default: <this site>/sign-in/callback
    oidc_scopes: str = "openid profile email"
    web_demo_signin: bool | None = None
    web_secret: SecretStr | None = None  # signs CSRF and sign-in state; /_FILE alike
    web_secret_file: Path | None = None

    # Mail (interfaces/mail.py, projections/outbox): off unless an SMTP server is named.
    smtp_url: SecretStr | None = None
    """e.g. smtp://user:password@mail.example.gov.uk:587 (STARTTLS), smtps://...:465"""
    mail_from: str = "Planledger <planledger@localhost>"
    public_url: str | None = None
    """Where links in messages point (default: http://<host>:<port>)."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 1_048_576
    read_wait_seconds: float = 5.0

    # Tenancy (application/tenancy.py): authority id -> its own store. Unset, every plan is
    # in database_url, as before. Set, each request goes to its caller's authority's store
    # and database_url serves only the commands that are not run per authority.
    tenants: dict[str, Any] | str | None = None

    @field_validator("smtp_url", "public_url", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: Any) -> Any:
        # docker-compose passes an unset variable as "": that is "no mail server".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("tenants")
    @classmethod
    def _checked_tenants(cls, value: dict[str, Any] | str | None) -> dict[str, TenantSpec] | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise ConfigurationError("PLANLEDGER_TENANTS is not valid JSON") from None
        return parse_tenants(value)  # type: ignore[arg-type]

    @property
    def tenant_specs(self) -> dict[str, TenantSpec] | None:
        return self.tenants  # type: ignore[return-value]  # checked by _checked_tenants

    def for_authority(self, authority: str) -> Settings:
        """One authority's settings: its store, its stages, its key if it has its own."""
        specs = self.tenant_specs or {}
        spec = specs[authority]
        update: dict[str, Any] = {"database_url": spec.database_url, "tenants": None}
        if spec.stages_file is not None:
            update["stages_file"] = spec.stages_file
        if spec.encryption_key_file is not None:
            update |= {"encryption_key": None, "encryption_key_file": spec.encryption_key_file}
        return self.model_copy(update=update)

    @property
    def is_embedded(self) -> bool:
        # The embedded default is the unconfigured development set-up; tenants are never it
        # (no secrets made beside an unused database, no demo sign-in by default).
        return urlparse(self.database_url).scheme == "sqlite" and self.tenants is None

    def master_key(self) -> str | None:
        """The master key; on the embedded default one is made beside the database, so
        personal data is sealed at rest from the first run."""
        if self.encryption_key is not None:
            return self.encryption_key.get_secret_value()
        path = self.encryption_key_file or self._beside_database(".key")
        if path is None:
            return None
        _create_secret_file(path, new_master_key, self.is_embedded)
        return path.read_text().strip()

    def _beside_database(self, suffix: str) -> Path | None:
        if not self.is_embedded:
            return None
        db_path = Path(urlparse(self.database_url).path.removeprefix("/"))
        return None if db_path.name == ":memory:" else db_path.with_suffix(suffix)

    def jwt_signing_secret(self) -> str | None:
        """The HS256 secret; on the embedded default one is made beside the database, so
        `planledger token` and `planledger serve` agree without any set-up."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        path = self.jwt_secret_file or self._beside_database(".jwt-secret")
        if path is None:
            return None
        _create_secret_file(path, lambda: secrets.token_urlsafe(48), self.is_embedded)
        return path.read_text().strip() if path.exists() else None

    def demo_signin_enabled(self) -> bool:
        if self.web_demo_signin is not None:
            return self.web_demo_signin
        # Demo sign-in makes anyone any role: by default only for the embedded store,
        # without an identity provider, listening on this machine alone.
        loopback = self.host in ("127.0.0.1", "localhost", "::1")
        return self.is_embedded and not self.oidc_client_id and loopback

    def web_signing_secret(self) -> str | None:
        """The secret behind the pages' CSRF tokens and sign-in state; on the embedded
        default one is made beside the database, like the JWT secret."""
        if self.web_secret is not None:
            return self.web_secret.get_secret_value()
        path = self.web_secret_file or self._beside_database(".web-secret")
        if path is None:
            return None
        _create_secret_file(path, lambda: secrets.token_urlsafe(48), self.is_embedded)
        return path.read_text().strip() if path.exists() else None

    def planning_env(self) -> dict[str, str]:
        env = persistence_env(
            self.database_url, pool_size=self.pool_size, max_overflow=self.max_overflow
        )
        if key := self.master_key():
            env[ENCRYPTION_KEY] = key
        if self.stages_file:
            env[STAGES_FILE] = str(self.stages_file)
        return env


def _create_secret_file(path: Path, make: Callable[[], str], allowed: bool) -> None:
    """Create a secret file readable by its owner only, once (embedded default only)."""
    if path.exists() or not allowed:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first
    with os.fdopen(fd, "w") as f:
        f.write(make())
