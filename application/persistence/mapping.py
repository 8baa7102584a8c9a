"""Mapping pydantic events to stored events and back.

Starts from the library's example PydanticMapper (examples/aggregate7), with three changes:
- class_version upcasting is restored, by the same rule as eventsourcing's own Mapper;
- personal fields (marked Personal[...] in domain/) are sealed with the plan's own data
  key when a master key is configured, and read back as destroyed once that key is gone;
- the digest for the hash chain is taken from the plain form, before sealing, so that
  the chain verifies over what a reader sees, and still verifies after destruction.
  A sealed event's plain form carries a random nonce, sealed with the rest: without it,
  anyone holding the chain after destruction could test guesses (a pupil roll's names
  and birth dates) against an event's digest and undo the destruction.
"""

from __future__ import annotations

import secrets
from base64 import b64decode, b64encode
from functools import cache
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import CanInitAggregate, CanSnapshotAggregate
from eventsourcing.persistence import Mapper, ProgrammingError, StoredEvent, Transcoder
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel

from application.persistence import chain
from application.persistence.keys import KeyRing
from application.persistence.records import SealedStoredEvent
from domain.values import PERSONAL, destroyed_value

SEALED = "$sealed"
NONCE = "$nonce"
"""In the plain form of a sealed event only (the chain's record and the sealed blob)."""


@cache
def _class_version(cls: type[BaseModel]) -> int:
    return getattr(cls, "class_version", 1)


@cache
def _placeholders(cls: type[BaseModel]) -> dict[str, Any]:
    return {
        name: destroyed_value(cls.model_fields[name].annotation) for name in personal_fields(cls)
    }


def _upcast_event(
    cls: type[BaseModel], stored_event: StoredEvent, state: dict[str, Any], destroyed: bool
) -> Any:
    """The event from its stored fields: upcast to the class's version (by the same rule as
    eventsourcing's own Mapper), with placeholders where personal fields are destroyed."""
    from_version = state.pop("class_version", 1)
    while from_version < _class_version(cls):
        getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
        from_version += 1
    if destroyed:
        state.update(_placeholders(cls))
    return cls(
        originator_id=stored_event.originator_id,
        originator_version=stored_event.originator_version,
        **state,
    )


class OrjsonTranscoder(Transcoder):
    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def decode(self, data: bytes) -> Any:
        return orjson.loads(data)


@cache
def personal_fields(cls: type[BaseModel]) -> frozenset[str]:
    if issubclass(cls, CanSnapshotAggregate):
        return frozenset({"state"})  # a snapshot holds the whole plan
    return frozenset(n for n, f in cls.model_fields.items() if PERSONAL in f.metadata)


class PlanMapper(Mapper[UUID]):
    keyring: KeyRing | None = None
    """Set by the application once its recorder exists; None means personal data is
    stored in plain form."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls: type[BaseModel] = type(domain_event)
        topic = get_topic(cls)
        plan_id: UUID = domain_event.originator_id
        position: int = domain_event.originator_version
        state = domain_event.model_dump(mode="json")
        del state["originator_id"], state["originator_version"]
        class_version = getattr(cls, "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        is_snapshot = isinstance(domain_event, CanSnapshotAggregate)
        wrapped, data_cipher = None, None
        fields = personal_fields(cls)
        if self.keyring is not None and fields:
            if isinstance(domain_event, CanInitAggregate):
                data_cipher, wrapped = self.keyring.new_key(plan_id)
            else:
                had_key, data_cipher = self.keyring.cipher_for(plan_id)
                if had_key and data_cipher is None:
                    # Its key is destroyed (a notice of destruction, given afterwards):
                    # nothing personal is ever added to a shredded plan, not even plain.
                    placeholders = _placeholders(cls)
                    blank = domain_event.model_copy(update=placeholders)
                    state.update(blank.model_dump(mode="json", include=set(placeholders)))
        if data_cipher is not None and not is_snapshot:
            state[NONCE] = secrets.token_urlsafe(16)
        digest = None
        if not is_snapshot:
            digest = chain.digest(chain.event_record(plan_id, position, topic, state))
        if data_cipher is not None:
            sealed = {name: state.pop(name) for name in (*fields, NONCE) if name in state}
            state[SEALED] = b64encode(data_cipher.encrypt(orjson.dumps(sealed))).decode()
        return SealedStoredEvent(
            originator_id=plan_id,
            originator_version=position,
            topic=topic,
            state=self.transcoder.encode(state),
            digest=digest,
            recorded_at=None if is_snapshot else domain_event.timestamp,
            new_wrapped_key=wrapped,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls = resolve_topic(stored_event.topic)
        state, destroyed = self.plain_state(stored_event)
        state.pop(NONCE, None)
        if destroyed and issubclass(cls, CanSnapshotAggregate):
            msg = "A snapshot of a destroyed plan cannot be read; it should have been deleted"
            raise ProgrammingError(msg)
        return _upcast_event(cls, stored_event, state, destroyed)

    def without_personal_data(self, stored_event: StoredEvent) -> Any:
        """The event read without its plan's key: whatever is sealed reads as destroyed.
        For what counts and dates things (read models, charts), which must neither need
        nor touch personal data."""
        cls = resolve_topic(stored_event.topic)
        state: dict[str, Any] = self.transcoder.decode(stored_event.state)
        sealed = state.pop(SEALED, None) is not None
        return _upcast_event(cls, stored_event, state, sealed)

    def plain_state(self, stored_event: StoredEvent) -> tuple[dict[str, Any], bool]:
        """The event's fields as they were first stored, unsealed and not upcast, and
        whether its personal fields have been destroyed."""
        state: dict[str, Any] = self.transcoder.decode(stored_event.state)
        sealed = state.pop(SEALED, None)
        if sealed is None:
            return state, False
        if self.keyring is None:
            msg = "This store holds sealed personal data: configure the master key to read it"
            raise ProgrammingError(msg)
        _, data_cipher = self.keyring.cipher_for(UUID(str(stored_event.originator_id)))
        if data_cipher is None:
            return state, True
        state.update(orjson.loads(data_cipher.decrypt(b64decode(sealed))))
        return state, False
