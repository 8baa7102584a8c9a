"""Provision: the strategies, interventions, equipment and curriculum changes planned,
delivered and ended."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from pydantic import Field

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import Delivery, FundingStream, Personal, Provision, ProvisionKind

if TYPE_CHECKING:
    from domain.plans import Plan


class PlanProvision(Command):
    action = Action.PLAN_PROVISION
    creates = "provision_id"
    provision_id: UUID = Field(default_factory=uuid4)
    kind: ProvisionKind
    description: Personal[str]
    target_ids: tuple[UUID, ...] = ()
    frequency: Personal[str | None] = None
    sessions_per_week: int | None = None
    minutes_per_session: int | None = None
    staff: Personal[str | None] = None
    cost: Decimal | None = None
    funding: Personal[str | None] = None
    recommended_by: Personal[str | None] = None
    provided_by: str | None = None
    """The org that provides it: the plan's own school or service, or a joined agency
    (a CSP names "the persons by whom the support should be provided", s.9(2)(a)(iv))."""
    replaces: UUID | None = None
    """An active provision this one amends after its evaluation: that one ends."""
    bespoke: bool = False
    """Equipment made or bought for this child, usually on a professional's advice, as
    against what a setting normally provides (the SEN Support plan's sheet, parts 3-4)."""
    weeks_per_year: int | None = Field(default=None, ge=1, le=52)
    """The weeks of the year it runs (an EHC plan's provision is quantified over the
    year: term time is 38-39 weeks)."""
    funding_stream: FundingStream | None = None


class ProvisionPlanned(PlanEvent, PlanProvision):
    def apply(self, plan: Plan) -> None:
        plan.provisions[self.provision_id] = Provision(
            id=self.provision_id,
            kind=self.kind,
            description=self.description,
            target_ids=self.target_ids,
            frequency=self.frequency,
            sessions_per_week=self.sessions_per_week,
            minutes_per_session=self.minutes_per_session,
            staff=self.staff,
            cost=self.cost,
            funding=self.funding,
            recommended_by=self.recommended_by,
            provided_by=self.provided_by,
            replaces=self.replaces,
            bespoke=self.bespoke,
            weeks_per_year=self.weeks_per_year,
            funding_stream=self.funding_stream,
            planned_on=self.occurred_on,
        )
        if self.replaces is not None:
            replaced = plan.provisions[self.replaces]
            plan.provisions[self.replaces] = replaced.model_copy(
                update={"ended_on": self.occurred_on}
            )


class RecordDelivery(Command):
    """Sessions delivered (and missed) in a period ending on the day it happened."""

    action = Action.RECORD_DELIVERY
    provision_id: UUID
    sessions: int = Field(ge=0)
    minutes: int | None = None
    note: Personal[str | None] = None
    period_from: date | None = None
    sessions_missed: int | None = Field(default=None, ge=0)


class ProvisionDelivered(PlanEvent, RecordDelivery):
    def apply(self, plan: Plan) -> None:
        provision = plan.provisions[self.provision_id]
        delivery = Delivery(
            delivered_on=self.occurred_on,
            sessions=self.sessions,
            minutes=self.minutes,
            note=self.note,
            by=self.actor.name,
            period_from=self.period_from,
            missed=self.sessions_missed,
        )
        plan.provisions[self.provision_id] = provision.model_copy(
            update={"deliveries": (*provision.deliveries, delivery)}
        )


class EndProvision(Command):
    """A provision stops; why is asked (by a family, a tribunal: s.18(3)(d)(ia))."""

    action = Action.END_PROVISION
    needs_reason = True
    provision_id: UUID


class ProvisionEnded(PlanEvent, EndProvision):
    def apply(self, plan: Plan) -> None:
        plan.provisions[self.provision_id] = plan.provisions[self.provision_id].model_copy(
            update={"ended_on": self.occurred_on}
        )
