"""A plan's history as people read it: each event with who, when it happened, when it
was recorded, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.calendar import local_date
from domain.values import DESTROYED, Actor

_BOOKKEEPING = ("originator_id", "originator_version", "timestamp", "originator_topic")
_ATTRIBUTION = ("actor", "occurred_on", "reason")


@dataclass(frozen=True)
class HistoryEntry:
    position: int
    type: str
    recorded_at: datetime
    occurred_on: date
    actor: Actor
    reason: str | None
    data: dict[str, Any]

    @property
    def backdated(self) -> bool:
        """Entered later than the day it happened: shown, never hidden."""
        return self.occurred_on < local_date(self.recorded_at)

    @property
    def destroyed(self) -> bool:
        return self.actor.name == DESTROYED


@dataclass(frozen=True)
class HistoryPage:
    entries: list[HistoryEntry]
    next: int | None
    """The position to read on from (`after` or `before`) when there may be more; None
    at the end. A page may show fewer entries than its limit: those the reader may not
    see are left out, and the position still moves past them."""


def history_entry(event: Any) -> HistoryEntry:
    data = event.model_dump(mode="json", exclude=set(_BOOKKEEPING + _ATTRIBUTION))
    return HistoryEntry(
        position=event.originator_version,
        type=type(event).__name__,
        recorded_at=event.timestamp,
        occurred_on=event.occurred_on,
        actor=event.actor,
        reason=event.reason,
        data=data,
    )
