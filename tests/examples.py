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
