"""Append and load benchmark on PostgreSQL (a benchmark, not a test).

1. Appends: commands per second of Planning.change(SetTarget) (one TargetSet event) on plans
   that already exist, one client, sequential, against a raw psycopg INSERT of rows of the
   same bytes into a table like the events table, one transaction each. The two are run
   in alternating rounds in the same run, so that drift on a shared machine hits both.
2. Loads: get_plan of a plan with 5,000 events, with snapshots (interval 50) and with
   snapshotting off (every event replayed).

    python bench/append.py --help
    python bench/append.py                  # defaults: 200 plans, 2,000 appends
    python bench/append.py --breakdown      # also: where a command's time goes
    python bench/append.py --profile 500    # also: cProfile of 500 commands
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any
from uuid import UUID, uuid4

import psycopg
from _common import DEFAULT_DATABASE_URL, Summary, fresh_schema, summarise
from psycopg import sql

from application.config import persistence_env
from application.persistence.keys import new_master_key
from application.persistence.records import IdempotencyClaim
from application.planning import ENCRYPTION_KEY, Conditions, Planning
from domain.access import Caller
from domain.calendar import today
from domain.events import (
    AgreeOutcome,
    AppendContribution,
    EvaluateTarget,
    OpenPlan,
    PlanProvision,
    RecordDelivery,
    ReviseTarget,
    SetTarget,
)
from domain.plans import Plan
from domain.values import Actor, Attribution, Child, PlanType, Progress, ProvisionKind, Role

SCHOOL = "school:st-ninians-primary"
LEAD = Actor(id="u-fiona", name="Fiona MacLeod", role=Role.LEAD_PROFESSIONAL, org=SCHOOL)
AS_LEAD = Caller.of(LEAD)
TARGET_TEXT = "Take turns in a board game with two peers for 10 minutes, with adult prompting"
CRITERIA = "Observed by class teacher on 3 occasions"

# -- setup ----------------------------------------------------------------------------------


def make_planning(
    url: str, *, master_key: str | None, snapshots: bool = True, cache: bool = True
) -> Planning:
    env = persistence_env(url)
    if not cache:
        env["AGGREGATE_CACHE_MAXSIZE"] = ""  # every get reconstructs from the store
    if master_key:
        env[ENCRYPTION_KEY] = master_key
    if not snapshots:
        env["IS_SNAPSHOTTING_ENABLED"] = "n"  # the constructor's env wins over the class
    return Planning(env=env)


def open_plans(planning: Planning, count: int) -> list[tuple[UUID, UUID]]:
    """(plan id, outcome id) for `count` new plans, each with one agreed outcome."""
    opened = []
    for i in range(count):
        plan_id = planning.open_plan(
            OpenPlan(
                plan_type=PlanType.IEP,
                stage="additional",
                org=SCHOOL,
                child=Child(name=f"Pupil {i:04d} Campbell", date_of_birth=date(2016, 3, 14)),
            ),
            AS_LEAD,
            occurred_on=today() - timedelta(days=30),
        ).plan_id
        written = planning.change(
            plan_id,
            AgreeOutcome(
                text="I will play with my friends at break",
                area="Social and emotional",
                aspiration="To have good friends",
            ),
            AS_LEAD,
            occurred_on=today() - timedelta(days=29),
        )
        opened.append((plan_id, UUID(written.created["outcome_id"])))
    return opened


# -- appends --------------------------------------------------------------------------------


class Appender:
    """One Planning.change(SetTarget) per call, round robin over the plans."""

    def __init__(self, planning: Planning, plans: list[tuple[UUID, UUID]], idempotency: bool):
        self.planning, self.plans, self.idempotency, self.i = planning, plans, idempotency, 0

    def __call__(self) -> None:
        plan_id, outcome_id = self.plans[self.i % len(self.plans)]
        self.i += 1
        conditions = Conditions()
        if self.idempotency:
            claim = IdempotencyClaim(scope="u-fiona", key=uuid4().hex, fingerprint="f" * 64)
            conditions = Conditions(idempotency=claim)
        self.planning.change(
            plan_id,
            SetTarget(
                outcome_id=outcome_id,
                text=TARGET_TEXT,
                success_criteria=CRITERIA,
                due_on=today() + timedelta(days=60),
            ),
            AS_LEAD,
            conditions=conditions,
        )


class RawInserter:
    """One INSERT ... RETURNING notification_id per call, autocommit (one transaction each),
    of a stored TargetSet event's exact topic and state bytes, into a table with the
    events table's columns, keys and indexes."""

    def __init__(
        self,
        base_url: str,
        schema: str,
        topic: str,
        state: bytes,
        plans: list[UUID],
        name: str = "raw_events",
    ):
        self.conn = psycopg.connect(base_url, autocommit=True)
        table = sql.Identifier(schema, name)
        self.conn.execute(
            sql.SQL(
                "CREATE TABLE {t} (originator_id uuid NOT NULL, originator_version bigint NOT NULL,"
                " topic text, state bytea, notification_id bigserial,"
                " PRIMARY KEY (originator_id, originator_version))"
            ).format(t=table)
        )
        self.conn.execute(sql.SQL("CREATE UNIQUE INDEX ON {t} (notification_id)").format(t=table))
        self.statement = sql.SQL(
            "INSERT INTO {t} (originator_id, originator_version, topic, state)"
            " VALUES (%s, %s, %s, %s) RETURNING notification_id"
        ).format(t=table)
        self.topic, self.state, self.plans, self.i = topic, state, plans, 0

    def __call__(self) -> None:
        plan_id = self.plans[self.i % len(self.plans)]
        version = 1_000_000 + self.i // len(self.plans)
        self.i += 1
        cur = self.conn.execute(
            self.statement, (plan_id, version, self.topic, self.state), prepare=True
        )
        cur.fetchone()

    def close(self) -> None:
        self.conn.close()


class SameSql(RawInserter):
    """The statements a command sends, written by hand with psycopg: the query for newer
    events (as the aggregate cache's fast-forward does), then one transaction with the
    chain link (made in SQL), the table lock, NOTIFY and the event INSERT, pipelined.
    The difference between this and a command is Planledger's and the library's Python."""

    def __init__(self, base_url: str, schema: str, topic: str, state: bytes, plans: list[UUID]):
        super().__init__(base_url, schema, topic, state, plans, name="shaped_events")
        table = sql.Identifier(schema, "shaped_events")
        links = sql.Identifier(schema, "shaped_links")
        self.conn.execute(
            sql.SQL(
                "CREATE TABLE {l} (plan_id uuid NOT NULL, position bigint NOT NULL,"
                " recorded_at timestamptz NOT NULL, digest bytea NOT NULL, link bytea NOT NULL,"
                " PRIMARY KEY (plan_id, position))"
            ).format(l=links)
        )
        self.conn.execute(sql.SQL("CREATE INDEX ON {l} (plan_id, recorded_at)").format(l=links))
        self.newer = sql.SQL(
            "SELECT * FROM {t} WHERE originator_id = %s AND originator_version > %s"
            " ORDER BY originator_version ASC"
        ).format(t=table)
        self.link = sql.SQL(
            "INSERT INTO {l} (plan_id, position, recorded_at, digest, link)"
            " SELECT %(p)s, %(v)s, now(), %(d)s, sha256(coalesce((SELECT x.link FROM {l} x"
            " WHERE x.plan_id = %(p)s AND x.position = %(v)s - 1), %(d)s) || %(d)s)"
        ).format(l=links)
        self.lock = [
            sql.SQL("SET LOCAL lock_timeout = '0s'"),
            sql.SQL("LOCK TABLE {t} IN EXCLUSIVE MODE").format(t=table),
            sql.SQL("NOTIFY {c}").format(c=sql.Identifier(f"{schema}_shaped")),
        ]
        self.digest = bytes(32)

    def __call__(self) -> None:
        plan_id = self.plans[self.i % len(self.plans)]
        version = 2_000_000 + self.i // len(self.plans)
        self.i += 1
        self.conn.execute(self.newer, (plan_id, version - 1), prepare=True).fetchall()
        with self.conn.pipeline(), self.conn.transaction():
            self.conn.execute(
                self.link, {"p": plan_id, "v": version, "d": self.digest}, prepare=True
            )
            for statement in self.lock:
                self.conn.execute(statement, prepare=True)
            cur = self.conn.execute(
                self.statement, (plan_id, version, self.topic, self.state), prepare=True
            )
        cur.fetchone()


def timed(action: Callable[[], None], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def stored_target_set(base_url: str, schema: str) -> tuple[str, bytes]:
    with psycopg.connect(base_url) as conn:
        row = conn.execute(
            sql.SQL("SELECT topic, state FROM {t} WHERE topic LIKE %s LIMIT 1").format(
                t=sql.Identifier(schema, "planning_events")
            ),
            ("%TargetSet",),
        ).fetchone()
    assert row is not None, "no TargetSet event was stored"
    return row[0], bytes(row[1])


# -- where the time goes ---------------------------------------------------------------------


def instrument(planning: Planning) -> tuple[dict[str, list[float]], Callable[[], None]]:
    """Wrap the steps of a command with timers; returns the times and how to unwrap."""
    spent: dict[str, list[float]] = defaultdict(list)
    wrapped: list[tuple[Any, str]] = []

    def wrap(obj: Any, name: str, label: str) -> None:
        inner = getattr(obj, name)
        spent[label] = []

        @wraps(inner)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label].append(time.perf_counter() - started)

        setattr(obj, name, wrapper)
        wrapped.append((obj, name))

    wrap(planning.records, "select_idempotent_result", "idempotency lookup (SQL)")
    wrap(planning.repository, "get", "load: repository.get")
    wrap(planning.snapshots.recorder, "select_events", "  select snapshot (SQL)")
    wrap(planning.recorder, "select_events", "  select events (SQL)")
    wrap(planning.mapper, "to_domain_event", "  mapper.to_domain_event")
    wrap(planning, "save", "save: Application.save")
    wrap(planning.mapper, "to_stored_event", "  mapper.to_stored_event")
    wrap(planning.recorder, "insert_events", "  insert_events (SQL transaction)")
    wrap(planning, "take_snapshot", "  take_snapshot (every 50th version)")

    def undo() -> None:
        for obj, name in wrapped:
            delattr(obj, name)

    return spent, undo


def print_breakdown(spent: dict[str, list[float]], commands: int, total: float) -> None:
    print(
        f"\nWhere a command's time goes ({commands} commands, {total / commands * 1e3:.2f} ms"
        " each on average; times are per command, nested steps indented):"
    )
    print(f"  {'step':<40} {'per command':>12} {'calls':>6} {'median call':>12}")
    for label, samples in spent.items():  # in the order wrapped: the order of a command
        if not samples:
            continue
        per_command = sum(samples) / commands
        median = statistics.median(samples)
        print(f"  {label:<40} {per_command * 1e3:9.3f} ms {len(samples):6d} {median * 1e3:9.3f} ms")


def print_profile(profile: cProfile.Profile, top: int = 30) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


# -- loads ----------------------------------------------------------------------------------


def build_long_plan(planning: Planning, events: int) -> UUID:
    """A plan of `events` events, a plausible mix of a busy plan's life: new targets,
    revisions, evaluations, deliveries of provision and contributions. Saved in batches of
    the snapshot interval, so snapshots are taken where single commands would take them."""
    on = today()
    by = Attribution(actor=LEAD, occurred_on=on)
    plan = Plan.open(
        OpenPlan(
            plan_type=PlanType.IEP,
            stage=planning.stages.get("additional").id,
            org=SCHOOL,
            child=Child(name="Isla Campbell", date_of_birth=date(2016, 3, 14)),
        ),
        Attribution(actor=LEAD, occurred_on=on - timedelta(days=300)),
    )
    outcome_id, provision_id = uuid4(), uuid4()
    plan.execute(
        AgreeOutcome(
            outcome_id=outcome_id,
            text="I will play with my friends at break",
            area="Social and emotional",
            aspiration="To have good friends",
        ),
        by,
    )
    plan.execute(
        PlanProvision(
            provision_id=provision_id,
            kind=ProvisionKind.INTERVENTION,
            description="Lego-based social skills group",
            sessions_per_week=2,
            minutes_per_session=30,
        ),
        by,
    )
    targets: list[UUID] = []
    step = 0
    interval = planning.snapshotting_intervals[Plan]
    while plan.version < events:
        kind = step % 5
        if kind == 0 or not targets:
            targets.append(uuid4())
            plan.execute(
                SetTarget(
                    target_id=targets[-1],
                    outcome_id=outcome_id,
                    text=TARGET_TEXT,
                    due_on=on + timedelta(days=60),
                    success_criteria=CRITERIA,
                ),
                by,
            )
        elif kind == 1:
            plan.execute(
                ReviseTarget(target_id=targets[-1], text=TARGET_TEXT + " (revised)"),
                Attribution(actor=LEAD, occurred_on=on, reason="Agreed at the review"),
            )
        elif kind == 2:
            plan.execute(
                EvaluateTarget(
                    target_id=targets[-1],
                    progress=Progress.PARTIALLY_ACHIEVED,
                    impact="Took turns twice with one prompt",
                ),
                by,
            )
        elif kind == 3:
            plan.execute(
                RecordDelivery(
                    provision_id=provision_id,
                    sessions=1,
                    minutes=30,
                    note="Session delivered as planned",
                ),
                by,
            )
        else:
            plan.execute(
                AppendContribution(
                    contribution_id=uuid4(),
                    kind="observation",
                    text="Played alongside two peers in the Lego corner",
                ),
                by,
            )
        step += 1
        if plan.version % interval == 0:
            planning.save(plan)
    planning.save(plan)
    return plan.id


def time_loads(load: Callable[[], Plan], warmup: int, repeats: int) -> tuple[Summary, Plan]:
    plan = load()
    for _ in range(warmup - 1):
        load()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        plan = load()
        samples.append(time.perf_counter() - started)
    return summarise(samples), plan


# -- main -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database (created if missing; a fresh schema per run)",
    )
    parser.add_argument("--plans", type=int, default=200, help="plans the appends spread over")
    parser.add_argument("--appends", type=int, default=2000, help="measured appends (each side)")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured appends first")
    parser.add_argument(
        "--rounds", type=int, default=4, help="alternating rounds of app appends and raw inserts"
    )
    parser.add_argument(
        "--no-seal", action="store_true", help="no master key: personal fields stored in plain form"
    )
    parser.add_argument(
        "--idempotency", action="store_true", help="every command carries an Idempotency-Key"
    )
    parser.add_argument(
        "--load-events",
        type=int,
        default=5000,
        help="events in the plan for the load benchmark (0: skip)",
    )
    parser.add_argument("--load-repeats", type=int, default=15, help="measured loads each way")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time the steps of a command (an extra, instrumented block)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also run cProfile over N commands and print the top functions",
    )
    parser.add_argument("--keep-schema", action="store_true", help="do not drop the schema")
    args = parser.parse_args()

    master_key = None if args.no_seal else new_master_key()
    base_url = args.database_url.split("?")[0]
    with fresh_schema(args.database_url, keep=args.keep_schema) as (schema, url):
        with psycopg.connect(base_url) as conn:
            server = conn.execute("SHOW server_version").fetchone()[0]
            fsync = conn.execute("SHOW synchronous_commit").fetchone()[0]
        print(
            f"PostgreSQL {server} (synchronous_commit={fsync}), schema {schema};"
            f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        print(
            f"Personal data sealed: {'no' if args.no_seal else 'yes'};"
            f" Idempotency-Key on each command: {'yes' if args.idempotency else 'no'}"
        )
        planning = make_planning(url, master_key=master_key)
        try:
            run_appends(args, planning, base_url, schema)
            if args.load_events:
                run_loads(args, planning, url, master_key)
        finally:
            planning.close()


def run_appends(args: argparse.Namespace, planning: Planning, base_url: str, schema: str) -> None:
    started = time.perf_counter()
    plans = open_plans(planning, args.plans)
    print(
        f"\nOpened {args.plans} plans with one outcome each in"
        f" {time.perf_counter() - started:.1f} s"
    )
    append = Appender(planning, plans, args.idempotency)
    timed(append, args.warmup)
    topic, state = stored_target_set(base_url, schema)
    print(f"A stored TargetSet event: {len(state)} bytes of state, topic {topic!r}")
    plan_ids = [p for p, _ in plans]
    raw = RawInserter(base_url, schema, topic, state, plan_ids)
    shaped = SameSql(base_url, schema, topic, state, plan_ids)
    sides: dict[str, Callable[[], None]] = {"app": append, "raw": raw, "shaped": shaped}
    samples: dict[str, list[float]] = {name: [] for name in sides}
    cpu = dict.fromkeys(sides, 0.0)  # this process's CPU time: steadier than wall time
    try:
        timed(raw, args.warmup)
        timed(shaped, args.warmup)
        per_round = max(1, args.appends // args.rounds)
        for _ in range(args.rounds):
            for name, action in sides.items():
                started_cpu = time.process_time()
                samples[name] += timed(action, per_round)
                cpu[name] += time.process_time() - started_cpu
    finally:
        raw.close()
        shaped.close()
    app_s, raw_s, shaped_s = (summarise(samples[name]) for name in sides)

    def line(label: str, name: str, summary: Summary, unit: str) -> str:
        return (
            f"  {label:<21}{summary.rate:8.1f} {unit:<13}{summary.ms()};"
            f" client CPU {cpu[name] / summary.n * 1e3:.2f} ms each"
        )

    print(f"\nAppends ({app_s.n} each, {args.rounds} alternating rounds, one client, sequential):")
    print(line("change(SetTarget)", "app", app_s, "commands/s"))
    print(line("raw INSERT", "raw", raw_s, "rows/s"))
    print(line("same SQL by hand", "shaped", shaped_s, "commands/s"))
    print(
        f"  ratio raw INSERT / command: {raw_s.rate / app_s.rate:.2f} by rate (goal <= 1.3),"
        f" {app_s.median / raw_s.median:.2f} by medians"
    )
    print(
        f"  ratio same SQL / command:   {shaped_s.rate / app_s.rate:.2f} by rate,"
        f" {app_s.median / shaped_s.median:.2f} by medians"
    )
    versions = append.i // len(plans) + 2
    print(f"  (each plan ends at about version {versions}; a snapshot is taken every 50)")

    if args.breakdown:
        spent, undo = instrument(planning)
        count = max(args.appends // args.rounds, 200)
        total = sum(timed(append, count))
        undo()
        print_breakdown(spent, count, total)
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        timed(append, args.profile)
        profile.disable()
        print(f"\ncProfile of {args.profile} commands (top functions by own time):")
        print_profile(profile)


def run_loads(
    args: argparse.Namespace, planning: Planning, url: str, master_key: str | None
) -> None:
    started = time.perf_counter()
    plan_id = build_long_plan(planning, args.load_events)
    print(f"\nBuilt a plan of {args.load_events} events in {time.perf_counter() - started:.1f} s")
    # Cold loads: no aggregate cache, so every get_plan reconstructs the plan from the store.
    snapshotting = make_planning(url, master_key=master_key, cache=False)
    replaying = make_planning(url, master_key=master_key, snapshots=False, cache=False)
    try:
        assert replaying.repository.snapshot_store is None and replaying.repository.cache is None
        assert snapshotting.repository.cache is None
        snap, with_snapshot = time_loads(
            lambda: snapshotting.get_plan(plan_id), 2, args.load_repeats
        )
        worst_version = args.load_events - 1
        worst, _ = time_loads(
            lambda: snapshotting.repository.get(plan_id, version=worst_version),
            2,
            args.load_repeats,
        )
        full, replayed = time_loads(
            lambda: replaying.get_plan(plan_id), 1, max(3, args.load_repeats // 2)
        )
        latest = snapshotting.snapshots.recorder.select_events(plan_id, desc=True, limit=1)[0]
    finally:
        snapshotting.close()
        replaying.close()
    # Warm: the service's own configuration (aggregate cache), a plan already read once.
    cached, _ = time_loads(lambda: planning.get_plan(plan_id), 2, args.load_repeats)
    assert with_snapshot.version == replayed.version == args.load_events
    assert with_snapshot.targets == replayed.targets
    assert with_snapshot.provisions == replayed.provisions
    interval = planning.snapshotting_intervals[Plan]
    print(
        f"Loading it with get_plan (latest snapshot: version {latest.originator_version},"
        f" {len(latest.state)} bytes):"
    )
    print(f"  cold, with snapshots      {snap.ms()}  (snapshot + 0 events)")
    print(
        f"  cold, snapshot + 49       {worst.ms()}  (version {worst_version}:"
        f" snapshot {worst_version // interval * interval} + {worst_version % interval} events)"
    )
    print(f"  cold, snapshots off       {full.ms()}  (all {args.load_events} events replayed)")
    print(f"  warm, aggregate cache     {cached.ms()}  (cached plan + a query for newer events)")
    print(
        f"  replay / snapshot (medians): {full.median / snap.median:.1f}x;"
        f" replay / snapshot + 49: {full.median / worst.median:.1f}x"
    )


if __name__ == "__main__":
    sys.exit(main())
