"""Realistic support plans for bench/scale.py, written with the domain model's own commands
(so every rule holds and every event is one the application could have stored).

The distribution (one Scottish authority's store; shares are of plans kept, not of pupils):

- Plan types (DOMAIN.md section 6, the pupil census counts IEPs, Child's Plans, CSPs and
  "other" support; section 1.6, CSPs are rare and falling: 1,986 in 2018):
  IEP 52%, Child's Plan 25%, PLP with additional support notes ("other") 21%, CSP 2%.
  England's SEN support and EHC plans are not generated (another authority's store).
- Stages (section 1.6, four levels by default): PLP at universal; IEP at additional (70%)
  or targeted (30%); Child's Plan at targeted (70%), additional (20%) or specialist (10%);
  CSP at specialist. After a review, 10% of plans step up (two in three) or down a level.
- Life: opened on a day within the last six years (never less than 60 days ago); stays
  open for an exponential time with a mean of three years, else is closed (needs met,
  moved school): about 60% of the plans in the store are closed.
- Reviews per year (section 1.6: South Ayrshire reviews three times a year; a CSP's
  statutory review is yearly, section 1.3): IEP 3, Child's Plan 2, PLP 1, CSP 1. A review
  is held within two weeks of its date, 15% of them 2 to 8 weeks late (what the on-time
  reports count), with every open target evaluated in it (achieved 35%, partially 45%,
  not achieved 20%); an achieved target is followed by a new one under its outcome; the
  family's views are recorded at 70% of reviews and a copy shared with them at 50%.
- Outcomes per plan: IEP 1-3, Child's Plan 2-4, PLP 1-2, CSP 3-5; targets per outcome
  1-3 (CSP 2-3); 10% of targets are revised once between reviews.
- People: the lead professional, one or two parents, the young person (half of those
  aged 12 or over); one practitioner per agency; 10% of plans change lead professional.
- Agencies: IEP 0-1, Child's Plan 2-4, PLP 0, CSP 2-5, each contributing 1-3 times a year
  (assessment summaries, observations, reports).
- Provision: IEP 1-3, Child's Plan 2-4, PLP 0-1, CSP 3-5 items, 40% costed; each
  intervention's delivery logged about monthly in term time (8 a year); 20% ended early.
- CSP statutory steps: request, decision within 8 weeks (90%), preparation within 16
  weeks (10% delayed with a recorded reason), a review started before each yearly review.
- Disclosures (tribunal, mediation): 2% of plans, half revoked after 60-120 days.
- Free text of realistic lengths (outcomes 60-120 characters, review summaries 200-700,
  contributions 200-900), built from phrases, so rows are neither tiny nor compressible.

What comes out (1,500 plans, seed 11): 57 events a plan on average, up to ~300; about 32
events for each year a plan is open (PLP 11, IEP 35, Child's Plan 45, CSP 45), which is
what sizes a store: docs/scaling.md. Snapshots: the application snapshots a plan at every
50th version; here a snapshot is taken after the command that reaches it.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain import events as e
from domain.calendar import today
from domain.events import Evaluated
from domain.plans import Plan
from domain.stages import Stage
from domain.statutory import CspNeed, CspRequestAnswer, DelayCause, Requester, ReviewKind
from domain.values import (
    Actor,
    Attribution,
    Child,
    PlanType,
    Progress,
    ProvisionKind,
    Role,
    Whose,
)

SNAPSHOT_INTERVAL = 50  # Planning.snapshotting_intervals[Plan]
STAGES = {
    s.id: s
    for s in (
        Stage(id="universal", name="Level 1: Universal support", level=1),
        Stage(id="additional", name="Level 2: Additional support in school", level=2),
        Stage(id="targeted", name="Level 3: Targeted multi-agency support", level=3),
        Stage(id="specialist", name="Level 4: Specialist support", level=4),
    )
}
LEVELS = list(STAGES)


@dataclass(frozen=True)
class Profile:
    share: float
    stages: dict[str, float]
    reviews_per_year: int
    outcomes: tuple[int, int]
    targets: tuple[int, int]
    agencies: tuple[int, int]
    provisions: tuple[int, int]


PROFILES = {
    PlanType.IEP: Profile(
        0.52, {"additional": 0.7, "targeted": 0.3}, 3, (1, 3), (1, 3), (0, 1), (1, 3)
    ),
    PlanType.CHILDS_PLAN: Profile(
        0.25,
        {"targeted": 0.7, "additional": 0.2, "specialist": 0.1},
        2,
        (2, 4),
        (1, 3),
        (2, 4),
        (2, 4),
    ),
    PlanType.PLP: Profile(0.21, {"universal": 1.0}, 1, (1, 2), (1, 3), (0, 0), (0, 1)),
    PlanType.CSP: Profile(0.02, {"specialist": 1.0}, 1, (3, 5), (2, 3), (2, 5), (3, 5)),
}
ORGS = [f"school:scale-{n:03d}" for n in range(120)]
AGENCIES = [
    ("nhs:salt", "Speech and Language Therapy", "health"),
    ("nhs:ot", "Occupational Therapy", "health"),
    ("nhs:camhs", "CAMHS", "health"),
    ("council:social-work", "Children and Families Social Work", "social_work"),
    ("council:ep", "Educational Psychology", "education"),
    ("council:sensory", "Sensory Support Service", "education"),
    ("third:barnardos", "Barnardo's family support", "third_sector"),
]
LEADS_PER_ORG = 6
OFFICER = Actor(
    id="u-officer-1", name="Authority officer", role=Role.AUTHORITY_OFFICER, org="council:bench"
)
FIRST = [
    "Isla",
    "Calum",
    "Freya",
    "Lewis",
    "Ava",
    "Finlay",
    "Olivia",
    "Rory",
    "Ellie",
    "Jack",
    "Skye",
    "Euan",
    "Amelia",
    "Archie",
    "Harris",
    "Mia",
    "Kai",
    "Lily",
    "Noah",
    "Zara",
]
LAST = [
    "Campbell",
    "MacLeod",
    "Reid",
    "Stewart",
    "Murray",
    "Fraser",
    "Ross",
    "Grant",
    "Robertson",
    "Thomson",
    "Paterson",
    "Kerr",
    "Sinclair",
    "Munro",
    "Baird",
    "Shah",
]
PHRASES = [
    "will take turns in a small group game with adult support",
    "uses a visual timetable to move between activities without distress",
    "reads a short passage aloud and answers two questions about it",
    "asks for help using the agreed card when work feels too hard",
    "joins the class for the start of the day and the morning break",
    "writes three connected sentences using a word bank",
    "manages the lunch hall with a trusted adult nearby",
    "completes a ten-minute independent task at the workstation",
    "names two feelings and one strategy that helps when upset",
    "travels between buildings with a peer buddy",
    "uses the sensory room at planned times rather than leaving class",
    "attends at least nine sessions in ten over the term",
    "follows two-step instructions given to the whole class",
    "recognises and counts coins to one pound in practical tasks",
]
IMPACT = [
    "progress was steady across the term",
    "needed more adult prompting than hoped",
    "the family report the same change at home",
    "the strategy works best in the morning",
    "attendance dipped in February and has recovered",
    "peers now include her in games",
]
AREAS = [
    "Communication",
    "Literacy",
    "Numeracy",
    "Social and emotional",
    "Independence",
    "Health and wellbeing",
    "Attendance",
    "Physical and motor",
]
KINDS = ["assessment_summary", "observation", "report", "advice"]


class Writer:
    """One plan's author: the simulated day moves forward, every command is dated by it,
    and a snapshot is taken when the plan's version passes a multiple of 50."""

    def __init__(self, rng: random.Random, plan_no: int) -> None:
        self.rng = rng
        self.day = today()
        org = ORGS[plan_no % len(ORGS)]
        self.org = org
        self.lead = self._lead(org, rng.randrange(LEADS_PER_ORG))
        self.plan: Plan | None = None
        self.snapshots: list[Any] = []
        self._snapped = 0
        self.practitioners: list[Actor] = []
        self.parents: list[Actor] = []

    @staticmethod
    def _lead(org: str, n: int) -> Actor:
        return Actor(
            id=f"u-{org.split(':')[1]}-lead-{n}",
            name=f"Lead {n} at {org}",
            role=Role.LEAD_PROFESSIONAL,
            org=org,
        )

    def text(self, low: int, high: int) -> str:
        out, target = [], self.rng.randint(low, high)
        while sum(map(len, out)) + len(out) < target:
            out.append(self.rng.choice(PHRASES + IMPACT))
        return (" ".join(out)[:target].rstrip() + ".").capitalize()

    def do(self, command: e.Command, actor: Actor | None = None, reason: str | None = None) -> None:
        """Carry out a command on the plan, by the lead professional (unless said), dated
        by the simulated day."""
        assert self.plan is not None
        self.plan.execute(
            command, Attribution(actor=actor or self.lead, occurred_on=self.day, reason=reason)
        )
        self._maybe_snapshot()

    def _maybe_snapshot(self) -> None:
        assert self.plan is not None
        if self.plan.version // SNAPSHOT_INTERVAL > self._snapped // SNAPSHOT_INTERVAL:
            self.snapshots.append(Plan.Snapshot.take(self.plan))
            self._snapped = self.plan.version


def a_plan(rng: random.Random, plan_no: int) -> tuple[list[Any], list[Any]]:
    """(events, snapshots) of one realistic plan, all dated in the past."""
    w = Writer(rng, plan_no)
    kind = rng.choices(list(PROFILES), [p.share for p in PROFILES.values()])[0]
    profile = PROFILES[kind]
    end = today()
    opened = end - timedelta(days=rng.randint(60, 6 * 365))
    lasts = timedelta(days=int(rng.expovariate(1 / (3 * 365))) + 30)
    closes_on = opened + lasts if opened + lasts < end - timedelta(days=7) else None
    last_day = closes_on or end
    age = rng.randint(4, 16)
    child = Child(
        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        date_of_birth=opened - timedelta(days=age * 365 + rng.randint(0, 364)),
    )
    stage = rng.choices(list(profile.stages), list(profile.stages.values()))[0]
    every = timedelta(days=365 // profile.reviews_per_year)
    w.day = opened
    w.plan = Plan.open(
        e.OpenPlan(
            plan_type=kind,
            stage=STAGES[stage].id,
            child=child,
            org=w.org,
            next_review_on=opened + every,
        ),
        Attribution(actor=w.lead, occurred_on=opened),
    )
    _people_and_agencies(w, profile, age)
    if kind is PlanType.CSP:
        _csp_steps(w)
    outcomes = _outcomes(w, profile)
    provisions = _provisions(w, profile)
    _cycles(w, profile, outcomes, provisions, every, last_day)
    if rng.random() < 0.02:
        _disclosure(w, last_day)
    if closes_on is not None:
        w.day = max(w.day, closes_on)
        if w.plan.statutory.csp_prepared_on is not None:
            _discontinue(w)
        else:
            w.do(e.ClosePlan(), reason="Needs met; support ends")
    return w.plan.collect_events(), w.snapshots


def _discontinue(w: Writer) -> None:
    """A signed CSP ends after a statutory review recommends it, once its 2 months to
    refer the decision have passed (reg 11)."""
    assert w.plan is not None
    if not w.plan.statutory.review_begun:
        w.do(e.StartReview())
    w.do(
        e.HoldReview(
            review_id=uuid.uuid4(),
            held_on=w.day,
            summary="Needs now met in school without a CSP",
            attendees=(w.lead.name,),
            next_review_on=None,
            kind=ReviewKind.STATUTORY,
            recommends_discontinuance=True,
        )
    )
    w.day += timedelta(days=70)
    if w.day <= today():
        w.do(e.DiscontinueCsp(), OFFICER, reason="Needs met; support ends")


def _people_and_agencies(w: Writer, profile: Profile, age: int) -> None:
    rng = w.rng
    w.day += timedelta(days=rng.randint(0, 7))
    for n in range(rng.choices([1, 2], [0.7, 0.3])[0]):
        parent = Actor(
            id=f"u-parent-{uuid.uuid4().hex[:12]}", name=f"Parent {n + 1}", role=Role.PARENT_CARER
        )
        w.parents.append(parent)
        w.do(e.AddMember(user_id=parent.id, role=parent.role, name=parent.name))
    if age >= 12 and rng.random() < 0.5:
        w.do(
            e.AddMember(
                user_id=f"u-young-{uuid.uuid4().hex[:12]}",
                role=Role.YOUNG_PERSON,
                name="Young person",
            )
        )
    for org, name, kind in rng.sample(AGENCIES, rng.randint(*profile.agencies)):
        w.do(e.JoinAgency(org=org, name=name, kind=kind))
        practitioner = Actor(
            id=f"u-{org.split(':')[1]}-{rng.randrange(40)}",
            name=f"Practitioner, {name}",
            role=Role.PRACTITIONER,
            org=org,
        )
        w.practitioners.append(practitioner)
        w.do(e.AddMember(user_id=practitioner.id, role=Role.PRACTITIONER, name=practitioner.name))
    if rng.random() < 0.1:
        second = w._lead(w.org, (int(w.lead.id.rsplit("-", 1)[1]) + 1) % LEADS_PER_ORG)
        w.do(e.AddMember(user_id=second.id, role=Role.LEAD_PROFESSIONAL, name=second.name))
        w.do(e.AssignLeadProfessional(user_id=second.id))


def _csp_steps(w: Writer) -> None:
    rng, now = w.rng, today()
    w.do(e.ReceiveCspRequest(requested_by=rng.choice(list(Requester))))
    w.day += timedelta(days=rng.randint(20, 56) if rng.random() < 0.9 else rng.randint(57, 80))
    w.day = min(w.day, now)  # a plan opened lately has its steps close together
    w.do(
        e.AnswerCspRequest(answer=CspRequestAnswer.WILL_ESTABLISH),
        OFFICER,
        reason="Complex factors",
    )
    w.do(e.DecideCspNeed(decision=CspNeed.NEEDED), OFFICER, reason="The four tests are met")
    if rng.random() < 0.1:
        assert w.plan is not None
        due = w.plan.statutory.csp_preparation_due_on
        assert due is not None
        w.do(
            e.DelayCspPreparation(
                new_due_on=due + timedelta(days=rng.randint(7, 50)),
                cause=rng.choice(list(DelayCause)),
            ),
            reason="Health advice not yet received",
        )
    w.day = min(w.day + timedelta(days=rng.randint(40, 110)), now)
    w.do(e.PrepareCsp(), OFFICER)


def _outcomes(w: Writer, profile: Profile) -> dict[uuid.UUID, list[uuid.UUID]]:
    rng, outcomes = w.rng, {}
    for _ in range(rng.randint(*profile.outcomes)):
        outcome = uuid.uuid4()
        w.do(
            e.AgreeOutcome(
                outcome_id=outcome,
                text=w.text(60, 120),
                area=rng.choice(AREAS),
                aspiration=w.text(30, 80) if rng.random() < 0.5 else None,
            )
        )
        outcomes[outcome] = [_target(w, outcome) for _ in range(rng.randint(*profile.targets))]
    return outcomes


def _target(w: Writer, outcome: uuid.UUID) -> uuid.UUID:
    target = uuid.uuid4()
    w.do(
        e.SetTarget(
            target_id=target,
            outcome_id=outcome,
            text=w.text(80, 160),
            due_on=w.day + timedelta(days=w.rng.randint(60, 150)),
            success_criteria=w.text(40, 80),
        )
    )
    return target


def _provisions(w: Writer, profile: Profile) -> list[uuid.UUID]:
    rng, made = w.rng, []
    assert w.plan is not None
    targets = list(w.plan.targets)
    for _ in range(rng.randint(*profile.provisions)):
        provision, costed = uuid.uuid4(), rng.random() < 0.4
        kind = rng.choices(list(ProvisionKind), [0.35, 0.4, 0.15, 0.1])[0]
        w.do(
            e.PlanProvision(
                provision_id=provision,
                kind=kind,
                description=w.text(40, 100),
                target_ids=tuple(rng.sample(targets, min(len(targets), rng.randint(0, 2)))),
                frequency="2 x 30 minutes a week",
                sessions_per_week=2,
                minutes_per_session=30,
                staff=rng.choice(["PSA", "Class teacher", "SfL teacher", "SALT"]),
                cost=Decimal(rng.randint(2, 400) * 10) / 4 if costed else None,
                funding="ASN budget" if costed else None,
                recommended_by="EP",
            )
        )
        if kind is ProvisionKind.INTERVENTION:
            made.append(provision)
    return made


def _cycles(
    w: Writer,
    profile: Profile,
    outcomes: dict[uuid.UUID, list[uuid.UUID]],
    provisions: list[uuid.UUID],
    every: timedelta,
    last_day: date,
) -> None:
    """Review after review until the plan closes (or today), with what happens between."""
    rng, plan = w.rng, w.plan
    assert plan is not None
    due = plan.next_review_on
    assert due is not None
    while True:
        held = due + timedelta(
            days=rng.randint(-14, 14) if rng.random() < 0.85 else rng.randint(15, 56)
        )
        if held >= last_day:
            _between(w, provisions, last_day, every)
            return
        _between(w, provisions, held, every)
        if plan.plan_type is PlanType.CSP:
            w.day = max(w.day, held - timedelta(days=rng.randint(14, 40)))
            w.do(e.StartReview())
        w.day = max(w.day, held)
        evaluations = tuple(
            Evaluated(
                target_id=t,
                impact=rng.choice(IMPACT),
                progress=rng.choices(list(Progress), [0.35, 0.45, 0.2])[0],
            )
            for t in (t.id for t in plan.open_targets())
        )
        due = w.day + every
        w.do(
            e.HoldReview(
                review_id=uuid.uuid4(),
                held_on=w.day,
                summary=w.text(200, 700),
                attendees=(w.lead.name, *(p.name for p in w.parents)),
                next_review_on=due,
                evaluations=evaluations,
                kind=ReviewKind.STATUTORY if plan.plan_type is PlanType.CSP else ReviewKind.IN_YEAR,
            )
        )
        for outcome, targets in outcomes.items():
            for target in list(targets):
                if plan.targets[target].status.value == "achieved":
                    targets.remove(target)
                    targets.append(_target(w, outcome))
        if rng.random() < 0.7:
            whose = Whose.PARENT_CARER if w.parents and rng.random() < 0.6 else Whose.CHILD
            w.do(
                e.RecordViews(views_id=uuid.uuid4(), whose=whose, text=w.text(100, 400)),
                actor=w.parents[0] if whose is Whose.PARENT_CARER else w.lead,
            )
        if rng.random() < 0.5:
            sha = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
            w.do(
                e.SharePlan(
                    recipients=tuple(p.name for p in w.parents) or ("Young person",),
                    method=rng.choice(["email", "post", "by hand"]),
                    sha256=sha,
                )
            )
        if rng.random() < 0.1:
            level = LEVELS.index(plan.stage) + (1 if rng.random() < 2 / 3 else -1)
            if 0 <= level < len(LEVELS):
                w.do(e.ChangeStage(stage=LEVELS[level]), reason="Agreed at the review")


def _between(w: Writer, provisions: list[uuid.UUID], until: date, every: timedelta) -> None:
    """Deliveries, contributions and revisions between two reviews, in date order."""
    rng, plan = w.rng, w.plan
    assert plan is not None
    span = max((until - w.day).days, 1)
    share_of_year = span / 365
    happenings: list[tuple[int, str, Any]] = []
    for provision in provisions:
        happenings += [
            (rng.randrange(span), "delivery", provision)
            for _ in range(_count(rng, 8 * share_of_year))
        ]
    for practitioner in w.practitioners:
        happenings += [
            (rng.randrange(span), "contribution", practitioner)
            for _ in range(_count(rng, 2 * share_of_year))
        ]
    for target in plan.open_targets():
        if rng.random() < 0.1:
            happenings.append((rng.randrange(span), "revision", target.id))
    for provision in provisions:
        if rng.random() < 0.2 * every.days / 365:
            happenings.append((span - 1, "end", provision))
    start = w.day
    for offset, what, subject in sorted(happenings, key=lambda h: (h[0], h[1])):
        w.day = max(w.day, start + timedelta(days=offset))
        if what == "delivery" and plan.provisions[subject].ended_on is None:
            w.do(
                e.RecordDelivery(
                    provision_id=subject,
                    sessions=rng.randint(1, 8),
                    minutes=30 * rng.randint(1, 8),
                    note=rng.choice(IMPACT),
                )
            )
        elif what == "contribution":
            w.do(
                e.AppendContribution(
                    contribution_id=uuid.uuid4(), kind=rng.choice(KINDS), text=w.text(200, 900)
                ),
                actor=subject,
            )
        elif what == "revision" and plan.targets[subject].status.value == "open":
            w.do(
                e.ReviseTarget(target_id=subject, text=w.text(80, 160)),
                reason="Adjusted after observation",
            )
        elif what == "end" and plan.provisions[subject].ended_on is None:
            w.do(e.EndProvision(provision_id=subject), reason="No longer needed")
            provisions.remove(subject)


def _count(rng: random.Random, mean: float) -> int:
    """A whole number with the given mean (the integer part, plus one with the remainder's
    probability): cheap, and exact on average."""
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


def _disclosure(w: Writer, last_day: date) -> None:
    rng = w.rng
    disclosure = uuid.uuid4()
    w.do(
        e.GrantDisclosure(
            disclosure_id=disclosure,
            grantee="tribunal:hec-scotland",
            purpose="Reference to the tribunal",
            until=w.day + timedelta(days=180),
        )
    )
    revoked_on = w.day + timedelta(days=rng.randint(60, 120))
    if rng.random() < 0.5 and revoked_on < last_day:
        w.day = revoked_on
        w.do(e.RevokeDisclosure(disclosure_id=disclosure), reason="Reference withdrawn")
