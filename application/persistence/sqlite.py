"""SQLite (the embedded default): the library's application recorder plus Planledger's tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore

from application.persistence.records import (
    AccessEntry,
    IdempotencyClaim,
    IdempotentResult,
    Link,
    PlanRecords,
    StoredKey,
    chain_links,
    group_by_plan,
)

PREFIX = "planledger"


def _instant(value: datetime) -> str:
    # One fixed UTC format, so that text comparison is time comparison.
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class SQLitePlanRecorder(SQLiteApplicationRecorder, PlanRecords):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {PREFIX}_links ("
            " plan_id TEXT NOT NULL, position INTEGER NOT NULL, recorded_at TEXT NOT NULL,"
            " digest BLOB NOT NULL, link BLOB NOT NULL, PRIMARY KEY (plan_id, position))",
            f"CREATE INDEX IF NOT EXISTS {PREFIX}_links_at_idx"
            f" ON {PREFIX}_links (plan_id, recorded_at)",
            f"CREATE TABLE IF NOT EXISTS {PREFIX}_idempotency ("
            " scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,"
            " response TEXT NOT NULL, PRIMARY KEY (scope, key))",
            f"CREATE TABLE IF NOT EXISTS {PREFIX}_access_log ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL,"
            " user_id TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL, at TEXT NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {PREFIX}_access_log_plan_idx"
            f" ON {PREFIX}_access_log (plan_id, id)",
            f"CREATE TABLE IF NOT EXISTS {PREFIX}_keys ("
            " plan_id TEXT PRIMARY KEY, wrapped_key BLOB, destroyed_at TEXT)",
            f"CREATE TABLE IF NOT EXISTS {PREFIX}_documents ("
            " plan_id TEXT NOT NULL, document_id TEXT NOT NULL, content BLOB NOT NULL,"
            " sealed INTEGER NOT NULL, PRIMARY KEY (plan_id, document_id))",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        for event in stored_events:
            wrapped = getattr(event, "new_wrapped_key", None)
            if wrapped is not None:
                c.execute(
                    f"INSERT INTO {PREFIX}_keys (plan_id, wrapped_key) VALUES (?, ?)",
                    (UUID(str(event.originator_id)).hex, wrapped),
                )
        claim: IdempotencyClaim | None = kwargs.get("idempotency")
        if claim is not None:
            response = {**kwargs["response"], "position": max(ids) if ids else None}
            c.execute(
                f"INSERT INTO {PREFIX}_idempotency VALUES (?, ?, ?, ?)",
                (claim.scope, claim.key, claim.fingerprint, orjson.dumps(response).decode()),
            )
        for plan_id, events in group_by_plan(stored_events).items():
            c.execute(
                f"SELECT link FROM {PREFIX}_links WHERE plan_id = ? AND position = ?",
                (plan_id.hex, events[0].originator_version - 1),
            )
            row = c.fetchone()
            links = chain_links(row[0] if row else None, events)
            c.executemany(
                f"INSERT INTO {PREFIX}_links VALUES (?, ?, ?, ?, ?)",
                [
                    (k.plan_id.hex, k.position, _instant(k.recorded_at), k.digest, k.link)
                    for k in links
                ],
            )
        return ids

    def _fetchall(self, statement: str, params: Sequence[Any]) -> list[Any]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return c.fetchall()

    def select_links(self, plan_id: UUID) -> list[Link]:
        rows = self._fetchall(
            f"SELECT * FROM {PREFIX}_links WHERE plan_id = ? ORDER BY position", (plan_id.hex,)
        )
        return [
            Link(
                plan_id=plan_id,
                position=r["position"],
                recorded_at=datetime.fromisoformat(r["recorded_at"]),
                digest=r["digest"],
                link=r["link"],
            )
            for r in rows
        ]

    def select_events_of(
        self, plan_ids: Sequence[UUID], topics: Sequence[str]
    ) -> list[StoredEvent]:
        # The embedded store holds one school's plans: the library's read per plan will do.
        wanted = set(topics)
        return [e for p in plan_ids for e in self.select_events(p) if e.topic in wanted]

    def latest_versions(self, plan_ids: Sequence[UUID]) -> dict[UUID, int]:
        if not plan_ids:
            return {}
        rows = self._fetchall(
            f"SELECT plan_id, max(position) FROM {PREFIX}_links"
            f" WHERE plan_id IN ({', '.join('?' * len(plan_ids))}) GROUP BY plan_id",
            [p.hex for p in plan_ids],
        )
        return {UUID(r[0]): r[1] for r in rows}

    def version_at(self, plan_id: UUID, instant: datetime) -> int | None:
        rows = self._fetchall(
            f"SELECT max(position) FROM {PREFIX}_links WHERE plan_id = ? AND recorded_at <= ?",
            (plan_id.hex, _instant(instant)),
        )
        return rows[0][0]

    def select_idempotent_result(self, scope: str, key: str) -> IdempotentResult | None:
        rows = self._fetchall(
            f"SELECT fingerprint, response FROM {PREFIX}_idempotency WHERE scope = ? AND key = ?",
            (scope, key),
        )
        if not rows:
            return None
        return IdempotentResult(fingerprint=rows[0][0], response=orjson.loads(rows[0][1]))

    def select_wrapped_key(self, plan_id: UUID) -> StoredKey | None:
        rows = self._fetchall(
            f"SELECT wrapped_key FROM {PREFIX}_keys WHERE plan_id = ?", (plan_id.hex,)
        )
        return StoredKey(wrapped=rows[0][0]) if rows else None

    def select_wrapped_keys(self, plan_ids: Sequence[UUID]) -> dict[UUID, StoredKey]:
        if not plan_ids:
            return {}
        rows = self._fetchall(
            f"SELECT plan_id, wrapped_key FROM {PREFIX}_keys"
            f" WHERE plan_id IN ({', '.join('?' * len(plan_ids))})",
            [p.hex for p in plan_ids],
        )
        return {UUID(r[0]): StoredKey(wrapped=r[1]) for r in rows}

    def destroy_key(self, plan_id: UUID) -> bool:
        with self.datastore.transaction(commit=True) as c:
            # A document kept unsealed (no key configured) goes with the key.
            c.execute(
                f"DELETE FROM {PREFIX}_documents WHERE plan_id = ? AND sealed = 0", (plan_id.hex,)
            )
            c.execute(
                f"UPDATE {PREFIX}_keys SET wrapped_key = NULL, destroyed_at = ?"
                " WHERE plan_id = ? AND wrapped_key IS NOT NULL",
                (_instant(datetime.now(UTC)), plan_id.hex),
            )
            return c.sqlite_cursor.rowcount > 0

    def insert_document(
        self, plan_id: UUID, document_id: UUID, content: bytes, sealed: bool
    ) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT OR IGNORE INTO {PREFIX}_documents (plan_id, document_id, content, sealed)"
                " VALUES (?, ?, ?, ?)",
                (plan_id.hex, document_id.hex, content, int(sealed)),
            )

    def select_document(self, plan_id: UUID, document_id: UUID) -> tuple[bytes, bool] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT content, sealed FROM {PREFIX}_documents"
                " WHERE plan_id = ? AND document_id = ?",
                (plan_id.hex, document_id.hex),
            )
            row = c.fetchone()
        return (bytes(row[0]), bool(row[1])) if row else None

    def insert_access(self, entries: Sequence[AccessEntry]) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.executemany(
                f"INSERT INTO {PREFIX}_access_log (plan_id, user_id, role, action, at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(e.plan_id.hex, e.user_id, e.role, e.action, _instant(e.at)) for e in entries],
            )

    def select_access(self, plan_id: UUID, limit: int = 1000) -> list[AccessEntry]:
        rows = self._fetchall(
            f"SELECT * FROM {PREFIX}_access_log WHERE plan_id = ? ORDER BY id DESC LIMIT ?",
            (plan_id.hex, limit),
        )
        return [
            AccessEntry(
                plan_id=plan_id,
                user_id=r["user_id"],
                role=r["role"],
                action=r["action"],
                at=datetime.fromisoformat(r["at"]),
            )
            for r in rows
        ]
