"""The PostgreSQL datastore is built as Planledger's classes from the start, with every
setting the library read from the environment (application/persistence/postgres.py)."""

from __future__ import annotations

from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import Environment

from application.config import persistence_env
from application.persistence.postgres import (
    CONNECTION_OPTIONS,
    PostgresStore,
    PostgresStoreFactory,
    QueueLimitedPool,
)
from tests.conftest import POSTGRES_URL


def settings_of(datastore) -> dict:
    pool = datastore.pool
    return {
        **{k: v for k, v in vars(datastore).items() if k != "pool"},
        "connect": pool.kwargs,
        "min_size": pool.min_size,
        "max_size": pool.max_size,
        "timeout": pool.timeout,
        "max_waiting": pool.max_waiting,
        "max_lifetime": pool.max_lifetime,
        "max_idle": pool.max_idle,
        "reconnect_timeout": pool.reconnect_timeout,
        "num_workers": pool.num_workers,
        "connection_class": pool.connection_class,
        "check": pool._check,
        "get_password_func": pool.get_password_func,
    }


def test_the_store_and_its_pool_are_ours_with_the_librarys_settings():
    env = persistence_env(f"{POSTGRES_URL}?schema=s1&pool_size=3&max_overflow=2&connect_timeout=7")
    env["POSTGRES_PRE_PING"] = "y"
    env["POSTGRES_LOCK_TIMEOUT"] = "4"
    env.pop("PERSISTENCE_MODULE")
    library = PostgresFactory(Environment("planning", env))
    ours = PostgresStoreFactory(Environment("planning", env))
    try:
        assert type(ours.datastore) is PostgresStore
        assert type(ours.datastore.pool) is QueueLimitedPool
        # Every setting the library read, and libpq's network bounds besides (they have
        # no setting in the library; tests/application/test_postgres_timeouts.py).
        expected = settings_of(library.datastore)
        expected["connect"] = {**expected["connect"], **CONNECTION_OPTIONS}
        assert settings_of(ours.datastore) == expected
    finally:
        library.close()
        ours.close()
