"""SQLite base for read model views: versioned tables (tracking included), batch apply.

The library's SQLite tracking recorder always uses one table called `tracking`, which
two views in one database would share; here each view has `<model>_v<N>_tracking`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from projections.engine.set_aside import SetAside
from projections.engine.store import Store
from projections.engine.views import (
    Batch,
    ReadModelView,
    StaleBatchError,
    base_name,
    sort_out,
    unversioned,
)

SET_ASIDE_TABLE = (
    "CREATE TABLE IF NOT EXISTS {set_aside} (notification_id INTEGER PRIMARY KEY,"
    " plan_id TEXT NOT NULL, topic TEXT NOT NULL, error_type TEXT NOT NULL,"
    " set_aside_at TEXT NOT NULL)"
)
"""Events this version did not take (engine/set_aside.py)."""


class SQLiteReadModel(SQLiteTrackingRecorder, ReadModelView):
    store = Store.SQLITE
    table_suffixes: tuple[str, ...] = ()
    shared_tables: tuple[str, ...] = ()
    """Tables every version of the view shares (engine/postgres.py says why)."""

    def __init__(self, datastore: SQLiteDatastore, *, tracking_table_name: str) -> None:
        self.name = base_name(tracking_table_name)
        self.tracking_table_name = tracking_table_name
        self.tables = {"main": self.name, "tracking": tracking_table_name}
        self.tables.update({s: f"{self.name}_{s}" for s in self.table_suffixes})
        self.tables["set_aside"] = f"{self.name}_set_aside"
        self.shared = {s: f"{unversioned(self.name)}_{s}" for s in self.shared_tables}
        super().__init__(datastore)
        t = tracking_table_name
        self.insert_tracking_statement = (
            f"INSERT INTO {t} VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE SET notification_id = :notification_id "
            f"WHERE {t}.notification_id < :notification_id RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {t} WHERE application_name=?"
        )

    def construct_create_table_statements(self) -> list[str]:
        tracking = (
            f"CREATE TABLE IF NOT EXISTS {self.tracking_table_name} (application_name TEXT,"
            " notification_id INTEGER, PRIMARY KEY (application_name)) WITHOUT ROWID"
        )
        statements = (*self.create_statements(), SET_ASIDE_TABLE)
        return [tracking, *(s.format(**self.tables, **self.shared) for s in statements)]

    def create_table(self) -> None:
        # Under the write lock, so that of two processes making the tables on a new
        # database, the second sees the first's (and its "__migration__" tracking row).
        with self.writing() as c:
            c.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (self.tracking_table_name,),
            )
            if c.fetchone() is not None:
                self.tracking_table_exists = True
                self.tracking_migration_previous = self.tracking_migration_current = (
                    self._max_tracking_id(self.table_migration_identifier, c)
                )
            self._create_table(c)

    @abstractmethod
    def create_statements(self) -> Sequence[str]:
        """Statements with {main}, {tracking} and {<suffix>} table names to fill in."""

    @abstractmethod
    def write(self, c: SQLiteCursor, events: Sequence[Any]) -> None: ...

    @contextmanager
    def writing(self) -> Iterator[SQLiteCursor]:
        # BEGIN IMMEDIATE takes the database's write lock before the position is read,
        # so two appliers cannot both read the same position and both apply.
        with self.datastore.get_connection(commit=True) as conn:
            cursor = conn.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def _write_batch(
        self, batch: Batch, faults: Mapping[int, str], *, tracked: bool
    ) -> list[SetAside]:
        events, aside = sort_out(batch, faults)
        first, last = batch[0][1], batch[-1][1]
        with self.writing() as c:
            if tracked:
                recorded = self._max_tracking_id(last.application_name, c)
                if recorded is not None and recorded >= first.notification_id:
                    raise StaleBatchError(self.name, recorded, first.notification_id)
            if events:
                self.write(c, events)
            if aside:
                c.executemany(
                    f"INSERT OR IGNORE INTO {self.tables['set_aside']} VALUES (?, ?, ?, ?, ?)",
                    [
                        (a.notification_id, str(a.plan_id), a.topic, a.error_type, a.at.isoformat())
                        for a in aside
                    ],
                )
            if tracked:
                self._insert_tracking(c, last)
        return aside

    def set_aside(self) -> list[SetAside]:
        rows = self.fetch(
            "SELECT notification_id, plan_id, topic, error_type, set_aside_at"
            " FROM {set_aside} ORDER BY notification_id",
            (),
        )
        return [SetAside(r[0], UUID(r[1]), r[2], r[3], datetime.fromisoformat(r[4])) for r in rows]

    def drop(self) -> None:
        with self.writing() as c:
            for table in self.tables.values():
                c.execute(f"DROP TABLE IF EXISTS {table}")

    def fetch(self, statement: str, params: Sequence[Any]) -> list[Any]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement.format(**self.tables, **self.shared), params)
            return c.fetchall()
