"""The catch-up loop: read the application's log from the view's position, in batches.

It feeds views where the library's ProjectionRunner cannot (SQLite has no subscriptions
in eventsourcing 9.5), brings a view up to date before a runner takes over, and rebuilds
views. Each batch is folded and tracked in one transaction (ReadModelView.apply).

While one batch is being written, the next is read and decoded in a second thread: the
write mostly waits on the database, so the two overlap instead of adding up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from queue import Full, Queue
from threading import Event, Thread
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, Tracking
from eventsourcing.utils import get_topic

from domain import events
from projections.engine.decoding import ProjectionMapper
from projections.engine.log import read_log
from projections.engine.views import Batch, ReadModelView, StaleBatchError

OPENED = get_topic(events.PlanOpened)
BATCH = 1000


def catch_up(
    app: Application[Any],
    view: ReadModelView,
    *,
    until: int | None = None,
    batch_size: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
    stopping: Event | None = None,
    deadline: float | None = None,
) -> int:
    """Apply every event after the view's position (up to `until`, if given, and until
    time.monotonic() passes `deadline`, if given); returns the view's position afterwards.
    `progress(applied, position)` is called after each batch."""
    position = view.max_tracking_id(app.name) or 0
    while True:
        reader = _Reader(app, view, position, until, batch_size, stopping)
        try:
            for batch in reader:
                if deadline is not None and time.monotonic() > deadline:
                    return position
                view.apply(batch)
                position = batch[-1][1].notification_id
                if progress is not None:
                    progress(len(batch), position)
            return position
        except StaleBatchError as e:
            position = e.recorded  # another applier moved on: continue after it
        finally:
            reader.close()


class _Reader:
    """Batches of decoded events from `start`, read ahead by one batch in a thread."""

    def __init__(
        self,
        app: Application[Any],
        view: ReadModelView,
        start: int,
        until: int | None,
        size: int,
        stopping: Event | None,
    ) -> None:
        self.app, self.mapper, self.handled = app, projection_mapper(app), view.handled_topics
        self.store = view.store
        self.start, self.until, self.size = start, until, size
        self.stopping = stopping or Event()
        self.closed = Event()
        self.queue: Queue[Batch | BaseException | None] = Queue(maxsize=2)
        self.thread = Thread(target=self._read, daemon=True, name="catch-up-reader")
        self.thread.start()

    def __iter__(self) -> Iterator[Batch]:
        while (item := self.queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self.closed.set()
        while self.thread.is_alive():
            if not self.queue.empty():
                self.queue.get_nowait()
            self.thread.join(0.01)

    def _read(self) -> None:
        position = self.start
        try:
            while not (self.closed.is_set() or self.stopping.is_set()):
                if self.until is not None and position >= self.until:
                    break
                notifications = read_log(
                    self.app.recorder, self.store, position, self.size, self.until
                )
                if not notifications:
                    break
                self.mapper.preload_keys(
                    {n.originator_id for n in notifications if n.topic == OPENED}
                )
                batch = [(self._decode(n), Tracking(self.app.name, n.id)) for n in notifications]
                position = notifications[-1].id
                self._put(batch)
        except BaseException as e:  # handed to the consumer, which raises it
            self._put(e)
        self._put(None)

    def _decode(self, notification: Any) -> Any:
        if self.handled and notification.topic not in self.handled:
            return self.mapper.passed(notification)
        return self.mapper.to_domain_event(notification)

    def _put(self, item: Batch | BaseException | None) -> None:
        while not self.closed.is_set():
            try:
                self.queue.put(item, timeout=0.05)
                return
            except Full:
                continue  # the consumer is busy, or gone: look at `closed` again


def projection_mapper(app: Application[Any]) -> ProjectionMapper:
    """The application's mapper as read models decode with (same transcoder and keys)."""
    mapper: Mapper[Any] = app.mapper
    if isinstance(mapper, ProjectionMapper):
        return mapper
    cached = getattr(app, "_projection_mapper", None)
    if cached is None:
        cached = ProjectionMapper(mapper.transcoder, mapper.compressor, mapper.cipher)
        cached.keyring = getattr(mapper, "keyring", None)
        app._projection_mapper = cached  # type: ignore[attr-defined]
    return cached
