"""`planledger retention run`: statutory destruction of plans past their retention."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from application.retention import FutureRunError, NothingToShredError, run_retention
from interfaces.cli.common import console, err, friendly_errors
from interfaces.cli.evidence import open_evidence

retention = typer.Typer(no_args_is_help=True, help="Retention schedule and statutory destruction.")


@retention.command("run")
@friendly_errors
def run(
    today: Annotated[
        str | None, typer.Option("--today", help="Judge retention as of DATE (YYYY-MM-DD)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be destroyed; change nothing")
    ] = False,
) -> None:
    """Destroy the personal data of plans whose retention has ended (crypto-shredding)."""
    as_of = date.fromisoformat(today) if today else None
    with open_evidence() as (planning, settings):
        try:
            with console.status("Checking closed plans..."):
                decisions = run_retention(
                    planning, settings.retention_policy(), as_of=as_of, dry_run=dry_run
                )
        except (NothingToShredError, FutureRunError) as e:
            err.print(f"[red]refused:[/red] {e}", highlight=False)
            raise typer.Exit(1) from None
    table = Table("plan", "type", "closed", "retention ended", "outcome")
    for d in decisions:
        table.add_row(
            str(d.plan_id),
            d.plan_type,
            str(d.closed_on),
            str(d.retention_ends_on),
            d.outcome.value + (f": {d.note}" if d.note else ""),
        )
    if decisions:
        console.print(table)
    console.print(f"{len(decisions)} plan(s) {'would be ' if dry_run else ''}acted on.")
