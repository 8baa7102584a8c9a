"""A CSP taken from a request to a signed plan, a statutory review and a copy to the
family, with the real dates of each step: what the evidence tests of a CSP read."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.planning import Planning
from domain.events import (
    AgreeOutcome,
    AnswerCspRequest,
    DecideCspNeed,
    GiveNotice,
    HoldReview,
    JoinAgency,
    OpenPlan,
    PlanProvision,
    PrepareCsp,
    ReceiveCspRequest,
    RecordSection,
    SetTarget,
    SharePlan,
    StartReview,
)
from domain.statutory import CspNeed, CspRequestAnswer, NoticeKind, Requester, ReviewKind
from domain.values import Child, PlanType, ProvisionKind
from tests.examples import a_lead_professional, a_stage, an_officer, as_caller, days_ago

LEAD, OFFICER = as_caller(a_lead_professional()), as_caller(an_officer())
SALT = "nhs:salt-lothian"


@dataclass(frozen=True)
class CspStory:
    plan_id: UUID
    request_id: str


def a_signed_and_reviewed_csp(planning: Planning) -> CspStory:
    lead = a_lead_professional()
    plan_id = planning.open_plan(
        OpenPlan(
            plan_type=PlanType.CSP,
            stage=a_stage().id,
            child=Child(name="Isla Campbell", date_of_birth=days_ago(365 * 9)),
            org=lead.org or "",
        ),
        LEAD,
        occurred_on=days_ago(300),
    ).plan_id

    def step(command, caller=LEAD, ago=None, reason=None):
        return planning.change(
            plan_id, command, caller, occurred_on=days_ago(ago) if ago else None, reason=reason
        )

    request = step(ReceiveCspRequest(requested_by=Requester.PARENT_CARER), ago=290)
    request_id = request.created["request_id"]
    step(
        AnswerCspRequest(request_id=UUID(request_id), answer=CspRequestAnswer.WILL_ESTABLISH),
        OFFICER,
        ago=280,
        reason="Complex factors; health and social work involved",
    )
    step(GiveNotice(kind=NoticeKind.PROPOSAL, to=("Morag Campbell",), method="letter"), ago=279)
    step(JoinAgency(org=SALT, name="Speech and Language Therapy", kind="salt"), ago=270)
    outcome = step(AgreeOutcome(text="Isla will take part in group work", area="Communication"))
    target = step(
        SetTarget(
            outcome_id=UUID(outcome.created["outcome_id"]),
            text="Take turns in a group of four",
            due_on=days_ago(-60),
        )
    )
    step(
        PlanProvision(
            kind=ProvisionKind.INTERVENTION,
            description="Weekly language group",
            target_ids=(UUID(target.created["target_id"]),),
            provided_by=SALT,
            staff="SLT",
        )
    )
    step(RecordSection(name="profile", text="Isla is curious and loves maps."), ago=200)
    step(RecordSection(name="factors", text="Developmental language disorder."), ago=200)
    step(
        DecideCspNeed(decision=CspNeed.NEEDED),
        OFFICER,
        ago=190,
        reason="The four tests of s.2 are met",
    )
    step(PrepareCsp(), OFFICER, ago=180)
    step(SharePlan(recipients=("Morag Campbell",), method="post"), ago=179)
    step(StartReview(), ago=40)
    step(
        HoldReview(
            held_on=days_ago(20),
            attendees=("Fiona MacLeod", "Morag Campbell"),
            summary="Good progress in the group",
            next_review_on=None,
            kind=ReviewKind.STATUTORY,
        )
    )
    step(
        RecordSection(name="profile", text="Isla is curious, loves maps and now leads games."),
        ago=19,
        reason="Amended after the statutory review",
    )
    return CspStory(plan_id=plan_id, request_id=request_id)
