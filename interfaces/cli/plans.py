"""Commands on plans: load the demo, show a plan, make a key."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import typer

from interfaces.bootstrap import opened
from interfaces.cli.common import console, friendly_errors


@friendly_errors
def demo() -> None:
    """Load the demo plan (the seeds' Year 5 pupil) into the configured store."""
    from interfaces.demo import load_demo

    with opened() as planning:
        plan_id = load_demo(planning)
    console.print(f"Demo plan loaded: [bold]{plan_id}[/bold]")
    console.print(f"See it with: planledger show {plan_id}")


@friendly_errors
def show(
    plan_id: Annotated[UUID, typer.Argument(help="The plan's id")],
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", help="Show the plan as it stood at this instant (ISO 8601)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print a plan, now or as it stood at an instant."""
    from interfaces.plan_text import plan_as_dict, print_plan

    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.astimezone()
    with opened() as planning:
        plan = planning.get_plan(plan_id, as_of=as_of)
        if as_json:
            console.print_json(data=plan_as_dict(plan, planning.stages))
        else:
            print_plan(console, plan, planning.stages)


def keygen() -> None:
    """Print a new master key for PLANLEDGER_ENCRYPTION_KEY."""
    from application.persistence.keys import new_master_key

    print(new_master_key())
