"""The fault run: a throwaway cluster, the API and the projector as subprocesses, clients
writing throughout, and faults in turn; then the checks (checks.py).

One round is: kill -9 the API and start it again; kill -9 the projector and start it
again; restart PostgreSQL (pg_ctl restart -m immediate, i.e. a crash and crash recovery,
or -m fast); then exhaust the connection pool: the API is restarted (SIGTERM, as a
deploy would) with ?pool_size=2&max_overflow=0 while another session holds the events
table's write lock, so the two connections wait on writers and every other request waits
for a connection. Those requests must be answered 503 with Retry-After within the pool's
wait, not hang, and the two writers 503 once the store's lock timeout runs out; then the
API goes back to its usual pool. Between faults the clients write undisturbed for
`settle_seconds`; the first such stretch, before any fault, is the "calm" phase whose
median answer time sets how slow is too slow (FaultConfig.slow_factor).

Everything is bounded: each request by the client's timeout, each write by its retry
budget, each start by a readiness wait, the whole run by `deadline_seconds`; processes
and the cluster are stopped and the folders removed in `finally`, also on failure.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from application.evidence.checkpoints import new_signing_key
from application.persistence.keys import new_master_key
from tests.faults.checks import Findings, check_everything
from tests.faults.cluster import Cluster, free_port
from tests.faults.services import (
    Service,
    api_service,
    projector_service,
    service_env,
    sigterm_as_interrupt,
)
from tests.faults.workload import Ledger, RetryPolicy, Timing, Tokens, fault_client, seed

TINY_POOL = "pool_size=2&max_overflow=0"
TINY_POOL_CONNECTIONS = 2


@dataclass(frozen=True)
class FaultConfig:
    clients: int = 32
    plans: int = 16
    rounds: int = 1
    settle_seconds: float = 3.0
    pg_modes: tuple[str, ...] = ("immediate",)
    lock_seconds: float = 12.0
    """Longer than the store's lock_timeout (10 s, application/config.py): the two writers
    holding the tiny pool's connections wait on the lock itself until the store gives up
    on it (503, slow but answered), while everyone queueing for the pool must be answered
    503 with Retry-After within the pool's wait. Before the pool fix, they all waited for
    the lock too; before the lock timeout, those two waited for as long as it was held."""
    request_timeout: float = 60.0
    """The client's own bound: a request with no answer by then is hung, and none may be,
    anywhere (the pool exhaustion included). Every wait in the service is bounded well
    inside it: 5 s queueing for a connection, 10 s for the events table's lock, ~25 s
    for a silent peer (application/persistence/postgres.py), so only a real hang, a
    wait with no bound, reaches it, however busy the machine."""
    slow_floor: float = 10.0
    slow_factor: float = 20.0
    """An answer is slow past max(slow_floor, slow_factor x the median answer time of the
    calm phase, measured in the same run): none may be outside the pool exhaustion, and
    at most the two writers holding the tiny pool's connections in one. A fixed 10 s once
    failed in CI on a loaded machine ("1 outside the pool exhaustion"); a machine busy
    enough to slow everything twentyfold moves the bar with it. On this two-core machine
    at a load average of 5, two runs had calm medians of 0.23 s and 0.34 s (so the bar
    stayed at 10 s), and their slowest answers outside the exhaustion took 5.0 s (a 503
    after the 5 s pool queue) and 3.4 s.
    A wait with no bound is caught whatever the bar: it reaches request_timeout."""
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    deadline_seconds: float = 240.0
    """The whole run, set-up to the last check: past it the run is abandoned (and fails)."""
    keep_folder: bool = False


@dataclass
class FaultRun:
    config: FaultConfig
    ledger: Ledger = field(default_factory=Ledger)
    findings: Findings | None = None
    timeline: list[str] = field(default_factory=list)
    pool_503: int = 0
    lock_windows: list[tuple[float, float]] = field(default_factory=list)
    seconds: float = 0.0
    folder: Path | None = None

    @property
    def hung(self) -> int:
        """Requests with no answer within the client's timeout."""
        return self.ledger.count("timeout")

    @property
    def calm_median(self) -> float:
        calm = [t.seconds for t in self.ledger.timings if t.phase == "calm"]
        return statistics.median(calm) if calm else 0.0

    @property
    def slow_threshold(self) -> float:
        return max(self.config.slow_floor, self.config.slow_factor * self.calm_median)

    @property
    def slow(self) -> list[Timing]:
        """Requests that ended (any status, a dropped connection too) later than the
        threshold; hung ones are counted apart."""
        return [
            t
            for t in self.ledger.timings
            if t.seconds > self.slow_threshold and t.status != "timeout"
        ]

    def _in(self, timing: Timing, window: tuple[float, float]) -> bool:
        # In flight while the lock was held: sent before it went, ended after it came. A
        # writer sent well before may queue for the tiny pool (up to its 5 s) and reach
        # LOCK TABLE after the lock is taken: the fixed 1 s margin this replaced counted
        # such a writer "outside the pool exhaustion", the more often the busier the
        # machine, and the harder, the later hold_write_lock's own connection is made.
        return timing.sent <= window[1] and timing.sent + timing.seconds >= window[0]

    @property
    def slow_outside_exhaustion(self) -> list[Timing]:
        return [t for t in self.slow if not any(self._in(t, w) for w in self.lock_windows)]

    @property
    def slow_most_in_one_exhaustion(self) -> int:
        return max(
            (sum(1 for t in self.slow if self._in(t, w)) for w in self.lock_windows), default=0
        )

    @property
    def ok(self) -> bool:
        return (
            self.findings is not None
            and self.findings.ok
            and self.hung == 0
            and not self.slow_outside_exhaustion
            and self.slow_most_in_one_exhaustion <= TINY_POOL_CONNECTIONS
            and self.pool_503 > 0
            and self.ledger.missing_retry_after == 0
        )

    def lines(self) -> list[str]:
        ledger = self.ledger
        statuses: dict[str, int] = {}
        for (_, status), n in sorted(ledger.answers.items(), key=lambda kv: str(kv[0][1])):
            statuses[str(status)] = statuses.get(str(status), 0) + n
        attempts = sum(w.attempts for w in ledger.writes)
        retried = sum(1 for w in ledger.writes if w.attempts > 1)
        out = [
            f"fault run {ledger.run}: {self.config.clients} clients, {self.config.plans} plans, "
            f"{self.config.rounds} round(s), {self.seconds:.0f} s",
            *(f"  {t}" for t in self.timeline),
            f"answers by status (reads and writes): {statuses}",
            f"write attempts {attempts}; writes retried {retried}; gave up "
            f"{sum(w.gave_up for w in ledger.writes)}",
            f"pool exhaustion: {self.pool_503} answers 503, "
            f"{ledger.missing_retry_after} without Retry-After; slowest 503 "
            f"{ledger.slowest_503:.2f} s",
            f"answer times: calm median {self.calm_median * 1000:.0f} ms; slowest by phase "
            + ", ".join(f"{p} {s:.2f} s" for p, s in ledger.slowest.items()),
            f"requests with no answer within {self.config.request_timeout:g} s (hung): {self.hung}",
            f"answers slower than {self.slow_threshold:.1f} s (max({self.config.slow_floor:g}"
            f" s, {self.config.slow_factor:g} x the calm median)): "
            f"{len(self.slow_outside_exhaustion)} outside the pool exhaustion; at most "
            f"{self.slow_most_in_one_exhaustion} in one (allowed: the "
            f"{TINY_POOL_CONNECTIONS} writers holding the tiny pool's connections, which "
            f"wait on the {self.config.lock_seconds:g} s lock itself until the store's "
            "lock timeout)",
            *(
                f"  slow: {t.what} {t.status} after {t.seconds:.2f} s, ended in {t.phase}"
                for t in self.slow_outside_exhaustion[:10]
            ),
        ]
        if self.findings is not None:
            out += self.findings.lines()
            out += [f"PROBLEM: {p}" for p in self.findings.problems]
        out.append(
            "RESULT: "
            + (
                "nothing lost, nothing duplicated, read models and chains intact"
                if self.ok
                else "FAILED"
            )
        )
        return out


class Harness:
    """The cluster and the two services of one run, and the faults done to them."""

    def __init__(self, folder: Path, say: Callable[[str], None]) -> None:
        self.folder, self.say = folder, say
        self.cluster = Cluster()
        self.master_key, self.signing_key = new_master_key(), new_signing_key()
        self.port = free_port()
        self.api: Service | None = None
        self.projector: Service | None = None
        self.began = time.monotonic()

    def env(self, query: str = "") -> dict[str, str]:
        return service_env(
            self.cluster.url(query), self.master_key, PLANLEDGER_SIGNING_KEY=self.signing_key
        )

    def start(self) -> None:
        self.cluster.start()
        self.api = api_service(self.env(), self.port, self.folder / "api.log")
        self.note(
            f"PostgreSQL {self.cluster.bindir.parent.name} on port {self.cluster.port}; "
            f"API ready in {self.api.start():.1f} s"
        )
        self.projector = projector_service(
            self.env(), self.folder / "heartbeat", self.folder / "projector.log"
        )
        self.note(f"projector ready in {self.projector.start():.1f} s")

    def close(self) -> None:
        for service in (self.projector, self.api):
            if service is not None:
                service.stop()
        self.cluster.close()

    def note(self, text: str) -> None:
        self.say(f"[{time.monotonic() - self.began:6.1f} s] {text}")

    def diagnostics(self) -> str:
        parts = [s.log_tail() for s in (self.api, self.projector) if s is not None]
        return "\n".join([*parts, "[PostgreSQL log]", self.cluster.log_tail(15)])


@contextmanager
def phase(ledger: Ledger, name: str) -> Iterator[None]:
    ledger.phase = name
    try:
        yield
    finally:
        ledger.phase = "steady"


async def faults(harness: Harness, config: FaultConfig, run: FaultRun) -> None:
    api, projector, cluster = harness.api, harness.projector, harness.cluster
    assert api is not None and projector is not None
    ledger = run.ledger

    async def settle() -> None:
        await asyncio.sleep(config.settle_seconds)

    def record(text: str) -> None:
        run.timeline.append(text)
        harness.note(text)

    for n in range(config.rounds):
        if n == 0:
            # The first stretch, before any fault: its answer times are the run's yardstick.
            with phase(ledger, "calm"):
                await settle()
        else:
            await settle()
        with phase(ledger, "api-kill"):
            api.kill9()
            await asyncio.sleep(0.5)
            record(
                f"round {n + 1}: API killed (-9); ready again in "
                f"{await asyncio.to_thread(api.start):.1f} s"
            )
        await settle()
        with phase(ledger, "projector-kill"):
            projector.kill9()
            await asyncio.sleep(0.5)
            record(
                f"round {n + 1}: projector killed (-9); ready again in "
                f"{await asyncio.to_thread(projector.start):.1f} s"
            )
        await settle()
        mode = config.pg_modes[n % len(config.pg_modes)]
        with phase(ledger, "pg-restart"):
            took = await asyncio.to_thread(cluster.restart, mode)
            record(f"round {n + 1}: PostgreSQL restarted (-m {mode}) in {took:.1f} s")
        await settle()
        run.pool_503 += await exhaust_pool(harness, config, run, record, n)
    await settle()


async def exhaust_pool(
    harness: Harness, config: FaultConfig, run: FaultRun, record: Callable[[str], None], n: int
) -> int:
    """The number of 503 answers while the pool was exhausted."""
    api, ledger = harness.api, run.ledger
    assert api is not None
    before = ledger.count(503, "pool-exhaustion")
    api.stop()
    api.env = harness.env(TINY_POOL)
    record(
        f"round {n + 1}: API restarted (SIGTERM) with ?{TINY_POOL} in "
        f"{await asyncio.to_thread(api.start):.1f} s"
    )
    await asyncio.sleep(1.0)
    with phase(ledger, "pool-exhaustion"):
        began = time.monotonic()
        await asyncio.to_thread(hold_write_lock, harness.cluster, config.lock_seconds)
        run.lock_windows.append((began, time.monotonic()))
        # Requests already waiting when the lock goes still belong to this phase.
        await asyncio.sleep(0.5)
    busy = ledger.count(503, "pool-exhaustion") - before
    record(
        f"round {n + 1}: events table write-locked for {config.lock_seconds:g} s "
        f"under the tiny pool: {busy} answers 503"
    )
    await asyncio.sleep(1.0)
    api.stop()
    api.env = harness.env()
    record(
        f"round {n + 1}: API restarted (SIGTERM) with its usual pool in "
        f"{await asyncio.to_thread(api.start):.1f} s"
    )
    return busy


def hold_write_lock(cluster: Cluster, seconds: float) -> None:
    """Hold the lock that every writer takes (EXCLUSIVE on planning_events), as a slow
    transaction would: writers then keep their pooled connections while they wait."""
    with cluster.connect() as conn, conn.transaction():
        conn.execute("LOCK TABLE planning_events IN EXCLUSIVE MODE")
        time.sleep(seconds)


async def drive(harness: Harness, config: FaultConfig, run: FaultRun) -> list[str]:
    tokens = Tokens.make()
    plans = await seed(harness.port, tokens, config.plans, config.request_timeout)
    harness.note(f"seeded {len(plans)} plans; {config.clients} clients start writing")
    stop = asyncio.Event()
    clients = [
        asyncio.create_task(
            fault_client(
                n,
                harness.port,
                tokens,
                plans,
                run.ledger,
                stop,
                config.policy,
                config.request_timeout,
            )
        )
        for n in range(config.clients)
    ]
    try:
        await faults(harness, config, run)
    finally:
        stop.set()
        run.ledger.phase = "drain"
        # Each client finishes the write it is on, within its retry budget (and the last
        # attempt within the client's timeout).
        done, pending = await asyncio.wait(
            clients, timeout=config.policy.max_seconds + config.request_timeout + 10
        )
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        if task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
    if pending:
        raise AssertionError(f"{len(pending)} clients did not finish within their budget")
    harness.note(f"writes stopped: {len(run.ledger.writes)} attempted")
    return [p.plan_id for p in plans]


def run_faults(config: FaultConfig, say: Callable[[str], None] = print) -> FaultRun:
    with sigterm_as_interrupt():
        return _run_faults(config, say)


def _run_faults(config: FaultConfig, say: Callable[[str], None]) -> FaultRun:
    run = FaultRun(config)
    folder = Path(tempfile.mkdtemp(prefix="planledger-faults-"))
    run.folder = folder
    harness = Harness(folder, say)
    began = time.monotonic()
    try:
        harness.start()
        plan_ids = asyncio.run(
            asyncio.wait_for(drive(harness, config, run), config.deadline_seconds)
        )
        remaining = config.deadline_seconds - (time.monotonic() - began)
        run.findings = check_everything(
            harness.cluster,
            harness.env(),
            run.ledger,
            plan_ids,
            harness.signing_key,
            folder,
            projector_timeout=max(10.0, min(90.0, remaining)),
        )
        harness.note("checks done")
    except BaseException:
        say(harness.diagnostics())
        raise
    finally:
        run.seconds = time.monotonic() - began
        harness.close()
        if not config.keep_folder:
            shutil.rmtree(folder, ignore_errors=True)
    return run
