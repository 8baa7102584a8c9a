"""Statutory steps and clocks as use cases (issue 5).

The steps go through Planning's own write path (load, decide, save, with the caller's
If-Match and Idempotency-Key), exactly like its other commands; they live here rather
than in planning.py only to keep that module's owner's changes and these apart.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from application.errors import PlanNotFoundError
from application.planning import ANY, Conditions, Planning, Written
from domain.calendar import today
from domain.clocks import Clock, clocks
from domain.plans import Plan


def plan_clocks(planning: Planning, plan_id: UUID, on: date | None = None) -> list[Clock]:
    """The plan's statutory clocks as at `on` (default: today, UK)."""
    events = list(planning.events.get(plan_id))
    if not events:
        raise PlanNotFoundError(plan_id)
    return clocks(events, on or today())


class StatutorySteps:
    """Record a statutory step on a plan: each method is one Plan command."""

    def __init__(self, planning: Planning) -> None:
        self.planning = planning

    def _step(self, plan_id: UUID, method: Any, conditions: Conditions, **kwargs: Any) -> Written:
        return self.planning._command(plan_id, conditions, method, **kwargs)  # noqa: SLF001

    def receive_csp_request(self, plan_id: UUID, *, conditions: Conditions = ANY,
                            **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.receive_csp_request, conditions, **_dated(kwargs))

    def decide_csp_need(self, plan_id: UUID, *, conditions: Conditions = ANY,
                        **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.decide_csp_need, conditions, **_dated(kwargs))

    def delay_csp_preparation(self, plan_id: UUID, *, conditions: Conditions = ANY,
                              **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.delay_csp_preparation, conditions, **_dated(kwargs))

    def prepare_csp(self, plan_id: UUID, *, conditions: Conditions = ANY,
                    **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.prepare_csp, conditions, **_dated(kwargs))

    def start_review(self, plan_id: UUID, *, conditions: Conditions = ANY,
                     **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.start_review, conditions, **_dated(kwargs))

    def request_early_review(self, plan_id: UUID, *, conditions: Conditions = ANY,
                             **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.request_early_review, conditions, **_dated(kwargs))

    def extend_early_review_answer(self, plan_id: UUID, *, conditions: Conditions = ANY,
                                   **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.extend_early_review_answer, conditions,
                          **_dated(kwargs))

    def decide_early_review(self, plan_id: UUID, *, conditions: Conditions = ANY,
                            **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.decide_early_review, conditions, **_dated(kwargs))

    def receive_ehcp_request(self, plan_id: UUID, *, conditions: Conditions = ANY,
                             **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.receive_ehcp_request, conditions, **_dated(kwargs))

    def decide_ehcp_assessment(self, plan_id: UUID, *, conditions: Conditions = ANY,
                               **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.decide_ehcp_assessment, conditions, **_dated(kwargs))

    def decide_ehcp_issue(self, plan_id: UUID, *, conditions: Conditions = ANY,
                          **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.decide_ehcp_issue, conditions, **_dated(kwargs))

    def issue_ehcp(self, plan_id: UUID, *, conditions: Conditions = ANY,
                   **kwargs: Any) -> Written:
        return self._step(plan_id, Plan.issue_ehcp, conditions, **_dated(kwargs))


def _dated(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"occurred_on": None, **kwargs}
