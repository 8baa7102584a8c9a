"""`planledger serve` and `planledger project` as real subprocesses, and what /proc says
about them (resident memory, CPU seconds).

Each service runs in a session of its own, so kill -9 and stop reach exactly the
processes this harness started (by process-group id), never anything found by name.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from application.persistence.keys import new_master_key

JWT_SECRET = "planledger-faults-" + "5f0c1d2e3a4b" * 4


class ServiceError(RuntimeError):
    pass


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (`timeout`, a CI job cancelled) raises KeyboardInterrupt, so that the
    `finally` blocks still stop the services and the cluster; Python's default would end
    the process on the spot and leave them running. Only the main thread sets handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def planledger_command() -> str:
    found = shutil.which("planledger", path=str(Path(sys.executable).parent)) or shutil.which(
        "planledger"
    )
    if found is None:
        raise ServiceError("planledger is not installed in this environment (pip install -e .)")
    return found


def service_env(database_url: str, master_key: str | None = None, **more: str) -> dict[str, str]:
    """The environment of the API and the projector: PostgreSQL, a JWT secret and a
    master key (personal data sealed at rest, as in production)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANLEDGER_")}
    return {
        **env,
        "PLANLEDGER_DATABASE_URL": database_url,
        "PLANLEDGER_JWT_SECRET": JWT_SECRET,
        "PLANLEDGER_ENCRYPTION_KEY": master_key or new_master_key(),
        **more,
    }


class Service:
    """One long-running subprocess; start() returns once `ready()` says so."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        env: Mapping[str, str],
        log: Path,
        ready: Callable[[Service], bool],
        ready_timeout: float = 60.0,
    ) -> None:
        self.name, self.argv, self.env, self.log = name, argv, dict(env), log
        self.ready, self.ready_timeout = ready, ready_timeout
        self.proc: subprocess.Popen | None = None
        self.started_at = 0.0
        self.kills = 0

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None

    def start(self) -> float:
        """Start it and wait until ready; returns the seconds that took."""
        if self.pid is not None:
            raise ServiceError(f"{self.name} is already running")
        with self.log.open("ab") as out:
            out.write(f"\n--- start {self.name} at {time.strftime('%H:%M:%S')}\n".encode())
            out.flush()
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.started_at = time.monotonic()
        deadline = self.started_at + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServiceError(
                    f"{self.name} exited with {self.proc.returncode} before it "
                    f"was ready\n{self.log_tail()}"
                )
            if self.ready(self):
                return time.monotonic() - self.started_at
            time.sleep(0.1)
        self.stop()
        raise ServiceError(
            f"{self.name} was not ready in {self.ready_timeout:.0f} s\n{self.log_tail()}"
        )

    def kill9(self) -> None:
        """kill -9 the service's process group, as a crash or an OOM kill would."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.kills += 1

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM, then SIGKILL after `timeout`. Safe to call when not running."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill9()

    def log_tail(self, lines: int = 25) -> str:
        """The log's last lines, but for the one-per-request access lines (they hold no
        personal data, only routes and statuses, but bury whatever went wrong)."""
        with contextlib.suppress(OSError):
            text = [
                line
                for line in self.log.read_text(errors="replace").splitlines()
                if '"planledger.access"' not in line
            ][-lines:]
            return f"[{self.name} log, last {lines} lines but requests]\n" + "\n".join(text)
        return ""

    # -- /proc ----------------------------------------------------------------------------

    def rss_bytes(self) -> int:
        return sum(rss_bytes(pid) for pid in process_tree(self.pid)) if self.pid else 0

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in process_tree(self.pid)) if self.pid else 0.0


# -- the two services ---------------------------------------------------------------------


def http_ready(port: int) -> Callable[[Service], bool]:
    def ready(_: Service) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
            try:
                conn.request("GET", "/readyz")
                return conn.getresponse().status == 200
            finally:
                conn.close()
        except OSError:
            return False

    return ready


def heartbeat_ready(heartbeat: Path) -> Callable[[Service], bool]:
    """The projector touches its heartbeat file while every read model's worker is up."""

    def ready(service: Service) -> bool:
        with contextlib.suppress(OSError):
            age = time.time() - heartbeat.stat().st_mtime
            alive_for = time.monotonic() - service.started_at
            return age < min(alive_for, 2.0)
        return False

    return ready


def api_service(env: Mapping[str, str], port: int, log: Path, workers: int = 1) -> Service:
    argv = [
        planledger_command(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    return Service("api", argv, env, log, http_ready(port))


def projector_service(
    env: Mapping[str, str], heartbeat: Path, log: Path, poll: float = 0.2
) -> Service:
    argv = [planledger_command(), "project", "--heartbeat", str(heartbeat), "--poll", str(poll)]
    return Service("projector", argv, env, log, heartbeat_ready(heartbeat))


# -- /proc readings (Linux) -----------------------------------------------------------------


def process_tree(pid: int | None) -> list[int]:
    if pid is None:
        return []
    found = [pid]
    with contextlib.suppress(OSError):
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            found += process_tree(int(child))
    return found


def rss_bytes(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid: int, *, with_reaped_children: bool = False) -> float:
    """utime + stime; with_reaped_children adds the CPU of children it has waited for
    (the postmaster's backends that have exited)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        ticks = int(fields[11]) + int(fields[12])
        if with_reaped_children:
            ticks += int(fields[13]) + int(fields[14])
        return ticks / os.sysconf("SC_CLK_TCK")
    return 0.0
