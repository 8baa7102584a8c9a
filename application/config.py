"""From PLANLEDGER_DATABASE_URL to the eventsourcing library's own settings."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_DATABASE_URL = "sqlite:///var/planledger.db"


class ConfigurationError(ValueError):
    pass


def persistence_env(
    database_url: str, *, pool_size: int = 10, max_overflow: int = 10
) -> dict[str, str]:
    """The library's environment for a database URL: sqlite:///path or postgresql://..."""
    url = urlparse(database_url)
    # Readers keep recently used plans in memory; each read still fetches any newer
    # events first (fast-forward), so several processes stay correct.
    env = {"AGGREGATE_CACHE_MAXSIZE": "2000"}
    if url.scheme == "sqlite":
        path = unquote(url.path.removeprefix("/")) or ":memory:"
        if path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {**env, "PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}
    if url.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        return {
            **env,
            # The library's PostgreSQL persistence, but an exhausted pool answers busy at
            # once rather than being retried (application/persistence/postgres.py).
            "PERSISTENCE_MODULE": "application.persistence.postgres:PostgresStoreFactory",
            "POSTGRES_DBNAME": unquote(url.path.removeprefix("/")) or "postgres",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_SCHEMA": query.get("schema", ""),
            "POSTGRES_POOL_SIZE": query.get("pool_size", str(pool_size)),
            "POSTGRES_MAX_OVERFLOW": query.get("max_overflow", str(max_overflow)),
            # The library's name for how long a caller may wait for a pooled connection
            # (the pool connects in the background); past it the store is busy, which
            # is not retried (application/persistence/postgres.py).
            "POSTGRES_CONNECT_TIMEOUT": query.get("connect_timeout", "5"),
            # No pre-ping: it costs a round trip per checkout, and the library's recorders
            # already retry on a dropped connection.
            "POSTGRES_PRE_PING": "n",
            # Seconds a write waits for the events table's write lock (the library's
            # LOCK TABLE ... IN EXCLUSIVE MODE, which serialises every writer), then the
            # store is busy: 503 with Retry-After, not retried (persistence/postgres.py).
            # The library's default, 0, waits for as long as anything holds the lock: a
            # slow or stuck transaction, an operator's session, a migration. Our own
            # writers hold it for milliseconds: 32 writer threads on 16 plans on this
            # two-core machine under a load average of 5 waited at most 0.29 s in 20 s
            # (3,124 writes, pg_stat_activity sampled every 5 ms), so 10 s is 30 times
            # that. Longer than the idle timeout below, so writers behind a holder that
            # stalled or vanished get the lock once the server ends its session.
            "POSTGRES_LOCK_TIMEOUT": query.get("lock_timeout", "10"),
            # Seconds a session may sit idle inside a transaction before the server ends
            # it, rolling back and releasing its locks (a client that stalled, died or is
            # cut off in the middle of a write would otherwise hold the events table's
            # lock until the server's own keepalive noticed: 2 hours by default). The
            # library's default, made explicit; the longest such gap in the run above was
            # 0.06 s. An ended session is a dropped connection, retried.
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": query.get(
                "idle_in_transaction_session_timeout", "5"
            ),
            # libpq's network bounds (TCP keepalives, tcp_user_timeout, connect_timeout)
            # have no setting in the library: persistence/postgres.py CONNECTION_OPTIONS.
        }
    msg = f"Unsupported database URL scheme '{url.scheme}': use sqlite:/// or postgresql://"
    raise ConfigurationError(msg)
