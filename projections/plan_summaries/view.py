"""What plan summaries answer: lists of plans and of reviews due, filtered by who may see
them (domain.access.Visibility). postgres.py and sqlite.py implement it."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.access import Visibility
from domain.clocks import STEPS
from projections.engine import decoding
from projections.engine.paging import Page
from projections.engine.views import ReadModelProjection, ReadModelView
from projections.plan_summaries.fold import summarise
from projections.plan_summaries.rows import PlanSummary


@dataclass(frozen=True)
class PlanFilters:
    plan_type: str | None = None
    stage: str | None = None
    status: str | None = None
    review_due_before: date | None = None
    """On or before this date."""


class PlanSummaryView(ReadModelView):
    handled_topics = decoding.handled_topics(summarise, *STEPS)

    @abstractmethod
    def get_summary(self, plan_id: UUID) -> PlanSummary | None: ...

    @abstractmethod
    def list_plans(
        self,
        filters: PlanFilters,
        visibility: Visibility,
        *,
        today: date,
        limit: int = 50,
        after: str | None = None,
    ) -> Page[PlanSummary]:
        """Newest first (opened_on, then plan_id, descending)."""

    @abstractmethod
    def reviews_due(
        self,
        before: date,
        visibility: Visibility,
        *,
        today: date,
        overdue_only: bool = False,
        limit: int = 50,
        after: str | None = None,
    ) -> Page[PlanSummary]:
        """Open plans whose next review is on or before `before` (or, overdue_only,
        strictly before `today`), soonest first."""


class PlanSummaryProjection(ReadModelProjection):
    name = "plan_summaries"
