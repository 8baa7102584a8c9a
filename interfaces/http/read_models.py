"""What the read-model endpoints share: the read models beside the application, whose
plans a caller may list, and read models' errors as problems."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Lock
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from interfaces.http.deps import planning_of, tenant_of
from interfaces.http.problems import Problem, unavailable
from projections.consistency import ReadModelBehindError
from projections.paging import InvalidCursorError
from projections.reading import ReadModels

T = TypeVar("T")

_lock = Lock()


def get_read_models(request: Request) -> ReadModels:
    """One ReadModels per application, made on first use (the app factory knows nothing
    of read models). Each read waits, up to PLANLEDGER_READ_WAIT_SECONDS, for the read
    model to include every write made before it."""
    state = request.app.state
    if state.tenants is not None:  # each authority's own, in its own store
        return tenant_of(request).read_models(state.settings.read_wait_seconds)
    planning = planning_of(request)
    with _lock:
        read_models = getattr(state, "read_models", None)
        if read_models is None or read_models.planning is not planning:
            settings = getattr(state, "settings", None)
            timeout = settings.read_wait_seconds if settings is not None else 5.0
            projector = getattr(state, "projector", None)
            read_models = ReadModels(planning, timeout=timeout,
                                     nudge=projector.nudge if projector else None)
            state.read_models = read_models
    return read_models


ReadModelsDep = Annotated[ReadModels, Depends(get_read_models)]


@contextmanager
def read_model_problems() -> Iterator[None]:
    """A read model still catching up is a 503 with Retry-After; a bad cursor a 422."""
    try:
        yield
    except ReadModelBehindError as e:
        raise unavailable("The lists are catching up with recent changes; try again shortly.",
                          retry_after=e.retry_after_seconds) from None
    except InvalidCursorError as e:
        raise Problem(422, "invalid-input", "Invalid input", str(e)) from None


def answered(read: Callable[[], T]) -> T:
    with read_model_problems():
        return read()
