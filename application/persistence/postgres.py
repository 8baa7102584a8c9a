"""PostgreSQL: the library's application recorder, plus Planledger's tables in its transaction."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import datetime
from functools import cached_property
from typing import Any
from uuid import UUID

import orjson
import psycopg
from eventsourcing.persistence import (
    DatabaseError,
    InterfaceError,
    InternalError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import (
    ConnectionPool,
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.utils import retry
from psycopg import Connection, Cursor
from psycopg.errors import DuplicateObject, IdleInTransactionSessionTimeout, LockNotAvailable
from psycopg.pq import TransactionStatus
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier
from psycopg_pool import PoolTimeout, TooManyRequests

from application.persistence.chain import genesis
from application.persistence.records import (
    AccessEntry,
    IdempotencyClaim,
    IdempotentResult,
    Link,
    PlanRecords,
    StoredKey,
    group_by_plan,
)

_retry = retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)


class StoreBusyError(DatabaseError):
    """No pooled connection came free within the pool's wait (?connect_timeout=, see
    application/config.py) or the request's pool_queue_limit; or a write waited the
    store's lock_timeout for the events table's write lock. Deliberately not an
    OperationalError: the library's recorders retry those (@retry(..., max_attempts=10,
    wait=0.2)), and each attempt waited the whole timeout again, so a request behind an
    exhausted pool hung for ten waits (~50 s) before any answer, and one behind a held
    lock would have waited ten lock timeouts. Busy is an answer a caller can act on:
    HTTP 503 with Retry-After (interfaces/http/problems.py)."""


CONNECTION_OPTIONS: dict[str, Any] = {
    # A peer that vanishes (a partition, a host gone, a NAT or firewall that forgot the
    # connection) closes nothing, and without these a pooled connection waits on it for
    # good. Measured with a throwaway cluster in a network namespace whose loopback was
    # taken down (a partition): a statement in flight, and a request on an idle pooled
    # connection, both had no answer after 60 s; the request was answered only once the
    # link came back, 108 s after it was sent. With these, the statement failed after
    # 25 s (OperationalError: the library retries it on a new connection) and the
    # request was answered busy (StoreBusyError, 503) after 31 s; once the link was back
    # the next request was served at once. libpq keeps TCP keepalives on by default, but
    # the kernel's first probe comes after 2 hours of silence: here it probes after
    # 10 s and gives up after 3 unanswered probes 5 s apart. Keepalives are not sent
    # while data awaits an acknowledgement (a query sent into the void): tcp_user_timeout
    # closes the connection when sent data stays unacknowledged for 25 s. Both are the
    # kernel's timers, answered by the peer's kernel, so a busy machine, whose processes
    # wait for a CPU, does not trip them; a server that is merely slow keeps
    # acknowledging. (A server that is frozen, kill -STOP, is acknowledged by its kernel:
    # nothing here ends that wait.)
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 25_000,  # milliseconds
    # libpq's own bound on making a connection (the pool's workers make them in the
    # background): psycopg's default is 130 s, during which a worker, one of three, makes
    # no other. Local connections take milliseconds even on a busy machine.
    "connect_timeout": 10,
}
"""libpq's connection parameters that bound a wait on the network, for every pooled
connection (the library's settings have none of them)."""


_queue_until: ContextVar[float | None] = ContextVar("planledger_queue_until", default=None)


@contextmanager
def pool_queue_limit(seconds: float) -> Iterator[None]:
    """Within this block (an HTTP request), a caller queues for a pooled connection only
    until `seconds` after the block began; after that it gets one only if one is free at
    once, else StoreBusyError. A bound per checkout is not enough: a request makes several
    (plan, idempotency key, append, access log), and the library's cache lets one request
    per plan fast-forward at a time, so under an exhausted pool the others queue behind
    it, each waiting out its own pool timeout in turn (seen: 503s after 17 s). Work done
    holding a connection is not limited, so a long export is not cut short."""
    token = _queue_until.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _queue_until.reset(token)


class QueueLimitedPool(ConnectionPool[Connection[DictRow]]):
    """The library's pool, with a checkout's wait cut to the caller's pool_queue_limit."""

    def getconn(self, timeout: float | None = None) -> Any:
        until = _queue_until.get()
        if until is not None:
            wait = self.timeout if timeout is None else timeout
            # Not 0: psycopg's pool then refuses even a free connection.
            timeout = min(wait, max(until - time.monotonic(), 0.001))
        return super().getconn(timeout)


class PostgresStore(PostgresDatastore):
    """The library's datastore, except that its pool is a QueueLimitedPool and a pool
    timeout is StoreBusyError at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # PostgresDatastore makes its pool inline, of a fixed class, and opens it only on
        # first use: ours, with the same settings, takes its place before that can happen.
        made = self.pool
        assert isinstance(made.kwargs, dict)  # the library passes a dict, never a callable
        self.pool = QueueLimitedPool(
            connection_class=made.connection_class,
            kwargs={**made.kwargs, **CONNECTION_OPTIONS},
            min_size=made.min_size,
            max_size=made.max_size,
            open=False,
            configure=self.after_connect_func(),
            timeout=made.timeout,
            max_waiting=made.max_waiting,
            max_lifetime=made.max_lifetime,
            check=ConnectionPool.check_connection if self.pre_ping else None,
            get_password_func=made.get_password_func,
        )

    @classmethod
    def configured_as(cls, datastore: PostgresDatastore) -> PostgresStore:
        """A PostgresStore with the settings of `datastore`, one the library made and
        never opened (its pool holds the connection settings)."""
        pool = datastore.pool
        connect = pool.kwargs  # the library passes a dict, never a callable
        assert isinstance(connect, dict)
        return cls(
            dbname=connect["dbname"],
            host=connect["host"],
            port=connect["port"],
            user=connect["user"],
            password=connect["password"],
            connect_timeout=pool.timeout,
            idle_in_transaction_session_timeout=datastore.idle_in_transaction_session_timeout,
            pool_size=pool.min_size,
            max_overflow=pool.max_size - pool.min_size,
            max_waiting=pool.max_waiting,
            conn_max_age=pool.max_lifetime,
            pre_ping=datastore.pre_ping,
            lock_timeout=datastore.lock_timeout,
            schema=datastore.schema,
            pool_open_timeout=datastore.pool_open_timeout,
            get_password_func=pool.get_password_func,
            single_row_tracking=datastore.single_row_tracking,
            originator_id_type=datastore.originator_id_type,
            enable_db_functions=datastore.enable_db_functions,
        )

    @contextmanager
    def get_connection(self) -> Iterator[Connection[DictRow]]:
        try:
            with super().get_connection() as conn:
                yield conn
        except OperationalError as e:
            if isinstance(e.__cause__, PoolTimeout | TooManyRequests | LockNotAvailable):
                raise StoreBusyError(str(e)) from e.__cause__
            raise
        except InternalError as e:
            # The server ended a session left idle in a transaction (its
            # idle_in_transaction_session_timeout): the transaction is rolled back and the
            # connection is gone, as after a restart. psycopg calls that an InternalError,
            # which nothing retries and the HTTP layer answered 500; it is a dropped
            # connection, retried on a new one like any other.
            if isinstance(e.__cause__, IdleInTransactionSessionTimeout):
                raise OperationalError(str(e)) from e.__cause__
            raise


class PostgresStoreFactory(PostgresFactory):
    """PERSISTENCE_MODULE for PostgreSQL (application/config.py): the library's factory
    with a PostgresStore."""

    def __init__(self, env: Any) -> None:
        # The library reads its settings from the environment into a PostgresDatastore
        # it makes here, with no hook for the class. That one is never opened (its pool
        # opens on first use); the PostgresStore made from its settings serves instead,
        # so the environment is read once, by the library, and one pool is ever opened.
        super().__init__(env)
        self.datastore = PostgresStore.configured_as(self.datastore)


def ddl_lock_key(schema: str) -> str:
    return f"{schema}.planledger-ddl"


class SerialisedDDL:
    """For the library's PostgreSQL recorders: processes that start together on a new
    database (the API's workers, the projector) take turns to create tables. Two
    concurrent CREATE TYPE / CREATE TABLE IF NOT EXISTS of the same name otherwise fail
    on PostgreSQL's catalogue, and the loser stops.

    The turn is a transaction-scoped advisory lock, and everything runs in that one
    transaction, on one connection: holding the lock on one connection while the
    library's create_table asks the pool for another deadlocks a pool of one
    (`?pool_size=1&max_overflow=0`). The statements are the library's own, as its
    create_table runs them; each CREATE TYPE, which has no IF NOT EXISTS, in a savepoint
    of its own, so that one that exists already is rolled back alone."""

    datastore: PostgresDatastore
    sql_create_statements: list[Composed]

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                (ddl_lock_key(self.datastore.schema),),
            )
            for statement in self.sql_create_statements:
                if "CREATE TYPE" in statement.as_string():
                    with suppress(DuplicateObject), curs.connection.transaction():
                        curs.execute(statement, prepare=False)
            self._create_table(curs)  # type: ignore[attr-defined]
        self.datastore.register_type_adapters()


class PostgresSnapshotRecorder(SerialisedDDL, PostgresAggregateRecorder):
    pass


_BEGIN, _COMMIT, _ROLLBACK = SQL("BEGIN"), SQL("COMMIT"), SQL("ROLLBACK")


class PostgresPlanRecorder(SerialisedDDL, PostgresApplicationRecorder, PlanRecords):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        prefix = events_table_name.removesuffix("_events")
        names = {
            n: f"{prefix}_{n}" for n in ("links", "idempotency", "access_log", "keys", "documents")
        }
        names["links_at"] = f"{prefix}_links_at_idx"
        names["events"] = events_table_name
        names["access_plan"] = f"{prefix}_access_log_plan_idx"
        self.identifiers = {k: Identifier(v) for k, v in names.items()}
        self._composed: dict[str, Composed] = {}
        for statement in (
            "CREATE TABLE IF NOT EXISTS {schema}.{links} ("
            " plan_id uuid NOT NULL, position bigint NOT NULL,"
            " recorded_at timestamptz NOT NULL, digest bytea NOT NULL, link bytea NOT NULL,"
            " PRIMARY KEY (plan_id, position))",
            "CREATE INDEX IF NOT EXISTS {links_at} ON {schema}.{links} (plan_id, recorded_at)",
            "CREATE TABLE IF NOT EXISTS {schema}.{idempotency} ("
            " scope text NOT NULL, key text NOT NULL, fingerprint text NOT NULL,"
            " response jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),"
            " PRIMARY KEY (scope, key))",
            "CREATE TABLE IF NOT EXISTS {schema}.{access_log} ("
            " id bigserial PRIMARY KEY, plan_id uuid NOT NULL, user_id text NOT NULL,"
            " role text NOT NULL, action text NOT NULL, at timestamptz NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {access_plan} ON {schema}.{access_log} (plan_id, id)",
            "CREATE TABLE IF NOT EXISTS {schema}.{keys} ("
            " plan_id uuid PRIMARY KEY, wrapped_key bytea,"
            " created_at timestamptz NOT NULL DEFAULT now(), destroyed_at timestamptz)",
            "CREATE TABLE IF NOT EXISTS {schema}.{documents} ("
            " plan_id uuid NOT NULL, document_id uuid NOT NULL, content bytea NOT NULL,"
            " sealed boolean NOT NULL, PRIMARY KEY (plan_id, document_id))",
        ):
            self.sql_create_statements.append(self._sql(statement))

    def _sql(self, statement: str) -> Any:
        # Composed once per statement: composing the identifiers again on every command
        # was a tenth of a command's CPU.
        composed = self._composed.get(statement)
        if composed is None:
            schema = Identifier(self.datastore.schema)
            composed = SQL(statement).format(schema=schema, **self.identifiers)
            self._composed[statement] = composed
        return composed

    # -- the events' transaction --------------------------------------------------------

    @_retry  # as the library's: a connection found dropped is tried again on a new one
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's transaction (its lock on the table, so that notification ids
        commit in order for subscribers; NOTIFY; the events' INSERT), with Planledger's
        rows in it (the plan's key, the idempotency claim, the chain links), sent as one
        pipeline and synced once: one round trip to PostgreSQL, where the library's own
        takes four. A conflict aborts the whole transaction at that one sync and is an
        IntegrityError, as it is there. Nothing in it is a prepared statement: a pipeline
        aborted part-way leaves psycopg believing in statements it never prepared (later
        commands failed with 'prepared statement "_pg3_N" does not exist')."""
        if not stored_events:
            return None
        events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            inserted = conn.cursor()
            try:
                # BEGIN and COMMIT as statements, not psycopg's transaction block, which
                # waits for the results before it sends COMMIT: two more round trips.
                with conn.pipeline():
                    curs.execute(_BEGIN, prepare=False)
                    for statement in self.lock_table_statements:
                        curs.execute(statement, prepare=False)
                    curs.execute(self._notify, prepare=False)
                    inserted.execute(self.insert_events_statement, (events,), prepare=False)
                    self._insert_keys(curs, stored_events)
                    claim: IdempotencyClaim | None = kwargs.get("idempotency")
                    if claim is not None:
                        self._insert_claim(curs, claim, kwargs["response"], stored_events)
                    self._insert_links(curs, stored_events)
                    curs.execute(_COMMIT, prepare=False)
            except BaseException:
                # A statement refused: the server skipped the rest, COMMIT too, and holds
                # the aborted transaction until it is rolled back.
                if conn.info.transaction_status != TransactionStatus.IDLE:
                    with suppress(psycopg.Error):
                        conn.execute(_ROLLBACK, prepare=False)
                raise
            return [row["notification_id"] for row in inserted.fetchall()]

    @cached_property
    def _notify(self) -> Composed:
        return SQL("NOTIFY {0}").format(Identifier(self.channel_name))

    def _insert_claim(
        self,
        curs: Cursor[DictRow],
        claim: IdempotencyClaim,
        response: dict[str, Any],
        stored_events: Sequence[StoredEvent],
    ) -> None:
        # The answer a retry gets holds the write's position (its last notification id),
        # read in the same transaction from the events just inserted: the statements run
        # in order, each seeing the rows of those before it.
        last = stored_events[-1]
        curs.execute(
            self._sql(
                "INSERT INTO {schema}.{idempotency} (scope, key, fingerprint, response)"
                " SELECT %s, %s, %s, %s::jsonb || jsonb_build_object('position',"
                " (SELECT notification_id FROM {schema}.{events}"
                " WHERE originator_id = %s AND originator_version = %s))"
            ),
            (
                claim.scope,
                claim.key,
                claim.fingerprint,
                orjson.dumps(response).decode(),
                last.originator_id,
                last.originator_version,
            ),
            prepare=False,
        )

    def _insert_keys(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent]) -> None:
        for event in stored_events:
            wrapped = getattr(event, "new_wrapped_key", None)
            if wrapped is not None:
                curs.execute(
                    self._sql("INSERT INTO {schema}.{keys} (plan_id, wrapped_key) VALUES (%s, %s)"),
                    (event.originator_id, wrapped),
                    prepare=False,
                )

    def _insert_links(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent]) -> None:
        # Each link is made by the statement that inserts it, from the link before it (or
        # the plan's genesis link when there is none), by chain.py's rule:
        # link(n) = SHA-256(link(n-1) + digest(n)). Reading the previous link in Python
        # instead would wait for a result in the middle of the pipelined transaction: one
        # more round trip per command (bench/append.py measured about 30% of throughput).
        # Statements run in order and see the rows inserted before them in the transaction,
        # so a command of several events chains them exactly as chain_links() would.
        statement = self._sql(
            "INSERT INTO {schema}.{links} (plan_id, position, recorded_at, digest, link)"
            " SELECT %(plan_id)s, %(position)s, %(recorded_at)s, %(digest)s,"
            # Only the first event starts from the genesis link: a later one whose
            # predecessor's link is missing gets NULL, which the NOT NULL column refuses,
            # rather than silently starting a second chain.
            " sha256(CASE WHEN %(position)s = 1 THEN %(genesis)s ELSE"
            " (SELECT previous.link FROM {schema}.{links} previous"
            " WHERE previous.plan_id = %(plan_id)s"
            " AND previous.position = %(position)s - 1) END || %(digest)s)"
        )
        for plan_id, events in group_by_plan(stored_events).items():
            first_link = genesis(plan_id)
            for e in events:
                link = {
                    "plan_id": plan_id,
                    "position": e.originator_version,
                    "recorded_at": e.recorded_at,
                    "digest": e.digest,
                    "genesis": first_link,
                }
                curs.execute(statement, link, prepare=False)

    # -- queries ----------------------------------------------------------------------

    def _fetchall(self, statement: str, params: Sequence[Any]) -> list[DictRow]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._sql(statement), params, prepare=True)
            return curs.fetchall()

    @_retry
    def select_links(self, plan_id: UUID) -> list[Link]:
        rows = self._fetchall(
            "SELECT * FROM {schema}.{links} WHERE plan_id = %s ORDER BY position", (plan_id,)
        )
        return [
            Link(
                plan_id=r["plan_id"],
                position=r["position"],
                recorded_at=r["recorded_at"],
                digest=bytes(r["digest"]),
                link=bytes(r["link"]),
            )
            for r in rows
        ]

    @_retry
    def select_events_of(
        self, plan_ids: Sequence[UUID], topics: Sequence[str]
    ) -> list[StoredEvent]:
        rows = self._fetchall(
            "SELECT originator_id, originator_version, topic, state FROM {schema}.{events}"
            " WHERE originator_id = ANY(%s) AND topic = ANY(%s)"
            " ORDER BY originator_id, originator_version",
            (list(plan_ids), list(topics)),
        )
        return [
            StoredEvent(
                originator_id=r["originator_id"],
                originator_version=r["originator_version"],
                topic=r["topic"],
                state=bytes(r["state"]),
            )
            for r in rows
        ]

    @_retry
    def latest_versions(self, plan_ids: Sequence[UUID]) -> dict[UUID, int]:
        rows = self._fetchall(
            "SELECT plan_id, max(position) AS v FROM {schema}.{links}"
            " WHERE plan_id = ANY(%s) GROUP BY plan_id",
            (list(plan_ids),),
        )
        return {r["plan_id"]: r["v"] for r in rows}

    @_retry
    def version_at(self, plan_id: UUID, instant: datetime) -> int | None:
        rows = self._fetchall(
            "SELECT max(position) AS v FROM {schema}.{links}"
            " WHERE plan_id = %s AND recorded_at <= %s",
            (plan_id, instant),
        )
        return rows[0]["v"]

    @_retry
    def select_idempotent_result(self, scope: str, key: str) -> IdempotentResult | None:
        rows = self._fetchall(
            "SELECT fingerprint, response FROM {schema}.{idempotency}"
            " WHERE scope = %s AND key = %s",
            (scope, key),
        )
        if not rows:
            return None
        return IdempotentResult(fingerprint=rows[0]["fingerprint"], response=rows[0]["response"])

    @_retry
    def select_wrapped_key(self, plan_id: UUID) -> StoredKey | None:
        rows = self._fetchall(
            "SELECT wrapped_key FROM {schema}.{keys} WHERE plan_id = %s", (plan_id,)
        )
        if not rows:
            return None
        wrapped = rows[0]["wrapped_key"]
        return StoredKey(wrapped=bytes(wrapped) if wrapped is not None else None)

    @_retry
    def select_wrapped_keys(self, plan_ids: Sequence[UUID]) -> dict[UUID, StoredKey]:
        rows = self._fetchall(
            "SELECT plan_id, wrapped_key FROM {schema}.{keys} WHERE plan_id = ANY(%s)",
            (list(plan_ids),),
        )
        return {
            r["plan_id"]: StoredKey(
                wrapped=None if r["wrapped_key"] is None else bytes(r["wrapped_key"])
            )
            for r in rows
        }

    @_retry
    def destroy_key(self, plan_id: UUID) -> bool:
        with self.datastore.transaction(commit=True) as curs:
            # A document kept unsealed (no key configured) goes with the key.
            curs.execute(
                self._sql("DELETE FROM {schema}.{documents} WHERE plan_id = %s AND NOT sealed"),
                (plan_id,),
            )
            curs.execute(
                self._sql(
                    "UPDATE {schema}.{keys} SET wrapped_key = NULL, destroyed_at = now()"
                    " WHERE plan_id = %s AND wrapped_key IS NOT NULL"
                ),
                (plan_id,),
            )
            return curs.rowcount > 0

    @_retry
    def insert_access(self, entries: Sequence[AccessEntry]) -> None:
        # One statement on an autocommit connection: one round trip, and committed as
        # durably as an event (an access log that a crash can thin is no audit log). It
        # was BEGIN, SET LOCAL synchronous_commit = off, INSERT and COMMIT: four round
        # trips of a GET's five. A list of plans is one read of each: still one statement.
        with self.datastore.get_connection() as conn:
            conn.execute(
                self._sql(
                    "INSERT INTO {schema}.{access_log} (plan_id, user_id, role, action, at)"
                    " SELECT * FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::text[],"
                    " %s::timestamptz[])"
                ),
                [
                    [e.plan_id for e in entries],
                    [e.user_id for e in entries],
                    [e.role for e in entries],
                    [e.action for e in entries],
                    [e.at for e in entries],
                ],
                prepare=True,
            )

    @_retry
    def insert_document(
        self, plan_id: UUID, document_id: UUID, content: bytes, sealed: bool
    ) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                self._sql(
                    "INSERT INTO {schema}.{documents} (plan_id, document_id, content, sealed)"
                    " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING"
                ),
                (plan_id, document_id, content, sealed),
            )

    @_retry
    def select_document(self, plan_id: UUID, document_id: UUID) -> tuple[bytes, bool] | None:
        rows = self._fetchall(
            "SELECT content, sealed FROM {schema}.{documents}"
            " WHERE plan_id = %s AND document_id = %s",
            (plan_id, document_id),
        )
        return (bytes(rows[0]["content"]), rows[0]["sealed"]) if rows else None

    @_retry
    def select_access(self, plan_id: UUID, limit: int = 1000) -> list[AccessEntry]:
        rows = self._fetchall(
            "SELECT * FROM {schema}.{access_log} WHERE plan_id = %s ORDER BY id DESC LIMIT %s",
            (plan_id, limit),
        )
        return [
            AccessEntry(
                plan_id=r["plan_id"],
                user_id=r["user_id"],
                role=r["role"],
                action=r["action"],
                at=r["at"],
            )
            for r in rows
        ]
