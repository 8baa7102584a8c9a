"""HTTP benchmark: N concurrent clients over loopback against `planledger serve` on
PostgreSQL (a benchmark, not a test).

The server is started as a subprocess (`planledger serve --workers W`) on a fresh schema
with a JWT secret and a master key (personal data sealed, as in production). Seeded plans
(`--plans`, each opened by one lead professional with an outcome and a target) are then
driven by `--clients` keep-alive connections, each sending its next request as soon as
the last is answered: 80% reads (GET the plan, GET its history) and 20% writes (set a
target, append a contribution, evaluate the target), on a plan picked at random. The
run stops after `--requests` measured requests or `--seconds`, whichever comes first,
after `--warmup` unmeasured ones. It prints throughput and p50/p90/p99/max latency for
reads and writes (and each kind), any non-2xx answers, and whether the goals were met
(at 32 clients: write p99 <= 25 ms, read p99 <= 10 ms).

    .venv/bin/python bench/http.py --help
    .venv/bin/python bench/http.py                       # 32 clients, 2 workers
    .venv/bin/python bench/http.py --clients 8 --workers 1
    .venv/bin/python bench/http.py --profile             # plus: py-spy on the server
    .venv/bin/python bench/http.py --profile --gil       # ... Python CPU only
    .venv/bin/python bench/http.py --rate 100            # open loop: 100 requests/s
    .venv/bin/python bench/http.py --floor               # each kind alone, against the floor

`--floor` runs each kind alone (GET plan, GET history, POST contribution) and then the
floor (bench/floor.py: the same token verified, one 2 KB row selected through psycopg_pool)
in the same run, and prints for each the rate, the server's CPU per request, PostgreSQL
round trips per request (counted by a proxy in front of PostgreSQL) and CPU / the floor's.

The clients are one asyncio loop speaking HTTP/1.1 on raw streams, so that the load
generator costs little CPU on a machine it shares with the server and PostgreSQL; a
latency is the time from writing the request to reading the last byte of the answer.
`--profile` records the server's worker processes with py-spy (`pip install py-spy`)
during the measured phase and prints where their time goes.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py, as asked; run as a script, its folder comes first on
# sys.path and would shadow the standard library's `http`. Take it off, and load the
# benchmarks' shared module by its path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import http.client  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager, suppress  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import timedelta  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlencode, urlparse, urlunparse  # noqa: E402

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from application.config import persistence_env  # noqa: E402
from application.persistence.keys import new_master_key  # noqa: E402
from application.planning import Planning  # noqa: E402
from domain.calendar import today  # noqa: E402
from domain.values import Role  # noqa: E402
from interfaces.http.auth import issue_token  # noqa: E402

_spec = importlib.util.spec_from_file_location("_common", _HERE / "_common.py")
assert _spec is not None and _spec.loader is not None
_common = importlib.util.module_from_spec(_spec)
sys.modules["_common"] = _common
_spec.loader.exec_module(_common)
DEFAULT_DATABASE_URL, fresh_schema = _common.DEFAULT_DATABASE_URL, _common.fresh_schema
_spec = importlib.util.spec_from_file_location("floor", _HERE / "floor.py")
assert _spec is not None and _spec.loader is not None
floor = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(floor)

SECRET = "planledger-http-bench-" + "0123456789abcdef" * 3
READ_GOAL_MS, WRITE_GOAL_MS = 10.0, 25.0
MIX = (  # (kind, share of requests)
    ("read plan", 0.40),
    ("read history", 0.40),
    ("set target", 0.0667),
    ("append contribution", 0.0667),
    ("evaluate target", 0.0666),
)
WRITES = frozenset({"set target", "append contribution", "evaluate target"})


# -- a small HTTP/1.1 client ------------------------------------------------------------


class Connection:
    """One keep-alive connection; answers must carry Content-Length (uvicorn's do)."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.auth = f"Authorization: Bearer {token}\r\n".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        payload = json.dumps(body).encode() if body is not None else b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Length: {len(payload)}\r\n"
        ).encode()
        if body is not None:
            head += b"Content-Type: application/json\r\n"
        self.writer.write(head + self.auth + b"\r\n" + payload)
        assert self.reader is not None
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        length, closing = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise ValueError("chunked answers are not supported by this client")
            elif name == "connection" and value.strip().lower() == "close":
                closing = True
        answer = await self.reader.readexactly(length)
        if closing:
            await self.close()
        return status, answer

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


# -- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(
    database_url: str, workers: int, port: int, log: Path, sealed: bool
) -> Iterator[subprocess.Popen]:
    """`planledger serve` as a subprocess; yields it once /readyz answers 200."""
    planledger = shutil.which("planledger", path=str(Path(sys.executable).parent)) or shutil.which(
        "planledger"
    )
    if planledger is None:
        sys.exit("planledger is not installed in this environment (pip install -e .)")
    env = {**os.environ, "PLANLEDGER_DATABASE_URL": database_url, "PLANLEDGER_JWT_SECRET": SECRET}
    if sealed:
        env["PLANLEDGER_ENCRYPTION_KEY"] = new_master_key()
    command = [
        planledger,
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with running(command, env, port, log) as server:
        yield server


@contextmanager
def running(
    command: list[str], env: dict[str, str], port: int, log: Path
) -> Iterator[subprocess.Popen]:
    """A server process in a session of its own; yields it once /readyz answers 200."""
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_ready(port, server)
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode} before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("the server was not ready in time")


# -- the workload -----------------------------------------------------------------------


@dataclass
class SeededPlan:
    plan_id: str
    outcome_id: str
    target_id: str


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    started: float = 0.0
    finished: float = 0.0

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def due_on() -> str:
    return (today() + timedelta(days=90)).isoformat()


async def seed(host: str, port: int, token: str, plans: int) -> list[SeededPlan]:
    """Opens the plans through the API, eight connections at a time."""

    async def one(conn: Connection, n: int) -> SeededPlan:
        status, body = await conn.request(
            "POST",
            "/api/plans",
            {
                "plan_type": "iep",
                "stage": "additional",
                "org": "school:st-ninians-primary",
                "child": {"name": f"Bench Child {n}", "date_of_birth": "2016-03-14"},
            },
        )
        assert status == 201, body
        plan_id = json.loads(body)["id"]
        status, body = await conn.request(
            "POST",
            f"/api/plans/{plan_id}/outcomes",
            {"text": "I will play with my friends at break", "area": "Social"},
        )
        assert status == 201, body
        outcome_id = json.loads(body)["outcome_id"]
        status, body = await conn.request(
            "POST",
            f"/api/plans/{plan_id}/targets",
            {"outcome_id": outcome_id, "text": "Take turns with two peers", "due_on": due_on()},
        )
        assert status == 201, body
        return SeededPlan(plan_id, outcome_id, json.loads(body)["target_id"])

    conns = [Connection(host, port, token) for _ in range(8)]
    seeded: list[SeededPlan] = []
    for start in range(0, plans, len(conns)):
        batch = range(start, min(plans, start + len(conns)))
        seeded += await asyncio.gather(*(one(conns[i % len(conns)], i) for i in batch))
    for conn in conns:
        await conn.close()
    return seeded


def next_request(
    rng: random.Random, plan: SeededPlan, only: str | None = None
) -> tuple[str, str, str, dict | None]:
    kind = only or rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
    base = f"/api/plans/{plan.plan_id}"
    if kind == "read plan":
        return kind, "GET", base, None
    if kind == "read history":
        return kind, "GET", f"{base}/history", None
    if kind == "set target":
        return (
            kind,
            "POST",
            f"{base}/targets",
            {
                "outcome_id": plan.outcome_id,
                "text": "Ask for help with a visual card",
                "due_on": due_on(),
            },
        )
    if kind == "append contribution":
        return (
            kind,
            "POST",
            f"{base}/contributions",
            {"kind": "observation", "text": "Joined the group game for ten minutes"},
        )
    return (
        kind,
        "POST",
        f"{base}/targets/{plan.target_id}/evaluations",
        {"progress": "partially_achieved", "impact": "Waits for a turn with an adult nearby"},
    )


async def drive(
    host: str,
    port: int,
    token: str,
    plans: list[SeededPlan],
    clients: int,
    requests: int,
    seconds: float,
    warmup: int,
    seed_value: int,
    rate: float | None = None,
    pick: Callable[[random.Random], tuple[str, str, str, dict | None]] | None = None,
) -> Results:
    """Closed loop (each client sends its next request when the last is answered), or,
    with `rate`, open loop: requests are due at a fixed total rate and each latency is
    counted from when its request was due, so time queued for a free client counts too."""
    results = Results()
    pick = pick or (lambda rng: next_request(rng, rng.choice(plans)))
    budget = {"warmup": warmup, "measured": requests}
    deadline = [float("inf")]
    tickets: asyncio.Queue[float] = asyncio.Queue()

    async def ticker() -> None:
        assert rate is not None
        start = time.perf_counter()
        for n in range(warmup + requests):
            due = start + n / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tickets.put_nowait(due)
        for _ in range(clients):
            tickets.put_nowait(float("nan"))

    async def client(n: int) -> None:
        rng = random.Random(seed_value * 1000 + n)
        conn = Connection(host, port, token)
        try:
            while True:
                due = await tickets.get() if rate else None
                if due is not None and due != due:  # NaN: no more tickets
                    return
                if budget["warmup"] > 0:
                    budget["warmup"] -= 1
                    measured = False
                elif budget["measured"] > 0 and time.perf_counter() < deadline[0]:
                    if results.started == 0.0:
                        results.started = time.perf_counter()
                        deadline[0] = results.started + seconds
                    budget["measured"] -= 1
                    measured = True
                else:
                    return
                kind, method, path, body = pick(rng)
                began = due if due is not None else time.perf_counter()
                try:
                    status, _ = await conn.request(method, path, body)
                except (ConnectionError, asyncio.IncompleteReadError):
                    status = 0  # dropped by the server (e.g. after a 500); counted, redialled
                    await conn.close()
                took = time.perf_counter() - began
                if measured:
                    results.latencies[kind].append(took)
                    results.statuses[(kind, status)] += 1
                    results.finished = max(results.finished, time.perf_counter())
        finally:
            await conn.close()

    await asyncio.gather(*(client(n) for n in range(clients)), *([ticker()] if rate else []))
    return results


# -- reporting --------------------------------------------------------------------------


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def line(label: str, samples: list[float], elapsed: float) -> str:
    if not samples:
        return f"  {label:<22} (none)"
    ordered = sorted(samples)
    ms = [percentile(ordered, p) * 1e3 for p in (50, 90, 99)]
    return (
        f"  {label:<22} {len(ordered):>7} req {len(ordered) / elapsed:>8.1f}/s   "
        f"p50 {ms[0]:6.2f}  p90 {ms[1]:6.2f}  p99 {ms[2]:7.2f}  "
        f"max {ordered[-1] * 1e3:7.2f} ms"
    )


def report(results: Results, args: argparse.Namespace) -> None:
    elapsed = results.finished - results.started
    reads = [t for k, v in results.latencies.items() if k not in WRITES for t in v]
    writes = [t for k, v in results.latencies.items() if k in WRITES for t in v]
    mode = f"open loop at {args.rate:g} req/s" if args.rate else "closed loop"
    print(
        f"\n{results.count} requests in {elapsed:.1f} s: {results.count / elapsed:.1f} req/s "
        f"({args.clients} clients, {mode}, {args.workers} workers, {args.plans} plans)"
    )
    print(line("reads", reads, elapsed))
    print(line("writes", writes, elapsed))
    for kind, _ in MIX:
        print(line(kind, results.latencies.get(kind, []), elapsed))
    odd = {k: n for k, n in results.statuses.items() if not 200 <= k[1] < 300}
    if odd:
        listed = ", ".join(f"{kind} {status}: {n}" for (kind, status), n in odd.items())
        print(f"  non-2xx answers (0: connection dropped): {listed}")
    for label, samples, goal in (("read", reads, READ_GOAL_MS), ("write", writes, WRITE_GOAL_MS)):
        if samples:
            p99 = percentile(sorted(samples), 99) * 1e3
            verdict = "met" if p99 <= goal else "MISSED"
            print(f"  goal {label} p99 <= {goal:g} ms: {verdict} ({p99:.2f} ms)")


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU of the server and its worker processes so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in [server.pid, *_children(server.pid)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in found] + [g for c in found for g in _children(int(c))]


# -- against the floor ------------------------------------------------------------------

PHASES = ("read plan", "read history", "append contribution")


def measure_phase(
    server: subprocess.Popen,
    trips: Any,
    port: int,
    token: str,
    args: argparse.Namespace,
    pick: Callable[[random.Random], tuple[str, str, str, dict | None]],
) -> dict[str, float]:
    """One kind of request alone: its rate, the server's CPU and the round trips to
    PostgreSQL per request (warm-up excluded from both)."""
    warm = min(args.warmup, 500)
    asyncio.run(drive("127.0.0.1", port, token, [], args.clients, warm, 60, 0, 2, pick=pick))
    cpu, count = server_cpu_seconds(server), trips.count
    results = asyncio.run(
        drive("127.0.0.1", port, token, [], args.clients, args.phase_requests, 60, 0, 3, pick=pick)
    )
    n = results.count
    bad = sum(c for (_, status), c in results.statuses.items() if not 200 <= status < 300)
    return {
        "rate": n / (results.finished - results.started),
        "cpu_ms": 1e3 * (server_cpu_seconds(server) - cpu) / n,
        "trips": (trips.count - count) / n,
        "bad": bad,
    }


@contextmanager
def serving_floor(
    database_url: str, schema: str, workers: int, port: int, log: Path
) -> Iterator[subprocess.Popen]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        floor.create_floor_rows(conn)
    options = urlencode({"options": f"-csearch_path={schema}"})
    env = {
        **os.environ,
        "FLOOR_DATABASE_URL": f"{database_url}?{options}",
        "FLOOR_SECRET": SECRET,
    }
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    # As bench.floor from the repository: bench/ itself on the path would shadow `http`.
    command = [uvicorn, "bench.floor:app", "--app-dir", str(_HERE.parent), "--port", str(port)]
    command += ["--host", "127.0.0.1", "--workers", str(workers), "--no-access-log"]
    with running(command, env, port, log) as server:
        yield server


def print_against_floor(found: dict[str, dict[str, float]]) -> None:
    base = found["floor"]["cpu_ms"]
    print(f"\nEach kind alone, {len(found) - 1} kinds and the floor in this run:")
    print("| | req/s | server CPU, ms/request | PostgreSQL round trips/request | CPU / floor |")
    print("|---|---:|---:|---:|---:|")
    for kind, f in found.items():
        flag = f" ({f['bad']:.0f} non-2xx)" if f["bad"] else ""
        print(
            f"| {kind}{flag} | {f['rate']:.0f} | {f['cpu_ms']:.2f} | {f['trips']:.1f} |"
            f" {f['cpu_ms'] / base:.2f} |"
        )


# -- profiling --------------------------------------------------------------------------


@contextmanager
def profiling(
    server: subprocess.Popen, out: Path, enabled: bool, gil_only: bool = False
) -> Iterator[None]:
    if not enabled:
        yield
        return
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if py_spy is None:
        sys.exit("--profile needs py-spy (pip install py-spy)")
    recorder = subprocess.Popen(
        [
            py_spy,
            "record",
            "--pid",
            str(server.pid),
            "--subprocesses",
            "--format",
            "raw",
            "--rate",
            "200",
            "--output",
            str(out),
            *(["--gil"] if gil_only else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)  # py-spy attaches
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=60)


def _package(frame: str) -> str:
    """'name (path/to/file.py:12)' -> the library or Planledger folder it is in."""
    path = frame.rpartition("(")[2].rpartition(":")[0]
    first = path.split("/")[0]
    if first in ("domain", "application", "interfaces", "projections"):
        return f"planledger {first}/"
    return first if first.isidentifier() and "/" in path else f"python: {first}"


_WAITS = (
    "Condition.wait",
    "Event.wait",
    "Connection._recv",
    "select (",
    "Runner.run",
    "BaseEventLoop._run_once",
)
_SERVING = ("_run_sync_endpoint", "run_endpoint_function", "getconn")


def _idle(frames: list[str]) -> bool:
    """A thread blocked waiting for work (thread pools, the event loop's select, the
    connection pool's workers, uvicorn's supervisor), not a request waiting for something."""
    if not frames:
        return True
    waiting = frames[-1].startswith(_WAITS)
    return waiting and not any(mark in f for f in frames for mark in _SERVING)


def print_profile(raw: Path, top: int = 25) -> None:
    """py-spy's collapsed stacks: the functions with the most samples of their own, and the
    share of samples under some frames that tell where a request's time goes."""
    own: Counter = Counter()
    by_package: Counter = Counter()
    under: Counter = Counter()
    total = 0
    marks = {
        "waiting for PostgreSQL (psycopg Connection.wait)": ("psycopg/connection.py", "wait"),
        "waiting for a pooled connection (psycopg_pool)": ("psycopg_pool/", "getconn"),
        "JWT verification": ("auth.py", "verify"),
        "access decision and plan load (deps.authorise)": ("deps.py", "dependency"),
        "plan load (Planning.get_plan)": ("planning.py", "get_plan"),
        "history (Planning.history)": ("planning.py", "history"),
        "command (Planning._decide)": ("planning.py", "_decide"),
        "saving (Application.save)": ("eventsourcing/application.py", "save"),
        "access log insert (record_access)": ("planning.py", "record_access"),
        "request log line (logs.py)": ("logging/__init__.py", "emit"),
        "JSON request parsing / validation (fastapi)": ("fastapi/routing.py", "request_body"),
        "event mapping and sealing (mapping.py)": ("persistence/mapping.py", ""),
    }
    idle = 0
    for row in raw.read_text().splitlines():
        stack, _, count = row.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        if frames and frames[0].startswith("process "):
            frames = frames[1:]
        if _idle(frames):
            idle += n
            continue
        total += n
        if frames:
            own[frames[-1]] += n
            by_package[_package(frames[-1])] += n
        for label, (path, name) in marks.items():
            if any(path in f and name in f for f in frames):
                under[label] += n
    if not total:
        print("\nprofile: no samples")
        return
    print(
        f"\nprofile: {total} busy samples of the server's processes (py-spy, 200 Hz; "
        f"{idle} idle ones left out: threads waiting for work, the event loop's select)"
    )
    for label, n in under.most_common():
        print(f"  {100 * n / total:5.1f}%  under {label}")
    print("  samples of their own, by package:")
    for package, n in by_package.most_common(12):
        print(f"  {100 * n / total:5.1f}%  {package}")
    print("  functions with the most samples of their own:")
    for frame, n in own.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {frame[:140]}")


# -- main -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("PLANLEDGER_BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--plans", type=int, default=64)
    parser.add_argument("--requests", type=int, default=20_000, help="measured requests")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured time at most")
    parser.add_argument("--warmup", type=int, default=1_000, help="unmeasured requests first")
    parser.add_argument(
        "--pool-size", type=int, default=None, help="connections per worker (default: Planledger's)"
    )
    parser.add_argument("--no-seal", action="store_true", help="no master key")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="open loop: total requests per second (default: closed loop)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="py-spy the server meanwhile")
    parser.add_argument(
        "--gil",
        action="store_true",
        help="with --profile: only threads holding the GIL (Python CPU)",
    )
    parser.add_argument("--keep-schema", action="store_true")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="instead of the mix: each kind alone and the floor (bench/floor.py), with server "
        "CPU and PostgreSQL round trips per request",
    )
    parser.add_argument("--phase-requests", type=int, default=4000, help="with --floor")
    args = parser.parse_args()

    port = free_port()
    token = issue_token(
        SECRET,
        sub="u-bench-lead",
        name="Bench Lead",
        role=Role.LEAD_PROFESSIONAL,
        org="school:st-ninians-primary",
        ttl_seconds=4 * 3600,
    )
    workdir = Path(tempfile.mkdtemp(prefix="planledger-http-bench-"))
    with fresh_schema(args.database_url, keep=args.keep_schema) as (schema, _):
        base = urlunparse(urlparse(args.database_url)._replace(query=""))
        query = {"schema": schema}
        if args.pool_size:
            query |= {"pool_size": args.pool_size, "max_overflow": args.pool_size}
        url = f"{base}?{urlencode(query)}"
        print(f"schema {schema}; server log {workdir / 'server.log'}")
        # The tables first, from one process: workers starting together on an empty schema
        # race on CREATE TABLE IF NOT EXISTS, and the loser stops the server.
        Planning(env=persistence_env(url)).close()
        if args.floor:
            db = urlparse(base)
            trips = floor.RoundTrips((db.hostname or "127.0.0.1", db.port or 5432))
            proxied = urlunparse(
                db._replace(netloc=f"{db.username or 'postgres'}@127.0.0.1:{trips.port}")
            )
            url = f"{proxied}?{urlencode(query)}"
            found: dict[str, dict[str, float]] = {}
            log = workdir / "server.log"
            with serving(url, args.workers, port, log, not args.no_seal) as server:
                plans = asyncio.run(seed("127.0.0.1", port, token, args.plans))
                for kind in PHASES:

                    def pick(rng: random.Random, kind: str = kind) -> Any:
                        return next_request(rng, rng.choice(plans), kind)

                    found[kind] = measure_phase(server, trips, port, token, args, pick)
            floor_port = free_port()
            with serving_floor(proxied, schema, args.workers, floor_port, log) as server:

                def floor_read(rng: random.Random) -> Any:
                    return "floor", "GET", f"/rows/{rng.randrange(floor.FLOOR_ROWS)}", None

                found["floor"] = measure_phase(server, trips, floor_port, token, args, floor_read)
            print_against_floor(found)
            return
        with serving(url, args.workers, port, workdir / "server.log", not args.no_seal) as server:
            plans = asyncio.run(seed("127.0.0.1", port, token, args.plans))
            cpu_before = server_cpu_seconds(server)
            with profiling(server, workdir / "profile.txt", args.profile, args.gil):
                results = asyncio.run(
                    drive(
                        "127.0.0.1",
                        port,
                        token,
                        plans,
                        args.clients,
                        args.requests,
                        args.seconds,
                        args.warmup,
                        args.seed,
                        args.rate,
                    )
                )
            cpu = server_cpu_seconds(server) - cpu_before
    report(results, args)
    print(
        f"  server CPU (both workers, warm-up included): {cpu:.1f} s, about "
        f"{1e3 * cpu / (results.count + args.warmup):.2f} ms per request; "
        f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    if args.profile:
        print_profile(workdir / "profile.txt")


if __name__ == "__main__":
    main()
