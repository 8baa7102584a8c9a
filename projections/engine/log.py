"""Reading the application's log for read models, in batches after a position.

On PostgreSQL this reads the five columns a read model needs, in binary, as plain rows.
The library's select_notifications reads every column as text into dicts and then builds
Notification objects: on a rebuild that cost the client four times as much CPU per event
(bench/projections.py). Rows have a Notification's attributes (id, originator_id,
originator_version, topic, state), so the mappers read either kind. SQLite, which has no
such cost to save, goes through the library.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

from projections.engine.store import Store


class LogRow(NamedTuple):
    id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def read_log(
    recorder: Any,
    store: Store,
    after: int,
    limit: int,
    until: int | None = None,
    part: tuple[int, int] | None = None,
) -> Sequence[Any]:
    """Up to `limit` events with notification ids above `after` (and up to `until`, if
    given), in order. `part=(n, parts)`, on PostgreSQL only, keeps the plans whose id
    hashes to part n of `parts` (see parallel.py)."""
    if store is Store.SQLITE:
        assert part is None, "parts are for PostgreSQL"
        return recorder.select_notifications(
            start=after, limit=limit, stop=until, inclusive_of_start=False
        )
    params: list[Any] = [after, until if until is not None else 2**63 - 1]
    if part is not None:
        params += [part[1], part[0]]
    params.append(limit)
    with (
        recorder.datastore.get_connection() as conn,
        conn.cursor(row_factory=tuple_row, binary=True) as curs,
    ):
        rows = curs.execute(_statement(recorder, part is not None), params, prepare=True)
        return [LogRow(*row) for row in rows]


def _statement(recorder: Any, in_parts: bool) -> Composed:
    by_part = " AND (hashtext(originator_id::text) & 2147483647) %% %s = %s" if in_parts else ""
    return SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state"
        " FROM {0}.{1} WHERE notification_id > %s AND notification_id <= %s"
        + by_part
        + " ORDER BY notification_id LIMIT %s"
    ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
