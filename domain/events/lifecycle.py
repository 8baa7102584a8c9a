"""Opening a plan, moving it between stages, closing it, destroying its personal data."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.actions import Action
from domain.base import Aggregate
from domain.events.base import Command, PlanEvent
from domain.statutory import StatutoryState
from domain.values import Child, Member, Personal, PlanStatus, PlanType, Role

if TYPE_CHECKING:
    from domain.plans import Plan


class OpenPlan(Command):
    plan_type: PlanType
    stage: str
    """The id of a stage in the authority's catalogue (domain/stages.py)."""
    child: Personal[Child]
    org: str
    next_review_on: date | None = None


class PlanOpened(PlanEvent, Aggregate.Created, OpenPlan):
    def apply(self, plan: Plan) -> None:
        plan.plan_type = self.plan_type
        plan.stage = self.stage
        plan.child = self.child
        plan.org = self.org
        plan.status = PlanStatus.OPEN
        plan.opened_on = self.occurred_on
        plan.closed_on = None
        actor = self.actor
        plan.lead_professional = actor.id if actor.role is Role.LEAD_PROFESSIONAL else None
        plan.next_review_on = self.next_review_on
        plan.members = {actor.id: Member(user_id=actor.id, role=actor.role, name=actor.name)}
        plan.agencies = {}
        plan.outcomes = {}
        plan.targets = {}
        plan.provisions = {}
        plan.reviews = []
        plan.views = []
        plan.contributions = []
        plan.shared_copies = []
        plan.disclosures = {}
        plan.statutory = StatutoryState()
        plan.sections = {}
        plan.notices = []
        plan.chronology = []
        plan.information_sharing = []
        plan.bundles = []
        plan.documents = {}
        plan.pupil = None


class ChangeStage(Command):
    """Step the plan up or down staged intervention; a reason is required."""

    action = Action.CHANGE_STAGE
    needs_reason = True
    stage: str


class StageChanged(PlanEvent, ChangeStage):
    previous_stage: str

    def apply(self, plan: Plan) -> None:
        plan.stage = self.stage


class ClosePlan(Command):
    """Close (discontinue) the plan; a reason is required."""

    action = Action.CLOSE_PLAN
    needs_reason = True


class PlanClosed(PlanEvent, ClosePlan):
    def apply(self, plan: Plan) -> None:
        plan.status = PlanStatus.CLOSED
        plan.closed_on = self.occurred_on


class DestroyPlan(Command):
    """Record that a closed plan's personal data is being destroyed (crypto-shredding)."""

    action = Action.DESTROY_PLAN


class PlanDestroyed(PlanEvent, DestroyPlan):
    # The tombstone of statutory destruction (CSP: 5 years after discontinuance,
    # SSI 2005/518 reg 11). It holds no personal data except its sealed actor, so the
    # reason (the retention policy applied) stays readable after the key is shredded.
    reason: str | None = None

    def apply(self, plan: Plan) -> None:
        plan.status = PlanStatus.DESTROYED
