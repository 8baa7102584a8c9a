"""Tenancy: each local authority is its own data controller, so each is its own store.

PLANLEDGER_TENANTS maps an authority id to where its plans live, either a database URL or
an object with the URL and the authority's own settings:

    {"fife": "postgresql://planledger@db-east/fife?pool_size=4",
     "north-lanarkshire": {"database_url": "postgresql://...", "stages_file": "nl.toml",
                           "encryption_key_file": "/run/secrets/nl.key"}}

Nothing here opens a connection: this only reads and checks the configuration, so that a
mistake (two authorities sharing one store, an id that cannot be a token claim) stops the
service at start-up rather than mixing two controllers' records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from pydantic import BaseModel, ConfigDict, ValidationError

from application.config import ConfigurationError, persistence_env

AUTHORITY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
"""Lower case, digits, '-' and '_': the same spelling in the token claim, the URL of a
national report's breakdown and the command line."""


class TenantSpec(BaseModel):
    """One authority's store and the settings that are its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str
    stages_file: Path | None = None
    """Stages of staged intervention vary by authority (DOMAIN.md 1.6)."""
    encryption_key_file: Path | None = None
    """The authority's own master key; else PLANLEDGER_ENCRYPTION_KEY(_FILE) is used."""


def parse_tenants(raw: Mapping[str, Any]) -> dict[str, TenantSpec]:
    """Checked tenants by authority id. Raises ConfigurationError naming the problem (an
    authority id or a setting name, never a password from a URL)."""
    if not isinstance(raw, Mapping) or not raw:
        msg = "PLANLEDGER_TENANTS must be a JSON object of at least one authority"
        raise ConfigurationError(msg)
    tenants: dict[str, TenantSpec] = {}
    stores: dict[tuple[str, ...], str] = {}
    for authority, value in raw.items():
        if not isinstance(authority, str) or not AUTHORITY_ID.match(authority):
            msg = (
                f"PLANLEDGER_TENANTS: authority id {authority!r} must be 1-64 of a-z, 0-9,"
                " '-' and '_', starting with a letter or digit"
            )
            raise ConfigurationError(msg)
        spec = _spec(authority, value)
        persistence_env(spec.database_url)  # an unsupported scheme fails here, by name
        store = store_identity(spec.database_url)
        if store in stores:
            msg = (
                f"PLANLEDGER_TENANTS: '{authority}' and '{stores[store]}' name the same store;"
                " each authority's plans must be kept apart"
            )
            raise ConfigurationError(msg)
        stores[store] = authority
        tenants[authority] = spec
    return tenants


def _spec(authority: str, value: Any) -> TenantSpec:
    try:
        if isinstance(value, str):
            return TenantSpec(database_url=value)
        return TenantSpec.model_validate(value)
    except ValidationError as e:
        fields = ", ".join(".".join(map(str, err["loc"])) or "value" for err in e.errors())
        msg = (
            f"PLANLEDGER_TENANTS: '{authority}' needs a database URL, or an object with"
            f" database_url (and optionally stages_file, encryption_key_file); bad: {fields}"
        )
        raise ConfigurationError(msg) from None


def store_identity(database_url: str) -> tuple[str, ...]:
    """What makes two URLs the same store: server, database and schema (not the user or
    the pool size, which two configurations of one store may differ in)."""
    url = urlparse(database_url)
    if url.scheme == "sqlite":
        return ("sqlite", unquote(url.path))
    query = {k: v[-1] for k, v in parse_qs(url.query).items()}
    return (
        "postgresql",
        (url.hostname or "127.0.0.1").lower(),
        str(url.port or 5432),
        unquote(url.path.removeprefix("/")) or "postgres",
        query.get("schema", "").strip() or "public",  # the library's default schema
    )
