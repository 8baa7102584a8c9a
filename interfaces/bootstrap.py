"""The composition root: what a process runs on is built here, from its Settings, and
handed to what uses it: the HTTP app (`create_app`) and each command of the CLI.

Each part is given what it needs when it is made; nothing is set on it afterwards, and
nothing is made on first use:

    Settings ─┬─ for each store (the one, or each authority's: application/tenancy.py)
              │    stages ─┬─ SharedCopyRenderer ─┐
              │ PdfSigner ─┤                      ├─ Planning ─ ReadModels ─┐
              │            │   CheckpointSigner ──┘                         ├ = Tenant
              │            └─ (signs the bundles issued) ───────────────────┘
              ├─ TokenVerifier (the HTTP app's)
              └─ Projector, or Projectors (`planledger project`)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from application.authority import load_stages
from application.config import ConfigurationError
from application.planning import Planning
from interfaces.documents.plan_copy import SharedCopyRenderer
from interfaces.documents.signing import PdfSigner
from interfaces.evidence_settings import EvidenceSettings
from interfaces.http.auth import TokenVerifier
from interfaces.settings import Settings
from interfaces.tenancy import Tenant, Tenants, each_store
from projections.engine.reading import ReadModels
from projections.engine.runtime import POLL_SECONDS, Projector, Projectors

log = logging.getLogger("planledger.bootstrap")


def application(settings: Settings) -> Planning:
    """Planning on the store `settings` names, with the renderer of the copies it shares
    (signed by the authority, when configured) and the signer of its checkpoints, all
    from the same settings (for an authority: its own stages and keys)."""
    return _signed_application(settings)[0]


def _signed_application(settings: Settings) -> tuple[Planning, PdfSigner | None]:
    check_sealed(settings)
    evidence = EvidenceSettings.of(settings)
    stages = load_stages(settings.stages_file)
    pdf_signer = evidence.pdf_signer(stages.authority)
    planning = Planning(
        env=settings.planning_env(),
        stages=stages,
        shared_copy=SharedCopyRenderer(stages, pdf_signer),
        checkpoint_signer=evidence.checkpoint_signer(),
    )
    return planning, pdf_signer


def check_sealed(settings: Settings) -> None:
    """A store beyond the embedded default holds real children's data: it starts only
    with a master key (personal data sealed at rest, and destroyable), or with an explicit
    opt-out that is logged at every start."""
    if settings.is_embedded or settings.master_key() is not None:
        return
    if not settings.allow_plaintext_store:
        msg = (
            "PLANLEDGER_ENCRYPTION_KEY is not set: personal data would be stored in "
            "clear. Set it (`planledger keygen`), or PLANLEDGER_ALLOW_PLAINTEXT_STORE=true "
            "for development only."
        )
        raise ConfigurationError(msg)
    log.warning(
        "personal data is stored unsealed (PLANLEDGER_ALLOW_PLAINTEXT_STORE): development only"
    )


@contextmanager
def opened(settings: Settings | None = None) -> Iterator[Planning]:
    """A command's application on the store the settings name (with tenants configured,
    still that one: the commands that work per authority say so), closed afterwards."""
    planning = application(settings or Settings())
    try:
        yield planning
    finally:
        planning.close()


@dataclass(frozen=True)
class Services:
    """What the HTTP app runs on, built by `bootstrap`."""

    settings: Settings
    verifier: TokenVerifier
    store: Tenant | None
    """The one store, when no tenants are configured."""
    tenants: Tenants | None
    """Each authority's store, with PLANLEDGER_TENANTS; `store` is then None, so that
    nothing can read a store without choosing a tenant."""
    owned: tuple[Planning, ...] = field(default=(), repr=False)
    """The applications built by `bootstrap`, which `close` closes (not one given to it)."""

    @property
    def planning(self) -> Planning | None:
        return self.store.planning if self.store is not None else None

    def close(self) -> None:
        for planning in self.owned:
            planning.close()


def bootstrap(
    settings: Settings | None = None,
    *,
    planning: Planning | None = None,
    verifier: TokenVerifier | None = None,
) -> Services:
    """Everything the HTTP app needs. `planning`: the one store's application, made by
    the caller and left open (tests); with tenants each authority's is made here."""
    settings = settings or Settings()
    verifier = verifier or TokenVerifier(settings)
    built: list[Planning] = []
    try:
        if settings.tenant_specs is not None:
            tenants = Tenants(
                _tenant(authority, store_settings, built)
                for authority, store_settings in each_store(settings)
            )
            return Services(settings, verifier, None, tenants, tuple(built))
        store = _tenant(None, settings, built, planning)
        return Services(settings, verifier, store, None, tuple(built))
    except BaseException:
        for made in built:
            made.close()
        raise


def _tenant(
    authority: str | None,
    settings: Settings,
    built: list[Planning],
    planning: Planning | None = None,
) -> Tenant:
    if planning is None:
        planning, pdf_signer = _signed_application(settings)
        built.append(planning)
    else:
        pdf_signer = EvidenceSettings.of(settings).pdf_signer(planning.stages.authority)
    if pdf_signer is None:
        # Said once when the service starts (not by every command): PDFs as before.
        log.info(
            "copies and bundles are given out unsigned: set PLANLEDGER_PDF_SIGNING_KEY_FILE "
            "and PLANLEDGER_PDF_CERTIFICATE_FILE to sign them"
        )
    # Each read waits, up to PLANLEDGER_READ_WAIT_SECONDS, for the read model to include
    # every write made before it.
    read_models = ReadModels(planning, timeout=settings.read_wait_seconds)
    return Tenant(authority, settings, planning, read_models, pdf_signer)


def projector(
    settings: Settings,
    authorities: Iterable[str] = (),
    *,
    poll_seconds: float = POLL_SECONDS,
    heartbeat: Path | None = None,
) -> Projector | Projectors:
    """What keeps the read models up to date: a projector on the one store, or one per
    authority (every one, or those asked for), each on its store, run together."""
    stores = each_store(settings, authorities)
    if stores[0][0] is None:
        return Projector(
            stores[0][1].planning_env(), poll_seconds=poll_seconds, heartbeat=heartbeat
        )
    return Projectors(
        [Projector(store.planning_env(), poll_seconds=poll_seconds) for _, store in stores],
        poll_seconds=poll_seconds,
        heartbeat=heartbeat,
    )
