"""What the read-model endpoints share: the read models beside the application, whose
plans a caller may list, and read models' errors as problems."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from interfaces.http.deps import tenant_of
from interfaces.http.problems import Problem, unavailable
from projections.engine.consistency import ReadModelBehindError
from projections.engine.paging import InvalidCursorError
from projections.engine.reading import ReadModels

T = TypeVar("T")


def get_read_models(request: Request) -> ReadModels:
    """The read models of the store the request works on (the one, or the caller's
    authority's), built with the application (interfaces/bootstrap.py)."""
    services = request.app.state.services
    if services.tenants is not None:  # each authority's own, in its own store
        return tenant_of(request).read_models
    return services.store.read_models


ReadModelsDep = Annotated[ReadModels, Depends(get_read_models)]


@contextmanager
def read_model_problems() -> Iterator[None]:
    """A read model still catching up is a 503 with Retry-After; a bad cursor a 422."""
    try:
        yield
    except ReadModelBehindError as e:
        raise unavailable(
            "The lists are catching up with recent changes; try again shortly.",
            retry_after=e.retry_after_seconds,
        ) from None
    except InvalidCursorError as e:
        raise Problem(422, "invalid-input", "Invalid input", str(e)) from None


def answered(read: Callable[[], T]) -> T:
    with read_model_problems():
        return read()
