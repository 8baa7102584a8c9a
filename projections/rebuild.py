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

from application.planning import Planning
from projections.catalogue import model
from projections.catch_up import catch_up
from projections.runtime import projector_env
from projections.versions import versions_for

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
    env: Mapping[str, str], name: str, *, progress: Progress | None = None,
    batch_size: int = 2000,
) -> Rebuilt:
    read_model = model(name)
    app = Planning(env=projector_env(env))
    try:
        datastore = app.recorder.datastore
        versions = versions_for(datastore)
        old, new = versions.active(name), versions.allocate(name)
        view = read_model.open_view(datastore, new)
        started, applied = time.monotonic(), 0
        head = app.recorder.max_notification_id() or 0

        def counted(count: int, position: int) -> None:
            nonlocal applied, head
            applied += count
            head = max(head, position)
            if progress is not None:
                progress(position, head)

        catch_up(app, view, batch_size=batch_size, progress=counted)
        catch_up(app, view, batch_size=batch_size, progress=counted)  # what came meanwhile
        if not versions.switch(name, from_version=old, to_version=new):
            view.drop()
            raise RebuildRaceError(name)
        if old > 1:  # earlier ones went at earlier rebuilds
            read_model.open_view(datastore, old - 1).drop()
        return Rebuilt(name, old, new, applied, time.monotonic() - started)
    finally:
        app.close()
