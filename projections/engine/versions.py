"""Which version of each read model readers use: a pointer, switched atomically.

A rebuild builds version N+1 in tables of its own while readers and the projector go on
with version N; when N+1 has caught up, one UPDATE points readers at it. Readers look up
the pointer on each read, so the switch needs no restart; the projector polls it and
moves its runner across. Version N is kept until the next rebuild, so a reader that
looked up N just before the switch still finds its tables.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg.sql import SQL, Identifier

from projections.engine.postgres import lock_ddl
from projections.engine.store import Store

TABLE = "read_model_versions"


class Versions(ABC):
    @abstractmethod
    def active(self, name: str) -> int:
        """The version readers use; version 1 is made the first time a model is asked for."""

    @abstractmethod
    def allocate(self, name: str) -> int:
        """A new version number for a rebuild (never reused, even if that rebuild fails)."""

    @abstractmethod
    def switch(self, name: str, *, from_version: int, to_version: int) -> bool:
        """Point readers at `to_version` if they are still on `from_version`."""


class PostgresVersions(Versions):
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = SQL("{0}.{1}").format(Identifier(datastore.schema), Identifier(TABLE))
        with self.datastore.transaction(commit=True) as curs:
            lock_ddl(curs, datastore.schema)
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {0} (name text PRIMARY KEY,"
                    " active integer NOT NULL, latest integer NOT NULL)"
                ).format(self.table)
            )

    def _run(self, statement: Any, params: tuple[Any, ...] = ()) -> list[Any]:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(statement, params)
            return curs.fetchall() if curs.description else []

    def active(self, name: str) -> int:
        # Asked on every read: one statement, no transaction around it.
        with self.datastore.get_connection() as conn:
            rows = conn.execute(
                SQL("SELECT active FROM {0} WHERE name = %s").format(self.table), (name,)
            ).fetchall()
        if rows:
            return rows[0]["active"]
        self._run(
            SQL("INSERT INTO {0} VALUES (%s, 1, 1) ON CONFLICT DO NOTHING").format(self.table),
            (name,),
        )
        return self.active(name)

    def allocate(self, name: str) -> int:
        self.active(name)
        rows = self._run(
            SQL("UPDATE {0} SET latest = latest + 1 WHERE name = %s RETURNING latest").format(
                self.table
            ),
            (name,),
        )
        return rows[0]["latest"]

    def switch(self, name: str, *, from_version: int, to_version: int) -> bool:
        rows = self._run(
            SQL(
                "UPDATE {0} SET active = %s WHERE name = %s AND active = %s RETURNING active"
            ).format(self.table),
            (to_version, name, from_version),
        )
        return bool(rows)


class SQLiteVersions(Versions):
    def __init__(self, datastore: SQLiteDatastore) -> None:
        self.datastore = datastore
        self._run(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY,"
            " active INTEGER NOT NULL, latest INTEGER NOT NULL)"
        )

    def _run(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self.datastore.transaction(commit=True) as c:
            c.execute(statement, params)
            return c.fetchall()

    def active(self, name: str) -> int:
        rows = self._run(f"SELECT active FROM {TABLE} WHERE name = ?", (name,))
        if rows:
            return rows[0][0]
        self._run(f"INSERT OR IGNORE INTO {TABLE} VALUES (?, 1, 1)", (name,))
        return self.active(name)

    def allocate(self, name: str) -> int:
        self.active(name)
        return self._run(
            f"UPDATE {TABLE} SET latest = latest + 1 WHERE name = ? RETURNING latest", (name,)
        )[0][0]

    def switch(self, name: str, *, from_version: int, to_version: int) -> bool:
        rows = self._run(
            f"UPDATE {TABLE} SET active = ? WHERE name = ? AND active = ? RETURNING active",
            (to_version, name, from_version),
        )
        return bool(rows)


VERSIONS: dict[Store, Callable[[Any], Versions]] = {
    Store.POSTGRES: PostgresVersions,
    Store.SQLITE: SQLiteVersions,
}


def versions_for(datastore: PostgresDatastore | SQLiteDatastore) -> Versions:
    return VERSIONS[Store.of(datastore)](datastore)
