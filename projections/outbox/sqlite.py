"""The outbox in SQLite (the embedded default): the same tables, times as ISO text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteCursor

from domain.notifications import Delivery, DeliveryRecord, Notification, Preference, State
from domain.values import Role
from projections.engine.sqlite import SQLiteReadModel
from projections.outbox.fold import fold
from projections.outbox.view import OutboxView

SELECT = (
    "SELECT m.*, d.state, d.attempts, d.next_attempt_at, d.accepted_at, d.outcome"
    " FROM {main} m {join} {deliveries} d USING (message_id)"
)


class SQLiteOutboxView(SQLiteReadModel, OutboxView):
    table_suffixes = ("members",)
    shared_tables = ("deliveries", "preferences")

    def create_statements(self) -> Sequence[str]:
        return (
            "CREATE TABLE IF NOT EXISTS {main} (message_id TEXT PRIMARY KEY, plan_id TEXT,"
            " version INTEGER, recipient TEXT, event_type TEXT, recorded_at TEXT)",
            "CREATE INDEX IF NOT EXISTS {main}_recorded ON {main} (recorded_at, message_id)",
            "CREATE INDEX IF NOT EXISTS {main}_plan ON {main} (plan_id)",
            "CREATE TABLE IF NOT EXISTS {members} (plan_id TEXT, user_id TEXT, role TEXT,"
            " PRIMARY KEY (plan_id, user_id)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS {deliveries} (message_id TEXT PRIMARY KEY,"
            " plan_id TEXT, recipient TEXT, state TEXT, attempts INTEGER,"
            " next_attempt_at TEXT, accepted_at TEXT, outcome TEXT)",
            "CREATE TABLE IF NOT EXISTS {preferences} (user_id TEXT PRIMARY KEY,"
            " delivery TEXT, address TEXT, last_daily_at TEXT)",
        )

    def write(self, c: SQLiteCursor, events: Sequence[Any]) -> None:
        plan_ids = list({str(e.originator_id) for e in events})
        marks = ", ".join("?" * len(plan_ids))
        members_table = self.tables["members"]
        c.execute(
            f"SELECT plan_id, user_id, role FROM {members_table} WHERE plan_id IN ({marks})",
            plan_ids,
        )
        members: dict[UUID, dict[str, Role]] = {}
        for r in c.fetchall():
            members.setdefault(UUID(r["plan_id"]), {})[r["user_id"]] = Role(r["role"])
        changed, notes = fold(members, events)
        for plan_id in changed:
            c.execute(f"DELETE FROM {members_table} WHERE plan_id = ?", (str(plan_id),))
            c.executemany(
                f"INSERT INTO {members_table} VALUES (?, ?, ?)",
                [(str(plan_id), u, r.value) for u, r in members[plan_id].items()],
            )
        c.executemany(
            f"INSERT OR IGNORE INTO {self.name} VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    n.message_id,
                    str(n.plan_id),
                    n.version,
                    n.recipient,
                    n.event_type,
                    n.recorded_at.isoformat(),
                )
                for n in notes
            ],
        )

    def due(self, now: datetime, limit: int) -> list[tuple[Notification, DeliveryRecord | None]]:
        rows = self.fetch(
            SELECT.replace("{join}", "LEFT JOIN")
            + " WHERE d.message_id IS NULL OR (d.state = ? AND d.next_attempt_at <= ?)"
            " ORDER BY m.recorded_at, m.message_id LIMIT ?",
            (State.RETRY.value, now.isoformat(), limit),
        )
        return [(_note(r), _delivery(r) if r["state"] else None) for r in rows]

    def held(self) -> dict[str, list[Notification]]:
        rows = self.fetch(
            SELECT.replace("{join}", "JOIN") + " WHERE d.state = ? ORDER BY m.recorded_at",
            (State.HELD.value,),
        )
        held: dict[str, list[Notification]] = {}
        for r in rows:
            held.setdefault(r["recipient"], []).append(_note(r))
        return held

    def record(self, records: list[DeliveryRecord]) -> None:
        with self.writing() as c:
            c.executemany(
                f"INSERT OR REPLACE INTO {self.shared['deliveries']}"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        d.message_id,
                        str(d.plan_id) if d.plan_id else None,
                        d.recipient,
                        d.state.value,
                        d.attempts,
                        _text(d.next_attempt_at),
                        _text(d.accepted_at),
                        d.outcome,
                    )
                    for d in records
                ],
            )

    def sent(self, message_ids: list[str]) -> set[str]:
        marks = ", ".join("?" * len(message_ids))
        rows = self.fetch(
            f"SELECT message_id FROM {{deliveries}} WHERE message_id IN ({marks}) AND state = ?",
            (*message_ids, State.SENT.value),
        )
        return {r["message_id"] for r in rows}

    def deliveries(self, plan_id: UUID) -> list[tuple[Notification, DeliveryRecord]]:
        rows = self.fetch(
            SELECT.replace("{join}", "JOIN")
            + " WHERE m.plan_id = ? ORDER BY m.recorded_at DESC, m.message_id",
            (str(plan_id),),
        )
        return [(_note(r), _delivery(r)) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self.fetch(
            "SELECT coalesce(d.state, 'pending') AS state, count(*) AS n"
            " FROM {main} m LEFT JOIN {deliveries} d USING (message_id) GROUP BY 1",
            (),
        )
        return {r["state"]: r["n"] for r in rows}

    def preference(self, user_id: str) -> Preference:
        rows = self.fetch("SELECT * FROM {preferences} WHERE user_id = ?", (user_id,))
        if not rows:
            return Preference()
        r = rows[0]
        return Preference(Delivery(r["delivery"]), r["address"], _moment(r["last_daily_at"]))

    def set_preference(self, user_id: str, delivery: Delivery, address: str | None) -> None:
        with self.writing() as c:
            c.execute(
                f"INSERT INTO {self.shared['preferences']} VALUES (?, ?, ?, NULL)"
                " ON CONFLICT (user_id) DO UPDATE SET delivery = excluded.delivery,"
                " address = excluded.address",
                (user_id, delivery.value, address),
            )

    def daily_sent(self, user_id: str, at: datetime) -> None:
        with self.writing() as c:
            c.execute(
                f"UPDATE {self.shared['preferences']} SET last_daily_at = ? WHERE user_id = ?",
                (at.isoformat(), user_id),
            )


def _text(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _note(r: Any) -> Notification:
    return Notification(
        message_id=r["message_id"],
        plan_id=UUID(r["plan_id"]),
        version=r["version"],
        recipient=r["recipient"],
        event_type=r["event_type"],
        recorded_at=datetime.fromisoformat(r["recorded_at"]),
    )


def _delivery(r: Any) -> DeliveryRecord:
    return DeliveryRecord(
        message_id=r["message_id"],
        plan_id=UUID(r["plan_id"]),
        recipient=r["recipient"],
        state=State(r["state"]),
        attempts=r["attempts"],
        next_attempt_at=_moment(r["next_attempt_at"]),
        accepted_at=_moment(r["accepted_at"]),
        outcome=r["outcome"],
    )
