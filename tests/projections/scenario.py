"""Plans written through the application, with everything the read models count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from application.planning import Planning
from application.statutory import StatutorySteps
from domain.calendar import today
from domain.plans import Evaluated
from domain.statutory import CspNeed, Requester
from domain.values import Actor, Child, PlanType, Progress, ProvisionKind, Role

SCHOOL = "school:st-ninians-primary"
OTHER_SCHOOL = "school:leith-academy"
SALT = "nhs:salt-lothian"
CHILD_NAME = "Zebedee Quintrell"
BIRTHDAY = date(2014, 7, 19)

LEAD = Actor(id="u-fiona", name="Fiona MacLeod", role=Role.LEAD_PROFESSIONAL, org=SCHOOL)
OTHER_LEAD = Actor(id="u-ewan", name="Ewan Laird", role=Role.LEAD_PROFESSIONAL,
                   org=OTHER_SCHOOL)


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


def build(planning: Planning) -> Scenario:
    """An IEP with a bit of everything; a CSP in force reviewed on time then late; a CSP
    prepared through its statutory steps; a closed plan at another school."""
    iep = planning.open_plan(plan_type=PlanType.IEP, stage="additional", child=child(),
                             org=SCHOOL, actor=LEAD, occurred_on=ago(400),
                             next_review_on=ago(10)).plan_id
    planning.add_member(iep, user_id="u-morag", role=Role.PARENT_CARER, name="Morag",
                        actor=LEAD, occurred_on=ago(399))
    planning.join_agency(iep, org=SALT, name="Speech and language therapy", kind="health",
                         actor=LEAD, occurred_on=ago(398))
    outcome = UUID(planning.agree_outcome(iep, text="Play with friends", area="Social",
                                          actor=LEAD, occurred_on=ago(397)).created["outcome_id"])
    targets = [UUID(planning.set_target(iep, outcome_id=outcome, text=f"Target {n}",
                                        due_on=ago(-30), actor=LEAD,
                                        occurred_on=ago(396)).created["target_id"])
               for n in range(3)]
    planning.plan_provision(iep, kind=ProvisionKind.INTERVENTION, description="Lego therapy",
                            cost=Decimal("120.50"), actor=LEAD, occurred_on=ago(395))
    planning.plan_provision(iep, kind=ProvisionKind.EQUIPMENT, description="Ear defenders",
                            cost=Decimal("24.99"), actor=LEAD, occurred_on=ago(395))
    planning.plan_provision(iep, kind=ProvisionKind.STRATEGY, description="Visual timetable",
                            actor=LEAD, occurred_on=ago(395))
    planning.hold_review(iep, held_on=ago(200), attendees=["Fiona"], summary="Steady",
                         evaluations=[Evaluated(target_id=targets[0], progress=Progress.ACHIEVED,
                                                impact="Done"),
                                      Evaluated(target_id=targets[1],
                                                progress=Progress.NOT_ACHIEVED, impact="No")],
                         next_review_on=ago(5), actor=LEAD)
    planning.close_target(iep, targets[2], actor=LEAD, occurred_on=ago(150))
    planning.change_stage(iep, stage="targeted", actor=LEAD, occurred_on=ago(100))
    planning.grant_disclosure(iep, grantee="u-alasdair", purpose="Tribunal", actor=LEAD,
                              until=ago(-60), occurred_on=ago(20))
    granted = UUID(planning.grant_disclosure(iep, grantee="tribunal:hec", purpose="Old",
                                             actor=LEAD, until=ago(1),
                                             occurred_on=ago(30)).created["disclosure_id"])
    planning.grant_disclosure(iep, grantee="u-revoked", purpose="Mistake", actor=LEAD,
                              occurred_on=ago(25))
    planning.revoke_disclosure(iep, granted, actor=LEAD, occurred_on=ago(2))

    csp = planning.open_plan(plan_type=PlanType.CSP, stage="specialist", child=child(),
                             org=SCHOOL, actor=LEAD, occurred_on=date(2023, 3, 1)).plan_id
    planning.hold_review(csp, held_on=date(2024, 2, 28), attendees=["Fiona"], summary="On time",
                         next_review_on=date(2025, 2, 1), actor=LEAD)
    planning.hold_review(csp, held_on=date(2025, 3, 1), attendees=["Fiona"], summary="Late",
                         next_review_on=ago(-30), actor=LEAD)

    prepared = planning.open_plan(plan_type=PlanType.CSP, stage="specialist", child=child(),
                                  org=OTHER_SCHOOL, actor=OTHER_LEAD,
                                  occurred_on=date(2024, 1, 5)).plan_id
    steps = StatutorySteps(planning)
    steps.receive_csp_request(prepared, requested_by=Requester.PARENT_CARER, actor=OTHER_LEAD,
                              occurred_on=date(2024, 1, 5))
    steps.decide_csp_need(prepared, decision=CspNeed.NEEDED, actor=OTHER_LEAD,
                          occurred_on=date(2024, 2, 1))
    steps.prepare_csp(prepared, actor=OTHER_LEAD, occurred_on=date(2024, 5, 1))

    closed = planning.open_plan(plan_type=PlanType.CHILDS_PLAN, stage="universal",
                                child=child(), org=OTHER_SCHOOL, actor=OTHER_LEAD,
                                occurred_on=ago(300)).plan_id
    planning.change_stage(closed, stage="additional", actor=OTHER_LEAD, occurred_on=ago(290))
    # Access given and withdrawn before closing: neither stays in the row.
    planning.add_member(closed, user_id="u-gone", role=Role.PARENT_CARER, name="Gone",
                        actor=OTHER_LEAD, occurred_on=ago(280))
    planning.join_agency(closed, org=SALT, name="Speech and language therapy", kind="health",
                         actor=OTHER_LEAD, occurred_on=ago(280))
    planning.remove_member(closed, "u-gone", actor=OTHER_LEAD, occurred_on=ago(250))
    planning.leave_agency(closed, SALT, actor=OTHER_LEAD, occurred_on=ago(250))
    planning.close_plan(closed, actor=OTHER_LEAD, occurred_on=ago(200))
    return Scenario(iep=iep, csp=csp, prepared_csp=prepared, closed=closed)
