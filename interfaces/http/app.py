"""The FastAPI application, built by a factory: nothing is constructed at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from application.planning import Planning
from interfaces.http import problems
from interfaces.http.auth import TokenVerifier
from interfaces.http.logs import BodyTooLargeError, RequestContext, configure_logging
from interfaces.http.routers import (
    contributions, disclosures, evidence, health, members, national_reports, outcomes, plans,
    provisions, read_models, reviews, stages, targets,
)
from interfaces.settings import Settings
from interfaces.tenancy import Tenants
from interfaces.web import install as install_web_pages

ROUTERS = (
    health, stages, plans, members, outcomes, targets, provisions, reviews, contributions,
    disclosures, evidence, read_models,
)


def create_app(
    settings: Settings | None = None, *, planning: Planning | None = None,
    load_demo_if_empty: bool = False,
) -> FastAPI:
    """The API. Pass `planning` to share an application (tests); otherwise one is built
    from the settings when the app starts and closed when it stops. With tenants in the
    settings, one is built per authority instead (interfaces/tenancy.py)."""
    settings = settings or Settings()
    verifier = TokenVerifier(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.tenant_specs is not None:
            async with _tenants(app, settings, verifier):
                yield
            return
        owned = planning is None
        app.state.planning = planning or Planning(env=settings.planning_env())
        app.state.verifier = verifier
        app.state.settings = settings
        if load_demo_if_empty and app.state.planning.recorder.max_notification_id() is None:
            from interfaces.demo import load_demo

            load_demo(app.state.planning)
        try:
            yield
        finally:
            if owned:
                app.state.planning.close()

    configure_logging()
    app = FastAPI(
        title="Planledger",
        version="0.1.0",
        summary="Support plans for children and young people with additional support needs, "
        "kept as attributed, append-only events.",
        lifespan=lifespan,
    )
    app.state.tenants = None  # single store unless PLANLEDGER_TENANTS is set
    problems.install(app)

    @app.exception_handler(BodyTooLargeError)
    def _too_large(request, exc):  # noqa: ANN001, ANN202 - Starlette handler signature
        return problems.problem_response(
            413, "too-large", "Request too large",
            "The request body is larger than this service accepts.", request,
        )

    if settings.tenant_specs is not None:
        # Before the reports router, whose /api/reports/{name} would take "national".
        app.include_router(national_reports.router, responses=problems.RESPONSES)
    for module in ROUTERS:
        documented = None if module is health else problems.RESPONSES
        app.include_router(module.router, responses=documented)
    install_web_pages(app, settings)
    app.add_middleware(RequestContext, max_body_bytes=settings.max_body_bytes)
    return app


@asynccontextmanager
async def _tenants(
    app: FastAPI, settings: Settings, verifier: TokenVerifier
) -> AsyncIterator[None]:
    """Tenant mode: an application per authority, and none for all (app.state.planning
    is None, so nothing can read a store without choosing a tenant)."""
    app.state.tenants = Tenants.open(settings)
    app.state.planning = None
    app.state.verifier = verifier
    app.state.settings = settings
    try:
        yield
    finally:
        app.state.tenants.close()
