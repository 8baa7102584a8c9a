"""The outbox in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.rows import DictRow

from domain.notifications import Delivery, DeliveryRecord, Notification, Preference, State
from domain.values import Role
from projections.engine.postgres import PostgresReadModel
from projections.outbox.fold import fold
from projections.outbox.view import OutboxView

MESSAGE = ("message_id", "plan_id", "version", "recipient", "event_type", "recorded_at")
DELIVERY = (
    "message_id",
    "plan_id",
    "recipient",
    "state",
    "attempts",
    "next_attempt_at",
    "accepted_at",
    "outcome",
)


class PostgresOutboxView(PostgresReadModel, OutboxView):
    table_suffixes = ("members",)
    shared_tables = ("deliveries", "preferences")

    def create_statements(self) -> Sequence[str]:
        return (
            "CREATE TABLE IF NOT EXISTS {schema}.{main} (message_id text PRIMARY KEY,"
            " plan_id uuid NOT NULL, version bigint NOT NULL, recipient text NOT NULL,"
            " event_type text NOT NULL, recorded_at timestamptz NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {idx0} ON {schema}.{main} (recorded_at, message_id)",
            "CREATE INDEX IF NOT EXISTS {idx1} ON {schema}.{main} (plan_id)",
            "CREATE TABLE IF NOT EXISTS {schema}.{members} (plan_id uuid NOT NULL,"
            " user_id text NOT NULL, role text NOT NULL, PRIMARY KEY (plan_id, user_id))",
            "CREATE TABLE IF NOT EXISTS {schema}.{deliveries} (message_id text PRIMARY KEY,"
            " plan_id uuid, recipient text NOT NULL, state text NOT NULL,"
            " attempts integer NOT NULL, next_attempt_at timestamptz, accepted_at timestamptz,"
            " outcome text NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {idx2} ON {schema}.{deliveries} (state, next_attempt_at)",
            "CREATE TABLE IF NOT EXISTS {schema}.{preferences} (user_id text PRIMARY KEY,"
            " delivery text NOT NULL, address text, last_daily_at timestamptz)",
        )

    def write(self, curs: Cursor[DictRow], events: Sequence[Any]) -> None:
        plan_ids = list({e.originator_id for e in events})
        curs.execute(
            self.sql(
                "SELECT plan_id, user_id, role FROM {schema}.{members} WHERE plan_id = ANY(%s)"
            ),
            (plan_ids,),
        )
        members: dict[UUID, dict[str, Role]] = {}
        for r in curs.fetchall():
            members.setdefault(r["plan_id"], {})[r["user_id"]] = Role(r["role"])
        changed, notes = fold(members, events)
        if changed:
            curs.execute(
                self.sql("DELETE FROM {schema}.{members} WHERE plan_id = ANY(%s)"),
                (list(changed),),
            )
            self.insert(
                curs,
                "members",
                ("plan_id", "user_id", "role"),
                [(p, u, r.value) for p in changed for u, r in members[p].items()],
            )
        if notes:
            self.insert(
                curs,
                "main",
                MESSAGE,
                [_message_values(n) for n in notes],
                " ON CONFLICT (message_id) DO NOTHING",
            )

    def due(self, now: datetime, limit: int) -> list[tuple[Notification, DeliveryRecord | None]]:
        rows = self.fetch(
            self.sql(
                "SELECT m.*, d.state, d.attempts, d.next_attempt_at, d.accepted_at, d.outcome"
                " FROM {schema}.{main} m LEFT JOIN {schema}.{deliveries} d USING (message_id)"
                " WHERE d.message_id IS NULL OR (d.state = %s AND d.next_attempt_at <= %s)"
                " ORDER BY m.recorded_at, m.message_id LIMIT %s"
            ),
            (State.RETRY.value, now, limit),
        )
        return [(_note(r), _delivery(r) if r["state"] else None) for r in rows]

    def held(self) -> dict[str, list[Notification]]:
        rows = self.fetch(
            self.sql(
                "SELECT m.* FROM {schema}.{main} m JOIN {schema}.{deliveries} d USING (message_id)"
                " WHERE d.state = %s ORDER BY m.recorded_at, m.message_id"
            ),
            (State.HELD.value,),
        )
        held: dict[str, list[Notification]] = {}
        for r in rows:
            held.setdefault(r["recipient"], []).append(_note(r))
        return held

    def record(self, records: list[DeliveryRecord]) -> None:
        if not records:
            return
        with self.datastore.transaction(commit=True) as curs:
            self.upsert(
                curs,
                "deliveries",
                DELIVERY,
                ("message_id",),
                [
                    (
                        d.message_id,
                        d.plan_id,
                        d.recipient,
                        d.state.value,
                        d.attempts,
                        d.next_attempt_at,
                        d.accepted_at,
                        d.outcome,
                    )
                    for d in {d.message_id: d for d in records}.values()
                ],
            )

    def sent(self, message_ids: list[str]) -> set[str]:
        rows = self.fetch(
            self.sql(
                "SELECT message_id FROM {schema}.{deliveries}"
                " WHERE message_id = ANY(%s) AND state = %s"
            ),
            (message_ids, State.SENT.value),
        )
        return {r["message_id"] for r in rows}

    def deliveries(self, plan_id: UUID) -> list[tuple[Notification, DeliveryRecord]]:
        rows = self.fetch(
            self.sql(
                "SELECT m.*, d.state, d.attempts, d.next_attempt_at, d.accepted_at, d.outcome"
                " FROM {schema}.{main} m JOIN {schema}.{deliveries} d USING (message_id)"
                " WHERE m.plan_id = %s ORDER BY m.recorded_at DESC, m.message_id"
            ),
            (plan_id,),
        )
        return [(_note(r), _delivery(r)) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self.fetch(
            self.sql(
                "SELECT coalesce(d.state, 'pending') AS state, count(*) AS n"
                " FROM {schema}.{main} m LEFT JOIN {schema}.{deliveries} d USING (message_id)"
                " GROUP BY 1"
            ),
            (),
        )
        return {r["state"]: r["n"] for r in rows}

    def preference(self, user_id: str) -> Preference:
        rows = self.fetch(
            self.sql("SELECT * FROM {schema}.{preferences} WHERE user_id = %s"), (user_id,)
        )
        if not rows:
            return Preference()
        r = rows[0]
        return Preference(Delivery(r["delivery"]), r["address"], r["last_daily_at"])

    def set_preference(self, user_id: str, delivery: Delivery, address: str | None) -> None:
        self._execute(
            "INSERT INTO {schema}.{preferences} VALUES (%s, %s, %s, NULL) ON CONFLICT (user_id)"
            " DO UPDATE SET delivery = EXCLUDED.delivery, address = EXCLUDED.address",
            (user_id, delivery.value, address),
        )

    def daily_sent(self, user_id: str, at: datetime) -> None:
        self._execute(
            "UPDATE {schema}.{preferences} SET last_daily_at = %s WHERE user_id = %s",
            (at, user_id),
        )

    def _execute(self, statement: str, params: tuple[Any, ...]) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self.sql(statement), params)


def _message_values(n: Notification) -> tuple[Any, ...]:
    return (n.message_id, n.plan_id, n.version, n.recipient, n.event_type, n.recorded_at)


def _note(r: Any) -> Notification:
    return Notification(
        message_id=r["message_id"],
        plan_id=r["plan_id"],
        version=r["version"],
        recipient=r["recipient"],
        event_type=r["event_type"],
        recorded_at=r["recorded_at"],
    )


def _delivery(r: Any) -> DeliveryRecord:
    return DeliveryRecord(
        message_id=r["message_id"],
        plan_id=r["plan_id"],
        recipient=r["recipient"],
        state=State(r["state"]),
        attempts=r["attempts"],
        next_attempt_at=r["next_attempt_at"],
        accepted_at=r["accepted_at"],
        outcome=r["outcome"],
    )
