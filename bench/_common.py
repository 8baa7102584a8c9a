"""What the benchmarks share: a fresh PostgreSQL schema per run, and honest statistics.

Benchmarks are not tests: they measure, print, and leave judgement to the reader.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode, urlparse, urlunparse

import psycopg
from psycopg import sql

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/pl_bench"


def ensure_database(url: str) -> None:
    """Create the URL's database if it does not exist (the server must answer)."""
    parsed = urlparse(url)
    dbname = parsed.path.lstrip("/") or "postgres"
    admin = urlunparse(parsed._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
        if found.fetchone() is None:
            with suppress(psycopg.errors.DuplicateDatabase):  # made meanwhile elsewhere
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


@contextmanager
def fresh_schema(url: str, *, keep: bool = False) -> Iterator[tuple[str, str]]:
    """(schema, URL for Planledger with ?schema=...): a new schema, dropped afterwards."""
    ensure_database(url)
    schema = f"bench_{datetime.now():%Y%m%d_%H%M%S}_{uuid.uuid4().hex[:6]}"
    base = urlunparse(urlparse(url)._replace(query=""))
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    query = urlencode({"schema": schema, "pool_size": 2, "max_overflow": 2})
    try:
        yield schema, f"{base}?{query}"
    finally:
        if not keep:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@dataclass(frozen=True)
class Summary:
    """Latencies in seconds, summarised."""

    n: int
    total: float
    median: float
    p90: float
    p99: float
    minimum: float

    @property
    def rate(self) -> float:
        """Operations per second over the measured time (sequential, one client)."""
        return self.n / self.total

    def ms(self) -> str:
        return (
            f"median {self.median * 1e3:.2f} ms, p90 {self.p90 * 1e3:.2f} ms, "
            f"p99 {self.p99 * 1e3:.2f} ms, min {self.minimum * 1e3:.2f} ms"
        )


def summarise(samples: Sequence[float]) -> Summary:
    ordered = sorted(samples)
    n = len(ordered)

    def pct(p: float) -> float:
        return ordered[min(n - 1, round(p / 100 * (n - 1)))]

    return Summary(
        n=n,
        total=sum(ordered),
        median=statistics.median(ordered),
        p90=pct(90),
        p99=pct(99),
        minimum=ordered[0],
    )
