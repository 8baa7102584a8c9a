"""Keeping read models up to date in a process: `planledger project`, or a thread of
`planledger serve`.

On PostgreSQL each model's active version is fed by the batched catch-up loop, woken by
the NOTIFY each write sends (LISTEN), so whatever arrived meanwhile is applied in one
transaction. On SQLite, which cannot subscribe in eventsourcing 9.5, the same loop
polls. Either way a worker notices when a rebuild switches the active version and moves
across. Errors are logged by type only (never a message, which could
quote plan data) and the worker starts again after a pause.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from threading import Event, Thread
from typing import Any, cast

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.utils import get_topic
from psycopg.sql import SQL, Identifier

from application.planning import Planning
from projections.engine.catalogue import MODELS, model
from projections.engine.catch_up import catch_up
from projections.engine.decoding import ProjectionMapper
from projections.engine.store import Store, datastore_of
from projections.engine.versions import versions_for
from projections.engine.views import ReadModel

log = logging.getLogger("planledger.projections")

POLL_SECONDS = 0.5
RESTART_PAUSE_SECONDS = 2.0


def projector_env(env: Mapping[str, str]) -> dict[str, str]:
    """The application's environment with small pools: a projector holds a few
    connections per model (subscription, reads, view writes), not a web server's share."""
    return {
        **env,
        "POSTGRES_POOL_SIZE": "1",
        "POSTGRES_MAX_OVERFLOW": "3",
        # Decode as the read models need: see engine/decoding.py.
        "MAPPER_TOPIC": get_topic(ProjectionMapper),
    }


class Projector:
    """One worker thread per read model. start() and stop() for an embedding process;
    run_forever() for the `planledger project` command."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        models: Iterable[str] = tuple(MODELS),
        poll_seconds: float = POLL_SECONDS,
        heartbeat: Path | None = None,
    ) -> None:
        self.env = projector_env(env)
        self.models = [model(name) for name in models]
        self.poll_seconds = poll_seconds
        self.heartbeat = heartbeat
        self.stopping = Event()
        self._wake = {m.name: Event() for m in self.models}
        self._alive: dict[str, float] = {}
        self._threads: list[Thread] = []

    def start(self) -> Projector:
        self._make_tables()
        for read_model in self.models:
            thread = Thread(
                target=self._keep,
                args=(read_model,),
                daemon=True,
                name=f"projector-{read_model.name}",
            )
            thread.start()
            self._threads.append(thread)
        return self

    def _make_tables(self) -> None:
        # The store's tables, once, before the workers start: PostgreSQL's CREATE TABLE IF
        # NOT EXISTS is not safe against itself run concurrently on an empty schema.
        try:
            Planning(env=self.env).close()
        except Exception as e:  # the workers retry until the store answers
            log.warning("store not ready", extra={"error_type": type(e).__name__})

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self.nudge()
        for thread in self._threads:
            thread.join(timeout)

    def run_forever(self) -> None:
        """Run until stop() (e.g. from a SIGTERM handler); beats the heartbeat file while
        every worker is alive, for a container health check."""
        self.start()
        try:
            while not self.stopping.wait(self.poll_seconds):
                self._beat()
        finally:
            self.stop()

    def nudge(self) -> None:
        """Ask the polling (SQLite) workers to look for new events now."""
        for wake in self._wake.values():
            wake.set()

    @property
    def healthy(self) -> bool:
        limit = time.monotonic() - max(10 * self.poll_seconds, 5.0)
        return all(self._alive.get(m.name, 0) > limit for m in self.models)

    def _beat(self) -> None:
        if self.heartbeat is not None and self.healthy:
            self.heartbeat.touch()

    # -- one worker -------------------------------------------------------------------

    def _keep(self, read_model: ReadModel) -> None:
        while not self.stopping.is_set():
            try:
                app = Planning(env=self.env)
                try:
                    self._follow(app, read_model)
                finally:
                    app.close()
            except Exception as e:  # keep projecting; the type says what
                log.warning(
                    "projection worker restarting",
                    extra={"read_model": read_model.name, "error_type": type(e).__name__},
                )
                self.stopping.wait(RESTART_PAUSE_SECONDS)

    def _follow(self, app: Planning, read_model: ReadModel) -> None:
        """Keep the active version up to date until it changes or we are stopped."""
        datastore = datastore_of(app)
        store = Store.of(datastore)
        versions = versions_for(datastore)
        while not self.stopping.is_set():
            version = versions.active(read_model.name)
            view = read_model.open_view(datastore, version)
            catch_up(app, view, stopping=self.stopping)
            self._alive[read_model.name] = time.monotonic()
            if store is Store.POSTGRES:
                self._run_postgres(app, read_model, version, view, versions)
            else:
                self._poll_sqlite(app, read_model, version, view, versions)

    def _run_postgres(
        self, app: Planning, read_model: ReadModel, version: int, view: Any, versions: Any
    ) -> None:
        """Woken by the NOTIFY of each write (or every poll_seconds), apply whatever is new
        as one batch in one transaction. The library's ProjectionRunner applied one event
        per transaction: under load each write cost every read model a commit of its own.
        A write's events commit in the order of their ids (the recorder's table lock), so
        reading on from the view's position never passes one that commits later."""
        recorder: Any = app.recorder
        datastore = cast(PostgresDatastore, datastore_of(app))
        with datastore.get_connection() as conn:
            conn.execute(SQL("LISTEN {}").format(Identifier(recorder.channel_name)))
            try:
                while not self.stopping.is_set():
                    for _ in conn.notifies(timeout=self.poll_seconds, stop_after=1):
                        pass
                    catch_up(app, view, stopping=self.stopping)
                    self._alive[read_model.name] = time.monotonic()
                    if versions.active(read_model.name) != version:
                        return  # a rebuild switched readers to a new version
            finally:
                with suppress(Exception):  # back to the pool listening to nothing
                    conn.execute("UNLISTEN *")

    def _poll_sqlite(
        self, app: Planning, read_model: ReadModel, version: int, view: Any, versions: Any
    ) -> None:
        wake = self._wake[read_model.name]
        while not self.stopping.is_set():
            wake.wait(self.poll_seconds)
            wake.clear()
            catch_up(app, view, stopping=self.stopping)
            self._alive[read_model.name] = time.monotonic()
            if versions.active(read_model.name) != version:
                return


class Projectors:
    """Several stores' projectors in one process (`planledger project` with tenants: one
    per authority, each on its own store). Stopped together; the heartbeat is touched
    only while every one of them is healthy."""

    def __init__(
        self,
        projectors: Sequence[Projector],
        *,
        poll_seconds: float = POLL_SECONDS,
        heartbeat: Path | None = None,
    ) -> None:
        self.projectors = list(projectors)
        self.poll_seconds = poll_seconds
        self.heartbeat = heartbeat
        self.stopping = Event()

    @property
    def healthy(self) -> bool:
        return all(p.healthy for p in self.projectors)

    def run_forever(self) -> None:
        for projector in self.projectors:
            projector.start()
        try:
            while not self.stopping.wait(self.poll_seconds):
                if self.heartbeat is not None and self.healthy:
                    self.heartbeat.touch()
        finally:
            for projector in self.projectors:
                projector.stop()
