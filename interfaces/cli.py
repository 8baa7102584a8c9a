"""The `planledger` command line. Errors become a message and an exit status, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import wraps
from typing import Annotated, Any, TypeVar
from uuid import UUID

import typer
from pydantic import ValidationError
from rich.console import Console

from application.config import ConfigurationError
from application.errors import ApplicationError
from application.planning import Planning
from domain.errors import PlanningError
from interfaces.settings import Settings

app = typer.Typer(
    name="planledger", no_args_is_help=True, add_completion=False,
    help="Planledger: support plans for children and young people, as attributed events.",
)
console = Console()
err = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Turn known failures into a one-line message and exit status 1 (2 for bad setup)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (PlanningError, ApplicationError) as e:
            err.print(f"[red]refused:[/red] {e}")
            raise typer.Exit(1) from None
        except (ConfigurationError, ValidationError, OSError) as e:
            err.print(f"[red]error:[/red] {e}")
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def open_planning(settings: Settings | None = None) -> Iterator[Planning]:
    settings = settings or Settings()
    planning = Planning(env=settings.planning_env())
    try:
        yield planning
    finally:
        planning.close()


@app.command()
@friendly_errors
def demo() -> None:
    """Load the demo plan (the seeds' Year 5 pupil) into the configured store."""
    from interfaces.demo import load_demo

    with open_planning() as planning:
        plan_id = load_demo(planning)
    console.print(f"Demo plan loaded: [bold]{plan_id}[/bold]")
    console.print(f"See it with: planledger show {plan_id}")


@app.command()
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
    with open_planning() as planning:
        plan = planning.get_plan(plan_id, as_of=as_of)
        if as_json:
            console.print_json(data=plan_as_dict(plan, planning.stages))
        else:
            print_plan(console, plan, planning.stages)


@app.command()
def keygen() -> None:
    """Print a new master key for PLANLEDGER_ENCRYPTION_KEY."""
    from application.persistence.keys import new_master_key

    print(new_master_key())


def main() -> None:
    app(prog_name="planledger")


if __name__ == "__main__":
    sys.exit(main())
