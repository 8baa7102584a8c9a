"""pydantic-typed bases for aggregates and events (eventsourcing 9.5 has none built in).

Follows the library's examples aggregate7/aggregate8 as they stood for 9.5.
"""

from __future__ import annotations

import typing
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import (
    BaseAggregate,
    CanInitAggregate,
    CanMutateAggregate,
    CanSnapshotAggregate,
    datetime_now_with_tzinfo,
)
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

_datetime = TypeAdapter(datetime)


class Immutable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DomainEvent(Immutable):
    originator_id: UUID
    originator_version: int
    timestamp: datetime = Field(default_factory=datetime_now_with_tzinfo)


class SnapshotState(Immutable):
    model_config = ConfigDict(extra="allow", frozen=True)

    def __init__(self, **kwargs: Any) -> None:
        for key in ("_created_on", "_modified_on"):
            kwargs[key] = _datetime.validate_python(kwargs[key])
        super().__init__(**kwargs)


class AggregateSnapshot(DomainEvent, CanSnapshotAggregate[UUID]):
    topic: str
    state: Any

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        state_type = typing.get_type_hints(cls)["state"]
        if not (isinstance(state_type, type) and issubclass(state_type, SnapshotState)):
            msg = f"{cls} must annotate 'state' with a SnapshotState subclass"
            raise TypeError(msg)


class Aggregate(BaseAggregate[UUID]):
    @staticmethod
    def create_id(*_: object, **__: object) -> UUID:
        return uuid4()

    class Event(DomainEvent, CanMutateAggregate[UUID]):
        pass

    class Created(Event, CanInitAggregate[UUID]):
        originator_topic: str

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        # Recorded times must rise strictly within one aggregate, even if the wall
        # clock steps back, so that "the plan as it stood at instant T" is exact.
        now = datetime_now_with_tzinfo()
        kwargs["timestamp"] = max(now, self.modified_on + timedelta(microseconds=1))
        super().trigger_event(event_class, **kwargs)
