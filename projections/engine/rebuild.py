"""Rebuild one read model from the event store while readers go on using the old one.

The new version gets tables of its own (`<model>_v<N+1>...`) and is filled from the
start of the log in batches. Readers and the projector stay on version N meanwhile.
Once version N+1 has caught up with the log, the pointer in `read_model_versions` is
switched in one UPDATE (only if it still points at N); readers use N+1 from their next
read, and the projector moves its runner across within a poll. Version N is kept until
the next rebuild, older versions are dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Tracking

from application.planning import Planning
from projections.engine.catalogue import model
from projections.engine.catch_up import catch_up
from projections.engine.parallel import fill_in_parallel
from projections.engine.runtime import projector_env
from projections.engine.store import Store, datastore_of
from projections.engine.versions import versions_for

Progress = Callable[[int, int], None]
"""progress(position, head): called as batches are applied."""


class RebuildRaceError(RuntimeError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Another rebuild of {name} switched readers first; this one is unused.")


@dataclass(frozen=True)
class Rebuilt:
    name: str
    old_version: int
    new_version: int
    events: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def rebuild(
    env: Mapping[str, str],
    name: str,
    *,
    progress: Progress | None = None,
    batch_size: int = 2000,
    parts: int = 1,
) -> Rebuilt:
    """Build a new version of the read model and switch readers to it. With parts > 1
    (PostgreSQL only) the log is first folded by that many processes, see parallel.py;
    what remains, and everything on SQLite, goes through the catch-up loop. On the shared
    2-core machine it was measured on, one process was faster (bench/projections.py)."""
    read_model = model(name)
    app = Planning(env=projector_env(env))
    try:
        datastore = datastore_of(app)
        versions = versions_for(datastore)
        old, new = versions.active(name), versions.allocate(name)
        view = read_model.open_view(datastore, new)
        try:
            applied, seconds = _fill(env, app, view, name, new, progress, batch_size, parts)
        except BaseException:
            view.drop()  # never used by anyone: a failed rebuild leaves nothing behind
            raise
        if not versions.switch(name, from_version=old, to_version=new):
            view.drop()
            raise RebuildRaceError(name)
        if old > 1:  # earlier ones went at earlier rebuilds
            read_model.open_view(datastore, old - 1).drop()
        return Rebuilt(name, old, new, applied, seconds)
    finally:
        app.close()


def _fill(
    env: Mapping[str, str],
    app: Planning,
    view: Any,
    name: str,
    version: int,
    progress: Progress | None,
    batch_size: int,
    parts: int,
) -> tuple[int, float]:
    started, applied = time.monotonic(), 0
    head = app.recorder.max_notification_id() or 0
    if parts > 1 and view.store is Store.POSTGRES and head:
        applied = fill_in_parallel(
            projector_env(env),
            name,
            version,
            head,
            parts,
            batch_size,
            progress=(lambda n: progress(n, head)) if progress else None,
        )
        view.record_position(Tracking(app.name, head))

    def counted(count: int, position: int) -> None:
        nonlocal applied, head
        applied += count
        head = max(head, position)
        if progress is not None:
            progress(position, head)

    catch_up(app, view, batch_size=batch_size, progress=counted)
    catch_up(app, view, batch_size=batch_size, progress=counted)  # what came meanwhile
    return applied, time.monotonic() - started
