"""What Planledger stores beside the library's events, and the recorder interface for it.

Each of these is written in the same transaction as the events it belongs to, so a crash
never leaves an event without its chain link, or an idempotency key without its events.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent

from application.persistence.chain import genesis, next_link


@dataclass(frozen=True)
class SealedStoredEvent(StoredEvent):
    """A stored event with what the mapper learnt while it still held the plain form."""

    digest: bytes | None = None
    recorded_at: datetime | None = None
    new_wrapped_key: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Link:
    plan_id: UUID
    position: int
    recorded_at: datetime
    digest: bytes
    link: bytes


@dataclass(frozen=True)
class IdempotencyClaim:
    """A client's Idempotency-Key, scoped to the caller, with a fingerprint of the request."""

    scope: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class IdempotentResult:
    fingerprint: str
    response: dict[str, Any]


@dataclass(frozen=True)
class StoredKey:
    wrapped: bytes | None
    """None once destroyed."""


@dataclass(frozen=True)
class AccessEntry:
    plan_id: UUID
    user_id: str
    role: str
    action: str
    at: datetime


def chain_links(previous: bytes | None, events: Sequence[SealedStoredEvent]) -> list[Link]:
    """Links for one plan's new events, continuing from the link before the first (None
    only before a plan's first event: a missing link is never papered over)."""
    links = []
    if previous is None:
        if events[0].originator_version != 1:
            msg = f"The link before position {events[0].originator_version} is missing"
            raise IntegrityError(msg)
        previous = genesis(events[0].originator_id)
    for event in events:
        if event.digest is None:  # only snapshots have none, and they are not chained
            raise IntegrityError("An event to chain has no digest")
        previous = next_link(previous, event.digest)
        links.append(
            Link(
                plan_id=UUID(str(event.originator_id)),
                position=event.originator_version,
                recorded_at=event.recorded_at,  # type: ignore[arg-type]
                digest=event.digest,
                link=previous,
            )
        )
    return links


def group_by_plan(events: Sequence[StoredEvent]) -> dict[Any, list[SealedStoredEvent]]:
    groups: dict[Any, list[SealedStoredEvent]] = {}
    for event in events:
        if isinstance(event, SealedStoredEvent) and event.digest is not None:
            groups.setdefault(event.originator_id, []).append(event)
    return groups


class PlanRecords(ABC):
    """Queries and commands on the tables kept beside the events."""

    @abstractmethod
    def select_links(self, plan_id: UUID) -> list[Link]: ...

    @abstractmethod
    def select_events_of(
        self, plan_ids: Sequence[UUID], topics: Sequence[str]
    ) -> list[StoredEvent]:
        """The plans' stored events of these types only, each plan's in order."""

    @abstractmethod
    def latest_versions(self, plan_ids: Sequence[UUID]) -> dict[UUID, int]:
        """Each existing plan's version now, in one query (a list of plans)."""

    @abstractmethod
    def version_at(self, plan_id: UUID, instant: datetime) -> int | None:
        """The plan's version as recorded at the instant, or None if it did not yet exist."""

    @abstractmethod
    def select_idempotent_result(self, scope: str, key: str) -> IdempotentResult | None: ...

    @abstractmethod
    def select_wrapped_key(self, plan_id: UUID) -> StoredKey | None:
        """The plan's wrapped data key; None if the plan never had one."""

    @abstractmethod
    def select_wrapped_keys(self, plan_ids: Sequence[UUID]) -> dict[UUID, StoredKey]:
        """Many plans' wrapped data keys in one query; a plan that never had one is left out."""

    @abstractmethod
    def destroy_key(self, plan_id: UUID) -> bool:
        """Crypto-shred: erase the plan's data key, keeping a row that says it was
        destroyed. True if there was a key to destroy."""

    @abstractmethod
    def insert_access(self, entries: Sequence[AccessEntry]) -> None:
        """Append entries to the access log, in one transaction."""

    @abstractmethod
    def select_access(self, plan_id: UUID, limit: int = 1000) -> list[AccessEntry]: ...

    @abstractmethod
    def insert_document(
        self, plan_id: UUID, document_id: UUID, content: bytes, sealed: bool
    ) -> None:
        """Keep a document's file (sealed: encrypted with the plan's data key)."""

    @abstractmethod
    def select_document(self, plan_id: UUID, document_id: UUID) -> tuple[bytes, bool] | None:
        """A document's file as kept, and whether it is sealed; None if there is none."""
