"""PostgreSQL base for read model views: versioned tables, batch apply with tracking."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Cursor, RawCursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Composed, Identifier

from application.persistence.postgres import ddl_lock_key
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

_ROWS_PER_STATEMENT = (256, 64, 16, 4, 1)
"""A batch's rows go in statements of these sizes, largest first (100 rows: 64+16+16+4)."""


SET_ASIDE_TABLE = (
    "CREATE TABLE IF NOT EXISTS {schema}.{set_aside} (notification_id bigint PRIMARY KEY,"
    " plan_id uuid NOT NULL, topic text NOT NULL, error_type text NOT NULL,"
    " set_aside_at timestamptz NOT NULL)"
)
"""Events this version did not take (engine/set_aside.py)."""


def lock_ddl(curs: Cursor[DictRow], schema: str) -> None:
    curs.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (ddl_lock_key(schema),))


class PostgresReadModel(PostgresTrackingRecorder, ReadModelView):
    """Tables are named after the tracking table the library gives the view
    (`<model>_v<N>_tracking` -> `<model>_v<N>`, `<model>_v<N>_<suffix>`)."""

    store = Store.POSTGRES
    table_suffixes: tuple[str, ...] = ()
    """The view's tables beside its main one, e.g. ("access",)."""
    shared_tables: tuple[str, ...] = ()
    """Tables every version of the view shares, named `<model>_<name>`, never dropped: what
    was done about the view's rows that a rebuild must not forget (the mail sent)."""

    def __init__(
        self, datastore: PostgresDatastore, *, tracking_table_name: str, **kwargs: Any
    ) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        self.name = base_name(tracking_table_name)
        self._statements: dict[tuple[Any, ...], Composed] = {}
        self.identifiers = {"schema": Identifier(datastore.schema), "main": Identifier(self.name)}
        for suffix in self.table_suffixes:
            self.identifiers[suffix] = Identifier(f"{self.name}_{suffix}")
        self.identifiers["set_aside"] = Identifier(f"{self.name}_set_aside")
        for shared in self.shared_tables:
            self.identifiers[shared] = Identifier(f"{unversioned(self.name)}_{shared}")
        for statement in (*self.create_statements(), SET_ASIDE_TABLE):
            self.sql_create_statements.append(self.sql(statement))

    def sql(self, statement: str, **more: str) -> Composed:
        """A statement with {schema}, {main}, {<suffix>} and {name:...} identifiers filled in."""
        extra = {k: Identifier(v) for k, v in more.items()}
        index_names = {f"idx{i}": Identifier(f"{self.name}_i{i}") for i in range(6)}
        return SQL(statement).format(**self.identifiers, **index_names, **extra)

    @abstractmethod
    def create_statements(self) -> Sequence[str]: ...

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        # CREATE ... IF NOT EXISTS races with itself (a projector's workers and readers
        # start together on an empty schema): one creator at a time.
        lock_ddl(curs, self.datastore.schema)
        # Another creator may have made the tracking table since create_table() looked:
        # then the library must not record its "__migration__" row a second time.
        curs.execute(
            "SELECT to_regclass(%s) AS found",
            (f'"{self.datastore.schema}"."{self.tracking_table_name}"',),
        )
        row = curs.fetchone()
        if row is not None and row["found"] is not None and not self.tracking_table_exists:
            self.tracking_table_exists = True
            self.tracking_migration_previous = self.tracking_migration_current = (
                self._max_tracking_id(self.table_migration_identifier, curs)
            )
        super()._create_table(curs)

    @abstractmethod
    def write(self, curs: Cursor[DictRow], events: Sequence[Any]) -> None:
        """Fold the events into the view's rows, within the caller's transaction."""

    def _write_batch(
        self, batch: Batch, faults: Mapping[int, str], *, tracked: bool
    ) -> list[SetAside]:
        events, aside = sort_out(batch, faults)
        first, last = batch[0][1], batch[-1][1]
        with self.datastore.transaction(commit=True) as curs:
            if tracked:
                # One writer per view at a time: a second projector (or a rebuild racing
                # the projector) waits here, then sees the position the first one recorded.
                curs.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))",
                    (f"{self.datastore.schema}.{self.name}",),
                )
                recorded = self._max_tracking_id(last.application_name, curs)
                if recorded is not None and recorded >= first.notification_id:
                    raise StaleBatchError(self.name, recorded, first.notification_id)
            if events:
                self.write(curs, events)
            if aside:
                curs.executemany(
                    self.sql(
                        "INSERT INTO {schema}.{set_aside} VALUES (%s, %s, %s, %s, %s)"
                        " ON CONFLICT (notification_id) DO NOTHING"
                    ),
                    [(a.notification_id, a.plan_id, a.topic, a.error_type, a.at) for a in aside],
                )
            if tracked:
                self._insert_tracking(curs, last)
        return aside

    def set_aside(self) -> list[SetAside]:
        rows = self.fetch(
            self.sql(
                "SELECT notification_id, plan_id, topic, error_type, set_aside_at"
                " FROM {schema}.{set_aside} ORDER BY notification_id"
            ),
            (),
        )
        return [
            SetAside(
                r["notification_id"], r["plan_id"], r["topic"], r["error_type"], r["set_aside_at"]
            )
            for r in rows
        ]

    def upsert(
        self,
        curs: Cursor[DictRow],
        table: str,
        columns: Sequence[str],
        key: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        """Insert the rows into {table} ("main" or a suffix), replacing those with the same
        key. Keys must be unique within `rows` (a fold's rows are: they are dict keys)."""
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in key)
        self.insert(
            curs, table, columns, rows, f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
        )

    def insert(
        self,
        curs: Cursor[DictRow],
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        suffix: str = "",
    ) -> None:
        """Many rows in few statements, in the caller's transaction. executemany sent one
        statement per row, and on a rebuild their cost in psycopg and in the server was
        most of a batch's writing. Statements hold a fixed number of rows (a few texts,
        composed once) and use PostgreSQL's own $n placeholders through a RawCursor:
        psycopg parses a %s query of more than 50 parameters in Python every time it runs,
        which cost more than the statements saved. Not prepared: a prepared statement is
        keyed by its parameters' types too, and which values are NULL varies by batch."""
        with RawCursor(curs.connection) as raw:
            done = 0
            for size in _ROWS_PER_STATEMENT:
                while len(rows) - done >= size:
                    part = rows[done : done + size]
                    done += size
                    raw.execute(
                        self._insert_statement(table, tuple(columns), size, suffix),
                        [value for row in part for value in row],
                        prepare=False,
                    )

    def _insert_statement(
        self, table: str, columns: tuple[str, ...], rows: int, suffix: str
    ) -> Composed:
        key = (table, columns, rows, suffix)
        statement = self._statements.get(key)
        if statement is None:
            n = len(columns)
            values = ", ".join(
                "(" + ", ".join(f"${r * n + c + 1}" for c in range(n)) + ")" for r in range(rows)
            )
            statement = self._statements[key] = self.sql(
                f"INSERT INTO {{schema}}.{{{table}}} ({', '.join(columns)}) VALUES {values}"
                + suffix.replace("{", "{{").replace("}", "}}")
            )
        return statement

    def write_untracked(self, batch: Batch) -> None:
        """Fold events into rows without recording a position: only for a parallel rebuild
        of a version no reader uses yet, whose position is recorded once every part of the
        log is in (see rebuild.py). Parts must be disjoint by plan. An event the view
        cannot take is set aside, as apply() does."""
        self._settle(batch, tracked=False)

    def record_position(self, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as curs:
            self._insert_tracking(curs, tracking)

    def drop(self) -> None:
        tables = [
            self.name,
            *(f"{self.name}_{s}" for s in self.table_suffixes),
            f"{self.name}_set_aside",
            self.tracking_table_name,
        ]
        with self.datastore.transaction(commit=True) as curs:
            for table in tables:
                curs.execute(
                    SQL("DROP TABLE IF EXISTS {0}.{1}").format(
                        Identifier(self.datastore.schema), Identifier(table)
                    )
                )

    def fetch(self, statement: Composed, params: Sequence[Any] | dict[str, Any]) -> list[DictRow]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params)
            return curs.fetchall()

    def fetch_tuples(self, statement: Composed, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(statement, params)
            return curs.fetchall()
