"""Read-your-writes for projection-backed reads.

Before answering, the HTTP layer notes the application's last notification id (every
write the caller could have made is at or before it) and waits until the read model has
processed it. If the projector is behind for longer than the timeout, the read fails
with ReadModelBehindError rather than answer with stale rows; the HTTP layer makes that
a 503 with Retry-After.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from eventsourcing.application import Application

from projections.engine.catch_up import catch_up
from projections.engine.views import ReadModelView

DEFAULT_TIMEOUT_SECONDS = 5.0


class ReadModelBehindError(Exception):
    """The read model had not caught up with the application within the timeout."""

    retry_after_seconds = 1

    def __init__(self, view: str, wanted: int, reached: int, waited: float) -> None:
        super().__init__(
            f"Read model {view} is at position {reached}, behind {wanted}, after {waited:.1f}s."
        )
        self.view, self.wanted, self.reached = view, wanted, reached


def wait_until_current(
    app: Application,
    view: ReadModelView,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    position: int | None = None,
    inline: bool = False,
    grace: float = 0.0,
    nudge: Callable[[], None] | None = None,
) -> int:
    """Block until `view` has processed the application's log up to `position` (default:
    its last notification now); returns the position reached.

    inline=True applies the missing events here and now, within the timeout, rather than
    only waiting for a projector to: needed on SQLite, where nothing can subscribe, and a
    helping hand on PostgreSQL when no projector runs or it lags. The view's own locking
    keeps that safe beside a projector (each event is applied once, by whoever is first).
    With `grace`, an inline reader first waits that long for a projector to get there:
    a projector keeps up within milliseconds, and readers that all catch up at once on a
    busy server contend with it and with each other (the soak's list reads took seconds).
    """
    started = time.monotonic()
    wanted = app.recorder.max_notification_id() if position is None else position
    if not wanted:
        return 0
    if nudge is not None:
        nudge()
    # At most half the timeout: the rest is for catching up here if no projector does.
    if inline and _reached(app, view, wanted, min(grace, timeout / 2)) < wanted:
        catch_up(app, view, until=wanted, deadline=started + timeout)
    reached = _reached(app, view, wanted, timeout - (time.monotonic() - started))
    if reached < wanted:
        raise ReadModelBehindError(view.name, wanted, reached, time.monotonic() - started)
    return reached


def _reached(app: Application, view: ReadModelView, wanted: int, seconds: float) -> int:
    """The view's position once it reaches `wanted`, or after `seconds`, polling."""
    deadline = time.monotonic() + seconds
    pause = 0.002
    while True:
        reached = view.max_tracking_id(app.name) or 0
        left = deadline - time.monotonic()
        if reached >= wanted or left <= 0:
            return reached
        time.sleep(min(pause, left))
        pause = min(pause * 2, 0.05)
