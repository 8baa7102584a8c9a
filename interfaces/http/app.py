"""The FastAPI application, built by a factory: nothing is constructed at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from application.planning import Planning
from interfaces.bootstrap import Services, bootstrap
from interfaces.http import problems
from interfaces.http.auth import TokenVerifier
from interfaces.http.logs import BodyTooLargeError, RequestContext, configure_logging
from interfaces.http.routers import (
    chronology,
    contributions,
    csp,
    disclosures,
    documents,
    ehcp,
    evidence,
    health,
    information_sharing,
    members,
    metrics,
    national_reports,
    outcomes,
    plans,
    provisions,
    read_models,
    reviews,
    sections,
    stages,
    targets,
)
from interfaces.settings import Settings
from interfaces.web import install as install_web_pages

ROUTERS = (
    health,
    metrics,
    stages,
    plans,
    members,
    outcomes,
    targets,
    provisions,
    reviews,
    csp,
    ehcp,
    sections,
    chronology,
    information_sharing,
    contributions,
    disclosures,
    documents,
    evidence,
    read_models,
)


def create_app(
    settings: Settings | None = None,
    *,
    services: Services | None = None,
    planning: Planning | None = None,
    load_demo_if_empty: bool = False,
) -> FastAPI:
    """The API and the pages on `services`, which stay the caller's to close. Without
    them, on services that interfaces/bootstrap.py builds from `settings` when the app
    starts (around `planning`, an application a test made, if given) and closes when it
    stops: one store, or with tenants in the settings, one per authority."""
    if services is not None:
        settings = services.settings
    settings = settings or Settings()
    # Made now, so that settings it refuses stop the app before it serves anything.
    verifier = services.verifier if services is not None else TokenVerifier(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        running = services or bootstrap(settings, planning=planning, verifier=verifier)
        try:
            _serve(app, running)
            if (
                load_demo_if_empty
                and running.planning is not None
                and running.planning.recorder.max_notification_id() is None
            ):
                from interfaces.demo import load_demo

                load_demo(running.planning)
            yield
        finally:
            if services is None:
                running.close()

    configure_logging()
    app = FastAPI(
        title="Planledger",
        version="0.1.0",
        summary="Support plans for children and young people with additional support needs, "
        "kept as attributed, append-only events.",
        lifespan=lifespan,
    )
    problems.install(app)

    @app.exception_handler(BodyTooLargeError)
    def _too_large(request, exc):
        return problems.problem_response(
            413,
            "too-large",
            "Request too large",
            "The request body is larger than this service accepts.",
            request,
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


def _serve(app: FastAPI, services: Services) -> None:
    """What the routes and pages read, from the services the app runs on. With tenants
    app.state.planning is None, so nothing can read a store without choosing a tenant."""
    app.state.services = services
    app.state.settings = services.settings
    app.state.verifier = services.verifier
    app.state.planning = services.planning
    app.state.tenants = services.tenants
