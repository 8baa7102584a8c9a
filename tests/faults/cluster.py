"""A throwaway PostgreSQL cluster: initdb in a temporary folder, pg_ctl on a free port.

Never the machine's own cluster: every command here names the data folder this module
made (pg_ctl -D), and the last-resort kill only takes a postmaster whose pid that folder
records and whose command line names it. PostgreSQL refuses to run as root, so as root
(CI) its commands run as the `postgres` user, who owns the folder.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

DATABASE = "planledger"


class ClusterError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_bindir() -> Path:
    """The newest installed server's bin folder (Debian keeps them off the PATH)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: [int(x) for x in p.parent.parent.name.split(".") if x.isdigit()],
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise ClusterError(
        "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's "
        "postgresql package (scripts/test does)"
    )


def _as_owner() -> list[str]:
    """The prefix that runs a command as the cluster's owner: `postgres` when we are root."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


class Cluster:
    """start(), restart(mode), stop(), close(); url() for Planledger and for checks."""

    def __init__(self, *, port: int | None = None, max_connections: int = 200) -> None:
        self.bindir = server_bindir()
        self.port = port or free_port()
        self.max_connections = max_connections
        self.root = Path(tempfile.mkdtemp(prefix="planledger-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self.restarts = 0

    # -- the server's own commands, as its owner -----------------------------------------

    def _run(self, *argv: str, timeout: float = 90.0) -> None:
        command = [*_as_owner(), *argv]
        # cwd "/": runuser keeps the caller's folder, which `postgres` may not be allowed in.
        done = subprocess.run(command, cwd="/", capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise ClusterError(
                f"{Path(argv[0]).name} failed ({done.returncode}): "
                f"{(done.stdout + done.stderr)[-2000:]}\n{self.log_tail()}"
            )

    def _options(self) -> str:
        return (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} "
            f"-c max_connections={self.max_connections}"
        )

    def start(self) -> Cluster:
        if not (self.data / "PG_VERSION").exists():
            # --no-sync: a throwaway cluster need not survive the machine crashing; the
            # server itself keeps fsync on, so its crash recovery is the real one.
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-o",
            self._options(),
            "start",
        )
        self.wait_ready()
        with self.admin() as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
            if found.fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
        return self

    def restart(self, mode: str = "immediate") -> float:
        """pg_ctl restart -m fast|immediate (immediate: a crash, then crash recovery).
        Returns the seconds until the server answered again."""
        began = time.monotonic()
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-m",
            mode,
            "-w",
            "-t",
            "60",
            "-o",
            self._options(),
            "restart",
        )
        self.wait_ready()
        self.restarts += 1
        return time.monotonic() - began

    def stop(self, mode: str = "fast") -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        try:
            self._run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                mode,
                "-w",
                "-t",
                "30",
                "stop",
                timeout=45,
            )
        except (ClusterError, subprocess.TimeoutExpired):
            self._kill_postmaster()

    def _kill_postmaster(self) -> None:
        pid_file = self.data / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int(pid_file.read_text().splitlines()[0])
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if str(self.data).encode() in cmdline:  # ours, not a reused pid
                os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        """Stop the server (however it is) and delete the folder. Safe to call twice."""
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- connecting -----------------------------------------------------------------------

    def url(self, query: str = "") -> str:
        base = f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"
        return f"{base}?{query}" if query else base

    def admin(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=dbname,
            autocommit=True,
            connect_timeout=3,
        )

    def connect(self) -> psycopg.Connection:
        return self.admin(DATABASE)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.admin() as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise ClusterError(
                        f"PostgreSQL not ready in {timeout:.0f} s\n{self.log_tail()}"
                    ) from None
                time.sleep(0.1)

    # -- observing --------------------------------------------------------------------------

    def postmaster_pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int((self.data / "postmaster.pid").read_text().splitlines()[0])
        return None

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""
