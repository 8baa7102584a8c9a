"""Deleting a plan's snapshots. A snapshot holds the whole plan sealed with the plan's
key, so statutory destruction deletes them outright rather than leave rows that can no
longer be read (the library has no delete, so this is SQL on its snapshot table)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier


def delete_snapshots(recorder: Any, plan_id: UUID) -> int:
    """Delete every snapshot of the plan; returns how many there were."""
    if isinstance(recorder, PostgresAggregateRecorder):
        statement = SQL("DELETE FROM {}.{} WHERE originator_id = %s").format(
            Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)
        )
        with recorder.datastore.transaction(commit=True) as curs:
            curs.execute(statement, (plan_id,))
            return curs.rowcount
    if isinstance(recorder, SQLiteAggregateRecorder):
        with recorder.datastore.transaction(commit=True) as c:
            c.execute(
                f"DELETE FROM {recorder.events_table_name} WHERE originator_id = ?",
                (plan_id.hex,),
            )
            return c.sqlite_cursor.rowcount
    msg = f"Cannot delete snapshots from {type(recorder).__name__}"
    raise TypeError(msg)
