"""What the reports answer: the named tables. postgres.py and sqlite.py implement it."""

from __future__ import annotations

from abc import abstractmethod
from datetime import date

from projections.engine import decoding
from projections.engine.views import ReadModelProjection, ReadModelView
from projections.reports.fold import count
from projections.reports.table import Table

REPORTS = {
    "plans-by-type-and-stage": "Plans by type and stage: open and closed",
    "csp-reviews": "CSP reviews held within 12 months of preparation or the last review,"
    " by org and the year they fell due",
    "provision-costs": "Planned provision cost by kind",
    "provision-funding": "Planned provision cost by funding stream",
    "provision-delivery": "Sessions delivered against planned, by school or service and kind",
    "target-progress": "Targets achieved, partially achieved and not achieved at each review",
    "stage-changes": "Stage changes per year",
}


DELIVERY_COLUMNS = (
    "org",
    "kind",
    "provisions",
    "sessions_planned",
    "sessions_delivered",
    "sessions_missed",
)
"""Planned counts only provisions with a weekly figure, for the weeks deliveries cover."""


class UnknownReportError(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"No report '{name}'.")


class ReportsView(ReadModelView):
    handled_topics = decoding.handled_topics(count)

    @abstractmethod
    def report(self, name: str, *, today: date, org: str | None = None) -> Table:
        """The named report (see REPORTS), for one org or all. Raises UnknownReportError."""


class ReportsProjection(ReadModelProjection):
    name = "reports"
