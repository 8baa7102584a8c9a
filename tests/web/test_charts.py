"""The numbers behind the charts: target evaluations per outcome, and reviews on time."""

from __future__ import annotations

import re
from datetime import timedelta

from domain.access import Caller
from domain.calendar import today
from domain.events import AppendContribution, Evaluated, HoldReview, OpenPlan
from domain.values import Actor, Child, PlanType, Progress, Role
from interfaces.demo import DEMO_USERS
from interfaces.web import charts
from tests.web.pages import sign_in

LEAD = DEMO_USERS["lead"]
AS_LEAD = Caller.of(LEAD)


def ago(days: int):
    return today() - timedelta(days=days)


def test_each_outcome_charts_its_targets_evaluations_by_date(site):
    plan = site.planning.get_plan(site.plan_id)
    friends = next(c for c in charts.outcome_charts(plan) if "Buddy" in c.outcome_text)
    turns, buddy = friends.series
    assert [p.words for p in turns.points] == ["Partly achieved", "Achieved"]
    assert [p.on for p in turns.points] == friends.dates == [ago(232), ago(125)]
    assert all(p.review for p in turns.points)
    assert turns.points[1].y < turns.points[0].y  # achieved is drawn higher
    assert buddy.points == [] and friends.cell(buddy, ago(125)) == ""
    # Numbered in the order set, as on the plan page: the Buddy target was the demo's fourth.
    assert turns.label.startswith("Target 1: ") and buddy.label.startswith("Target 4: ")


def test_reviews_count_as_on_time_late_or_missed_in_their_month(planning):
    plan_id = planning.open_plan(
        OpenPlan(
            plan_type=PlanType.IEP,
            stage="additional",
            org=LEAD.org,
            child=Child(name="A Child", date_of_birth=ago(3000)),
            next_review_on=ago(200),
        ),
        AS_LEAD,
        occurred_on=ago(300),
    ).plan_id
    planning.change(
        plan_id,
        HoldReview(held_on=ago(202), attendees=(), summary="On time", next_review_on=ago(100)),
        AS_LEAD,
    )
    planning.change(
        plan_id,
        HoldReview(held_on=ago(95), attendees=(), summary="Five days late", next_review_on=ago(10)),
        AS_LEAD,
    )
    dates = planning.review_dates([plan_id])[plan_id]
    found = charts.review_outcomes(dates)
    assert found == [(ago(202), "on_time"), (ago(95), "late"), (ago(10), "missed")]
    bars = {b.month: b for b in charts.reviews_by_month([dates])}
    assert len(bars) == 12
    assert bars[ago(202).strftime("%Y-%m")].on_time == 1
    assert bars[ago(95).strftime("%Y-%m")].late == 1
    assert bars[ago(10).strftime("%Y-%m")].missed == 1
    assert sum(b.total for b in bars.values()) == 3


def test_a_review_evaluating_a_target_shows_in_the_progress_picture(site):
    plan = site.planning.get_plan(site.plan_id)
    target = plan.open_targets()[0]
    site.planning.change(
        site.plan_id,
        HoldReview(
            held_on=today(),
            attendees=(),
            summary="Today",
            evaluations=(
                Evaluated(target_id=target.id, progress=Progress.NOT_ACHIEVED, impact="Hard week"),
            ),
        ),
        AS_LEAD,
    )
    with site.client() as client:
        sign_in(client, "practitioner")
        page = client.get(f"/plans/{site.plan_id}/progress").text
    row = re.search(rf'<tr data-target-id="{target.id}">(.*?)</tr>', page, re.S).group(1)
    assert re.search(rf'<td data-date="{today().isoformat()}">Not achieved</td>', row)
    series = re.search(
        rf'<g class="series" data-target-id="{target.id}">(.*?)</g>', page, re.S
    ).group(1)
    assert f'data-date="{today().isoformat()}" data-progress-level="0"' in series


def _month_rows(html: str) -> list[tuple[int, int, int]]:
    rows = re.findall(
        r'<tr data-month="[\d-]+"><th scope="row">[\d-]+</th>'
        r"<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>",
        html,
    )
    assert len(rows) == 12
    return [(int(a), int(b), int(c)) for a, b, c in rows]


def test_the_reviews_chart_counts_a_managers_whole_org_and_otherwise_only_ones_own(site):
    # Another lead's plan at the same school, whose review was held late.
    other = Caller.of(
        Actor(id="u-ewan", name="Ewan Ross", role=Role.LEAD_PROFESSIONAL, org=LEAD.org)
    )
    plan_id = site.planning.open_plan(
        OpenPlan(
            plan_type=PlanType.IEP,
            stage="additional",
            org=LEAD.org,
            child=Child(name="B Child", date_of_birth=ago(3000)),
            next_review_on=ago(50),
        ),
        other,
        occurred_on=ago(100),
    ).plan_id
    site.planning.change(
        plan_id,
        HoldReview(held_on=ago(40), attendees=(), summary="Late", next_review_on=ago(-60)),
        other,
    )
    with site.client() as client:
        sign_in(client, "lead")
        own = client.get("/reviews/on-time")
        sign_in(client, "lead", manager=True)
        org = client.get("/reviews/on-time")
        sign_in(client, "analyst")
        analyst = client.get("/reviews/on-time")
    assert own.status_code == org.status_code == 200
    assert 'href="/reviews/on-time"' not in own.text  # the link is for managers
    assert 'href="/reviews/on-time"' in org.text
    on_time, late, missed = (sum(col) for col in zip(*_month_rows(own.text), strict=True))
    assert (on_time, late, missed) == (2, 0, 0)  # the demo plan's two reviews
    on_time, late, missed = (sum(col) for col in zip(*_month_rows(org.text), strict=True))
    assert (on_time, late, missed) == (2, 1, 0)
    assert "B Child" not in org.text
    assert analyst.status_code == 403


def test_the_chart_reads_dates_only_never_the_sealed_personal_data(make_planning, master_key):
    planning = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
    plans = [
        planning.open_plan(
            OpenPlan(
                plan_type=PlanType.IEP,
                stage="additional",
                org=LEAD.org,
                child=Child(name=f"Child {n}", date_of_birth=ago(3000)),
                next_review_on=ago(200),
            ),
            AS_LEAD,
            occurred_on=ago(300),
        ).plan_id
        for n in range(2)
    ]
    planning.change(
        plans[1],
        HoldReview(
            held_on=ago(190), attendees=("Morag",), summary="Secret", next_review_on=ago(100)
        ),
        AS_LEAD,
    )
    planning.change(plans[1], AppendContribution(kind="note", text="Not a date"), AS_LEAD)

    dates = planning.review_dates(plans)

    assert [type(e).__name__ for e in dates[plans[0]]] == ["PlanOpened"]
    opened, held = dates[plans[1]]
    assert (opened.next_review_on, held.held_on) == (ago(200), ago(190))
    assert "Secret" not in repr(held) and "Child 1" not in repr(opened)
