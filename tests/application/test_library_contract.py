"""The eventsourcing library's own recorder test cases (eventsourcing/tests/persistence.py),
run against Planledger's recorders: what the library promises of an aggregate, an
application and a tracking recorder, Planledger's subclasses must still keep, on a real
PostgreSQL (a schema of its own per test, dropped after it) and on SQLite.

The library ships no PostgreSQL- or SQLite-specific test cases in its package (its
tests/postgres_tests and tests/persistence_tests stay in its repository;
eventsourcing/tests/postgres_utils.py holds helpers only, and imports the repository's
examples package). What those check of a recorder that Planledger changes is ported at the
end of this module: a dropped pooled connection is replaced, and tables are created by
several creators at once, each with a pool of one connection.

The PostgreSQL datastore is Planledger's PostgresStore, with the library's defaults: a pool
of one connection, as the library's own tests run. That is the case that once deadlocked
table creation (SerialisedDDL in application/persistence/postgres.py).

Each library case runs twice for the application recorders: with the library's plain
StoredEvents, and with the events sealed as Planledger's mapper seals them (a digest and a
recording time), so that Planledger's rows written in the events' transaction (the hash
chain) are exercised by the library's scenarios too, and checked after each test to match
the events exactly. No library test method is skipped.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from unittest import TestCase
from urllib.parse import urlparse
from uuid import UUID, uuid4

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresFactory,
    PostgresProcessRecorder,
    PostgresTrackingRecorder,
)
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    InfrastructureFactoryTestCase,
    NonInterleavingNotificationIDsBaseCase,
    TrackingRecorderTestCase,
)
from eventsourcing.utils import Environment, get_topic
from psycopg import sql

from application.persistence.chain import genesis, next_link
from application.persistence.postgres import (
    CONNECTION_OPTIONS,
    PostgresPlanRecorder,
    PostgresSnapshotRecorder,
    PostgresStore,
    PostgresStoreFactory,
)
from application.persistence.records import SealedStoredEvent
from application.persistence.sqlite import SQLitePlanRecorder
from projections.engine.catalogue import MODELS

URL = urlparse(
    os.environ.get("PLANLEDGER_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
)
EVENTS = "planning_events"


def _admin() -> psycopg.Connection:
    return psycopg.connect(URL._replace(query="").geturl(), autocommit=True)


def _store(schema: str, **settings: Any) -> PostgresStore:
    return PostgresStore(
        dbname=URL.path.lstrip("/") or "postgres",
        host=URL.hostname or "127.0.0.1",
        port=URL.port or 5432,
        user=URL.username or "postgres",
        password=URL.password or "",
        schema=schema,
        **settings,
    )


class OnPostgres:
    """A fresh schema for each test; the datastore as the library's tests make it."""

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.schema = f"contract_{uuid4().hex[:12]}"
        with _admin() as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
        self.datastore = _store(self.schema)

    def tearDown(self) -> None:
        try:
            super().tearDown()  # type: ignore[misc]
        finally:
            self.datastore.close()
            with _admin() as conn:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(self.schema)))


def _join_threads_started_since(before: set[threading.Thread]) -> None:
    """The library's concurrency cases tell their reader threads to stop and return without
    joining them, so a reader can still be inside select_notifications when the test's
    datastore is closed. On SQLite that closes the connection under a running statement and
    the process dies (SIGSEGV, seen once in CI). The readers stop within their sleep of a
    few milliseconds: wait for them before closing."""
    for thread in set(threading.enumerate()) - before:
        if not thread.daemon:  # a pool's workers are daemons, and live until it is closed
            thread.join(timeout=30)


class OnSQLite:
    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.threads_before = set(threading.enumerate())
        self.directory = TemporaryDirectory()
        self.datastore = SQLiteDatastore(str(Path(self.directory.name) / "contract.db"))

    def tearDown(self) -> None:
        try:
            super().tearDown()  # type: ignore[misc]
        finally:
            _join_threads_started_since(self.threads_before)
            self.datastore.close()
            self.directory.cleanup()


# -- sealed events: Planledger's chain written in the library's scenarios ----------------------


def seal(event: StoredEvent) -> StoredEvent:
    """The event as Planledger's mapper hands it to the recorder. Version 0, which the
    library's concurrency cases start from and no plan has (a plan's first event is version
    1, where its chain starts), stays plain: it is stored, and not chained."""
    if event.originator_version < 1:
        return event
    return SealedStoredEvent(
        originator_id=event.originator_id,
        originator_version=event.originator_version,
        topic=event.topic,
        state=event.state,
        digest=hashlib.sha256(event.state).digest(),
        recorded_at=datetime.now(UTC),
    )


class Sealing:
    """insert_events seals what the library's test gives it."""

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        return super().insert_events([seal(e) for e in stored_events], **kwargs)  # type: ignore[misc]


class SealingPostgresPlanRecorder(Sealing, PostgresPlanRecorder):
    pass


class SealingSQLitePlanRecorder(Sealing, SQLitePlanRecorder):
    pass


class ChainChecked:
    """After each test: every stored event of version 1 or more has its chain link, no link
    is without its event, and each plan's links chain from its genesis link."""

    recorder: PostgresPlanRecorder | SQLitePlanRecorder | None = None

    def create_recorder(self) -> Any:
        self.recorder = self.make_recorder()
        return self.recorder

    def make_recorder(self) -> Any:
        raise NotImplementedError

    def tearDown(self) -> None:
        if self.recorder is not None:
            self.check_chains(self.recorder)
        super().tearDown()  # type: ignore[misc]

    def check_chains(self, recorder: Any) -> None:
        versions = self.stored_versions()
        plans = {plan for plan, _ in versions}
        linked: set[tuple[UUID, int]] = set()
        for plan in plans:
            links = recorder.select_links(plan)
            previous = genesis(plan)
            for link in links:
                previous = next_link(previous, link.digest)
                assert link.link == previous, (plan, link.position)
            linked |= {(plan, link.position) for link in links}
        assert linked == {(p, v) for p, v in versions if v >= 1}

    def stored_versions(self) -> set[tuple[UUID, int]]:
        raise NotImplementedError


class PostgresChainChecked(ChainChecked):
    datastore: PostgresStore

    def stored_versions(self) -> set[tuple[UUID, int]]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT originator_id, originator_version FROM {}.{}").format(
                    sql.Identifier(self.datastore.schema), sql.Identifier(EVENTS)
                )
            )
            return {(r["originator_id"], r["originator_version"]) for r in curs.fetchall()}


class SQLiteChainChecked(ChainChecked):
    datastore: SQLiteDatastore

    def stored_versions(self) -> set[tuple[UUID, int]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT originator_id, originator_version FROM stored_events")
            return {(UUID(r[0]), r[1]) for r in c.fetchall()}


# -- the library's cases -------------------------------------------------------------------------


class TestPostgresSnapshotRecorder(OnPostgres, AggregateRecorderTestCase):
    def create_recorder(self) -> PostgresSnapshotRecorder:
        recorder = PostgresSnapshotRecorder(self.datastore, events_table_name="planning_snapshots")
        recorder.create_table()
        return recorder


class TestPostgresPlanRecorder(OnPostgres, ApplicationRecorderTestCase):
    def create_recorder(self) -> PostgresPlanRecorder:
        recorder = PostgresPlanRecorder(self.datastore, events_table_name=EVENTS)
        recorder.create_table()
        return recorder

    def test_insert_subscribe(self) -> None:
        # Optional in the library's case, run by its PostgreSQL tests: LISTEN/NOTIFY. A
        # subscription keeps a connection of its own while the test writes: two, then.
        self.datastore.close()
        self.datastore = _store(self.schema, pool_size=2)
        self.optional_test_insert_subscribe()


class TestPostgresPlanRecorderSealed(PostgresChainChecked, TestPostgresPlanRecorder):
    def make_recorder(self) -> PostgresPlanRecorder:
        recorder = SealingPostgresPlanRecorder(self.datastore, events_table_name=EVENTS)
        recorder.create_table()
        return recorder


class TestSQLitePlanRecorder(OnSQLite, ApplicationRecorderTestCase):
    def create_recorder(self) -> SQLitePlanRecorder:
        recorder = SQLitePlanRecorder(self.datastore)
        recorder.create_table()
        return recorder


class TestSQLitePlanRecorderSealed(SQLiteChainChecked, TestSQLitePlanRecorder):
    def make_recorder(self) -> SQLitePlanRecorder:
        recorder = SealingSQLitePlanRecorder(self.datastore)
        recorder.create_table()
        return recorder


class TestPostgresPlanRecorderNonInterleaving(
    PostgresChainChecked, OnPostgres, NonInterleavingNotificationIDsBaseCase
):
    insert_num = 100  # as the library's own PostgreSQL run of this case

    def make_recorder(self) -> PostgresPlanRecorder:
        recorder = SealingPostgresPlanRecorder(self.datastore, events_table_name=EVENTS)
        recorder.create_table()
        return recorder


class TestSQLitePlanRecorderNonInterleaving(
    SQLiteChainChecked, OnSQLite, NonInterleavingNotificationIDsBaseCase
):
    def make_recorder(self) -> SQLitePlanRecorder:
        recorder = SealingSQLitePlanRecorder(self.datastore)
        recorder.create_table()
        return recorder


class TestPostgresReadModelTracking(OnPostgres, TrackingRecorderTestCase):
    """A read model's view is the library's tracking recorder with tables of its own."""

    def create_recorder(self):
        return MODELS["plan_summaries"].open_view(self.datastore, 1)


class TestSQLiteReadModelTracking(OnSQLite, TrackingRecorderTestCase):
    def create_recorder(self):
        return MODELS["plan_summaries"].open_view(self.datastore, 1)


class TrackingSubclass(PostgresTrackingRecorder):
    pass


class TestPostgresStoreFactory(InfrastructureFactoryTestCase[PostgresStoreFactory]):
    """Planledger's factory (PERSISTENCE_MODULE for PostgreSQL) under the library's factory
    case: it swaps in a PostgresStore, and must still make the library's recorders."""

    def setUp(self) -> None:
        self.schema = f"contract_{uuid4().hex[:12]}"
        with _admin() as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
        self.env = Environment("TestCase")
        self.env.update(
            {
                "PERSISTENCE_MODULE": get_topic(PostgresStoreFactory),
                "POSTGRES_DBNAME": URL.path.lstrip("/") or "postgres",
                "POSTGRES_HOST": URL.hostname or "127.0.0.1",
                "POSTGRES_PORT": str(URL.port or 5432),
                "POSTGRES_USER": URL.username or "postgres",
                "POSTGRES_PASSWORD": URL.password or "",
                "POSTGRES_SCHEMA": self.schema,
            }
        )
        super().setUp()

    def tearDown(self) -> None:
        try:
            super().tearDown()
        finally:
            with _admin() as conn:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(self.schema)))

    def expected_factory_class(self) -> type[PostgresStoreFactory]:
        return PostgresStoreFactory

    def expected_aggregate_recorder_class(self) -> type[PostgresAggregateRecorder]:
        return PostgresAggregateRecorder

    def expected_application_recorder_class(self) -> type[PostgresApplicationRecorder]:
        return PostgresApplicationRecorder

    def expected_tracking_recorder_class(self) -> type[PostgresTrackingRecorder]:
        return PostgresTrackingRecorder

    def tracking_recorder_subclass(self) -> type[PostgresTrackingRecorder]:
        return TrackingSubclass

    def expected_process_recorder_class(self) -> type[PostgresProcessRecorder]:
        return PostgresProcessRecorder

    def test_the_store_has_every_setting_the_library_read(self) -> None:
        self.env.update(
            {
                "POSTGRES_POOL_SIZE": "3",
                "POSTGRES_MAX_OVERFLOW": "2",
                "POSTGRES_MAX_WAITING": "7",
                "POSTGRES_CONNECT_TIMEOUT": "4",
                "POSTGRES_CONN_MAX_AGE": "120",
                "POSTGRES_PRE_PING": "y",
                "POSTGRES_LOCK_TIMEOUT": "3",
                "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "9",
            }
        )
        library = PostgresFactory(self.env).datastore
        ours = PostgresStoreFactory(self.env)
        try:
            store = ours.datastore
            assert isinstance(store, PostgresStore)
            for name in (
                "schema",
                "lock_timeout",
                "pre_ping",
                "idle_in_transaction_session_timeout",
                "pool_open_timeout",
                "single_row_tracking",
                "originator_id_type",
                "enable_db_functions",
            ):
                self.assertEqual(getattr(store, name), getattr(library, name), name)
            for name in ("min_size", "max_size", "timeout", "max_waiting", "max_lifetime"):
                self.assertEqual(getattr(store.pool, name), getattr(library.pool, name), name)
            # The library's connection settings, and libpq's network bounds besides.
            self.assertEqual(store.pool.kwargs, {**library.pool.kwargs, **CONNECTION_OPTIONS})
            self.assertIsNotNone(store.pool._check)  # pre-ping on, as asked
        finally:
            ours.close()
            library.close()


# -- what the library's PostgreSQL tests check, of what Planledger changes ------------------------


def _terminate_pooled_connections(datastore: PostgresStore) -> None:
    """Kill the server side of this datastore's idle pooled connections only (never another
    session on the shared server), as a PostgreSQL restart does, and wait until they are
    gone. The pool does not know: there is no pre-ping."""
    pids = [conn.info.backend_pid for conn in datastore.pool._pool]
    assert pids, "the pool holds no idle connection"
    with _admin() as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) pid", (pids,))
        while admin.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,)
        ).fetchone():
            time.sleep(0.01)


class TestPostgresPlanRecorderDroppedConnection(OnPostgres, TestCase):
    """After a restart the pool's idle connection is dead: the next call on it fails, and is
    retried on a new one (the library's test_retry_*_after_closing_connection), for the
    library's methods and for Planledger's own, in one pooled connection."""

    def setUp(self) -> None:
        super().setUp()
        self.recorder = SealingPostgresPlanRecorder(self.datastore, events_table_name=EVENTS)
        self.recorder.create_table()
        self.plan = uuid4()
        self.recorder.insert_events([self.event(1)])

    def event(self, version: int) -> StoredEvent:
        return StoredEvent(
            originator_id=self.plan, originator_version=version, topic="t", state=b"{}"
        )

    def test_an_insert_with_planledgers_rows_is_retried_on_a_new_connection(self) -> None:
        _terminate_pooled_connections(self.datastore)
        self.assertEqual(self.recorder.insert_events([self.event(2)]), [2])
        self.assertEqual([link.position for link in self.recorder.select_links(self.plan)], [1, 2])

    def test_the_librarys_reads_are_retried_on_a_new_connection(self) -> None:
        _terminate_pooled_connections(self.datastore)
        self.assertEqual(len(self.recorder.select_notifications(start=1, limit=1)), 1)
        _terminate_pooled_connections(self.datastore)
        self.assertEqual(self.recorder.max_notification_id(), 1)

    def test_planledgers_reads_are_retried_on_a_new_connection(self) -> None:
        _terminate_pooled_connections(self.datastore)
        self.assertEqual(len(self.recorder.select_links(self.plan)), 1)
        _terminate_pooled_connections(self.datastore)
        self.assertEqual(self.recorder.latest_versions([self.plan]), {self.plan: 1})


class TestPostgresTableCreationWithPoolsOfOne(OnPostgres, TestCase):
    """Creators that start together on an empty schema, each with a pool of one connection,
    all create their tables (in turns) and can write."""

    def test_concurrent_creators_each_with_one_connection(self) -> None:
        stores = [_store(self.schema) for _ in range(4)]
        start, errors = threading.Barrier(len(stores)), []

        def create(store: PostgresStore) -> None:
            try:
                start.wait()
                PostgresSnapshotRecorder(
                    store, events_table_name="planning_snapshots"
                ).create_table()
                PostgresPlanRecorder(store, events_table_name=EVENTS).create_table()
            except Exception as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=create, args=(s,)) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        try:
            self.assertEqual(errors, [])
            for store in stores:
                recorder = SealingPostgresPlanRecorder(store, events_table_name=EVENTS)
                plan = uuid4()
                event = StoredEvent(originator_id=plan, originator_version=1, topic="t", state=b"")
                recorder.insert_events([event])
                self.assertEqual(len(recorder.select_links(plan)), 1)
        finally:
            for store in stores:
                store.close()
