"""Soak: 32 clients for 15 minutes, 80% reads and 20% writes, against `planledger serve`
and `planledger project` on a throwaway PostgreSQL cluster (a benchmark, not a test).

Measured after a warm-up: throughput; p50/p99 latency per endpoint; the resident memory
of the API and the projector at the start and the end (goal: growth under 10%); the
projection lag, from a write's 201 until the read models include the position its
Planledger-Position header names (a thread reads the read models' tracking tables every
20 ms); CPU seconds of each process and of the whole machine, the load average, and the
CPU others used meanwhile (the machine is shared). A table goes to stdout and beside a PNG
of latency, lag, throughput and memory over time in bench/results/.

    .venv/bin/python bench/soak.py                    # 15 minutes, 32 clients
    .venv/bin/python bench/soak.py --minutes 2        # a quick look
    pip install -e '.[bench]'                         # matplotlib, for the plot

The mix: reads are GET a plan (35%), its history (25%) and the lead's plan list (20%,
which waits for the read models to include every earlier write, so its latency carries
the lag); writes are targets (8%), contributions (8%) and reviews with evaluations (4%),
each with an Idempotency-Key, retried with it after a 409 concurrent-update or a 5xx.
List reads may bring the read models up to date themselves (see projections/engine/reading.py),
so the lag is "until the read model includes the write", by whichever process did it.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and its http.py would shadow the
# standard library's `http`: take it off, and put the repository on (for tests/faults).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent), *(p for p in sys.path if Path(p or ".").resolve() != _HERE)]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import heapq  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from application.persistence.keys import new_master_key  # noqa: E402
from tests.faults.checks import active_version, tracked_position  # noqa: E402
from tests.faults.cluster import Cluster, free_port  # noqa: E402
from tests.faults.http_client import Connection, RequestTimeoutError  # noqa: E402
from tests.faults.services import (  # noqa: E402
    Service,
    api_service,
    cpu_seconds,
    process_tree,
    projector_service,
    service_env,
    sigterm_as_interrupt,
)
from tests.faults.workload import SeededPlan, Tokens, seed, write_spec  # noqa: E402

MIX = (  # (operation, share)
    ("GET plan", 0.35),
    ("GET history", 0.25),
    ("GET plan list", 0.20),
    ("POST target", 0.08),
    ("POST contribution", 0.08),
    ("POST review", 0.04),
)
MODELS = ("plan_summaries", "reports")
RESULTS = _HERE / "results"


# -- measuring ----------------------------------------------------------------------------------


@dataclass
class Samples:
    """Per request: (seconds since the measured start, operation, latency, status)."""

    requests: list[tuple[float, str, float, int | str]] = field(default_factory=list)
    lags: list[tuple[float, float]] = field(default_factory=list)
    """(when the write was acknowledged, seconds until the read models included it)."""
    machine: list[dict[str, float]] = field(default_factory=list)
    """Every 5 s: load average, RSS and CPU of each process, the machine's CPU."""
    started: float = 0.0
    measuring: bool = False

    def at(self) -> float:
        return time.monotonic() - self.started


class LagMonitor(threading.Thread):
    """Polls the read models' positions; resolves acknowledged writes as they are reached."""

    def __init__(self, cluster: Cluster, samples: Samples, poll: float = 0.02) -> None:
        super().__init__(daemon=True, name="lag-monitor")
        self.cluster, self.samples, self.poll = cluster, samples, poll
        self.pending: list[tuple[int, float]] = []  # a heap of (position, acknowledged at)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def acknowledged(self, position: int) -> None:
        with self.lock:
            heapq.heappush(self.pending, (position, time.monotonic()))

    def unresolved(self) -> int:
        with self.lock:
            return len(self.pending)

    def run(self) -> None:
        try:
            with self.cluster.connect() as conn:
                while not self.stopping.is_set():
                    reached = min(
                        tracked_position(conn, name, active_version(conn, name)) for name in MODELS
                    )
                    now = time.monotonic()
                    with self.lock:
                        while self.pending and self.pending[0][0] <= reached:
                            _, acked = heapq.heappop(self.pending)
                            if self.samples.measuring and acked >= self.samples.started:
                                self.samples.lags.append(
                                    (acked - self.samples.started, now - acked)
                                )
                    time.sleep(self.poll)
        except BaseException as e:
            self.error = e


def machine_cpu() -> dict[str, float]:
    """Seconds of busy and stolen CPU on the whole machine so far (/proc/stat)."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]  # noqa: SIM115
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    steal = fields[7] if len(fields) > 7 else 0
    return {"busy": (sum(fields[:8]) - idle - steal) / tick, "steal": steal / tick}


def cluster_cpu(cluster: Cluster) -> float:
    """The postmaster, its live backends, and the backends it has reaped."""
    pid = cluster.postmaster_pid()
    if pid is None:
        return 0.0
    return cpu_seconds(pid, with_reaped_children=True) + sum(
        cpu_seconds(child) for child in process_tree(pid)[1:]
    )


def reading(api: Service, projector: Service, cluster: Cluster, samples: Samples) -> dict:
    return {
        "t": samples.at(),
        "load1": os.getloadavg()[0],
        "api_rss": api.rss_bytes(),
        "projector_rss": projector.rss_bytes(),
        "api_cpu": api.cpu_seconds(),
        "projector_cpu": projector.cpu_seconds(),
        "postgres_cpu": cluster_cpu(cluster),
        "client_cpu": time.process_time(),
        **{f"machine_{k}": v for k, v in machine_cpu().items()},
    }


async def sample_machine(
    api: Service,
    projector: Service,
    cluster: Cluster,
    samples: Samples,
    end: float,
    every: float = 5.0,
) -> None:
    while time.monotonic() < end:
        samples.machine.append(await asyncio.to_thread(reading, api, projector, cluster, samples))
        await asyncio.sleep(min(every, max(0.0, end - time.monotonic())))
    samples.machine.append(await asyncio.to_thread(reading, api, projector, cluster, samples))


# -- the clients --------------------------------------------------------------------------------


async def soak_client(
    n: int,
    port: int,
    tokens: Tokens,
    plans: list[SeededPlan],
    samples: Samples,
    lag: LagMonitor,
    end: float,
    timeout: float,
) -> None:
    rng = random.Random(n)
    conns = {
        True: Connection("127.0.0.1", port, tokens.lead, timeout),
        False: Connection("127.0.0.1", port, tokens.practitioner, timeout),
    }
    ops, weights = [o for o, _ in MIX], [w for _, w in MIX]
    try:
        while time.monotonic() < end:
            op = rng.choices(ops, weights)[0]
            plan = rng.choice(plans)
            if op.startswith("GET"):
                path = {
                    "GET plan": f"/api/plans/{plan.plan_id}",
                    "GET history": f"/api/plans/{plan.plan_id}/history",
                    "GET plan list": "/api/plans?limit=50",
                }[op]
                await _timed(samples, op, conns[True].request("GET", path))
                continue
            kind = op.removeprefix("POST ")
            spec = write_spec(kind, plan, f"SOAK-{n}-{secrets.token_hex(4)}", rng)
            key = secrets.token_hex(16)
            for _ in range(10):  # a write goes again, with its key, after 409/5xx
                answer = await _timed(
                    samples,
                    op,
                    conns[spec.as_lead].request(
                        "POST", spec.path, spec.body, {"Idempotency-Key": key}
                    ),
                )
                if answer is not None and answer.status == 201:
                    if position := answer.headers.get("planledger-position"):
                        lag.acknowledged(int(position))
                    break
                if answer is not None and answer.status < 500 and answer.status != 409:
                    break
                await asyncio.sleep(rng.uniform(0.02, 0.2))
    finally:
        for conn in conns.values():
            await conn.close()


async def _timed(samples: Samples, op: str, request) -> object:
    began = time.monotonic()
    try:
        answer = await request
    except RequestTimeoutError:
        status, answer = "timeout", None
    except ConnectionError:
        status, answer = "connection", None
    else:
        status = answer.status
        if status == 503:  # which kind of busy: the lists behind, or the store's pool
            status = "503 lists behind" if b"catching up" in answer.body else "503 store busy"
    if samples.measuring:
        samples.requests.append((samples.at(), op, time.monotonic() - began, status))
    return answer


async def drive(
    args: argparse.Namespace,
    port: int,
    api: Service,
    projector: Service,
    cluster: Cluster,
    samples: Samples,
    lag: LagMonitor,
) -> None:
    tokens = Tokens.make(hours=args.minutes / 60 + 2)
    began = time.monotonic()
    plans = await seed(port, tokens, args.plans)
    print(
        f"seeded {len(plans)} plans in {time.monotonic() - began:.0f} s; warming up "
        f"for {args.warmup:g} s",
        flush=True,
    )
    end = time.monotonic() + args.warmup + args.minutes * 60
    clients = [
        asyncio.create_task(
            soak_client(n, port, tokens, plans, samples, lag, end, args.request_timeout)
        )
        for n in range(args.clients)
    ]
    await asyncio.sleep(args.warmup)
    samples.started, samples.measuring = time.monotonic(), True
    print(f"measuring for {args.minutes:g} minutes with {args.clients} clients", flush=True)
    sampler = asyncio.create_task(sample_machine(api, projector, cluster, samples, end))
    progress = asyncio.create_task(_progress(samples, end))
    await asyncio.gather(*clients)
    samples.measuring = False
    await sampler
    progress.cancel()


async def _progress(samples: Samples, end: float) -> None:
    while time.monotonic() < end:
        await asyncio.sleep(60)
        recent = [r for r in samples.requests if r[0] > samples.at() - 60]
        print(
            f"  {samples.at() / 60:4.1f} min: {len(recent) / 60:6.1f} req/s over the last "
            f"minute, load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )


# -- reporting ----------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def summarise(args: argparse.Namespace, samples: Samples, unresolved: int) -> dict:
    seconds = args.minutes * 60
    by_op: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    for _, op, took, status in samples.requests:
        statuses[(op, status)] += 1
        if status in (200, 201):
            by_op[op].append(took)
    first, last = samples.machine[0], samples.machine[-1]

    def used(key: str) -> float:
        return last[key] - first[key]

    window = last["t"] - first["t"]
    ours = used("api_cpu") + used("projector_cpu") + used("postgres_cpu") + used("client_cpu")
    lags = [lag for _, lag in samples.lags]
    loads = [m["load1"] for m in samples.machine]
    return {
        "command": "bench/soak.py " + " ".join(sys.argv[1:]),
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "minutes": args.minutes,
        "clients": args.clients,
        "plans": args.plans,
        "workers": args.workers,
        "requests": len(samples.requests),
        "throughput": len(samples.requests) / seconds,
        "endpoints": {
            op: {
                "count": len(v),
                "rate": len(v) / seconds,
                "p50_ms": pct(v, 50) * 1e3,
                "p99_ms": pct(v, 99) * 1e3,
                "max_ms": max(v) * 1e3 if v else 0.0,
            }
            for op, v in ((op, by_op.get(op, [])) for op, _ in MIX)
        },
        "reads_p99_ms": pct([t for op, v in by_op.items() if op.startswith("GET") for t in v], 99)
        * 1e3,
        "writes_p99_ms": pct([t for op, v in by_op.items() if op.startswith("POST") for t in v], 99)
        * 1e3,
        "not_2xx": {
            f"{op} {status}": n for (op, status), n in statuses.items() if status not in (200, 201)
        },
        "rss_mb": {
            name: {
                "start": first[f"{name}_rss"] / 2**20,
                "end": last[f"{name}_rss"] / 2**20,
                "growth_pct": 100 * (last[f"{name}_rss"] / first[f"{name}_rss"] - 1),
            }
            for name in ("api", "projector")
        },
        "lag_ms": {
            "count": len(lags),
            "p50": pct(lags, 50) * 1e3,
            "p99": pct(lags, 99) * 1e3,
            "max": max(lags) * 1e3 if lags else 0.0,
            "unresolved_at_end": unresolved,
        },
        "cpu_seconds": {
            "api": used("api_cpu"),
            "projector": used("projector_cpu"),
            "postgres": used("postgres_cpu"),
            "load_generator": used("client_cpu"),
            "machine": used("machine_busy"),
            "stolen": used("machine_steal"),
            "others": max(0.0, used("machine_busy") - ours),
            "window_s": window,
            "cores": os.cpu_count() or 1,
        },
        "load_average": {
            "start": loads[0],
            "mean": sum(loads) / len(loads),
            "max": max(loads),
            "end": loads[-1],
        },
    }


def table(s: dict) -> str:
    lines = [
        f"{s['command']}  ({s['when']}; {s['minutes']:g} min, {s['clients']} clients, "
        f"{s['plans']} plans, {s['workers']} API worker(s))",
        "",
        f"throughput: {s['throughput']:.1f} requests/s ({s['requests']} requests); "
        f"p99 reads {s['reads_p99_ms']:.0f} ms, writes {s['writes_p99_ms']:.0f} ms",
        "",
        "| endpoint | requests | per s | p50 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for op, e in s["endpoints"].items():
        lines.append(
            f"| {op} | {e['count']} | {e['rate']:.1f} | {e['p50_ms']:.1f} | "
            f"{e['p99_ms']:.1f} | {e['max_ms']:.0f} |"
        )
    rss, lag, cpu, load = s["rss_mb"], s["lag_ms"], s["cpu_seconds"], s["load_average"]
    lines += ["", f"not 2xx: {s['not_2xx'] or 'none'}", ""]
    for name, r in rss.items():
        verdict = "under 10%" if r["growth_pct"] < 10 else "NOT under 10%"
        lines.append(
            f"{name} RSS: {r['start']:.1f} MB at the start, {r['end']:.1f} MB at the "
            f"end: {r['growth_pct']:+.1f}% ({verdict})"
        )
    lines += [
        f"projection lag (201 until both read models include the position): p50 "
        f"{lag['p50']:.0f} ms, p99 {lag['p99']:.0f} ms, max {lag['max']:.0f} ms over "
        f"{lag['count']} writes ({lag['unresolved_at_end']} not yet included at the end)",
        "",
        f"CPU seconds over {cpu['window_s']:.0f} s on {cpu['cores']} cores "
        f"({cpu['window_s'] * cpu['cores']:.0f} core-seconds): API {cpu['api']:.0f}, "
        f"projector {cpu['projector']:.0f}, PostgreSQL {cpu['postgres']:.0f}, load generator "
        f"{cpu['load_generator']:.0f}; whole machine {cpu['machine']:.0f}, of which others "
        f"{cpu['others']:.0f} ({100 * cpu['others'] / max(cpu['machine'], 1):.0f}%); "
        f"stolen by the hypervisor {cpu['stolen']:.0f}",
        f"load average (1 min): {load['start']:.1f} at the start, mean {load['mean']:.1f}, "
        f"max {load['max']:.1f}, {load['end']:.1f} at the end",
    ]
    return "\n".join(lines)


def _series(op: str) -> str:
    """Plotted apart: the list waits for the read models, so it carries the lag."""
    if op == "GET plan list":
        return "plan list"
    return "reads" if op.startswith("GET") else "writes"


def plot(samples: Samples, summary: dict, path: Path, window: float = 10.0) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no plot: matplotlib is missing (pip install -e '.[bench]')")
        return False
    buckets: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for t, op, took, status in samples.requests:
        bucket = buckets[int(t // window)]
        bucket["all"].append(took)
        if status in (200, 201):
            bucket[_series(op)].append(took)
    for t, lag in samples.lags:
        buckets[int(t // window)]["lag"].append(lag)
    # Whole windows only: the requests still under way at the end fall into a last one.
    whole = int(summary["minutes"] * 60 // window)
    keys = [k for k in sorted(buckets) if k < whole]
    minutes = [(k + 0.5) * window / 60 for k in keys]

    def series(name: str, p: float) -> list[float]:
        return [pct(buckets[k][name], p) * 1e3 if buckets[k][name] else float("nan") for k in keys]

    fig, axes = plt.subplots(4, 1, figsize=(11, 12), sharex=True)
    ax = axes[0]
    for name, colour in (("reads", "tab:blue"), ("plan list", "tab:purple"), ("writes", "tab:red")):
        ax.plot(minutes, series(name, 50), color=colour, lw=1, label=f"{name} p50")
        ax.plot(minutes, series(name, 99), color=colour, lw=1, ls="--", label=f"{name} p99")
    ax.set_yscale("log")
    ax.set_ylabel("latency, ms")
    ax.legend(loc="upper left", ncol=3, fontsize=8)
    ax.set_title(f"{summary['command']}  ({summary['when']}): {window:g} s windows")
    ax = axes[1]
    ax.plot(minutes, series("lag", 50), color="tab:green", lw=1, label="lag p50")
    ax.plot(minutes, series("lag", 99), color="tab:green", lw=1, ls="--", label="lag p99")
    ax.set_yscale("log")
    ax.set_ylabel("projection lag, ms")
    ax.legend(loc="upper left", fontsize=8)
    ax = axes[2]
    ax.plot(minutes, [len(buckets[k]["all"]) / window for k in keys], color="black", lw=1)
    ax.set_ylabel("requests/s")
    ax = axes[3]
    t = [m["t"] / 60 for m in samples.machine]
    ax.plot(t, [m["api_rss"] / 2**20 for m in samples.machine], label="API RSS")
    ax.plot(t, [m["projector_rss"] / 2**20 for m in samples.machine], label="projector RSS")
    ax.set_ylabel("MB")
    ax.set_xlabel("minutes measured")
    twin = ax.twinx()
    twin.plot(
        t, [m["load1"] for m in samples.machine], color="grey", lw=0.8, ls=":", label="load average"
    )
    twin.set_ylabel("load average (1 min)")
    ax.legend(loc="upper left", fontsize=8)
    twin.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


# -- main -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=15.0, help="measured time")
    parser.add_argument("--warmup", type=float, default=30.0, help="seconds, not measured")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS,
        help="folder for the table (.md), figures (.json) and plot (.png)",
    )
    args = parser.parse_args()
    with sigterm_as_interrupt():
        return soak(args)


def soak(args: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="planledger-soak-"))
    cluster = Cluster()
    api = projector = None
    lag = None
    samples = Samples()
    try:
        cluster.start()
        env = service_env(cluster.url(), new_master_key())
        port = free_port()
        api = api_service(env, port, folder / "api.log", workers=args.workers)
        api.start()
        projector = projector_service(env, folder / "heartbeat", folder / "projector.log")
        projector.start()
        lag = LagMonitor(cluster, samples)
        lag.start()
        asyncio.run(drive(args, port, api, projector, cluster, samples, lag))
        time.sleep(2.0)  # the last writes' lag
        if lag.error is not None:
            raise lag.error
        summary = summarise(args, samples, lag.unresolved())
    except BaseException:
        for service in (api, projector):
            if service is not None:
                print(service.log_tail())
        raise
    finally:
        if lag is not None:
            lag.stopping.set()
            lag.join(5)
        for service in (projector, api):
            if service is not None:
                service.stop()
        cluster.close()
        shutil.rmtree(folder, ignore_errors=True)

    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"soak-{time.strftime('%Y%m%d-%H%M')}"
    text = table(summary)
    plotted = plot(samples, summary, stem.with_suffix(".png"))
    stem.with_suffix(".md").write_text(
        f"# Soak\n\n{text}\n" + (f"\n![over time]({stem.name}.png)\n" if plotted else "")
    )
    stem.with_suffix(".json").write_text(json.dumps(summary, indent=1))
    print("\n" + text)
    print(f"\nwritten: {stem}.md, {stem}.json" + (f", {stem}.png" if plotted else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
