"""Decoding stored events for read models, unsealing as little as possible.

Read models need none of an event's personal data except who opened the plan (the first
member, and the lead professional), so only PlanOpened is unsealed; every other event's
sealed fields read as the placeholders a destroyed plan's do. Unsealing is what makes a
rebuild slow (a key per plan, a decryption per event), not pydantic's validation, which
stays: events come back fully typed. Upcasting (class_version) is applied exactly as the
application's mapper applies it.

An event that does not decode becomes an Unreadable, for the view to set aside, rather
than an error that would stop every event after it (engine/set_aside.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from application.persistence.mapping import PlanMapper
from domain import events
from projections.engine.set_aside import Unreadable, is_event_fault


@dataclass(frozen=True)
class Passed:
    """An event a read model does not fold, decoded only as far as every fold reads any
    event: which plan, its position, when it was recorded."""

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    topic: str = ""


_TIMESTAMP = b'{"timestamp":"'


class ProjectionMapper(PlanMapper):
    """For read models only: it reads personal data as destroyed, and a stored event it
    cannot decode as an Unreadable."""

    def passed(self, stored_event: StoredEvent) -> Passed | Unreadable:
        try:
            return Passed(
                _uuid(stored_event.originator_id),
                stored_event.originator_version,
                datetime.fromisoformat(self._timestamp(stored_event.state)),
                stored_event.topic,
            )
        except Exception as error:
            if not is_event_fault(error):
                raise
            return _unreadable(stored_event, error)

    def _timestamp(self, state: bytes) -> str:
        # An event's JSON starts with its timestamp (the first field of every event), so
        # that is read without decoding the rest, which is mostly the sealed base64. A
        # string with an escape in it, or any other layout, is decoded in full.
        if state.startswith(_TIMESTAMP):
            end = state.find(b'"', len(_TIMESTAMP))
            value = state[len(_TIMESTAMP) : end]
            if end > 0 and b"\\" not in value:
                return value.decode()
        return self.transcoder.decode(state)["timestamp"]

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        try:
            opened = resolve_topic(stored_event.topic) is events.PlanOpened
            if not opened:
                return self.without_personal_data(stored_event)
        except Exception as error:
            if not is_event_fault(error):
                raise
            return _unreadable(stored_event, error)
        if self.keyring is not None:
            # Unguarded: a data key that the master key does not unwrap is a projector
            # configured with the wrong key, which no event should be set aside for.
            self.keyring.cipher_for(_uuid(stored_event.originator_id))
        try:
            return super().to_domain_event(stored_event)
        except Exception as error:
            if not is_event_fault(error):
                raise
            return _unreadable(stored_event, error)

    def preload_keys(self, plan_ids: Iterable[UUID]) -> None:
        """Fetch the data keys of many plans in one query (a rebuild meets each plan's
        key once, at its PlanOpened; one query per plan would dominate the rebuild)."""
        if self.keyring is not None:
            self.keyring.preload(plan_ids)


def _unreadable(stored_event: StoredEvent, error: Exception) -> Unreadable:
    return Unreadable(
        _uuid(stored_event.originator_id),
        stored_event.originator_version,
        stored_event.topic,
        type(error).__name__,
    )


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def named_topics(*names: str) -> frozenset[str]:
    """The topics of the event classes of these names."""
    return frozenset(get_topic(e) for e in events.EVENTS if e.__name__ in names)


def handled_topics(fold: Any, *also: str) -> frozenset[str]:
    """The topics of the event classes a singledispatch fold has handlers for (and of
    their subclasses, which it dispatches to the same handlers), and of the events
    named in `also`."""
    handled = tuple(c for c in fold.registry if c is not object)
    return frozenset(
        get_topic(e) for e in events.EVENTS if issubclass(e, handled) or e.__name__ in also
    )
