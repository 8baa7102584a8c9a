"""The provision map of a realistic school: 40 pupils on the register (of 200 on the roll),
12 intervention groups, two lead professionals, one of them a manager. The map's figures
are the plans' own provision, summed another way here."""

from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from domain.access import Caller
from domain.calendar import today
from domain.events import (
    AgreeOutcome,
    EndProvision,
    EvaluateTarget,
    OpenPlan,
    PlanProvision,
    RecordDelivery,
    SetTarget,
)
from domain.provision_map import term_of
from domain.values import Actor, Child, FundingStream, PlanType, Progress, ProvisionKind, Role
from interfaces.demo import DEMO_USERS, SCHOOL
from tests.web.pages import Site, settings_for, sign_in

FIONA = DEMO_USERS["lead"]
COLLEAGUE = Actor(id="u-ruth", name="Ruth Ogilvie", role=Role.LEAD_PROFESSIONAL, org=SCHOOL)
PROGRESS_CYCLE = (Progress.ACHIEVED, Progress.PARTIALLY_ACHIEVED, Progress.NOT_ACHIEVED)
GROUPS = [
    ("Lego-based social skills group", ProvisionKind.INTERVENTION, "PSA", "school_budget", 640),
    ("Colourful semantics", ProvisionKind.INTERVENTION, "HLTA", "health", 900),
    ("Precision teaching: reading", ProvisionKind.INTERVENTION, "Teacher", "school_budget", 300),
    ("Zones of regulation", ProvisionKind.INTERVENTION, "PSA", "authority_asn", 420),
    ("Fine motor group", ProvisionKind.INTERVENTION, "OT assistant", "health", 510),
    ("Nurture group", ProvisionKind.INTERVENTION, "Nurture teacher", "authority_asn", 1200),
    ("Ear defenders", ProvisionKind.EQUIPMENT, None, "school_budget", 25),
    ("Writing slope", ProvisionKind.EQUIPMENT, None, "school_budget", 18),
    ("Visual timetable", ProvisionKind.STRATEGY, None, None, 0),
    ("Movement breaks", ProvisionKind.STRATEGY, None, None, 0),
    ("Scribe in assessments", ProvisionKind.CURRICULUM, "Teacher", None, 0),
    ("Toe by toe", ProvisionKind.INTERVENTION, "PSA", "pupil_premium", 150),
]


@dataclass
class School:
    site: Site
    costs: dict[UUID, list[tuple[str, Decimal, str | None]]]  # plan -> what is in place
    fionas: set[UUID]
    ended: str
    progress: dict[UUID, tuple[UUID, Progress]]  # each plan's one target, as evaluated


@pytest.fixture
def school(make_planning, database_url) -> School:
    planning, chance = make_planning(), random.Random(20261204)
    costs: dict[UUID, list[tuple[str, Decimal, str | None]]] = {}
    fionas: set[UUID] = set()
    progress: dict[UUID, tuple[UUID, Progress]] = {}
    for n in range(40):
        lead = FIONA if n % 2 == 0 else COLLEAGUE
        opened = planning.open_plan(
            OpenPlan(
                plan_type=PlanType.IEP,
                stage="additional",
                org=SCHOOL,
                child=Child(name=f"Pupil {n:02d}", date_of_birth=date(2015, 1 + n % 12, 3)),
            ),
            Caller.of(lead),
            occurred_on=today() - timedelta(days=200),
        )
        plan_id = opened.plan_id
        if lead is FIONA:
            fionas.add(plan_id)
        costs[plan_id] = []
        outcome = planning.change(
            plan_id, AgreeOutcome(text="Joins in at break", area="Social"), Caller.of(lead)
        ).created["outcome_id"]
        target = planning.change(
            plan_id,
            SetTarget(outcome_id=UUID(outcome), text="Takes turns", due_on=today()),
            Caller.of(lead),
            occurred_on=today() - timedelta(days=160),
        ).created["target_id"]
        progress[plan_id] = (UUID(target), PROGRESS_CYCLE[n % 3])
        for name, kind, staff, stream, cost in chance.sample(GROUPS, 2):
            made = planning.change(
                plan_id,
                PlanProvision(
                    kind=kind,
                    description=name,
                    staff=staff,
                    sessions_per_week=2 if kind is ProvisionKind.INTERVENTION else None,
                    minutes_per_session=30 if kind is ProvisionKind.INTERVENTION else None,
                    cost=Decimal(cost) if cost else None,
                    funding_stream=FundingStream(stream) if stream else None,
                    target_ids=(progress[plan_id][0],),
                ),
                Caller.of(lead),
                occurred_on=today() - timedelta(days=150),
            )
            if kind is ProvisionKind.INTERVENTION:
                planning.change(
                    plan_id,
                    RecordDelivery(provision_id=UUID(made.created["provision_id"]), sessions=3),
                    Caller.of(lead),
                )
            costs[plan_id].append((name, Decimal(cost), stream))
    for plan_id, (target_id, result) in progress.items():
        lead = FIONA if plan_id in fionas else COLLEAGUE
        planning.change(
            plan_id,
            EvaluateTarget(target_id=target_id, progress=result, impact="Seen at break"),
            Caller.of(lead),
        )
    # One provision that has ended is off the map.
    ended_plan = next(iter(fionas))
    planning.change(
        ended_plan,
        PlanProvision(kind=ProvisionKind.INTERVENTION, description="Ended group", cost=Decimal(99)),
        Caller.of(FIONA),
        occurred_on=today() - timedelta(days=100),
    )
    (ended,) = [
        p
        for p in planning.get_plan(ended_plan).provisions.values()
        if p.description == "Ended group"
    ]
    planning.change(
        ended_plan, EndProvision(provision_id=ended.id), Caller.of(FIONA), reason="Finished"
    )
    site = Site(planning=planning, plan_id=ended_plan, settings=settings_for(database_url))
    return School(site, costs, fionas, "Ended group", progress)


def _rows(csv_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text)))


def test_the_managers_map_totals_are_the_sum_of_every_plan_at_the_school(school):
    with school.site.client() as client:
        sign_in(client, "lead", manager=True)
        page = client.get("/provision-map")
        exported = client.get("/provision-map.csv")
    assert page.status_code == 200 and exported.status_code == 200
    every = [c for items in school.costs.values() for c in items]
    total = sum(cost for _, cost, _ in every)
    assert f"Cost a year: £{total:.2f}" in page.text
    rows = _rows(exported.text)
    assert sum(Decimal(r["Cost a year (£)"]) for r in rows) == total
    assert sum(int(r["Pupils"]) for r in rows) == len(every)
    by_group = {r["Provision"]: int(r["Pupils"]) for r in rows}
    for name, *_ in GROUPS:
        assert by_group.get(name, 0) == sum(1 for n, _, _ in every if n == name), name
    for stream in {s for _, _, s in every if s}:
        expected = sum(cost for _, cost, s in every if s == stream)
        assert f'data-stream="{stream}" data-cost="{expected}"' in page.text
    assert school.ended not in page.text
    # Her colleague's pupils are counted, never named.
    named = {n for r in rows for n in r["Named pupils"].split("; ") if n}
    fionas = {school.site.planning.get_plan(p).child.name for p in school.fionas}
    assert named == fionas
    assert "not named" in page.text


def test_a_lead_professional_maps_only_the_plans_she_may_read_and_each_is_a_logged_read(school):
    with school.site.client() as client:
        sign_in(client, "lead")
        rows = _rows(client.get("/provision-map.csv").text)
    mine = [c for plan, items in school.costs.items() if plan in school.fionas for c in items]
    assert sum(int(r["Pupils"]) for r in rows) == len(mine)
    assert sum(Decimal(r["Cost a year (£)"]) for r in rows) == sum(c for _, c, _ in mine)
    plan_id = next(iter(school.fionas))
    log = school.site.planning.access_log(plan_id)
    assert any(e.action.startswith("GET /provision-map") and e.user_id == FIONA.id for e in log)


def test_the_map_filters_by_funding_stream_and_kind(school):
    with school.site.client() as client:
        sign_in(client, "lead", manager=True)
        health = _rows(client.get("/provision-map.csv", params={"funding_stream": "health"}).text)
        kit = client.get("/provision-map", params={"kind": "equipment"}).text
        wrong = client.get("/provision-map", params={"kind": "spells"})
    every = [c for items in school.costs.values() for c in items]
    assert {r["Funding stream"] for r in health} == {"Health (NHS)"}
    assert sum(Decimal(r["Cost a year (£)"]) for r in health) == sum(
        c for _, c, s in every if s == "health"
    )
    assert "Ear defenders" in kit and "Nurture group" not in kit
    assert wrong.status_code == 400 and "kind chosen is not one of the list" in wrong.text


@pytest.mark.parametrize("user", ["parent", "young_person", "reviewer", "analyst"])
def test_families_reviewers_and_analysts_have_no_map(school, user):
    with school.site.client() as client:
        sign_in(client, user)
        answer = client.get("/provision-map")
        menu = client.get("/settings/notifications" if user != "analyst" else "/reports").text
    assert answer.status_code == 403
    assert "Pupil 0" not in answer.text
    assert 'href="/provision-map"' not in menu


def test_impact_across_pupils_counts_each_interventions_targets_as_last_evaluated(school):
    with school.site.client() as client:
        sign_in(client, "lead", manager=True)
        page = client.get("/provision-map").text
    impact = page[page.index('id="impact"') :]
    for name, *_ in GROUPS:
        had = [p for p, items in school.costs.items() if any(n == name for n, _, _ in items)]
        counts = [sum(1 for p in had if school.progress[p][1] is r) for r in PROGRESS_CYCLE]
        if not had:
            continue
        row = impact[impact.index(f'data-intervention="{name}"') :].split("</tr>")[0]
        assert re.findall(r"<td>(\d+)</td>", row) == [str(len(had)), *map(str, counts)], name
        bars = page[page.index(f'data-label="{name}"') :].split("</g>")[0]
        assert re.findall(r'data-value="(\d+)"', bars) == [str(c) for c in counts], name


def test_impact_term_by_term_counts_every_evaluation_in_the_term_it_was_made(school):
    with school.site.client() as client:
        sign_in(client, "lead", manager=True)
        page = client.get("/provision-map").text
    table = page[page.index('id="impact-by-term"') :].split("</table>")[0]
    # The fixture evaluates each target once, today: one term, every evaluation in it.
    assert set(re.findall(r'data-term="([^"]+)"', table)) == {term_of(today())}
    counted = sum(int(n) for n in re.findall(r"<td>(\d+)</td>", table))
    served = sum(len(items) for items in school.costs.values())  # each serves the one target
    assert counted == served
