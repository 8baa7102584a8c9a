"""The eventsourcing library's own recorder test cases (eventsourcing/tests/persistence.py),
run against Planledger's recorders: what the library promises of an aggregate, an
application and a tracking recorder, Planledger's subclasses must still keep, on a real
PostgreSQL (a schema of its own per test, dropped after it) and on SQLite.

The library's PostgresDatastore defaults to a pool of one connection, as its own tests
run: the case that once deadlocked table creation (application/persistence/postgres.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlparse
from uuid import uuid4

import psycopg
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    TrackingRecorderTestCase,
)
from psycopg import sql

from application.persistence.postgres import PostgresPlanRecorder, PostgresSnapshotRecorder
from application.persistence.sqlite import SQLitePlanRecorder
from projections.engine.catalogue import MODELS

URL = urlparse(
    os.environ.get("PLANLEDGER_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
)


class OnPostgres:
    """A fresh schema for each test; the datastore as the library's tests make it."""

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.schema = f"contract_{uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
        self.datastore = PostgresDatastore(
            dbname=URL.path.lstrip("/") or "postgres",
            host=URL.hostname or "127.0.0.1",
            port=URL.port or 5432,
            user=URL.username or "postgres",
            password=URL.password or "",
            schema=self.schema,
        )

    def tearDown(self) -> None:
        self.datastore.close()
        with self._admin() as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(self.schema)))
        super().tearDown()  # type: ignore[misc]

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(URL._replace(query="").geturl(), autocommit=True)


class OnSQLite:
    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.directory = TemporaryDirectory()
        self.datastore = SQLiteDatastore(str(Path(self.directory.name) / "contract.db"))

    def tearDown(self) -> None:
        self.datastore.close()
        self.directory.cleanup()
        super().tearDown()  # type: ignore[misc]


class TestPostgresSnapshotRecorder(OnPostgres, AggregateRecorderTestCase):
    def create_recorder(self) -> PostgresSnapshotRecorder:
        recorder = PostgresSnapshotRecorder(self.datastore, events_table_name="planning_snapshots")
        recorder.create_table()
        return recorder


class TestPostgresPlanRecorder(OnPostgres, ApplicationRecorderTestCase):
    def create_recorder(self) -> PostgresPlanRecorder:
        recorder = PostgresPlanRecorder(self.datastore, events_table_name="planning_events")
        recorder.create_table()
        return recorder


class TestSQLitePlanRecorder(OnSQLite, ApplicationRecorderTestCase):
    def create_recorder(self) -> SQLitePlanRecorder:
        recorder = SQLitePlanRecorder(self.datastore)
        recorder.create_table()
        return recorder


class TestPostgresReadModelTracking(OnPostgres, TrackingRecorderTestCase):
    """A read model's view is the library's tracking recorder with tables of its own."""

    def create_recorder(self):
        return MODELS["plan_summaries"].open_view(self.datastore, 1)


class TestSQLiteReadModelTracking(OnSQLite, TrackingRecorderTestCase):
    def create_recorder(self):
        return MODELS["plan_summaries"].open_view(self.datastore, 1)
