"""The catch-up loop: read the application's log from the view's position, in batches.

It feeds views where the library's ProjectionRunner cannot (SQLite has no subscriptions
in eventsourcing 9.5), brings a view up to date before a runner takes over, and rebuilds
views. Each batch is folded and tracked in one transaction (ReadModelView.apply).
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Event
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Tracking

from projections.views import ReadModelView, StaleBatchError

BATCH = 1000


def catch_up(
    app: Application[Any], view: ReadModelView, *, until: int | None = None,
    batch_size: int = BATCH, progress: Callable[[int, int], None] | None = None,
    stopping: Event | None = None,
) -> int:
    """Apply every event after the view's position (up to `until`, if given); returns the
    view's position afterwards. `progress(applied, position)` is called after each batch."""
    position = view.max_tracking_id(app.name) or 0
    while not (stopping and stopping.is_set()) and (until is None or position < until):
        notifications = app.recorder.select_notifications(
            start=position, limit=batch_size, stop=until, inclusive_of_start=False
        )
        if not notifications:
            break
        batch = [(app.mapper.to_domain_event(n), Tracking(app.name, n.id)) for n in notifications]
        try:
            view.apply(batch)
        except StaleBatchError as e:
            position = e.recorded  # another applier moved on: continue after it
            continue
        position = notifications[-1].id
        if progress is not None:
            progress(len(batch), position)
    return position
