"""Scale benchmark on PostgreSQL: do reads stay flat as one store grows to 10 M events?

Loads realistic plans (bench/scale_plans.py documents the distribution) into one schema
of its own database (pl_scale), growing it in steps: 1 M, 3 M, 10 M events (and 30 M with
--full). Events are made by the domain model, mapped by the application's own mapper
(personal data sealed with per-plan keys, hash-chain digests) and written by its own
recorder in batches of thousands, with their chain links and keys in the same
transactions, so every read and rebuild works on them. Plans are written in cohorts whose
events are put in date order first, so that a plan's events lie scattered through the log
as years of real use leave them (not side by side, which would flatter reads).

At each size it measures:
- load rate (events/s), with the loaders' CPU seconds and the machine's load average;
- plan read p99: a plan not in memory, from its latest snapshot and the events after it;
  also a cached read (fast-forward only);
- as_of p99: a plan as it stood at an instant between its first and last event;
- history p99: every event of a plan, decoded (GET /api/plans/{id}/history's work);
- list p99 (a lead's first page of plans) and a report (all plans' aggregates);
- projection rebuild time of each read model (projections.engine.rebuild, as `planledger rebuild`);
- bytes per event on disk (pg_total_relation_size / count) and every index's size.
Then it prints one table, fits each figure's growth (log-log slope: 0 flat, 1 linear) and
checks the goal: no read slower by more than 20% from the first size to the last.

    python bench/scale.py                          # 1 M, 3 M, 10 M events (about an hour)
    python bench/scale.py --sizes 100000 300000    # a quick look
    python bench/scale.py --full                   # adds 30 M (checks the disk first)
    python bench/scale.py --keep                   # keep the schema; --schema NAME grows it

Reads are timed in-process through Planning (the HTTP layer adds a constant). The machine
is shared: each phase records its load average and CPU seconds beside wall time, and a
load waits (up to --quiet-wait seconds) for the load average to fall below --quiet-load.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import resource
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse, urlunparse

import psycopg
from psycopg import sql
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

# The repository first: bench/ (this script's folder, already on the path) has a
# projections.py of its own that must not hide the projections package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import ensure_database, summarise
from scale_plans import LEADS_PER_ORG, ORGS, a_plan

from application.config import persistence_env
from application.persistence.keys import new_master_key
from application.planning import ENCRYPTION_KEY, Planning
from domain.access import Visibility
from domain.calendar import today
from projections.engine.catalogue import MODELS
from projections.engine.reading import ReadModels
from projections.engine.rebuild import rebuild
from projections.plan_summaries.view import PlanFilters

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/pl_scale"
SIZES = [1_000_000, 3_000_000, 10_000_000]
FULL = 30_000_000
STORE_TABLES = (
    "planning_events",
    "planning_links",
    "planning_keys",
    "planning_snapshots",
    "planning_idempotency",
    "planning_access_log",
)
READS = ("read_p99_ms", "cached_p99_ms", "as_of_p99_ms", "history_p99_ms", "list_p99_ms")
DISK_RESERVE = 15 * 2**30  # left free for the others on this shared machine
console = Console(width=None if sys.stdout.isatty() else 150)  # a log file gets whole rows


# -- the machine ----------------------------------------------------------------------------


def load_average() -> float:
    return os.getloadavg()[0]


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (every process: this
    benchmark, PostgreSQL and whatever else runs here)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ticks = [int(f) for f in fields]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Phase:
    """Wall time, this process's CPU time, the machine's busy CPU time and load average
    over one phase of the benchmark."""

    name: str
    wall: float = 0.0
    cpu: float = 0.0
    machine_cpu: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)
    extra_cpu: float = 0.0  # CPU of worker processes, added by the phase itself

    def as_dict(self) -> dict[str, Any]:
        return {
            "wall_s": round(self.wall, 1),
            "cpu_s": round(self.cpu + self.extra_cpu, 1),
            "machine_busy_cpu_s": round(self.machine_cpu, 1),
            "load_before": round(self.load[0], 2),
            "load_after": round(self.load[1], 2),
        }


@contextmanager
def phase(name: str, phases: list[Phase]) -> Iterator[Phase]:
    p = Phase(name)
    started, cpu, busy, load = (
        time.monotonic(),
        time.process_time(),
        machine_busy_seconds(),
        load_average(),
    )
    try:
        yield p
    finally:
        p.wall = time.monotonic() - started
        p.cpu = time.process_time() - cpu
        p.machine_cpu = machine_busy_seconds() - busy
        p.load = (load, load_average())
        phases.append(p)


def wait_for_quiet(threshold: float, seconds: float) -> float:
    """Wait until the 1-minute load average is below the threshold, at most `seconds`;
    returns how long it waited (the big loads are best run when the others are idle)."""
    started = time.monotonic()
    while load_average() >= threshold and time.monotonic() - started < seconds:
        time.sleep(10)
    return time.monotonic() - started


# -- the store ------------------------------------------------------------------------------


@dataclass
class Store:
    url: str  # the database
    schema: str

    @property
    def planning_url(self) -> str:
        base = urlunparse(urlparse(self.url)._replace(query=""))
        return f"{base}?{urlencode({'schema': self.schema, 'pool_size': 2, 'max_overflow': 2})}"

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(urlunparse(urlparse(self.url)._replace(query="")), autocommit=True)

    def table(self, name: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier(name))

    def prepare(self) -> str:
        """The schema and its master key (kept in the schema, so that --schema can grow a
        kept store later: synthetic data only, never do this with real plans)."""
        with self.connect() as conn:
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
            )
            conn.execute(
                sql.SQL("CREATE TABLE IF NOT EXISTS {} (master_key text NOT NULL)").format(
                    self.table("scale_bench")
                )
            )
            row = conn.execute(
                sql.SQL("SELECT master_key FROM {}").format(self.table("scale_bench"))
            ).fetchone()
            if row:
                return str(row[0])
            key = new_master_key()
            conn.execute(
                sql.SQL("INSERT INTO {} VALUES (%s)").format(self.table("scale_bench")), (key,)
            )
            return key

    def drop(self) -> None:
        with self.connect() as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema))
            )

    def events(self) -> int:
        with self.connect() as conn:
            row = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(self.table("planning_events"))
            ).fetchone()
        return int(row[0]) if row else 0

    def plans(self) -> int:
        with self.connect() as conn:
            row = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(self.table("planning_keys"))
            ).fetchone()
        return int(row[0]) if row else 0

    def vacuum(self) -> None:
        """What autovacuum would have done by now: statistics and the visibility map."""
        with self.connect() as conn:
            for name in STORE_TABLES:
                conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(self.table(name)))

    def relations(self) -> list[tuple[str, str, int, int]]:
        """(name, kind r|i, total bytes, own bytes) of every table and index."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT c.relname, c.relkind, pg_total_relation_size(c.oid),"
                " pg_relation_size(c.oid) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = %s AND c.relkind IN ('r', 'i') ORDER BY 1",
                (self.schema,),
            ).fetchall()
        return [(str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]

    def free_disk(self) -> int:
        with self.connect() as conn:
            row = conn.execute("SHOW data_directory").fetchone()
        return shutil.disk_usage(str(row[0]) if row else "/").free

    def sample_plans(self, n: int) -> list[uuid.UUID]:
        with self.connect() as conn:
            rows = conn.execute(
                sql.SQL("SELECT plan_id FROM {} ORDER BY random() LIMIT %s").format(
                    self.table("planning_keys")
                ),
                (n,),
            ).fetchall()
        return [r[0] for r in rows]

    def recorded_span(self, plan_id: uuid.UUID) -> tuple[datetime, datetime]:
        with self.connect() as conn:
            row = conn.execute(
                sql.SQL(
                    "SELECT min(recorded_at), max(recorded_at) FROM {} WHERE plan_id = %s"
                ).format(self.table("planning_links")),
                (plan_id,),
            ).fetchone()
        assert row is not None
        return row[0], row[1]


# -- loading --------------------------------------------------------------------------------


def _event_day(event: Any, previous: Any) -> Any:
    return getattr(event, "occurred_on", None) or getattr(event, "held_on", None) or previous


def _loader(
    env: dict[str, str], share: int, seed: int, cohort: int, batch: int, counter: Any, results: Any
) -> None:
    """One loading process: cohorts of plans, their events in date order, inserted by the
    application's recorder in batches; then the cohort's snapshots."""
    planning = Planning(env=env)
    rng = random.Random(seed)
    stored = plans = snapshots = 0
    try:
        while stored < share:
            dated: list[tuple[Any, Any]] = []
            snaps: list[Any] = []
            for _ in range(cohort):
                events, taken = a_plan(rng, rng.randrange(len(ORGS) * 1000))
                day = events[0].occurred_on
                for event in events:
                    day = _event_day(event, day)
                    dated.append((day, planning.mapper.to_stored_event(event)))
                snaps += [planning.mapper.to_stored_event(s) for s in taken]
                planning.mapper.keyring.forget(events[0].originator_id)  # bounded memory
                plans += 1
                if len(dated) >= share - stored:
                    break
            dated.sort(key=lambda d: d[0])  # stable: each plan's own order is kept
            cut = [e for _, e in dated[: share - stored]]
            top: dict[Any, int] = {}
            for start in range(0, len(cut), batch):
                chunk = cut[start : start + batch]
                planning.recorder.insert_events(chunk)
                for e in chunk:
                    top[e.originator_id] = e.originator_version
                stored += len(chunk)
                counter.value = stored
            kept = [s for s in snaps if s.originator_version <= top.get(s.originator_id, 0)]
            for start in range(0, len(kept), batch):
                planning.snapshots.recorder.insert_events(kept[start : start + batch])
            snapshots += len(kept)
    finally:
        planning.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put(
        {
            "events": stored,
            "plans": plans,
            "snapshots": snapshots,
            "cpu": usage.ru_utime + usage.ru_stime,
        }
    )


def load(
    env: dict[str, str], events: int, workers: int, seed: int, cohort: int, batch: int
) -> dict[str, Any]:
    """Add `events` events from `workers` processes, with a progress bar."""
    context = multiprocessing.get_context("spawn")
    shares = [events // workers + (1 if w < events % workers else 0) for w in range(workers)]
    counters = [context.Value("q", 0) for _ in shares]
    results = context.Queue()
    processes = [
        context.Process(
            target=_loader, args=(env, share, seed * 1000 + w, cohort, batch, counters[w], results)
        )
        for w, share in enumerate(shares)
    ]
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>7,.0f} events/s  load {task.fields[load]:.1f}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    started = time.monotonic()
    for process in processes:
        process.start()
    done: list[dict[str, Any]] = []
    with Progress(*columns, console=console, refresh_per_second=2) as bar:
        task = bar.add_task(
            f"loading {events:,} events", total=events, rate=0.0, load=load_average()
        )
        while len(done) < len(processes):
            while not results.empty():
                done.append(results.get())
            stored = sum(c.value for c in counters)
            bar.update(
                task,
                completed=stored,
                load=load_average(),
                rate=stored / max(time.monotonic() - started, 1e-6),
            )
            if any(p.exitcode not in (None, 0) for p in processes):
                raise RuntimeError("a loader failed (see its traceback above)")
            time.sleep(0.5)
    for process in processes:
        process.join()
    seconds = time.monotonic() - started
    loaded = sum(d["events"] for d in done)
    return {
        "events": loaded,
        "plans": sum(d["plans"] for d in done),
        "snapshots": sum(d["snapshots"] for d in done),
        "seconds": seconds,
        "rate": loaded / seconds,
        "loader_cpu_s": sum(d["cpu"] for d in done),
    }


# -- measuring ------------------------------------------------------------------------------


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    out = []
    for call in calls:
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def measure_reads(
    store: Store, env: dict[str, str], samples: int, rng: random.Random
) -> dict[str, float]:
    """p50/p99 of each kind of read, over `samples` plans drawn at random."""
    cold_env = {k: v for k, v in env.items() if k != "AGGREGATE_CACHE_MAXSIZE"}
    cold, warm = Planning(env=cold_env), Planning(env=env)
    out: dict[str, float] = {}
    try:
        plans = store.sample_plans(samples)
        spans = {p: store.recorded_span(p) for p in plans}

        def instant(p: uuid.UUID) -> datetime:
            first, last = spans[p]
            return first + (last - first) * rng.random()

        timed([lambda p=p: cold.get_plan(p) for p in plans[:20]])  # connections, imports
        results = {
            "read": timed([lambda p=p: cold.get_plan(p) for p in plans]),
            "as_of": timed([lambda p=p: cold.get_plan(p, as_of=instant(p)) for p in plans]),
            "history": timed([lambda p=p: cold.history(p) for p in plans]),
        }
        for p in plans:
            warm.get_plan(p)  # into the cache; the timed read only fast-forwards
        results["cached"] = timed([lambda p=p: warm.get_plan(p) for p in plans])
        for name, values in results.items():
            s = summarise(values)
            out[f"{name}_p50_ms"], out[f"{name}_p99_ms"] = s.median * 1e3, s.p99 * 1e3
        out["events_per_plan_read"] = sum(len(cold.history(p)) for p in plans[:200]) / min(
            len(plans), 200
        )
    finally:
        cold.close()
        warm.close()
    return out


def measure_read_models(env: dict[str, str], samples: int, rng: random.Random) -> dict[str, float]:
    planning = Planning(env=env)
    try:
        models = ReadModels(planning, timeout=600)
        day = today()
        leads = [
            f"u-{o.split(':')[1]}-lead-{rng.randrange(LEADS_PER_ORG)}"
            for o in rng.choices(ORGS, k=samples)
        ]
        models.summaries()  # caught up, tables open
        lists = timed(
            [
                lambda lead=lead: models.summaries().list_plans(
                    PlanFilters(), Visibility(member_id=lead), today=day, limit=50
                )
                for lead in leads
            ]
        )
        reports = timed(
            [lambda: models.report("csp-reviews", today=day)] * 5
            + [lambda: models.report("plans-by-type-and-stage", today=day)] * 5
        )
    finally:
        planning.close()
    s = summarise(lists)
    return {
        "list_p50_ms": s.median * 1e3,
        "list_p99_ms": s.p99 * 1e3,
        "report_median_ms": summarise(reports).median * 1e3,
    }


def measure_rebuilds(env: dict[str, str], names: list[str]) -> dict[str, float]:
    out = {}
    for name in names:
        cpu = time.process_time()
        done = rebuild(env, name, batch_size=2000)
        out[f"rebuild_{name}_s"] = done.seconds
        out[f"rebuild_{name}_rate"] = done.rate
        out[f"rebuild_{name}_cpu_s"] = time.process_time() - cpu
        console.print(
            f"  rebuilt {name}: {done.events:,} events in {done.seconds:.0f}s "
            f"({done.rate:,.0f}/s, {out[f'rebuild_{name}_cpu_s']:.0f} CPU-s here)"
        )
    return out


def measure_disk(store: Store, events: int) -> dict[str, Any]:
    relations = store.relations()
    tables = {n: total for n, kind, total, _ in relations if kind == "r"}
    indexes = {n: own for n, kind, _, own in relations if kind == "i"}
    store_bytes = sum(tables.get(t, 0) for t in STORE_TABLES)
    read_model_bytes = sum(
        b for n, b in tables.items() if n not in STORE_TABLES and n != "scale_bench"
    )
    return {
        "bytes_per_event_events_table": tables.get("planning_events", 0) / events,
        "bytes_per_event_store": store_bytes / events,
        "bytes_per_event_read_models": read_model_bytes / events,
        "store_gib": store_bytes / 2**30,
        "indexes_mib": {
            n: b / 2**20 for n, b in sorted(indexes.items()) if n.startswith("planning")
        },
    }


# -- the run --------------------------------------------------------------------------------


@dataclass
class Result:
    events: int
    plans: int
    figures: dict[str, Any] = field(default_factory=dict)
    phases: list[Phase] = field(default_factory=list)


def slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log y on log x: 0 is flat, 1 grows in proportion."""
    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(points) < 2:
        return None
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    var = sum((p[0] - mx) ** 2 for p in points)
    return sum((p[0] - mx) * (p[1] - my) for p in points) / var if var else None


def run_size(
    store: Store, env: dict[str, str], target: int, args: argparse.Namespace, rng: random.Random
) -> Result | None:
    have = store.events()
    phases: list[Phase] = []
    if have < target:
        waited = wait_for_quiet(args.quiet_load, args.quiet_wait)
        if waited > 1:
            console.print(
                f"  waited {waited:.0f}s for a quieter machine (load {load_average():.1f})"
            )
        with phase("load", phases) as p:
            loaded = load(
                env, target - have, args.workers, args.seed + have, args.cohort, args.batch
            )
            p.extra_cpu = loaded["loader_cpu_s"]
        with phase("vacuum", phases):
            store.vacuum()
    else:
        loaded = {"rate": None, "seconds": 0.0, "snapshots": None}
    events = store.events()
    result = Result(events=events, plans=store.plans(), phases=phases)
    result.figures["load_rate"] = loaded["rate"]
    with phase("reads", phases):
        result.figures.update(measure_reads(store, env, args.samples, rng))
    if args.models:
        with phase("rebuild", phases):
            result.figures.update(measure_rebuilds(env, args.models))
        with phase("read models", phases):
            result.figures.update(measure_read_models(env, args.samples // 2, rng))
    result.figures.update(measure_disk(store, events))
    return result


def print_results(results: list[Result], models: list[str]) -> None:
    sizes = [r.events for r in results]
    metrics = [
        ("load_rate", "load, events/s", "{:,.0f}"),
        ("read_p99_ms", "plan read p99, ms", "{:.1f}"),
        ("cached_p99_ms", "cached read p99, ms", "{:.2f}"),
        ("as_of_p99_ms", "as_of p99, ms", "{:.1f}"),
        ("history_p99_ms", "history p99, ms", "{:.1f}"),
        ("list_p99_ms", "list page p99, ms", "{:.1f}"),
        ("report_median_ms", "report, median ms", "{:.0f}"),
        *[(f"rebuild_{m}_s", f"rebuild {m}, s", "{:.0f}") for m in models],
        *[(f"rebuild_{m}_rate", f"rebuild {m}, events/s", "{:,.0f}") for m in models],
        ("bytes_per_event_events_table", "bytes/event, events table", "{:.0f}"),
        ("bytes_per_event_store", "bytes/event, whole store", "{:.0f}"),
        ("bytes_per_event_read_models", "bytes/event, read models", "{:.0f}"),
    ]
    table = Table(title="Planledger at scale (PostgreSQL, one store)")
    table.add_column("figure")
    for r in results:
        table.add_column(f"{r.events:,} events\n{r.plans:,} plans", justify="right")
    table.add_column("log-log slope", justify="right")
    for key, label, fmt in metrics:
        values = [r.figures.get(key) for r in results]
        fitted = slope(sizes, values) if None not in values else None  # type: ignore[arg-type]
        table.add_row(
            label,
            *("-" if v is None else fmt.format(v) for v in values),
            "-" if fitted is None else f"{fitted:+.2f}",
        )
    for name in sorted({n for r in results for n in r.figures.get("indexes_mib", {})}):
        values = [r.figures["indexes_mib"].get(name) for r in results]
        fitted = slope(sizes, values) if None not in values else None  # type: ignore[arg-type]
        table.add_row(
            f"index {name}, MiB",
            *("-" if v is None else f"{v:,.0f}" for v in values),
            "-" if fitted is None else f"{fitted:+.2f}",
        )
    for label in ("load", "reads", "rebuild"):
        table.add_row(
            f"{label}: wall / CPU / machine-busy s, load avg",
            *(_phase(r, label) for r in results),
            "",
        )
    console.print(table)
    if len(results) > 1:
        first, last = results[0].figures, results[-1].figures
        console.print(
            f"Goal: no read slower by more than 20% from {results[0].events:,} "
            f"to {results[-1].events:,} events"
        )
        for key in READS:
            if key in first and key in last:
                change = last[key] / first[key] - 1
                verdict = "met" if change <= 0.20 else "NOT met"
                console.print(
                    f"  {key}: {first[key]:.2f} -> {last[key]:.2f} ms ({change:+.0%}): {verdict}"
                )


def _phase(result: Result, name: str) -> str:
    for p in result.phases:
        if p.name == name:
            d = p.as_dict()
            return (
                f"{d['wall_s']:.0f} / {d['cpu_s']:.0f} / {d['machine_busy_cpu_s']:.0f}, "
                f"{d['load_before']:.1f}-{d['load_after']:.1f}"
            )
    return "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sizes", type=lambda s: int(float(s)), nargs="*", default=SIZES)
    parser.add_argument("--full", action="store_true", help=f"add {FULL:,} events")
    parser.add_argument("--schema", help="grow this schema (kept from an earlier --keep run)")
    parser.add_argument("--keep", action="store_true", help="keep the schema afterwards")
    parser.add_argument("--workers", type=int, default=2, help="loading processes")
    parser.add_argument("--cohort", type=int, default=1500, help="plans interleaved per cohort")
    parser.add_argument("--batch", type=int, default=5000, help="events per transaction")
    parser.add_argument("--samples", type=int, default=1000, help="plans read per figure")
    parser.add_argument(
        "--models",
        nargs="*",
        default=sorted(MODELS),
        help="read models to rebuild at each size (none: skip)",
    )
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=150.0,
        help="stop before a size that would not finish within this",
    )
    parser.add_argument("--quiet-load", type=float, default=3.0)
    parser.add_argument("--quiet-wait", type=float, default=300.0)
    args = parser.parse_args()
    sizes = sorted(set(args.sizes + ([FULL] if args.full else [])))

    ensure_database(args.database_url)
    store = Store(args.database_url, args.schema or f"scale_{datetime.now():%Y%m%d_%H%M%S}")
    key = store.prepare()
    env = {**persistence_env(store.planning_url), ENCRYPTION_KEY: key}
    Planning(env=env).close()  # the tables, once, before the loaders start
    console.print(
        f"database {urlparse(args.database_url).path.lstrip('/')}, schema "
        f"{store.schema}; sizes {', '.join(f'{s:,}' for s in sizes)}; "
        f"{os.cpu_count()} cores, load {load_average():.1f}; code {code_version()}"
    )
    rng = random.Random(args.seed)
    started = time.monotonic()
    deadline = started + args.budget_minutes * 60
    results: list[Result] = []
    try:
        for size in sizes:
            if not fits(store, size, results, deadline):
                break
            size_started = time.monotonic()
            console.rule(f"{size:,} events")
            result = run_size(store, env, size, args, rng)
            if result is None:
                break
            result.figures["size_minutes"] = (time.monotonic() - size_started) / 60
            results.append(result)
            console.print(f"  {size:,}: done in {result.figures['size_minutes']:.1f} min")
            save(results, store)
    finally:
        if results:
            print_results(results, args.models)
        console.print(
            f"total {(time.monotonic() - started) / 60:.1f} min; "
            f"command: python bench/scale.py {' '.join(sys.argv[1:])}"
        )
        if not args.keep:
            store.drop()


def fits(store: Store, size: int, results: list[Result], deadline: float) -> bool:
    """Enough disk (with a reserve for the others here) and time for the next size, by
    what the sizes before it measured."""
    if not results:
        return True
    last = results[-1]
    more = size - last.events
    per_event = last.figures["bytes_per_event_store"] + last.figures["bytes_per_event_read_models"]
    need, free = more * per_event * 1.3, store.free_disk()  # 1.3: WAL, rebuilt versions
    if free - need < DISK_RESERVE:
        console.print(
            f"[red]stopping before {size:,}: it needs about {need / 2**30:.0f} GiB "
            f"and {free / 2**30:.0f} GiB is free (keeping "
            f"{DISK_RESERVE / 2**30:.0f} GiB for the others)[/red]"
        )
        return False
    minutes = last.figures["size_minutes"] * size / max(last.events, 1)
    if time.monotonic() + minutes * 60 > deadline:
        console.print(
            f"[red]stopping before {size:,}: about {minutes:.0f} min more would pass "
            "the time budget (--budget-minutes)[/red]"
        )
        return False
    return True


def code_version() -> str:
    """The commit measured (a long run must not mix code: run it from a worktree of one
    commit while others change the checkout)."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    found = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() or "unknown"


def save(results: list[Result], store: Store) -> None:
    path = Path(__file__).resolve().parents[1] / "var" / f"scale-{store.schema}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        json.dumps(
            [
                {
                    "events": r.events,
                    "plans": r.plans,
                    "figures": r.figures,
                    "phases": [p.as_dict() | {"name": p.name} for p in r.phases],
                }
                for r in results
            ],
            indent=2,
            default=str,
        )
    )


if __name__ == "__main__":
    main()
