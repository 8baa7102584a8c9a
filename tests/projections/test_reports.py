"""Reports: aggregates that agree with the plans, and never a name or date of birth."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from application.statutory import plan_clocks
from domain.access import Caller
from domain.calendar import today
from domain.events import HoldReview, PrepareCsp, StartReview
from domain.statutory import ReviewKind
from projections.engine.catch_up import catch_up
from projections.reports.view import REPORTS, UnknownReportError
from tests.examples import an_officer
from tests.projections.scenario import (
    AS_LEAD,
    BIRTHDAY,
    CHILD_NAME,
    OTHER_SCHOOL,
    SCHOOL,
    ago,
    build,
    opening,
)


@pytest.fixture
def reports(planning, open_view):
    scenario = build(planning)
    view = open_view("reports")
    catch_up(planning, view, batch_size=5)
    return scenario, view


def items(view, name, **kwargs):
    return view.report(name, today=today(), **kwargs).items()


def test_plans_by_type_and_stage(reports):
    assert items(reports[1], "plans-by-type-and-stage") == [
        {"plan_type": "childs_plan", "stage": "additional", "open": 0, "closed": 1},
        {"plan_type": "csp", "stage": "specialist", "open": 2, "closed": 0},
        {"plan_type": "iep", "stage": "targeted", "open": 1, "closed": 0},
    ]


def test_csp_reviews_held_within_12_months_by_org_and_year_due(reports):
    # The CSP in force since 1 March 2023: reviewed a day early (2024), a day late (2025),
    # then not at all (due 1 March 2026). The prepared CSP: due 1 May 2025, never reviewed.
    assert items(reports[1], "csp-reviews") == [
        {
            "org": OTHER_SCHOOL,
            "year": 2025,
            "held_on_time": 0,
            "held_late": 0,
            "not_held": 1,
            "percent_on_time": 0.0,
        },
        {
            "org": SCHOOL,
            "year": 2024,
            "held_on_time": 1,
            "held_late": 0,
            "not_held": 0,
            "percent_on_time": 100.0,
        },
        {
            "org": SCHOOL,
            "year": 2025,
            "held_on_time": 0,
            "held_late": 1,
            "not_held": 0,
            "percent_on_time": 0.0,
        },
        {
            "org": SCHOOL,
            "year": 2026,
            "held_on_time": 0,
            "held_late": 0,
            "not_held": 1,
            "percent_on_time": 0.0,
        },
    ]


def test_csp_reviews_agree_with_the_plans_clocks(planning, reports):
    scenario, view = reports
    missed = Counter()
    for plan_id in (scenario.csp, scenario.prepared_csp):
        for clock in plan_clocks(planning, plan_id):
            if clock.name == "csp_review":
                missed[clock.status.value] += 1
    rows = items(view, "csp-reviews")
    assert sum(r["held_on_time"] for r in rows) == missed["met"]
    assert sum(r["held_late"] + r["not_held"] for r in rows) == missed["missed"]


def test_planned_provision_cost_by_kind_is_exact(reports):
    assert items(reports[1], "provision-costs") == [
        {"kind": "equipment", "provisions": 1, "costed": 1, "total_cost": "24.99"},
        {"kind": "intervention", "provisions": 1, "costed": 1, "total_cost": "120.50"},
        {"kind": "strategy", "provisions": 1, "costed": 0, "total_cost": "0.00"},
    ]
    rows = reports[1].report("provision-costs", today=today()).rows
    assert sum(r[3] for r in rows) == Decimal("145.49")


def test_planned_provision_cost_by_funding_stream(reports):
    assert items(reports[1], "provision-funding") == [
        {
            "funding_stream": "high_needs_top_up",
            "provisions": 1,
            "costed": 1,
            "total_cost": "24.99",
        },
        {"funding_stream": "not_given", "provisions": 1, "costed": 0, "total_cost": "0.00"},
        {"funding_stream": "school_budget", "provisions": 1, "costed": 1, "total_cost": "120.50"},
    ]


def test_sessions_delivered_against_planned_by_school_and_kind(reports):
    assert items(reports[1], "provision-delivery") == [
        {
            "org": SCHOOL,
            "kind": "intervention",
            "provisions": 1,
            "sessions_planned": 4,
            "sessions_delivered": 3,
            "sessions_missed": 1,
        }
    ]
    assert items(reports[1], "provision-delivery", org=OTHER_SCHOOL) == []


def test_targets_by_progress_at_each_review(reports):
    assert items(reports[1], "target-progress") == [
        {
            "review_number": 1,
            "achieved": 1,
            "partially_achieved": 0,
            "not_achieved": 1,
            "evaluations": 2,
        },
    ]


def test_stage_changes_per_year(reports):
    years = Counter([ago(100).year, ago(290).year])
    expected = [{"year": y, "stage_changes": n, "plans": n} for y, n in sorted(years.items())]
    assert items(reports[1], "stage-changes") == expected


def test_a_report_for_one_org(reports):
    assert items(reports[1], "plans-by-type-and-stage", org=OTHER_SCHOOL) == [
        {"plan_type": "childs_plan", "stage": "additional", "open": 0, "closed": 1},
        {"plan_type": "csp", "stage": "specialist", "open": 1, "closed": 0},
    ]


def test_an_unknown_report_is_refused(reports):
    with pytest.raises(UnknownReportError):
        reports[1].report("children-by-name", today=today())


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_no_report_ever_holds_a_name_or_a_date_of_birth(reports, name):
    table = reports[1].report(name, today=today())
    for text in (repr(table.as_json()), table.as_csv()):
        assert CHILD_NAME not in text
        for form in (BIRTHDAY.isoformat(), BIRTHDAY.strftime("%d/%m/%Y"), "2014"):
            assert form not in text


def test_csv_has_a_header_and_one_line_per_row(reports):
    table = reports[1].report("provision-costs", today=today())
    lines = table.as_csv().splitlines()
    assert lines[0] == "kind,provisions,costed,total_cost"
    assert lines[1:] == ["equipment,1,1,24.99", "intervention,1,1,120.50", "strategy,1,0,0.00"]


def test_only_statutory_reviews_count_for_a_csp_and_only_once_it_is_signed(planning, open_view):
    # The case: a review begun 20 April and completed on 15 June, inside its 12
    # weeks, with an in-year meeting between, is one review held on time; a CSP opened
    # and never signed has no review to count.
    lead, officer = AS_LEAD, Caller.of(an_officer())
    signed = planning.open_plan(opening("csp", "specialist"), lead, occurred_on=date(2024, 6, 1))
    signed_id = signed.plan_id
    planning.open_plan(opening("csp", "specialist"), lead, occurred_on=date(2024, 6, 1))

    def change(command, on, caller=lead, reason=None):
        planning.change(signed_id, command, caller, occurred_on=on, reason=reason)

    change(PrepareCsp(), date(2024, 6, 20), officer)
    change(StartReview(), date(2025, 4, 20))

    def review(held_on, kind):
        planning.change(
            signed_id,
            HoldReview(
                held_on=held_on,
                attendees=("Fiona",),
                summary="Review",
                next_review_on=None,
                kind=kind,
            ),
            lead,
        )

    review(date(2025, 5, 1), ReviewKind.IN_YEAR)
    review(date(2025, 6, 15), ReviewKind.STATUTORY)
    view = open_view("reports")
    catch_up(planning, view)
    assert items(view, "csp-reviews") == [
        {
            "org": SCHOOL,
            "year": 2025,
            "held_on_time": 1,
            "held_late": 0,
            "not_held": 0,
            "percent_on_time": 100.0,
        },
        {  # the 12 months from 15 June 2025 ended with no review
            "org": SCHOOL,
            "year": 2026,
            "held_on_time": 0,
            "held_late": 0,
            "not_held": 1,
            "percent_on_time": 0.0,
        },
    ]
