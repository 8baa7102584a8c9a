"""Running the service, and minting development tokens for it."""

from __future__ import annotations

from typing import Annotated

import typer

from application.tenancy import AUTHORITY_ID
from domain.values import Role
from interfaces.cli.common import console, err, friendly_errors
from interfaces.settings import Settings
from interfaces.tenancy import each_store


@friendly_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (PostgreSQL only)")] = 1,
) -> None:
    """Run the HTTP API (and, on the embedded default, load the demo into an empty store)."""
    import uvicorn

    settings = Settings()
    host, port = host or settings.host, port or settings.port
    settings = settings.model_copy(update={"host": host, "port": port})
    stores = each_store(settings)  # the one store, or each authority's (PLANLEDGER_TENANTS)
    if workers > 1 and any(s.is_embedded for _, s in stores):
        err.print("error: several workers need PostgreSQL (PLANLEDGER_DATABASE_URL)")
        raise typer.Exit(2)
    from interfaces.bootstrap import check_sealed
    from interfaces.http.auth import TokenVerifier

    for _, store_settings in stores:
        check_sealed(store_settings)
    TokenVerifier(settings)  # a secret too short, or an issuer without an audience
    secret = settings.jwt_signing_secret()
    console.print(f"Planledger is answering on [bold]http://{host}:{port}[/bold]")
    hint = "  (pick a demo user to sign in)" if settings.demo_signin_enabled() else ""
    console.print(f"  Web pages: http://{host}:{port}/{hint}")
    console.print(f"  API documentation: http://{host}:{port}/docs")
    tenant = f" --authority {stores[0][0]}" if stores[0][0] else ""
    if stores[0][0]:
        console.print(f"  Authorities, each in its own store: {', '.join(map(str, dict(stores)))}")
    if secret:
        console.print(
            "  A token to try it: planledger token --sub u-fiona --name 'Fiona MacLeod' "
            f"--role lead_professional --org school:st-ninians-primary{tenant}"
        )
    if workers > 1:
        # Make the tables once, here: workers creating them at the same moment race on
        # PostgreSQL's catalogue, and the loser would stop the whole server.
        from interfaces.bootstrap import application

        for _, store_settings in stores:
            application(store_settings).close()
        uvicorn.run(
            "interfaces.http.main:app",
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            factory=False,
        )
        return
    from interfaces.http.app import create_app

    app = create_app(settings, load_demo_if_empty=settings.is_embedded)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@friendly_errors
def token(
    sub: Annotated[str, typer.Option(help="Stable user id")],
    name: Annotated[str, typer.Option(help="Display name, recorded on events")],
    role: Annotated[Role, typer.Option(help="The caller's role")],
    org: Annotated[str | None, typer.Option(help="Organisation id (families have none)")] = None,
    hours: Annotated[float, typer.Option(help="Hours until it expires")] = 8.0,
    manager: Annotated[bool, typer.Option(help="May see the org's review lists")] = False,
    authority: Annotated[
        str | None,
        typer.Option(
            help="The caller's local authority: with PLANLEDGER_TENANTS, whose store they use"
        ),
    ] = None,
    national: Annotated[
        bool, typer.Option(help="An analyst who may read reports summed over every authority")
    ] = False,
) -> None:
    """Print a development token signed with the configured secret."""
    from interfaces.http.auth import TOKEN_ROLES, issue_token

    if role not in TOKEN_ROLES:
        err.print(f"error: role '{role.value}' cannot be given to a person")
        raise typer.Exit(2)
    if authority is not None and not AUTHORITY_ID.match(authority):
        err.print(f"error: authority '{authority}' must be 1-64 of a-z, 0-9, '-' and '_'")
        raise typer.Exit(2)
    secret = Settings().jwt_signing_secret()
    if not secret:
        err.print(
            "error: set PLANLEDGER_JWT_SECRET (tokens from an OIDC issuer are not minted here)"
        )
        raise typer.Exit(2)
    print(
        issue_token(
            secret,
            sub=sub,
            name=name,
            role=role,
            org=org,
            ttl_seconds=int(hours * 3600),
            manager=manager,
            authority=authority,
            national=national,
        )
    )
