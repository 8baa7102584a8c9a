"""Copies of the plan given to people, disclosures of it to others, and the record of
each sharing of information about the child."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from pydantic import Field, model_validator

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import Disclosure, LawfulBasis, Personal, SharedCopy, SharingRecord

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


class RecordInformationSharing(Command):
    """Information about the child shared with someone outside the plan, on
    `occurred_on`, for the attribution's `reason`: the record GIRFEC Practice Guidance 4
    §12 says should always be kept. In an emergency the information is shared first and
    the record made "as soon as possible afterwards" (§5): `occurred_on` is the day it
    was shared, the event's own time the day it was recorded."""

    action = Action.RECORD_INFORMATION_SHARING
    needs_reason = True
    creates = "sharing_id"
    sharing_id: UUID = Field(default_factory=uuid4)
    information: Personal[str]
    shared_with: Personal[str]
    """The person or service it went to, by name and role: often outside the plan (a
    GP, the police, a new school), so named, not chosen from the plan's agencies."""
    lawful_basis: LawfulBasis
    necessary_because: Personal[str]
    """Why sharing it was necessary and proportionate (§12)."""
    child_views: Personal[str | None] = None
    family_views: Personal[str | None] = None
    withheld: Personal[str | None] = None
    """What was decided not to share, and why (§12)."""
    emergency: bool = False
    family_informed: bool = True
    not_informed_because: Personal[str | None] = None

    @model_validator(mode="after")
    def _as_guidance_4_asks(self) -> RecordInformationSharing:
        if isinstance(self, PlanEvent):
            return self  # recorded: a fact, whose personal fields may since be destroyed
        if self.emergency and self.lawful_basis is LawfulBasis.CONSENT:
            # §5: in an emergency information is shared "immediately (and without
            # consent)"; consent that was never asked cannot be the basis (§7, Annex D).
            raise ValueError(
                "Information shared in an emergency is shared without consent: give the "
                "lawful basis it was shared under, e.g. vital interests."
            )
        if not self.family_informed and not self.not_informed_because:
            raise ValueError("Say why the family was not told of the sharing.")
        return self


class InformationShared(PlanEvent, RecordInformationSharing):
    def apply(self, plan: Plan) -> None:
        plan.information_sharing.append(
            SharingRecord(
                id=self.sharing_id,
                occurred_on=self.occurred_on,
                information=self.information,
                shared_with=self.shared_with,
                lawful_basis=self.lawful_basis,
                necessary_because=self.necessary_because,
                reason=self.reason or "",
                child_views=self.child_views,
                family_views=self.family_views,
                withheld=self.withheld,
                emergency=self.emergency,
                family_informed=self.family_informed,
                not_informed_because=self.not_informed_because,
                recorded_at=self.timestamp,
                actor=self.actor,
            )
        )
