"""Statutory clocks as a query: worked out from the plan's own events (domain/clocks.py).
The steps themselves are commands like any other (Planning.change, domain/events/statutory)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from application.errors import PlanNotFoundError
from application.planning import Planning
from domain.calendar import today
from domain.clocks import Clock, clocks_as_of


def plan_clocks(planning: Planning, plan_id: UUID, on: date | None = None) -> list[Clock]:
    """The plan's statutory clocks as they stood at the end of `on` (default: today, UK),
    from the steps that had happened by then."""
    events = list(planning.events.get(plan_id))
    if not events:
        raise PlanNotFoundError(plan_id)
    return clocks_as_of(events, on or today())
