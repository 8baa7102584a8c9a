"""Copies of the plan given to people, and disclosures of it to others."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from pydantic import Field

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import Disclosure, Personal, SharedCopy

if TYPE_CHECKING:
    from domain.plans import Plan


class SharePlan(Command):
    """The plan as it stands given to the recipients, with the SHA-256 of their copy."""

    action = Action.SHARE_PLAN
    recipients: Personal[tuple[str, ...]]
    method: Personal[str]
    sha256: str | None = None

    def created(self, plan: Plan) -> dict[str, Any]:
        return {"number": plan.shared_copies[-1].number, "sha256": self.sha256}


class PlanShared(PlanEvent, SharePlan):
    number: int
    shared_version: int

    def apply(self, plan: Plan) -> None:
        plan.shared_copies.append(
            SharedCopy(
                number=self.number,
                version=self.shared_version,
                recipients=self.recipients,
                method=self.method,
                occurred_on=self.occurred_on,
                sha256=self.sha256,
            )
        )


class GrantDisclosure(Command):
    action = Action.GRANT_DISCLOSURE
    creates = "disclosure_id"
    disclosure_id: UUID = Field(default_factory=uuid4)
    grantee: str
    purpose: Personal[str]
    until: date | None = None


class DisclosureGranted(PlanEvent, GrantDisclosure):
    def apply(self, plan: Plan) -> None:
        plan.disclosures[self.disclosure_id] = Disclosure(
            id=self.disclosure_id,
            grantee=self.grantee,
            purpose=self.purpose,
            granted_on=self.occurred_on,
            until=self.until,
        )


class RevokeDisclosure(Command):
    """End a disclosure before its date; a reason is required."""

    action = Action.REVOKE_DISCLOSURE
    needs_reason = True
    disclosure_id: UUID


class DisclosureRevoked(PlanEvent, RevokeDisclosure):
    def apply(self, plan: Plan) -> None:
        plan.disclosures[self.disclosure_id] = plan.disclosures[self.disclosure_id].model_copy(
            update={"revoked_on": self.occurred_on}
        )
