"""A plan with a story worth evidence: outcomes, targets, provision, views, reviews,
a revision, a copy given to the family, and entries recorded after the day they happened."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.planning import Planning
from domain.events import (
    AddMember,
    AgreeOutcome,
    Evaluated,
    HoldReview,
    JoinAgency,
    OpenPlan,
    PlanProvision,
    RecordViews,
    ReviseTarget,
    SetTarget,
)
from domain.values import PlanType, Progress, ProvisionKind, Role, Whose
from tests.examples import SCHOOL, a_child, a_parent, a_practitioner, as_caller, days_ago

OUTCOME = "I will play with my friends at break and enjoy my playtimes"
TARGET = "Take turns in a board game with two peers"
REVISED = "Take turns in a board game with one peer, then two"
PROVISION = "Lunchtime social group with the support assistant"
PARENT_VIEWS = "Isla is anxious in the mornings and says break time is too loud"


@dataclass(frozen=True)
class Story:
    plan_id: UUID
    outcome_id: UUID
    target_id: UUID


def a_reviewed_plan(
    planning: Planning, plan_type: PlanType = PlanType.IEP, opened_days_ago: int = 200
) -> Story:
    lead, parent, salt = as_caller(), a_parent(), a_practitioner()
    day = lambda n: days_ago(opened_days_ago - n)  # noqa: E731 - days into the story
    plan_id = planning.open_plan(
        OpenPlan(plan_type=plan_type, stage="additional", child=a_child(), org=SCHOOL),
        lead,
        occurred_on=day(0),
        reason="Concerns raised at parents' evening",
    ).plan_id
    planning.change(
        plan_id,
        AddMember(user_id=parent.id, role=Role.PARENT_CARER, name=parent.name),
        lead,
        occurred_on=day(0),
    )
    planning.change(
        plan_id,
        JoinAgency(org=salt.org or "", name="Speech and Language Therapy", kind="health"),
        lead,
        occurred_on=day(1),
    )
    planning.change(
        plan_id,
        RecordViews(whose=Whose.PARENT_CARER, text=PARENT_VIEWS),
        as_caller(parent),
        occurred_on=day(2),
    )
    outcome_id = UUID(
        planning.change(
            plan_id,
            AgreeOutcome(
                text=OUTCOME, area="Social and emotional", aspiration="To have good friends"
            ),
            lead,
            occurred_on=day(3),
        ).created["outcome_id"]
    )
    target_id = UUID(
        planning.change(
            plan_id,
            SetTarget(outcome_id=outcome_id, text=TARGET, due_on=day(90)),
            lead,
            occurred_on=day(3),
        ).created["target_id"]
    )
    planning.change(
        plan_id,
        PlanProvision(
            kind=ProvisionKind.INTERVENTION,
            description=PROVISION,
            target_ids=(target_id,),
            sessions_per_week=2,
            minutes_per_session=30,
            staff="Support assistant",
            recommended_by="Speech and Language Therapy",
        ),
        lead,
        occurred_on=day(4),
    )
    planning.change(
        plan_id,
        HoldReview(
            held_on=day(60),
            attendees=("Fiona MacLeod", "Morag Campbell"),
            summary="Good progress with one peer.",
            next_review_on=day(150),
            evaluations=(
                Evaluated(
                    target_id=target_id,
                    progress=Progress.PARTIALLY_ACHIEVED,
                    impact="Takes turns with one familiar peer.",
                ),
            ),
        ),
        lead,
    )
    planning.change(
        plan_id,
        ReviseTarget(target_id=target_id, text=REVISED),
        lead,
        occurred_on=day(61),
        reason="Agreed with Isla and her mum: a smaller step first",
    )
    return Story(plan_id, outcome_id, target_id)
