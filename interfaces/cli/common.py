"""What every command shares: the consoles, and turning failures into messages. What a
command runs on is built by interfaces/bootstrap.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from application.config import ConfigurationError
from application.errors import ApplicationError
from domain.errors import PlanningError

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
