"""Provision: planning it, recording delivery, ending it."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from domain.errors import ProvisionEndedError, ProvisionNotFoundError, TargetNotFoundError
from domain.events import EndProvision, PlanProvision, RecordDelivery
from domain.values import ProvisionKind
from tests.domain.refusals import refused
from tests.examples import (
    a_lead_professional,
    a_plan_with_target,
    a_practitioner,
    an_open_plan,
    by,
    days_ago,
)

LEAD = a_lead_professional()


def plan_provision(plan, target_ids):
    provision_id = uuid4()
    plan.plan_provision(
        PlanProvision(
            provision_id=provision_id,
            kind=ProvisionKind.INTERVENTION,
            description="Social skills group",
            target_ids=tuple(target_ids),
            sessions_per_week=2,
            minutes_per_session=30,
            cost=Decimal("640.00"),
        ),
        by(LEAD, days_ago(10)),
    )
    return provision_id


def deliver(plan, provision_id):
    plan.record_delivery(
        RecordDelivery(provision_id=provision_id, sessions=2, minutes=60, note="Settled"),
        by(a_practitioner(), days_ago(3)),
    )


def end(plan, provision_id):
    plan.end_provision(EndProvision(provision_id=provision_id), by(LEAD, days_ago(2), "Target met"))


def test_provision_is_planned_against_the_targets_it_serves():
    plan, _, target_id = a_plan_with_target()
    plan.collect_events()
    provision_id = plan_provision(plan, [target_id])
    [planned] = plan.collect_events()
    assert (type(planned).__name__, planned.target_ids, planned.cost) == (
        "ProvisionPlanned",
        (target_id,),
        Decimal("640.00"),
    )
    provision = plan.provisions[provision_id]
    assert (provision.planned_on, provision.ended_on) == (days_ago(10), None)


def test_provision_cannot_serve_a_target_the_plan_does_not_have():
    plan, _, target_id = a_plan_with_target()
    with refused(plan, TargetNotFoundError):
        plan_provision(plan, [target_id, uuid4()])


def test_each_delivery_is_recorded_with_who_delivered_it():
    plan, _, target_id = a_plan_with_target()
    provision_id = plan_provision(plan, [target_id])
    deliver(plan, provision_id)
    deliver(plan, provision_id)
    deliveries = plan.provisions[provision_id].deliveries
    assert [(d.sessions, d.minutes, d.by) for d in deliveries] == [(2, 60, "Priya Shah")] * 2


def test_ending_provision_notes_the_day_it_ended():
    plan, _, target_id = a_plan_with_target()
    provision_id = plan_provision(plan, [target_id])
    plan.collect_events()
    end(plan, provision_id)
    [ended] = plan.collect_events()
    assert type(ended).__name__ == "ProvisionEnded"
    assert plan.provisions[provision_id].ended_on == days_ago(2)


@pytest.mark.parametrize("command", [deliver, end], ids=["delivery", "ending"])
def test_provision_that_has_ended_takes_no_more_delivery_or_ending(command):
    plan, _, target_id = a_plan_with_target()
    provision_id = plan_provision(plan, [target_id])
    end(plan, provision_id)
    with refused(plan, ProvisionEndedError):
        command(plan, provision_id)


@pytest.mark.parametrize("command", [deliver, end], ids=["delivery", "ending"])
def test_unknown_provision_takes_no_delivery_or_ending(command):
    plan, _, _ = a_plan_with_target()
    with refused(plan, ProvisionNotFoundError):
        command(plan, uuid4())


@pytest.mark.parametrize(
    ("terms", "hours", "quantified"),
    [
        ({"weeks_per_year": 38, "staff": "SALT"}, Decimal("38.0"), True),
        ({"weeks_per_year": 38, "provided_by": "the plan's own school"}, Decimal("38.0"), True),
        ({"weeks_per_year": 38}, Decimal("38.0"), False),  # by whom is not said
        ({"staff": "SALT"}, None, False),  # for how many weeks is not said
    ],
)
def test_provision_is_quantified_over_the_year_as_section_f_asks(terms, hours, quantified):
    plan = an_open_plan()
    provision_id = uuid4()
    if "provided_by" in terms:
        terms = {**terms, "provided_by": plan.org}
    plan.plan_provision(
        PlanProvision(
            provision_id=provision_id,
            kind=ProvisionKind.INTERVENTION,
            description="Speech and language therapy",
            sessions_per_week=2,
            minutes_per_session=30,
            **terms,
        ),
        by(LEAD, days_ago(10)),
    )
    provision = plan.provisions[provision_id]
    assert (provision.hours_per_year, provision.quantified) == (hours, quantified)


def test_weeks_a_year_are_at_most_52():
    with pytest.raises(ValueError, match="weeks_per_year"):
        PlanProvision(kind=ProvisionKind.INTERVENTION, description="OT", weeks_per_year=53)
