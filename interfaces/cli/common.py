"""What every command shares: the consoles, settings, and turning failures into messages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from application.config import ConfigurationError
from application.errors import ApplicationError
from application.planning import Planning
from domain.errors import PlanningError
from interfaces.settings import Settings

console = Console()
err = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Known failures become one line on stderr and exit status 1 (2 for bad setup)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (PlanningError, ApplicationError) as e:
            err.print(f"[red]refused:[/red] {e}", highlight=False)
            raise typer.Exit(1) from None
        except (ConfigurationError, ValidationError, OSError) as e:
            err.print(f"[red]error:[/red] {e}", highlight=False)
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
