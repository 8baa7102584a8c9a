"""Read model benchmark on PostgreSQL (a benchmark, not a test).

1. Loads N events (default 1,000,000) into a fresh schema: plans of about 20 events each,
   built with the domain model and stored through the application's own mapper (sealed
   personal data, hash chain) and recorder, thousands of events per transaction.
2. Rebuilds each read model from the event store (`projections.engine.rebuild`, as
   `planledger rebuild` does) and reports events per second. Goal: >= 20,000 events/s.
3. Lag: with `planledger project` running as a separate process, writers append through
   the application at a steady rate; for each write, the time from its commit until the
   read model's tracking reaches it. Goal: p99 <= 200 ms.

    python bench/projections.py                       # 1 M events, both read models, lag
    python bench/projections.py --events 100000 --lag-seconds 10
    python bench/projections.py --keep                # keep the schema to look at it

Uses its own database (pl_h3_bench by default, created if missing).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from application.config import persistence_env
from application.persistence.keys import new_master_key
from application.planning import ENCRYPTION_KEY, Planning
from domain.access import Caller
from domain.events import (
    AddMember,
    AgreeOutcome,
    ChangeStage,
    ClosePlan,
    Evaluated,
    GrantDisclosure,
    HoldReview,
    JoinAgency,
    OpenPlan,
    PlanProvision,
    ScheduleReview,
    SetTarget,
)
from domain.plans import Plan
from domain.stages import Stage
from domain.values import Actor, Attribution, Child, PlanType, Progress, ProvisionKind, Role
from projections.engine.catalogue import MODELS
from projections.engine.rebuild import rebuild
from projections.engine.versions import versions_for

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/pl_h3_bench"
ORGS = [f"school:bench-{n}" for n in range(40)]
TYPES = [PlanType.IEP, PlanType.CSP, PlanType.CHILDS_PLAN, PlanType.SEN_SUPPORT]
STAGES = [
    Stage(id=s, name=s, level=n)
    for n, s in enumerate(["universal", "additional", "targeted", "specialist"])
]


def fresh_schema(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres", query=""))
    dbname = parsed.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
        if exists.fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    return schema, f"{url}?schema={schema}&pool_size=2&max_overflow=2"


def drop_schema(url: str, schema: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def a_plan(n: int) -> Plan:
    """About 20 events: people, an outcome, targets, costed provision, a review with
    evaluations, a stage change, a disclosure; every tenth plan closed."""
    org = ORGS[n % len(ORGS)]
    lead = Actor(id=f"u-lead-{n % 500}", name="Bench Lead", role=Role.LEAD_PROFESSIONAL, org=org)
    opened = date(2022, 1, 1) + timedelta(days=n % 900)
    plan = Plan.open(
        OpenPlan(
            plan_type=TYPES[n % len(TYPES)],
            stage=STAGES[n % 3].id,
            org=org,
            child=Child(name=f"Child {n}", date_of_birth=date(2014, 1, 1)),
            next_review_on=opened + timedelta(days=120),
        ),
        Attribution(actor=lead, occurred_on=opened),
    )
    day = opened + timedelta(days=1)
    on_day = Attribution(actor=lead, occurred_on=day)
    plan.execute(AddMember(user_id=f"u-parent-{n}", role=Role.PARENT_CARER, name="Parent"), on_day)
    plan.execute(JoinAgency(org="nhs:salt", name="SALT", kind="health"), on_day)
    outcome = uuid.uuid4()
    plan.execute(AgreeOutcome(outcome_id=outcome, text="Play with friends", area="Social"), on_day)
    targets = [uuid.uuid4() for _ in range(3)]
    for target in targets:
        plan.execute(
            SetTarget(
                target_id=target,
                outcome_id=outcome,
                text="A small step",
                due_on=day + timedelta(days=90),
            ),
            on_day,
        )
    for kind, cost in (
        (ProvisionKind.INTERVENTION, "120.00"),
        (ProvisionKind.EQUIPMENT, "25.50"),
        (ProvisionKind.STRATEGY, None),
    ):
        plan.execute(
            PlanProvision(kind=kind, description="Support", cost=Decimal(cost) if cost else None),
            on_day,
        )
    held = opened + timedelta(days=100 + n % 60)
    on_held = Attribution(actor=lead, occurred_on=held)
    plan.execute(
        HoldReview(
            held_on=held,
            attendees=("Lead",),
            summary="Review",
            next_review_on=held + timedelta(days=180),
            evaluations=tuple(
                Evaluated(target_id=t, progress=p, impact="Some")
                for t, p in zip(targets, Progress, strict=True)
            ),
        ),
        on_held,
    )
    plan.execute(
        ChangeStage(stage=STAGES[3].id),
        Attribution(actor=lead, occurred_on=held, reason="More support needed"),
    )
    plan.execute(
        GrantDisclosure(grantee="tribunal:hec", purpose="Audit", until=held + timedelta(days=60)),
        on_held,
    )
    plan.execute(ScheduleReview(next_review_on=held + timedelta(days=200)), on_held)
    if n % 10 == 0:
        plan.execute(ClosePlan(), Attribution(actor=lead, occurred_on=held, reason="Needs met"))
    return plan


def load(env: dict[str, str], events: int, workers: int = 2) -> int:
    """Store `events` events from `workers` processes (plans are independent, so their
    events may interleave in the log as real writers' would)."""
    shares = [events // workers + (1 if w < events % workers else 0) for w in range(workers)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [
            pool.submit(_load_share, env, share, w, workers) for w, share in enumerate(shares)
        ]
        return sum(f.result() for f in as_completed(futures))  # a loader's error stops here


def _load_share(
    env: dict[str, str], events: int, worker: int, workers: int, batch_events: int = 5000
) -> int:
    planning = Planning(env=env)
    stored, batch, n = 0, [], worker
    started = time.monotonic()
    try:
        while stored < events:
            plan = a_plan(n)
            n += workers
            batch += [planning.mapper.to_stored_event(e) for e in plan.collect_events()]
            if len(batch) >= batch_events or stored + len(batch) >= events:
                batch = batch[: events - stored]
                planning.recorder.insert_events(batch)
                stored += len(batch)
                batch = []
                if worker == 0:
                    rate = workers * stored / (time.monotonic() - started)
                    print(
                        f"\r  loaded ~{workers * stored:,} events ({rate:,.0f}/s)",
                        end="",
                        flush=True,
                    )
    finally:
        planning.close()
    if worker == 0:
        print()
    return stored


def measure_rebuilds(env: dict[str, str], names: list[str], parts: list[int]) -> dict[str, float]:
    """Each model rebuilt once per `parts` setting (1 = the catch-up loop alone), in turn,
    so that load from other work on the machine falls on each alike."""
    rates = {}
    for name in names:
        for n in parts:
            cpu = time.process_time()
            done = rebuild(env, name, parts=n)
            cpu = time.process_time() - cpu
            rates[f"{name} ({n} process{'es' if n > 1 else ''})"] = done.rate
            # CPU time of this process (its threads; not PostgreSQL's, nor other processes'):
            # what a rebuild costs here whatever else the machine is doing meanwhile.
            per_cpu = f"; {done.events / cpu:,.0f} events per CPU-second here" if n == 1 else ""
            print(
                f"  rebuild {name}, {n} process(es): {done.events:,} events in "
                f"{done.seconds:.1f}s = {done.rate:,.0f} events/s{per_cpu}"
            )
    return rates


def measure_lag(url: str, env: dict[str, str], seconds: float, rate: float) -> list[float]:
    """Writes at `rate` per second through the application, with `planledger project` in
    another process; returns the lag of each write in seconds."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from interfaces.cli import main; main()",
            "project",
            "--poll",
            "0.2",
        ],
        env={
            **os.environ,
            "PLANLEDGER_DATABASE_URL": url,
            "PLANLEDGER_ENCRYPTION_KEY": env[ENCRYPTION_KEY],
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    planning = Planning(env=env)
    try:
        datastore = planning.recorder.datastore
        versions = versions_for(datastore)
        view = MODELS["plan_summaries"].open_view(datastore, versions.active("plan_summaries"))
        time.sleep(3)  # the projector starts, catches up and subscribes
        plan_ids = [
            planning.open_plan(
                OpenPlan(
                    plan_type=PlanType.IEP,
                    stage="universal",
                    org=ORGS[0],
                    child=Child(name="Lag", date_of_birth=date(2015, 1, 1)),
                ),
                _lead(),
            ).plan_id
            for _ in range(20)
        ]
        lags: list[float] = []
        for written_at, position in _writes(planning, plan_ids, seconds, rate):
            while (view.max_tracking_id(planning.name) or 0) < position:
                time.sleep(0.001)
            lags.append(time.monotonic() - written_at)
        return lags
    finally:
        process.terminate()
        process.wait(10)
        planning.close()


def _writes(
    planning: Planning, plan_ids: list[uuid.UUID], seconds: float, rate: float
) -> Iterator[tuple[float, int]]:
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        tick = time.monotonic()
        written = planning.change(
            plan_ids[n % len(plan_ids)],
            ScheduleReview(next_review_on=date.today() + timedelta(days=30 + n)),
            _lead(),
        )
        yield time.monotonic(), written.position or 0
        n += 1
        time.sleep(max(0.0, 1 / rate - (time.monotonic() - tick)))


def _lead() -> Caller:
    return Caller(sub="u-lead-0", name="Bench Lead", role=Role.LEAD_PROFESSIONAL, org=ORGS[0])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--models", nargs="*", default=sorted(MODELS))
    parser.add_argument("--lag-seconds", type=float, default=30.0, help="0 skips the lag run")
    parser.add_argument("--write-rate", type=float, default=50.0, help="writes/s in the lag run")
    parser.add_argument("--workers", type=int, default=2, help="processes loading events")
    parser.add_argument(
        "--parts",
        type=int,
        nargs="*",
        default=[1, 2],
        help="processes folding a rebuild: each setting is measured",
    )
    parser.add_argument("--keep", action="store_true", help="keep the schema afterwards")
    parser.add_argument(
        "--reuse",
        nargs=2,
        metavar=("SCHEMA", "KEY"),
        help="measure on a schema kept by --keep (with the key it printed)"
        " instead of loading a new one; it is kept",
    )
    args = parser.parse_args()
    print("$", " ".join([Path(sys.executable).name, *sys.argv]))

    if args.reuse:
        schema, key = args.reuse
        url, args.keep = f"{args.database_url}?schema={schema}&pool_size=2&max_overflow=2", True
    else:
        (schema, url), key = fresh_schema(args.database_url), new_master_key()
    env = {**persistence_env(url), ENCRYPTION_KEY: key}
    # The key of a kept schema is printed so that --reuse can read its sealed events; it
    # is a benchmark's throwaway key, never a real one.
    print(f"schema {schema}" + (f" (kept; --reuse {schema} {key})" if args.keep else ""))
    try:
        if not args.reuse:
            Planning(env=env).close()  # the tables, once, before the loaders start
            started = time.monotonic()
            stored = load(env, args.events, args.workers)
            print(f"  load: {stored:,} events in {time.monotonic() - started:.0f}s")
        print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        rates = measure_rebuilds(env, args.models, args.parts)
        if args.lag_seconds:
            lags = measure_lag(url, env, args.lag_seconds, args.write_rate)
            print(
                f"  lag over {len(lags)} writes at {args.write_rate:.0f}/s: "
                f"p50 {1000 * statistics.median(lags):.0f} ms, "
                f"p99 {1000 * percentile(lags, 99):.0f} ms, max {1000 * max(lags):.0f} ms"
            )
        if not rates:
            return
        best = max(rates, key=rates.get)  # type: ignore[arg-type]
        print(
            f"fastest rebuild: {best} at {rates[best]:,.0f} events/s (goal >= 20,000): "
            f"{'met' if rates[best] >= 20_000 else 'NOT met'}"
        )
    finally:
        if not args.keep:
            drop_schema(args.database_url, schema)


if __name__ == "__main__":
    main()
