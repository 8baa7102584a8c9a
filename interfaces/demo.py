"""The demo: the seeds' Year 5 pupil, a year of planning told through the application.

Dates are relative to today, so the demo always has a review coming up and history
behind it. Everything goes through Planning's use cases, as a real user's would.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.planning import Planning
from domain.access import Caller
from domain.calendar import today
from domain.events import (
    AddChronologyEntry,
    AddMember,
    AgreeOutcome,
    AnswerCspRequest,
    AppendContribution,
    ChangeStage,
    Command,
    DecideCspNeed,
    Evaluated,
    GiveNotice,
    GrantDisclosure,
    HoldReview,
    JoinAgency,
    OpenPlan,
    PlanProvision,
    PrepareCsp,
    ReceiveCspRequest,
    RecordInformationSharing,
    RecordSection,
    RecordViews,
    ReviseTarget,
    ScheduleReview,
    SetTarget,
)
from domain.statutory import CspNeed, CspRequestAnswer, NoticeKind, Requester
from domain.values import (
    Actor,
    Child,
    ChronologyKind,
    LawfulBasis,
    PlanType,
    Progress,
    ProvisionKind,
    Role,
    Wellbeing,
    Whose,
)

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
    "officer": Actor(
        id="u-douglas",
        name="Douglas Reid",
        role=Role.AUTHORITY_OFFICER,
        org="council:city-of-edinburgh",
    ),
}


def demo_mail(person: Actor) -> str:
    """A demo person's address: example.org is reserved for examples (RFC 2606)."""
    return f"{person.id}@example.org"


def _on(days_ago: int) -> date:
    return today() - timedelta(days=days_ago)


def load_demo(planning: Planning) -> UUID:
    """Open the demo plan and live through a year of it; returns the plan's id."""
    lead, salt, parent = DEMO_USERS["lead"], DEMO_USERS["practitioner"], DEMO_USERS["parent"]
    young_person = DEMO_USERS["young_person"]
    plan_id = planning.open_plan(
        OpenPlan(
            plan_type=PlanType.IEP,
            stage="additional",
            org=SCHOOL,
            child=Child(name="Isla Campbell", date_of_birth=date(today().year - 10, 3, 14)),
        ),
        Caller.of(lead),
        occurred_on=_on(330),
        reason="Concerns raised at P5 parents' evening",
    ).plan_id

    def do(command: Command, who: Actor, days_ago: int, reason: str | None = None) -> str:
        """One change, as `who` would make it; returns the id of what it created."""
        created = planning.change(
            plan_id, command, Caller.of(who), occurred_on=_on(days_ago), reason=reason
        ).created
        return next(iter(created.values()), "")

    do(
        AddMember(
            user_id=parent.id, role=Role.PARENT_CARER, name=parent.name, email=demo_mail(parent)
        ),
        lead,
        330,
    )
    do(
        AddMember(
            user_id=young_person.id,
            role=Role.YOUNG_PERSON,
            name=young_person.name,
            email=demo_mail(young_person),
        ),
        lead,
        330,
    )
    do(
        RecordViews(
            whose=Whose.PARENT_CARER,
            text="Isla is anxious in the mornings and says break time is 'too loud'. "
            "At home she loves Lego and looking after her little cousin.",
        ),
        parent,
        328,
    )
    do(
        RecordViews(
            whose=Whose.CHILD,
            text="Isla said: 'I want someone to play with. I like helping the little ones.'",
        ),
        lead,
        326,
    )

    outcomes = {
        "friends": (
            "I will learn how to play with my friends and look after younger children "
            "as a 'Buddy' by the end of P7, so that I enjoy my playtimes.",
            "Communication and interaction",
            "To have good friends and a job helping people",
        ),
        "mornings": (
            "I understand that arriving on time helps me start the day calmly. By the "
            "time I leave primary school I will do this all the time.",
            "Social, emotional and mental health",
            "To go to secondary school calmly",
        ),
        "independence": (
            "By the end of P7 I will be better at understanding what I need to do "
            "and how to do it, so that I can work independently more often.",
            "Cognition and learning",
            "To live and work independently",
        ),
    }
    outcome_ids = {
        key: UUID(
            do(
                AgreeOutcome(
                    text=text, area=area, aspiration=aspiration, wellbeing=WELLBEING_OF[key]
                ),
                lead,
                320,
            )
        )
        for key, (text, area, aspiration) in outcomes.items()
    }
    targets = {
        "turns": (
            "friends",
            "Take turns in a board game with two peers for 10 minutes, "
            "with adult prompting no more than twice",
            100,
        ),
        "arrive": (
            "mornings",
            "Arrive by 8:50 and use the calm corner plan on 4 days out of 5",
            100,
        ),
        "instructions": (
            "independence",
            "Repeat back a two-step instruction in her own words before starting a task",
            120,
        ),
    }
    target_ids = {
        key: UUID(
            do(
                SetTarget(
                    outcome_id=outcome_ids[outcome],
                    text=text,
                    due_on=_on(330 - due),
                    success_criteria="Observed by class teacher on 3 occasions",
                ),
                lead,
                318,
            )
        )
        for key, (outcome, text, due) in targets.items()
    }
    do(
        PlanProvision(
            kind=ProvisionKind.STRATEGY,
            description="Visual timetable and now/next board on her desk; seat near the door",
            target_ids=(target_ids["instructions"],),
        ),
        lead,
        318,
    )
    do(
        PlanProvision(
            kind=ProvisionKind.INTERVENTION,
            description="Lego-based social skills group",
            target_ids=(target_ids["turns"],),
            frequency="2 x 30 min per week",
            sessions_per_week=2,
            minutes_per_session=30,
            staff="Pupil support assistant (trained)",
            cost=Decimal("640.00"),
            funding="School ASN budget",
            recommended_by="EP",
        ),
        lead,
        318,
    )
    do(
        PlanProvision(
            kind=ProvisionKind.EQUIPMENT,
            description="Ear defenders for the dining hall and assemblies",
            cost=Decimal("24.99"),
            funding="School",
            target_ids=(target_ids["arrive"],),
        ),
        lead,
        318,
    )
    do(ScheduleReview(next_review_on=_on(230)), lead, 318)

    review_1 = do(
        HoldReview(
            held_on=_on(232),
            next_review_on=_on(120),
            attendees=("Fiona MacLeod (lead)", "Morag Campbell (mum)", "Isla", "Class teacher"),
            summary="Good start to the social group. Mornings are still hard; referral to SALT "
            "agreed for receptive language.",
            evaluations=(
                Evaluated(
                    target_id=target_ids["turns"],
                    progress=Progress.PARTIALLY_ACHIEVED,
                    impact="Takes turns with one familiar peer; needs prompting with two.",
                ),
                Evaluated(
                    target_id=target_ids["arrive"],
                    progress=Progress.NOT_ACHIEVED,
                    impact="On time 2 days in 5; calm corner used twice.",
                ),
            ),
        ),
        lead,
        232,
    )
    do(
        JoinAgency(
            org=SALT,
            name="Speech and Language Therapy, NHS Lothian",
            kind="speech_and_language_therapy",
        ),
        lead,
        200,
        reason="Referral agreed at review " + review_1[:8],
    )
    do(
        AddMember(user_id=salt.id, role=Role.PRACTITIONER, name=salt.name, email=demo_mail(salt)),
        lead,
        200,
    )
    do(
        AppendContribution(
            kind="assessment_summary",
            text="CELF-5 screen: receptive language below age expectations; benefits from "
            "visual supports and chunked instructions.",
        ),
        salt,
        180,
    )
    do(
        PlanProvision(
            kind=ProvisionKind.INTERVENTION,
            description="Colourful semantics programme",
            target_ids=(target_ids["instructions"],),
            frequency="3 x 20 min per week",
            sessions_per_week=3,
            minutes_per_session=20,
            staff="HLTA, trained by SALT",
            cost=Decimal("900.00"),
            funding="NHS Lothian",
            recommended_by="SALT",
        ),
        salt,
        175,
    )
    do(
        ReviseTarget(
            target_id=target_ids["arrive"],
            text="Arrive by 8:50 on 3 days out of 5 and go straight to the calm corner",
            due_on=_on(-30),
        ),
        lead,
        170,
        reason="Agreed with Isla and mum: a smaller step first",
    )
    do(ChangeStage(stage="targeted"), lead, 160, reason="Multi-agency support now in place (SALT)")
    do(
        HoldReview(
            held_on=_on(125),
            next_review_on=_on(-20),
            attendees=("Fiona MacLeod (lead)", "Morag Campbell (mum)", "Isla", "Priya Shah (SALT)"),
            summary="Real progress with turn-taking; mornings improving with the smaller step.",
            evaluations=(
                Evaluated(
                    target_id=target_ids["turns"],
                    progress=Progress.ACHIEVED,
                    impact="Plays a full game with two peers without prompts.",
                ),
                Evaluated(
                    target_id=target_ids["arrive"],
                    progress=Progress.PARTIALLY_ACHIEVED,
                    impact="On time 3 days in 5 for the last month.",
                ),
                Evaluated(
                    target_id=target_ids["instructions"],
                    progress=Progress.PARTIALLY_ACHIEVED,
                    impact="Repeats back most two-step instructions with a visual cue.",
                ),
            ),
        ),
        lead,
        125,
    )
    do(
        SetTarget(
            outcome_id=outcome_ids["friends"],
            text="Act as a Buddy to a P1 pupil at one break time each week",
            due_on=_on(-60),
        ),
        lead,
        124,
    )
    for entry, who, days_ago in (
        (
            AddChronologyEntry(
                source="Class teacher",
                kind=ChronologyKind.CONCERN,
                text="Late on 9 of 15 mornings; upset at the gate on most of them.",
                impact="Missed the start of literacy; unsettled until break.",
                next_step="Met with mum; morning plan agreed.",
                wellbeing=(Wellbeing.INCLUDED, Wellbeing.ACHIEVING),
                period_to=_on(300),
            ),
            lead,
            321,
        ),
        (
            AddChronologyEntry(
                source="Mum (Morag Campbell), at a meeting",
                kind=ChronologyKind.EVENT,
                text="Grandfather, who did the school run, moved into a care home.",
                impact="Mornings changed for the whole family.",
                wellbeing=(Wellbeing.NURTURED,),
                date_uncertain=True,
            ),
            lead,
            340,
        ),
        (
            AddChronologyEntry(
                source="SLT session notes",
                kind=ChronologyKind.STRENGTH,
                text="Followed a three-step instruction with a visual cue for the first time.",
                impact="Much more confident in group work.",
                wellbeing=(Wellbeing.ACHIEVING, Wellbeing.RESPECTED),
            ),
            salt,
            150,
        ),
        (
            AddChronologyEntry(
                source="Playground supervisor",
                kind=ChronologyKind.STRENGTH,
                text="Acted as a Buddy for a P1 pupil for the whole of lunchtime.",
                next_step="Buddy role to continue weekly.",
                wellbeing=(Wellbeing.RESPONSIBLE, Wellbeing.INCLUDED),
            ),
            lead,
            60,
        ),
    ):
        do(entry, who, days_ago)
    do(
        RecordInformationSharing(
            information="Her current plan and the SLT summary of her communication needs",
            shared_with="Ms Duncan, summer playscheme co-ordinator, Edinburgh Leisure",
            lawful_basis=LawfulBasis.CONSENT,
            necessary_because="Staff need her visual cues to include her from the first day",
            child_views="Wants the playscheme to know she likes picture cards",
            family_views="Mum asked for it to be shared; not the medical letter",
            withheld="The GP's letter: not needed for the playscheme",
        ),
        lead,
        45,
        reason="Mum asked for help with her place at the summer playscheme",
    )
    load_demo_csps(planning)
    load_demo_directory(planning)
    return plan_id


WELLBEING_OF = {
    "friends": (Wellbeing.INCLUDED, Wellbeing.RESPONSIBLE),
    "mornings": (Wellbeing.HEALTHY, Wellbeing.NURTURED),
    "independence": (Wellbeing.ACHIEVING,),
}
"""The SHANARRI indicators each demo outcome serves."""


DEMO_ORGANISATIONS = (
    (SCHOOL, "St Ninian's Primary School", "school", "office@st-ninians.example.org"),
    (SALT, "NHS Lothian Speech and Language Therapy", "health", None),
    ("nhs:camhs-lothian", "NHS Lothian CAMHS", "health", None),
    ("council:edinburgh-social-work", "Edinburgh Children's Social Work", "social_work", None),
    ("council:city-of-edinburgh", "City of Edinburgh Council", "council", None),
    (
        "tribunal:hec-scotland",
        "First-tier Tribunal for Scotland (Health and Education Chamber)",
        "tribunal",
        None,
    ),
)


def load_demo_directory(planning: Planning) -> None:
    """The demo's organisations by name, and its staff as if each had signed in once."""
    for org, name, kind, contact in DEMO_ORGANISATIONS:
        planning.people.record_organisation(org, name, kind, contact)
    for person in DEMO_USERS.values():
        planning.people.seen(Caller.of(person).model_copy(update={"email": demo_mail(person)}))


def load_demo_csps(planning: Planning) -> None:
    """Two CSPs for the authority officer's page: one signed a year ago, its statutory
    review now due, and one being prepared, its 16 weeks running."""
    lead, officer = DEMO_USERS["lead"], DEMO_USERS["officer"]

    def csp(name: str, born: date, opened_ago: int) -> UUID:
        return planning.open_plan(
            OpenPlan(
                plan_type=PlanType.CSP,
                stage="specialist",
                org=SCHOOL,
                child=Child(name=name, date_of_birth=born),
            ),
            Caller.of(lead),
            occurred_on=_on(opened_ago),
        ).plan_id

    def step(plan_id: UUID, command: Command, who: Actor, ago: int, why: str | None = None) -> Any:
        return planning.change(
            plan_id, command, Caller.of(who), occurred_on=_on(ago), reason=why
        ).created

    calum = csp("Calum Reid", date(today().year - 12, 6, 2), 520)
    request = step(calum, ReceiveCspRequest(requested_by=Requester.PARENT_CARER), lead, 500)
    step(
        calum,
        AnswerCspRequest(
            request_id=UUID(request["request_id"]), answer=CspRequestAnswer.WILL_ESTABLISH
        ),
        officer,
        480,
        "Complex and multiple factors; health and social work involved",
    )
    step(
        calum,
        GiveNotice(kind=NoticeKind.PROPOSAL, to=("Kirsty Reid (mum)",), method="letter"),
        lead,
        479,
    )
    for name, text, details in (
        ("profile", "Calum is a keen swimmer and a patient helper with younger pupils.", {}),
        ("factors", "Autism; a hearing impairment; a recent change of carer.", {}),
        (
            "parents",
            "Calum lives with his mum.",
            {"parents": [{"name": "Kirsty Reid", "relationship": "mother"}]},
        ),
        ("nominated_school", "St Ninian's Primary School.", {"school": "St Ninian's Primary"}),
        ("coordinator", "Co-ordinates the support.", {"name": "Fiona MacLeod"}),
        ("contact_officer", "Advice and information.", {"name": officer.name}),
        ("review_timetable", "Reviewed every 12 months, each spring.", {}),
    ):
        step(calum, RecordSection(name=name, text=text, details=details), lead, 420)
    step(
        calum, DecideCspNeed(decision=CspNeed.NEEDED), officer, 400, "The four tests of s.2 are met"
    )
    step(calum, PrepareCsp(), officer, 350)
    step(
        calum,
        GiveNotice(kind=NoticeKind.PLAN_COPY, to=("Kirsty Reid (mum)",), method="letter"),
        lead,
        349,
    )
    step(
        calum,
        GrantDisclosure(
            grantee=DEMO_USERS["reviewer"].org or "",
            purpose="A reference to the Tribunal about the CSP's contents",
            until=today() + timedelta(days=120),
        ),
        lead,
        14,
        "Kirsty Reid has referred the CSP to the Tribunal",
    )

    ava = csp("Ava Stewart", date(today().year - 9, 1, 20), 60)
    request = step(ava, ReceiveCspRequest(requested_by=Requester.SCHOOL), lead, 50)
    step(
        ava,
        AnswerCspRequest(
            request_id=UUID(request["request_id"]), answer=CspRequestAnswer.WILL_ESTABLISH
        ),
        officer,
        40,
        "Significant support from health is likely to be needed",
    )
