"""The demo: the seeds' Year 5 pupil, a year of planning told through the application.

Dates are relative to today, so the demo always has a review coming up and history
behind it. Everything goes through Planning's use cases, as a real user's would.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from application.planning import Planning
from domain.calendar import today
from domain.plans import Evaluated
from domain.values import Actor, Child, PlanType, Progress, ProvisionKind, Role, Whose

SCHOOL = "school:st-ninians-primary"
SALT = "nhs:salt-lothian"

DEMO_USERS: dict[str, Actor] = {
    "lead": Actor(id="u-fiona", name="Fiona MacLeod", role=Role.LEAD_PROFESSIONAL, org=SCHOOL),
    "practitioner": Actor(id="u-priya", name="Priya Shah", role=Role.PRACTITIONER, org=SALT),
    "outsider": Actor(
        id="u-tom", name="Tom Baird", role=Role.PRACTITIONER, org="nhs:camhs-lothian"
    ),
    "parent": Actor(id="u-morag", name="Morag Campbell", role=Role.PARENT_CARER),
    "young_person": Actor(id="u-isla", name="Isla Campbell", role=Role.YOUNG_PERSON),
    "reviewer": Actor(
        id="u-alasdair", name="Alasdair Grant", role=Role.REVIEWER, org="tribunal:hec-scotland"
    ),
    "analyst": Actor(
        id="u-ana", name="Ana Kowalski", role=Role.ANALYST, org="council:city-of-edinburgh"
    ),
}


def _on(days_ago: int) -> date:
    return today() - timedelta(days=days_ago)


def load_demo(planning: Planning) -> UUID:
    """Open the demo plan and live through a year of it; returns the plan's id."""
    lead, salt, parent = DEMO_USERS["lead"], DEMO_USERS["practitioner"], DEMO_USERS["parent"]
    plan_id = planning.open_plan(
        plan_type=PlanType.IEP, stage="additional", org=SCHOOL, actor=lead,
        child=Child(name="Isla Campbell", date_of_birth=date(today().year - 10, 3, 14)),
        occurred_on=_on(330), reason="Concerns raised at P5 parents' evening",
    ).plan_id
    planning.add_member(
        plan_id, user_id=parent.id, role=Role.PARENT_CARER, name=parent.name,
        actor=lead, occurred_on=_on(330),
    )
    planning.add_member(
        plan_id, user_id=DEMO_USERS["young_person"].id, role=Role.YOUNG_PERSON,
        name=DEMO_USERS["young_person"].name, actor=lead, occurred_on=_on(330),
    )
    planning.record_views(
        plan_id, whose=Whose.PARENT_CARER, actor=parent, occurred_on=_on(328),
        text="Isla is anxious in the mornings and says break time is 'too loud'. "
        "At home she loves Lego and looking after her little cousin.",
    )
    planning.record_views(
        plan_id, whose=Whose.CHILD, actor=lead, occurred_on=_on(326),
        text="Isla said: 'I want someone to play with. I like helping the little ones.'",
    )

    outcomes = {
        "friends": ("I will learn how to play with my friends and look after younger children "
                    "as a 'Buddy' by the end of P7, so that I enjoy my playtimes.",
                    "Communication and interaction", "To have good friends and a job helping people"),
        "mornings": ("I understand that arriving on time helps me start the day calmly. By the "
                     "time I leave primary school I will do this all the time.",
                     "Social, emotional and mental health", "To go to secondary school calmly"),
        "independence": ("By the end of P7 I will be better at understanding what I need to do "
                         "and how to do it, so that I can work independently more often.",
                         "Cognition and learning", "To live and work independently"),
    }
    outcome_ids = {
        key: UUID(planning.agree_outcome(
            plan_id, text=text, area=area, aspiration=aspiration, actor=lead,
            occurred_on=_on(320),
        ).created["outcome_id"])
        for key, (text, area, aspiration) in outcomes.items()
    }
    targets = {
        "turns": ("friends", "Take turns in a board game with two peers for 10 minutes, "
                  "with adult prompting no more than twice", 100),
        "arrive": ("mornings", "Arrive by 8:50 and use the calm corner plan on 4 days out of 5", 100),
        "instructions": ("independence", "Repeat back a two-step instruction in her own words "
                         "before starting a task", 120),
    }
    target_ids = {
        key: UUID(planning.set_target(
            plan_id, outcome_id=outcome_ids[outcome], text=text, due_on=_on(330 - due),
            success_criteria="Observed by class teacher on 3 occasions", actor=lead,
            occurred_on=_on(318),
        ).created["target_id"])
        for key, (outcome, text, due) in targets.items()
    }
    planning.plan_provision(
        plan_id, kind=ProvisionKind.STRATEGY, actor=lead, occurred_on=_on(318),
        description="Visual timetable and now/next board on her desk; seat near the door",
        target_ids=[target_ids["instructions"]],
    )
    planning.plan_provision(
        plan_id, kind=ProvisionKind.INTERVENTION, actor=lead, occurred_on=_on(318),
        description="Lego-based social skills group", target_ids=[target_ids["turns"]],
        frequency="2 x 30 min per week", sessions_per_week=2, minutes_per_session=30,
        staff="Pupil support assistant (trained)", cost=Decimal("640.00"),
        funding="School ASN budget", recommended_by="EP",
    )
    planning.plan_provision(
        plan_id, kind=ProvisionKind.EQUIPMENT, actor=lead, occurred_on=_on(318),
        description="Ear defenders for the dining hall and assemblies", cost=Decimal("24.99"),
        funding="School", target_ids=[target_ids["arrive"]],
    )
    planning.schedule_review(plan_id, next_review_on=_on(230), actor=lead, occurred_on=_on(318))

    review_1 = planning.hold_review(
        plan_id, held_on=_on(232), actor=lead, next_review_on=_on(120),
        attendees=["Fiona MacLeod (lead)", "Morag Campbell (mum)", "Isla", "Class teacher"],
        summary="Good start to the social group. Mornings are still hard; referral to SALT "
        "agreed for receptive language.",
        evaluations=[
            Evaluated(target_id=target_ids["turns"], progress=Progress.PARTIALLY_ACHIEVED,
                      impact="Takes turns with one familiar peer; needs prompting with two."),
            Evaluated(target_id=target_ids["arrive"], progress=Progress.NOT_ACHIEVED,
                      impact="On time 2 days in 5; calm corner used twice."),
        ],
    ).created["review_id"]
    planning.join_agency(
        plan_id, org=SALT, name="Speech and Language Therapy, NHS Lothian",
        kind="speech_and_language_therapy", actor=lead, occurred_on=_on(200),
        reason="Referral agreed at review " + review_1[:8],
    )
    planning.add_member(
        plan_id, user_id=salt.id, role=Role.PRACTITIONER, name=salt.name, actor=lead,
        occurred_on=_on(200),
    )
    planning.append_contribution(
        plan_id, kind="assessment_summary", actor=salt, occurred_on=_on(180),
        text="CELF-5 screen: receptive language below age expectations; benefits from "
        "visual supports and chunked instructions.",
    )
    planning.plan_provision(
        plan_id, kind=ProvisionKind.INTERVENTION, actor=salt, occurred_on=_on(175),
        description="Colourful semantics programme", target_ids=[target_ids["instructions"]],
        frequency="3 x 20 min per week", sessions_per_week=3, minutes_per_session=20,
        staff="HLTA, trained by SALT", cost=Decimal("900.00"), funding="NHS Lothian",
        recommended_by="SALT",
    )
    planning.revise_target(
        plan_id, target_ids["arrive"], actor=lead, occurred_on=_on(170),
        text="Arrive by 8:50 on 3 days out of 5 and go straight to the calm corner",
        due_on=_on(-30),
        reason="Agreed with Isla and mum: a smaller step first",
    )
    planning.change_stage(
        plan_id, stage="targeted", actor=lead, occurred_on=_on(160),
        reason="Multi-agency support now in place (SALT)",
    )
    planning.hold_review(
        plan_id, held_on=_on(125), actor=lead, next_review_on=_on(-20),
        attendees=["Fiona MacLeod (lead)", "Morag Campbell (mum)", "Isla", "Priya Shah (SALT)"],
        summary="Real progress with turn-taking; mornings improving with the smaller step.",
        evaluations=[
            Evaluated(target_id=target_ids["turns"], progress=Progress.ACHIEVED,
                      impact="Plays a full game with two peers without prompts."),
            Evaluated(target_id=target_ids["arrive"], progress=Progress.PARTIALLY_ACHIEVED,
                      impact="On time 3 days in 5 for the last month."),
            Evaluated(target_id=target_ids["instructions"], progress=Progress.PARTIALLY_ACHIEVED,
                      impact="Repeats back most two-step instructions with a visual cue."),
        ],
    )
    planning.set_target(
        plan_id, outcome_id=outcome_ids["friends"], actor=lead, occurred_on=_on(124),
        text="Act as a Buddy to a P1 pupil at one break time each week", due_on=_on(-60),
    )
    return plan_id
