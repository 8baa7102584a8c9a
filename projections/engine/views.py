"""The contract of every read model view, and the projection that feeds one.

A view is a library TrackingRecorder that applies a *batch* of events and records the
position of the last one in ONE transaction, so a crash never applies an event twice or
skips one. The catch-up loop hands over whatever is new since the last batch (one event
on a quiet store, hundreds under load or in a rebuild, which is what makes a rebuild
fast). Either way the rows come from the same pure fold in the
model's package, so both paths give the same rows.

An event the view cannot take is set aside rather than failing its batch for good
(set_aside.py); everything else in the batch is applied exactly once, as before.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from projections.engine.decoding import Passed
from projections.engine.set_aside import SetAside, Unreadable, is_event_fault
from projections.engine.store import Store

log = logging.getLogger("planledger.projections")

Batch = Sequence[tuple[Any, Tracking]]
"""Domain events with their positions in the application's log, in log order."""


class StaleBatchError(Exception):
    """The view has already recorded a position at or past the batch's first event:
    someone else applied it. Applying it again would count it twice, so nothing is written."""

    def __init__(self, view: str, recorded: int, first: int) -> None:
        super().__init__(f"View {view} is at {recorded}; a batch from {first} is stale.")
        self.recorded = recorded


class ReadModelView(TrackingRecorder, ABC):
    name: str
    """The versioned name of the view, e.g. plan_summaries_v2: it names its tables."""
    store: ClassVar[Store]
    """The kind of store this view's class is written for (set by its base class)."""
    handled_topics: frozenset[str] = frozenset()
    """Events the fold does something with; the catch-up loop decodes the rest only as
    far as engine.decoding.Passed (an empty set: decode everything)."""

    def apply(self, batch: Batch) -> None:
        """Fold the events into the view's rows and record the last position, atomically.
        Raises StaleBatchError, writing nothing, if the batch was already applied.

        If the batch fails because of an event in it (set_aside.is_event_fault), its two
        halves are applied in turn, each in a transaction of its own, and so on down to
        the one event, which is then recorded as set aside, unfolded, with the position
        moving past it. Any other error is raised, the batch written not at all."""
        self._settle(batch, tracked=True)

    def _settle(self, batch: Batch, *, tracked: bool) -> None:
        if not batch:
            return
        try:
            aside = self._write_batch(batch, {}, tracked=tracked)
        except StaleBatchError:
            raise
        except Exception as error:
            if not is_event_fault(error):
                raise
            if len(batch) > 1:
                middle = len(batch) // 2
                self._settle(batch[:middle], tracked=tracked)
                self._settle(batch[middle:], tracked=tracked)
                return
            aside = self._write_batch(
                batch, {batch[0][1].notification_id: type(error).__name__}, tracked=tracked
            )
        for entry in aside:
            log.warning(
                "read model %s set aside event %d (%s)",
                self.name,
                entry.notification_id,
                entry.error_type,
                extra={
                    "read_model": self.name,
                    "notification_id": entry.notification_id,
                    "error_type": entry.error_type,
                },
            )

    @abstractmethod
    def _write_batch(
        self, batch: Batch, faults: Mapping[int, str], *, tracked: bool
    ) -> list[SetAside]:
        """In one transaction: fold the batch's events but those at the positions in
        `faults` (position -> error type) and the Unreadable ones, record those as set
        aside, and, if `tracked`, check the batch is not stale and record its last
        position. Returns what was set aside."""

    @abstractmethod
    def set_aside(self) -> list[SetAside]:
        """The events this version of the view has set aside, in log order."""

    @abstractmethod
    def create_table(self) -> None:
        """Make the view's tables, its tracking table included, if they are missing."""

    @abstractmethod
    def drop(self) -> None:
        """Drop the view's tables, its tracking table included (rebuild clean-up)."""


class ReadModelProjection(Projection[ReadModelView]):
    """The library's Projection, for a view that folds batches: one event is a batch of one."""

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        # Stale: another process (or a catch-up in this one) got there first.
        with suppress(StaleBatchError):
            self.view.apply([(domain_event, tracking)])


def sort_out(batch: Batch, faults: Mapping[int, str]) -> tuple[list[Any], list[SetAside]]:
    """The batch's events to fold, and those to set aside instead."""
    now = datetime.now(UTC)
    events: list[Any] = []
    aside: list[SetAside] = []
    for event, tracking in batch:
        error = faults.get(tracking.notification_id)
        if error is None and isinstance(event, Unreadable):
            error = event.error_type
        if error is None:
            events.append(event)
        else:
            topic = (
                event.topic if isinstance(event, Passed | Unreadable) else get_topic(type(event))
            )
            aside.append(SetAside(tracking.notification_id, event.originator_id, topic, error, now))
    return events, aside


def versioned(
    projection_class: type[ReadModelProjection], version: int
) -> type[ReadModelProjection]:
    """The projection under the name of one version of its model. The library names the
    view's tracking table after the projection (`<name>_tracking`), and the view names its
    own tables after that, so each version has tables of its own."""
    name = f"{projection_class.name}_v{version}"
    return type(f"{projection_class.__name__}V{version}", (projection_class,), {"name": name})


def base_name(tracking_table_name: str) -> str:
    return tracking_table_name.removesuffix("_tracking")


def unversioned(name: str) -> str:
    """The model's name from a version's (outbox_v2 -> outbox)."""
    return name.rsplit("_v", 1)[0]


@dataclass(frozen=True)
class ReadModel:
    """A read model: its projection, and the class of its view on each kind of store."""

    projection: type[ReadModelProjection]
    views: Mapping[Store, type[ReadModelView]]

    @property
    def name(self) -> str:
        return self.projection.name

    def projection_at(self, version: int) -> type[ReadModelProjection]:
        return versioned(self.projection, version)

    def open_view(self, datastore: Any, version: int) -> ReadModelView:
        """The view of one version on a datastore (its tables made if missing)."""
        view_class: Any = self.views[Store.of(datastore)]
        view: ReadModelView = view_class(
            datastore, tracking_table_name=f"{self.name}_v{version}_tracking"
        )
        view.create_table()
        return view
