"""Example data builders (Eventide's "controls"): realistic values, no inline literals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from domain.access import Caller
from domain.calendar import today
from domain.events import (
    AddMember,
    AgreeOutcome,
    AppendContribution,
    ClosePlan,
    DestroyPlan,
    Evaluated,
    GrantDisclosure,
    HoldReview,
    JoinAgency,
    OpenPlan,
    PlanProvision,
    RecordDelivery,
    RecordViews,
    ReviseTarget,
    SetTarget,
    SharePlan,
)
from domain.plans import Plan
from domain.stages import Stage, StageCatalogue
from domain.values import Actor, Attribution, Child, PlanType, Progress, ProvisionKind, Role, Whose

if TYPE_CHECKING:
    from application.planning import Planning

SCHOOL = "school:st-ninians-primary"
SALT = "nhs:salt-lothian"


def a_lead_professional(user_id: str = "u-lead-1") -> Actor:
    return Actor(id=user_id, name="Fiona MacLeod", role=Role.LEAD_PROFESSIONAL, org=SCHOOL)


def a_practitioner(org: str = SALT, user_id: str = "u-salt-1") -> Actor:
    return Actor(id=user_id, name="Priya Shah", role=Role.PRACTITIONER, org=org)


def a_parent(user_id: str = "u-parent-1") -> Actor:
    return Actor(id=user_id, name="Morag Campbell", role=Role.PARENT_CARER)


def an_officer(user_id: str = "u-officer-1") -> Actor:
    return Actor(
        id=user_id,
        name="Morag Reid",
        role=Role.AUTHORITY_OFFICER,
        org="authority:city-of-edinburgh",
    )


def a_reviewer() -> Actor:
    return Actor(
        id="u-reviewer-1", name="Alasdair Grant", role=Role.REVIEWER, org="tribunal:hec-scotland"
    )


def an_analyst() -> Actor:
    return Actor(
        id="u-analyst-1", name="Ana Kowalski", role=Role.ANALYST, org="council:city-of-edinburgh"
    )


def as_caller(actor: Actor | None = None) -> Caller:
    """The signed-in caller an actor stands for (default: the lead professional)."""
    return Caller.of(actor or a_lead_professional())


def by(
    actor: Actor | None = None, on: date | None = None, reason: str | None = None
) -> Attribution:
    """Who (default: the lead professional), when it happened (default today) and why."""
    return Attribution(
        actor=actor or a_lead_professional(), occurred_on=on or today(), reason=reason
    )


def a_child(name: str = "Isla Campbell") -> Child:
    return Child(name=name, date_of_birth=date(2016, 3, 14))


def a_stage(stage_id: str = "additional", level: int = 2) -> Stage:
    return Stage(id=stage_id, name=f"Level {level}", level=level)


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def tomorrow() -> date:
    return days_ago(-1)


def a_catalogue() -> StageCatalogue:
    return StageCatalogue(
        authority="Example council",
        stages=(a_stage("universal", 1), a_stage("additional", 2), a_stage("targeted", 3)),
    )


def an_opening(plan_type: PlanType = PlanType.IEP, child: Child | None = None) -> OpenPlan:
    return OpenPlan(plan_type=plan_type, stage=a_stage().id, child=child or a_child(), org=SCHOOL)


def an_open_plan(plan_type: PlanType = PlanType.IEP, actor: Actor | None = None) -> Plan:
    return Plan.open(an_opening(plan_type), by(actor, days_ago(30)))


def a_plan_with_target() -> tuple[Plan, UUID, UUID]:
    """A plan with one agreed outcome and one open target under it."""
    plan = an_open_plan()
    outcome_id, target_id = uuid4(), uuid4()
    plan.agree_outcome(
        AgreeOutcome(
            outcome_id=outcome_id,
            text="I will play with my friends at break",
            area="Social and emotional",
            aspiration="To have good friends",
        ),
        by(on=days_ago(29)),
    )
    plan.set_target(
        SetTarget(
            target_id=target_id,
            outcome_id=outcome_id,
            text="Take turns in a board game with two peers",
            due_on=days_ago(-60),
        ),
        by(on=days_ago(28)),
    )
    return plan, outcome_id, target_id


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
    parent = a_parent()
    outcome_id, target_id, achieved_id = uuid4(), uuid4(), uuid4()
    provision_id, disclosure_id = uuid4(), uuid4()
    plan.agree_outcome(
        AgreeOutcome(
            outcome_id=outcome_id,
            text="I will play with my friends at break",
            area="Social and emotional",
            aspiration="To have good friends",
        ),
        by(on=days_ago(29)),
    )
    plan.set_target(
        SetTarget(
            target_id=target_id,
            outcome_id=outcome_id,
            text="Take turns in a board game with two peers",
            due_on=days_ago(-60),
        ),
        by(on=days_ago(28)),
    )
    plan.add_member(
        AddMember(user_id=parent.id, role=Role.PARENT_CARER, name=parent.name), by(on=days_ago(27))
    )
    plan.add_member(
        AddMember(user_id="u-lead-2", role=Role.LEAD_PROFESSIONAL, name="Euan Ross"),
        by(on=days_ago(27)),
    )
    plan.join_agency(
        JoinAgency(org=SALT, name="Speech and Language Therapy", kind="salt"), by(on=days_ago(26))
    )
    plan.set_target(
        SetTarget(
            target_id=achieved_id,
            outcome_id=outcome_id,
            due_on=days_ago(-30),
            text="Say good morning to a classmate",
            success_criteria="3 days in 5",
        ),
        by(on=days_ago(26)),
    )
    plan.plan_provision(
        PlanProvision(
            provision_id=provision_id,
            kind=ProvisionKind.INTERVENTION,
            description="Lego-based social skills group",
            target_ids=(target_id,),
            sessions_per_week=2,
            minutes_per_session=30,
            cost=Decimal("640.00"),
        ),
        by(on=days_ago(25)),
    )
    plan.record_delivery(
        RecordDelivery(provision_id=provision_id, sessions=2, minutes=60, note="Settled"),
        by(a_practitioner(), days_ago(20)),
    )
    plan.record_views(
        RecordViews(whose=Whose.PARENT_CARER, text="Break time is too loud for her"),
        by(parent, days_ago(24)),
    )
    plan.append_contribution(
        AppendContribution(
            kind="assessment_summary", text="Receptive language below age expectations"
        ),
        by(a_practitioner(), days_ago(22)),
    )
    plan.hold_review(
        HoldReview(
            held_on=days_ago(15),
            attendees=("Fiona", "Morag"),
            summary="Good start",
            next_review_on=days_ago(-60),
            evaluations=(
                Evaluated(
                    target_id=achieved_id, progress=Progress.ACHIEVED, impact="Every day now"
                ),
            ),
        ),
        by(),
    )
    plan.grant_disclosure(
        GrantDisclosure(
            disclosure_id=disclosure_id,
            grantee="nhs:camhs-lothian",
            purpose="Assessment",
            until=days_ago(-90),
        ),
        by(on=days_ago(10)),
    )
    plan.share_plan(SharePlan(recipients=("Morag Campbell",), method="email"), by(on=days_ago(9)))
    return FullPlan(
        plan, outcome_id, target_id, achieved_id, provision_id, disclosure_id, "u-lead-2"
    )


def a_closed_full_plan(plan_type: PlanType = PlanType.IEP) -> FullPlan:
    full = a_full_plan(plan_type)
    full.plan.execute(ClosePlan(), by(on=days_ago(1), reason="Support no longer needed"))
    return full


def a_destroyed_full_plan(plan_type: PlanType = PlanType.IEP) -> FullPlan:
    """A closed plan whose personal data has been destroyed under the retention policy."""
    full = a_closed_full_plan(plan_type)
    full.plan.destroy_plan(DestroyPlan(), by(reason="Retention period ended"))
    return full


def a_plan_in(planning: Planning, child: Child | None = None) -> UUID:
    """A plan opened through the application a month ago."""
    return planning.open_plan(
        an_opening(child=child),
        as_caller(),
        occurred_on=days_ago(30),
        reason="Raised at parents' evening",
    ).plan_id


def a_plan_of(planning: Planning, events: int) -> UUID:
    """A plan written through the use cases, `events` events long (at least 6)."""
    lead = as_caller()
    plan_id = a_plan_in(planning)

    def change(command, caller=lead, **when):  # a local shorthand
        return planning.change(plan_id, command, caller, **when).created

    outcome_id = UUID(
        change(
            AgreeOutcome(text="I will play with my friends at break", area="Social"),
            occurred_on=days_ago(29),
        )["outcome_id"]
    )
    target_id = UUID(
        change(
            SetTarget(
                outcome_id=outcome_id, text="Take turns with two peers", due_on=days_ago(-60)
            ),
            occurred_on=days_ago(29),
        )["target_id"]
    )
    provision_id = UUID(
        change(
            PlanProvision(
                kind=ProvisionKind.STRATEGY, description="Now/next board", target_ids=(target_id,)
            ),
            occurred_on=days_ago(28),
        )["provision_id"]
    )
    change(
        AddMember(user_id="u-parent-1", role=Role.PARENT_CARER, name="Morag Campbell"),
        occurred_on=days_ago(28),
    )
    writes = [
        lambda n: change(AppendContribution(kind="note", text=f"Observation {n}")),
        lambda n: change(
            RecordDelivery(provision_id=provision_id, sessions=1, note=f"Session {n}"),
            occurred_on=days_ago(n % 20),
        ),
        lambda n: change(
            ReviseTarget(target_id=target_id, text=f"Take turns with two peers, step {n}"),
            reason="A smaller step",
        ),
        lambda n: change(RecordViews(whose=Whose.CHILD, text=f"Isla said {n}")),
    ]
    for n in range(events - 5):
        writes[n % len(writes)](n)
    return plan_id
