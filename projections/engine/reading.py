"""What the HTTP layer reads: the active version of each read model, current with the
application's writes. One per application (the HTTP layer keeps it beside Planning)."""

from __future__ import annotations

from datetime import date
from threading import Lock
from typing import Any, cast

from application.planning import Planning
from projections.engine.catalogue import model
from projections.engine.consistency import DEFAULT_TIMEOUT_SECONDS, wait_until_current
from projections.engine.store import Store, datastore_of
from projections.engine.versions import versions_for
from projections.engine.views import ReadModelView
from projections.outbox.view import OutboxView
from projections.plan_summaries.view import PlanSummaryView
from projections.reports.table import Table
from projections.reports.view import ReportsView

PROJECTOR_GRACE_SECONDS = 0.25
"""Beyond the projector's p99 lag under load (bench/soak.py: 67-199 ms)."""


class ReadModels:
    def __init__(
        self,
        planning: Planning,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        inline: bool | None = None,
        nudge: Any = None,
        grace: float | None = None,
    ) -> None:
        self.planning = planning
        self.datastore = datastore_of(planning)
        self.store = Store.of(self.datastore)
        self.timeout = timeout
        # A read brings the view up to date itself if it is behind (see wait_until_current):
        # on SQLite nothing else can, and on PostgreSQL a lagging or absent projector then
        # costs the reader time, not stale answers. inline=False: only wait for a projector.
        self.inline = True if inline is None else inline
        self.nudge = nudge
        self.versions = versions_for(self.datastore)
        # On PostgreSQL `planledger project` normally runs beside the API (README, compose):
        # give it a moment before doing its work here. The embedded SQLite store has no
        # projector process: its readers catch up at once.
        postgres = self.store is Store.POSTGRES
        self.grace = (PROJECTOR_GRACE_SECONDS if postgres else 0.0) if grace is None else grace
        self._views: dict[tuple[str, int], ReadModelView] = {}
        self._lock = Lock()

    def view(self, name: str) -> ReadModelView:
        """The version readers should use now (looked up on every read, so a rebuild's
        switch takes effect at once)."""
        key = (name, self.versions.active(name))
        with self._lock:
            if key not in self._views:
                self._views[key] = model(name).open_view(self.datastore, key[1])
            return self._views[key]

    def current(self, name: str) -> ReadModelView:
        """The view, once it has processed every write made before this call. Raises
        ReadModelBehindError after the timeout (the HTTP layer: 503 + Retry-After)."""
        view = self.view(name)
        wait_until_current(
            self.planning,
            view,
            timeout=self.timeout,
            inline=self.inline,
            grace=self.grace,
            nudge=self.nudge,
        )
        return view

    def summaries(self) -> PlanSummaryView:
        return cast(PlanSummaryView, self.current("plan_summaries"))

    def outbox(self) -> OutboxView:
        return cast(OutboxView, self.current("outbox"))

    def reports(self) -> ReportsView:
        return cast(ReportsView, self.current("reports"))

    def report(self, name: str, *, today: date, org: str | None = None) -> Table:
        return self.reports().report(name, today=today, org=org)
