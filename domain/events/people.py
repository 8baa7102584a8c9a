"""Who works on a plan: members, the lead professional, joined agencies; the child's details."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import Agency, Child, EmailAddress, Member, Personal, Role

if TYPE_CHECKING:
    from domain.plans import Plan


class AddMember(Command):
    action = Action.ADD_MEMBER
    user_id: str
    role: Role
    name: Personal[str]
    email: Personal[EmailAddress | None] = None
    """Where they are told of changes to the plan, if they wish to be."""


class MemberAdded(PlanEvent, AddMember):
    def apply(self, plan: Plan) -> None:
        plan.members[self.user_id] = Member(
            user_id=self.user_id, role=self.role, name=self.name, email=self.email
        )


class AssignLeadProfessional(Command):
    """Hand the plan to another lead professional, who becomes a member if not one."""

    action = Action.ASSIGN_LEAD_PROFESSIONAL
    user_id: str
    name: Personal[str | None] = None
    """Needed when they are not yet a member."""
    email: Personal[EmailAddress | None] = None


class LeadProfessionalAssigned(PlanEvent, AssignLeadProfessional):
    def apply(self, plan: Plan) -> None:
        if self.user_id not in plan.members and self.name is not None:
            plan.members[self.user_id] = Member(
                user_id=self.user_id, role=Role.LEAD_PROFESSIONAL, name=self.name, email=self.email
            )
        plan.lead_professional = self.user_id


class RemoveMember(Command):
    """Withdraw a person's access (they left the service, or a court order)."""

    action = Action.REMOVE_MEMBER
    needs_reason = True
    user_id: str


class MemberRemoved(PlanEvent, RemoveMember):
    def apply(self, plan: Plan) -> None:
        del plan.members[self.user_id]


class JoinAgency(Command):
    action = Action.JOIN_AGENCY
    org: str
    name: str
    kind: str


class AgencyJoined(PlanEvent, JoinAgency):
    def apply(self, plan: Plan) -> None:
        plan.agencies[self.org] = Agency(
            org=self.org, name=self.name, kind=self.kind, joined_on=self.occurred_on
        )


class LeaveAgency(Command):
    """An agency's part in the plan ends; its practitioners no longer see it."""

    action = Action.LEAVE_AGENCY
    needs_reason = True
    org: str


class AgencyLeft(PlanEvent, LeaveAgency):
    def apply(self, plan: Plan) -> None:
        del plan.agencies[self.org]


class CorrectChildDetails(Command):
    action = Action.CORRECT_CHILD_DETAILS
    child: Personal[Child]


class ChildDetailsCorrected(PlanEvent, CorrectChildDetails):
    def apply(self, plan: Plan) -> None:
        plan.child = self.child
