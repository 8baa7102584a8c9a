"""Plans written through the application, with everything the read models count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.planning import Planning
from domain.access import Caller
from domain.calendar import today
from domain.events import (
    AddMember,
    AgreeOutcome,
    AnswerCspRequest,
    ChangeStage,
    ClosePlan,
    CloseTarget,
    Command,
    DecideCspNeed,
    Evaluated,
    GrantDisclosure,
    HoldReview,
    JoinAgency,
    LeaveAgency,
    OpenPlan,
    PlanProvision,
    PrepareCsp,
    ReceiveCspRequest,
    RecordDelivery,
    RemoveMember,
    RevokeDisclosure,
    SetTarget,
    StartReview,
)
from domain.statutory import CspNeed, CspRequestAnswer, Requester, ReviewKind
from domain.values import Actor, Child, FundingStream, PlanType, Progress, ProvisionKind, Role
from tests.examples import an_officer

SCHOOL = "school:st-ninians-primary"
OTHER_SCHOOL = "school:leith-academy"
SALT = "nhs:salt-lothian"
CHILD_NAME = "Zebedee Quintrell"
BIRTHDAY = date(2014, 7, 19)

LEAD = Actor(id="u-fiona", name="Fiona MacLeod", role=Role.LEAD_PROFESSIONAL, org=SCHOOL)
OTHER_LEAD = Actor(id="u-ewan", name="Ewan Laird", role=Role.LEAD_PROFESSIONAL, org=OTHER_SCHOOL)
AS_LEAD = Caller.of(LEAD)


def ago(days: int) -> date:
    return today() - timedelta(days=days)


@dataclass
class Scenario:
    iep: UUID
    csp: UUID
    prepared_csp: UUID
    closed: UUID
    positions: list[int] = field(default_factory=list)


def child() -> Child:
    return Child(name=CHILD_NAME, date_of_birth=BIRTHDAY)


def opening(plan_type: str = "iep", stage: str = "universal", org: str = SCHOOL) -> OpenPlan:
    """A plan for the child at a school, to open with `planning.open_plan(opening(), AS_LEAD)`."""
    return OpenPlan(plan_type=plan_type, stage=stage, child=child(), org=org)


def build(planning: Planning) -> Scenario:
    """An IEP with a bit of everything; a CSP in force reviewed on time then late; a CSP
    prepared through its statutory steps; a closed plan at another school."""
    lead, other_lead = AS_LEAD, Caller.of(OTHER_LEAD)
    officer = Caller.of(an_officer())

    def change(plan_id: UUID, command: Command, caller: Caller = lead, **when: Any) -> Any:
        return planning.change(plan_id, command, caller, **when).created

    iep = planning.open_plan(
        OpenPlan(
            plan_type=PlanType.IEP,
            stage="additional",
            child=child(),
            org=SCHOOL,
            next_review_on=ago(10),
        ),
        lead,
        occurred_on=ago(400),
    ).plan_id
    change(
        iep,
        AddMember(user_id="u-morag", role=Role.PARENT_CARER, name="Morag"),
        occurred_on=ago(399),
    )
    change(
        iep,
        JoinAgency(org=SALT, name="Speech and language therapy", kind="health"),
        occurred_on=ago(398),
    )
    outcome = UUID(
        change(iep, AgreeOutcome(text="Play with friends", area="Social"), occurred_on=ago(397))[
            "outcome_id"
        ]
    )
    targets = [
        UUID(
            change(
                iep,
                SetTarget(outcome_id=outcome, text=f"Target {n}", due_on=ago(-30)),
                occurred_on=ago(396),
            )["target_id"]
        )
        for n in range(3)
    ]
    lego = change(
        iep,
        PlanProvision(
            kind=ProvisionKind.INTERVENTION,
            description="Lego therapy",
            cost=Decimal("120.50"),
            funding_stream=FundingStream.SCHOOL_BUDGET,
            sessions_per_week=2,
        ),
        occurred_on=ago(395),
    )["provision_id"]
    change(
        iep,
        PlanProvision(
            kind=ProvisionKind.EQUIPMENT,
            description="Ear defenders",
            cost=Decimal("24.99"),
            funding_stream=FundingStream.HIGH_NEEDS_TOP_UP,
        ),
        occurred_on=ago(395),
    )
    # Two weeks of Lego therapy (4 sessions planned): 3 delivered, 1 missed.
    change(
        iep,
        RecordDelivery(provision_id=lego, sessions=3, sessions_missed=1, period_from=ago(310)),
        occurred_on=ago(301),
    )
    change(
        iep,
        PlanProvision(kind=ProvisionKind.STRATEGY, description="Visual timetable"),
        occurred_on=ago(395),
    )
    change(
        iep,
        HoldReview(
            held_on=ago(200),
            attendees=("Fiona",),
            summary="Steady",
            evaluations=(
                Evaluated(target_id=targets[0], progress=Progress.ACHIEVED, impact="Done"),
                Evaluated(target_id=targets[1], progress=Progress.NOT_ACHIEVED, impact="No"),
            ),
            next_review_on=ago(5),
        ),
    )
    change(iep, CloseTarget(target_id=targets[2]), occurred_on=ago(150))
    change(iep, ChangeStage(stage="targeted"), occurred_on=ago(100), reason="More support needed")
    change(
        iep,
        GrantDisclosure(grantee="u-alasdair", purpose="Tribunal", until=ago(-60)),
        occurred_on=ago(20),
    )
    granted = UUID(
        change(
            iep,
            GrantDisclosure(grantee="tribunal:hec", purpose="Old", until=ago(1)),
            occurred_on=ago(30),
        )["disclosure_id"]
    )
    change(iep, GrantDisclosure(grantee="u-revoked", purpose="Mistake"), occurred_on=ago(25))
    change(
        iep, RevokeDisclosure(disclosure_id=granted), occurred_on=ago(2), reason="No longer needed"
    )

    csp = planning.open_plan(
        OpenPlan(plan_type=PlanType.CSP, stage="specialist", child=child(), org=SCHOOL),
        lead,
        occurred_on=date(2023, 3, 1),
    ).plan_id
    # A CSP signed the day it was recorded, then reviewed on time and late (s.10(2)).
    change(csp, PrepareCsp(), officer, occurred_on=date(2023, 3, 1))
    change(csp, StartReview(), occurred_on=date(2024, 2, 1))
    change(
        csp,
        HoldReview(
            held_on=date(2024, 2, 28),
            attendees=("Fiona",),
            summary="On time",
            next_review_on=date(2025, 2, 1),
            kind=ReviewKind.STATUTORY,
        ),
    )
    change(csp, StartReview(), occurred_on=date(2025, 2, 1))
    change(
        csp,
        HoldReview(
            held_on=date(2025, 3, 1),
            attendees=("Fiona",),
            summary="Late",
            next_review_on=ago(-30),
            kind=ReviewKind.STATUTORY,
        ),
    )

    prepared = planning.open_plan(
        OpenPlan(plan_type=PlanType.CSP, stage="specialist", child=child(), org=OTHER_SCHOOL),
        other_lead,
        occurred_on=date(2024, 1, 5),
    ).plan_id
    change(
        prepared,
        ReceiveCspRequest(requested_by=Requester.PARENT_CARER),
        other_lead,
        occurred_on=date(2024, 1, 5),
    )
    change(
        prepared,
        AnswerCspRequest(answer=CspRequestAnswer.WILL_ESTABLISH),
        officer,
        occurred_on=date(2024, 1, 19),
        reason="Complex factors",
    )
    change(
        prepared,
        DecideCspNeed(decision=CspNeed.NEEDED),
        officer,
        occurred_on=date(2024, 2, 1),
        reason="s.2 met",
    )
    change(prepared, PrepareCsp(), officer, occurred_on=date(2024, 5, 1))

    closed = planning.open_plan(
        OpenPlan(
            plan_type=PlanType.CHILDS_PLAN, stage="universal", child=child(), org=OTHER_SCHOOL
        ),
        other_lead,
        occurred_on=ago(300),
    ).plan_id
    change(
        closed,
        ChangeStage(stage="additional"),
        other_lead,
        occurred_on=ago(290),
        reason="More support needed",
    )
    # Access given and withdrawn before closing: neither stays in the row.
    change(
        closed,
        AddMember(user_id="u-gone", role=Role.PARENT_CARER, name="Gone"),
        other_lead,
        occurred_on=ago(280),
    )
    change(
        closed,
        JoinAgency(org=SALT, name="Speech and language therapy", kind="health"),
        other_lead,
        occurred_on=ago(280),
    )
    change(
        closed,
        RemoveMember(user_id="u-gone"),
        other_lead,
        occurred_on=ago(250),
        reason="Moved away",
    )
    change(
        closed, LeaveAgency(org=SALT), other_lead, occurred_on=ago(250), reason="Therapy finished"
    )
    change(closed, ClosePlan(), other_lead, occurred_on=ago(200), reason="Moved school")
    return Scenario(iep=iep, csp=csp, prepared_csp=prepared, closed=closed)
