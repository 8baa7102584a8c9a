"""Example data builders (Eventide's "controls"): realistic values, no inline literals."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

from domain.calendar import today
from domain.plans import Plan
from domain.stages import Stage
from domain.values import Actor, Child, PlanType, Role

SCHOOL = "school:st-ninians-primary"
SALT = "nhs:salt-lothian"


def a_lead_professional(user_id: str = "u-lead-1") -> Actor:
    return Actor(id=user_id, name="Fiona MacLeod", role=Role.LEAD_PROFESSIONAL, org=SCHOOL)


def a_practitioner(org: str = SALT, user_id: str = "u-salt-1") -> Actor:
    return Actor(id=user_id, name="Priya Shah", role=Role.PRACTITIONER, org=org)


def a_parent(user_id: str = "u-parent-1") -> Actor:
    return Actor(id=user_id, name="Morag Campbell", role=Role.PARENT_CARER)


def a_child(name: str = "Isla Campbell") -> Child:
    return Child(name=name, date_of_birth=date(2016, 3, 14))


def a_stage(stage_id: str = "additional", level: int = 2) -> Stage:
    return Stage(id=stage_id, name=f"Level {level}", level=level)


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def an_open_plan(plan_type: PlanType = PlanType.IEP, actor: Actor | None = None) -> Plan:
    return Plan.open(
        plan_type=plan_type, stage=a_stage(), child=a_child(), org=SCHOOL,
        actor=actor or a_lead_professional(), occurred_on=days_ago(30),
    )


def a_plan_with_target() -> tuple[Plan, UUID, UUID]:
    """A plan with one agreed outcome and one open target under it."""
    plan = an_open_plan()
    lead = a_lead_professional()
    outcome_id, target_id = uuid4(), uuid4()
    plan.agree_outcome(
        outcome_id=outcome_id, text="I will play with my friends at break",
        area="Social and emotional", aspiration="To have good friends",
        actor=lead, occurred_on=days_ago(29),
    )
    plan.set_target(
        target_id=target_id, outcome_id=outcome_id,
        text="Take turns in a board game with two peers", due_on=days_ago(-60),
        success_criteria=None, actor=lead, occurred_on=days_ago(28),
    )
    return plan, outcome_id, target_id


# -- more builders (domain and application tests) ---------------------------------------

from dataclasses import dataclass  # noqa: E402
from decimal import Decimal  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from domain.plans import Evaluated  # noqa: E402
from domain.stages import StageCatalogue  # noqa: E402
from domain.values import Progress, ProvisionKind, Whose  # noqa: E402

if TYPE_CHECKING:
    from application.planning import Planning


def a_reviewer() -> Actor:
    return Actor(id="u-reviewer-1", name="Alasdair Grant", role=Role.REVIEWER,
                 org="tribunal:hec-scotland")


def an_analyst() -> Actor:
    return Actor(id="u-analyst-1", name="Ana Kowalski", role=Role.ANALYST,
                 org="council:city-of-edinburgh")


def tomorrow() -> date:
    return days_ago(-1)


def a_catalogue() -> StageCatalogue:
    return StageCatalogue(
        authority="Example council",
        stages=(a_stage("universal", 1), a_stage("additional", 2), a_stage("targeted", 3)),
    )


@dataclass(frozen=True)
class FullPlan:
    """A plan with something of every kind, open to every write."""

    plan: Plan
    outcome_id: UUID
    target_id: UUID
    achieved_target_id: UUID
    provision_id: UUID
    disclosure_id: UUID
    colleague_id: str


def a_full_plan(plan_type: PlanType = PlanType.IEP) -> FullPlan:
    """A plan a term into its life: people, an agency, outcome, targets (one achieved at
    a review), provision with a delivery, views, a contribution, a disclosure and a copy."""
    plan = an_open_plan(plan_type)
    lead, parent = a_lead_professional(), a_parent()
    outcome_id, target_id, achieved_id = uuid4(), uuid4(), uuid4()
    provision_id, disclosure_id = uuid4(), uuid4()
    plan.agree_outcome(outcome_id=outcome_id, text="I will play with my friends at break",
                       area="Social and emotional", aspiration="To have good friends",
                       actor=lead, occurred_on=days_ago(29))
    plan.set_target(target_id=target_id, outcome_id=outcome_id,
                    text="Take turns in a board game with two peers", due_on=days_ago(-60),
                    success_criteria=None, actor=lead, occurred_on=days_ago(28))
    plan.add_member(user_id=parent.id, role=Role.PARENT_CARER, name=parent.name,
                    actor=lead, occurred_on=days_ago(27))
    plan.add_member(user_id="u-lead-2", role=Role.LEAD_PROFESSIONAL, name="Euan Ross",
                    actor=lead, occurred_on=days_ago(27))
    plan.join_agency(org=SALT, name="Speech and Language Therapy", kind="salt",
                     actor=lead, occurred_on=days_ago(26))
    plan.set_target(target_id=achieved_id, outcome_id=outcome_id, due_on=days_ago(-30),
                    text="Say good morning to a classmate", success_criteria="3 days in 5",
                    actor=lead, occurred_on=days_ago(26))
    plan.plan_provision(provision_id=provision_id, kind=ProvisionKind.INTERVENTION,
                        description="Lego-based social skills group", target_ids=[target_id],
                        sessions_per_week=2, minutes_per_session=30, cost=Decimal("640.00"),
                        actor=lead, occurred_on=days_ago(25))
    plan.record_delivery(provision_id=provision_id, sessions=2, minutes=60, note="Settled",
                         actor=a_practitioner(), occurred_on=days_ago(20))
    plan.record_views(views_id=uuid4(), whose=Whose.PARENT_CARER, actor=parent,
                      text="Break time is too loud for her", occurred_on=days_ago(24))
    plan.append_contribution(contribution_id=uuid4(), kind="assessment_summary",
                             text="Receptive language below age expectations",
                             actor=a_practitioner(), occurred_on=days_ago(22))
    plan.hold_review(review_id=uuid4(), held_on=days_ago(15), attendees=["Fiona", "Morag"],
                     summary="Good start", next_review_on=days_ago(-60), actor=lead,
                     evaluations=[Evaluated(target_id=achieved_id, progress=Progress.ACHIEVED,
                                            impact="Every day now")])
    plan.grant_disclosure(disclosure_id=disclosure_id, grantee="nhs:camhs-lothian",
                          purpose="Assessment", until=days_ago(-90), actor=lead,
                          occurred_on=days_ago(10))
    plan.share(recipients=["Morag Campbell"], method="email", sha256=None, actor=lead,
               occurred_on=days_ago(9))
    return FullPlan(plan, outcome_id, target_id, achieved_id, provision_id, disclosure_id,
                    "u-lead-2")


def a_closed_full_plan(plan_type: PlanType = PlanType.IEP) -> FullPlan:
    full = a_full_plan(plan_type)
    full.plan.close(actor=a_lead_professional(), occurred_on=days_ago(1))
    return full


def a_destroyed_full_plan(plan_type: PlanType = PlanType.IEP) -> FullPlan:
    """A closed plan whose personal data has been destroyed under the retention policy."""
    full = a_closed_full_plan(plan_type)
    full.plan.destroy(actor=a_lead_professional(), occurred_on=days_ago(0),
                      reason="Retention period ended")
    return full


def a_plan_in(planning: Planning, child: Child | None = None) -> UUID:
    """A plan opened through the application a month ago."""
    return planning.open_plan(
        plan_type=PlanType.IEP, stage="additional", child=child or a_child(), org=SCHOOL,
        actor=a_lead_professional(), occurred_on=days_ago(30), reason="Raised at parents' evening",
    ).plan_id


def a_plan_of(planning: Planning, events: int) -> UUID:
    """A plan written through the use cases, `events` events long (at least 6)."""
    lead = a_lead_professional()
    plan_id = a_plan_in(planning)
    outcome_id = UUID(planning.agree_outcome(
        plan_id, text="I will play with my friends at break", area="Social", actor=lead,
        occurred_on=days_ago(29)).created["outcome_id"])
    target_id = UUID(planning.set_target(
        plan_id, outcome_id=outcome_id, text="Take turns with two peers",
        due_on=days_ago(-60), actor=lead, occurred_on=days_ago(29)).created["target_id"])
    provision_id = UUID(planning.plan_provision(
        plan_id, kind=ProvisionKind.STRATEGY, description="Now/next board",
        target_ids=[target_id], actor=lead, occurred_on=days_ago(28)).created["provision_id"])
    planning.add_member(plan_id, user_id="u-parent-1", role=Role.PARENT_CARER,
                        name="Morag Campbell", actor=lead, occurred_on=days_ago(28))
    writes = [
        lambda n: planning.append_contribution(
            plan_id, kind="note", text=f"Observation {n}", actor=lead),
        lambda n: planning.record_delivery(
            plan_id, provision_id, sessions=1, note=f"Session {n}", actor=a_practitioner(),
            occurred_on=days_ago(n % 20)),
        lambda n: planning.revise_target(
            plan_id, target_id, text=f"Take turns with two peers, step {n}", actor=lead),
        lambda n: planning.record_views(
            plan_id, whose=Whose.CHILD, text=f"Isla said {n}", actor=lead),
    ]
    for n in range(events - 5):
        writes[n % len(writes)](n)
    return plan_id
