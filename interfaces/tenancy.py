"""Tenants at run time: one Planning application, one set of read models and (in
`planledger project`) one projector per local authority, each on its own store. They are
built by the composition root (interfaces/bootstrap.py).

The HTTP layer (interfaces/http/deps.py) and the web pages pick a tenant by the caller's
`authority` claim and never fall back to another one: a caller whose authority is not
served here gets 403 and no data from any tenant. Configuration: application/tenancy.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.config import ConfigurationError
from application.planning import Planning
from interfaces.settings import Settings

if TYPE_CHECKING:
    from interfaces.documents.signing import PdfSigner
    from projections.engine.reading import ReadModels


@dataclass(frozen=True)
class Tenant:
    """One store and what runs on it: an authority's (or, authority None, the one store's
    when no tenants are configured), with its own settings, application and read models."""

    authority: str | None
    settings: Settings
    planning: Planning
    read_models: ReadModels
    pdf_signer: PdfSigner | None = None
    """Signs the bundles it issues (its copies are signed by the renderer Planning holds)."""


class Tenants:
    """The tenants of one process, by authority id."""

    def __init__(self, tenants: Iterable[Tenant]) -> None:
        self._by_authority = {t.authority: t for t in tenants if t.authority is not None}

    def get(self, authority: str | None) -> Tenant | None:
        return self._by_authority.get(authority) if authority else None

    def __iter__(self) -> Iterator[Tenant]:
        return iter(self._by_authority.values())

    def __len__(self) -> int:
        return len(self._by_authority)

    @property
    def authorities(self) -> list[str]:
        return list(self._by_authority)


def each_store(
    settings: Settings, authorities: Iterable[str] = ()
) -> list[tuple[str | None, Settings]]:
    """(authority, its settings) for each store a command works on: the one store when no
    tenants are configured (authority None), else every tenant or the ones asked for."""
    specs = settings.tenant_specs
    wanted = list(authorities)
    if specs is None:
        if wanted:
            msg = "--authority needs PLANLEDGER_TENANTS (no tenants are configured)"
            raise ConfigurationError(msg)
        return [(None, settings)]
    unknown = [a for a in wanted if a not in specs]
    if unknown:
        msg = f"No tenant {', '.join(map(repr, unknown))}; there are: {', '.join(specs)}"
        raise ConfigurationError(msg)
    return [(a, settings.for_authority(a)) for a in (wanted or list(specs))]
