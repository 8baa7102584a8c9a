"""Tenants at run time: one Planning application, one set of read models and (in
`planledger project`) one projector per local authority, each on its own store.

The HTTP layer (interfaces/http/deps.py) and the web pages pick a tenant by the caller's
`authority` claim and never fall back to another one: a caller whose authority is not
served here gets 403 and no data from any tenant. Configuration: application/tenancy.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from threading import Lock
from typing import TYPE_CHECKING

from application.config import ConfigurationError
from application.planning import Planning
from interfaces.settings import Settings

if TYPE_CHECKING:
    from projections.reading import ReadModels


@dataclass
class Tenant:
    authority: str
    settings: Settings
    planning: Planning
    _read_models: ReadModels | None = field(default=None, repr=False)
    _lock: Lock = field(default_factory=Lock, repr=False)

    def read_models(self, timeout: float) -> ReadModels:
        """This authority's read models (in its own store), made on first use."""
        with self._lock:
            if self._read_models is None:
                from projections.reading import ReadModels

                self._read_models = ReadModels(self.planning, timeout=timeout)
            return self._read_models


class Tenants:
    """The tenants of one process, by authority id."""

    def __init__(self, tenants: Iterable[Tenant]) -> None:
        self._by_authority = {t.authority: t for t in tenants}

    @classmethod
    def open(cls, settings: Settings) -> Tenants:
        """A Planning application for each configured authority, on its own store (with
        its own pool, stages and keys). Evidence hooks are installed now, with each
        authority's own settings, so a copy shared through the API records its SHA-256."""
        from interfaces.evidence_settings import install_evidence

        opened: list[Tenant] = []
        try:
            for authority, tenant_settings in each_store(settings):
                planning = Planning(env=tenant_settings.planning_env())
                opened.append(Tenant(authority, tenant_settings, planning))  # type: ignore[arg-type]
                install_evidence(planning, tenant_settings)
        except BaseException:
            for tenant in opened:
                tenant.planning.close()
            raise
        return cls(opened)

    def get(self, authority: str | None) -> Tenant | None:
        return self._by_authority.get(authority) if authority else None

    def __iter__(self) -> Iterator[Tenant]:
        return iter(self._by_authority.values())

    def __len__(self) -> int:
        return len(self._by_authority)

    @property
    def authorities(self) -> list[str]:
        return list(self._by_authority)

    def close(self) -> None:
        for tenant in self:
            tenant.planning.close()


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
