"""What the outbox answers: the messages each change calls for, what the sender did with
each, and what each person chose to receive. postgres.py and sqlite.py implement it.

The messages are the fold's (a read model's rows, rebuilt like any other); what was sent,
and the choices, are in tables every version shares, so that a rebuild, which makes every
message again under the same id, sends none of them again.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from uuid import UUID

from domain.notifications import Delivery, DeliveryRecord, Notification, Preference
from projections.engine import decoding
from projections.engine.views import ReadModelProjection, ReadModelView
from projections.outbox.fold import FOLDED


class OutboxView(ReadModelView):
    handled_topics = decoding.named_topics(*FOLDED)

    @abstractmethod
    def due(self, now: datetime, limit: int) -> list[tuple[Notification, DeliveryRecord | None]]:
        """Messages never tried, and those whose next try has come, oldest change first."""

    @abstractmethod
    def held(self) -> dict[str, list[Notification]]:
        """The messages waiting for each person's daily message."""

    @abstractmethod
    def record(self, records: list[DeliveryRecord]) -> None:
        """Write what was done with these messages, each replacing its earlier record."""

    @abstractmethod
    def sent(self, message_ids: list[str]) -> set[str]:
        """Those of these messages (reminders, by id) the mail server has taken."""

    @abstractmethod
    def deliveries(self, plan_id: UUID) -> list[tuple[Notification, DeliveryRecord]]:
        """A plan's messages that were tried or decided, newest change first."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Messages by state ("pending": never tried)."""

    @abstractmethod
    def preference(self, user_id: str) -> Preference:
        """What a person chose (each change as it happens, until they choose)."""

    @abstractmethod
    def set_preference(self, user_id: str, delivery: Delivery, address: str | None) -> None: ...

    @abstractmethod
    def daily_sent(self, user_id: str, at: datetime) -> None:
        """Note when a person's daily message went."""


class OutboxProjection(ReadModelProjection):
    name = "outbox"
