"""What every event and snapshot of a plan must carry, whatever the command."""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta
from itertools import pairwise
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from domain.errors import PlanningError
from domain.events import AgreeOutcome
from domain.plans import Plan
from domain.values import PERSONAL, PlanType, destroyed_value
from tests.domain.writes import STATUTORY_WRITES, WRITES
from tests.examples import a_full_plan, a_lead_professional, an_open_plan, by, days_ago

PLAN_EVENTS = [
    cls
    for cls in vars(Plan).values()
    if isinstance(cls, type)
    and issubclass(cls, Plan.Event)
    and cls.__name__[0].isupper()
    and cls not in (Plan.Event, Plan.Created)
]
PERSONAL_FIELDS = [
    (cls, name)
    for cls in PLAN_EVENTS
    for name, field in cls.model_fields.items()
    if PERSONAL in field.metadata
]


def replay(events):
    plan = None
    for event in events:
        plan = event.mutate(plan)
    return plan


def snapshot_round_trip(plan):
    stored = Plan.Snapshot.take(plan).model_dump(mode="json")
    return Plan.Snapshot(**stored).mutate(None)


def test_recorded_times_rise_even_after_the_clock_steps_back():
    opened = an_open_plan().collect_events()[0]
    ahead = opened.model_copy(update={"timestamp": opened.timestamp + timedelta(hours=1)})
    plan = ahead.mutate(None)
    for _ in range(3):
        plan.agree_outcome(
            AgreeOutcome(outcome_id=uuid4(), text="Read aloud", area="Literacy", aspiration=None),
            by(a_lead_professional(), days_ago(1)),
        )
    stamps = [ahead.timestamp] + [e.timestamp for e in plan.collect_events()]
    assert all(a < b for a, b in pairwise(stamps))


def test_a_snapshot_stored_as_json_restores_the_plan_exactly():
    plan = a_full_plan().plan
    plan.collect_events()
    assert snapshot_round_trip(plan) == plan


def test_every_event_holds_who_acted_as_personal_data():
    assert len(PLAN_EVENTS) >= 23
    for cls in PLAN_EVENTS:
        assert (cls, "actor") in PERSONAL_FIELDS, cls


@pytest.mark.parametrize(
    ("event_class", "field"), PERSONAL_FIELDS, ids=[f"{c.__name__}.{n}" for c, n in PERSONAL_FIELDS]
)
def test_every_personal_field_has_a_destroyed_form_of_its_own_type(event_class, field):
    annotation = event_class.model_fields[field].annotation
    TypeAdapter(annotation).validate_python(destroyed_value(annotation))


# -- properties over any sequence of commands, accepted or refused ----------------------

ALL_WRITES = {**WRITES, **{name: write for name, (_, write) in STATUTORY_WRITES.items()}}
plan_types = st.sampled_from([PlanType.IEP, PlanType.CSP, PlanType.EHCP])
commands = st.lists(
    st.tuples(st.sampled_from(sorted(ALL_WRITES)), st.integers(min_value=0, max_value=25)),
    max_size=25,
)


def live_through(plan_type, commands_to_run):
    full = a_full_plan(plan_type)
    for name, days in commands_to_run:
        with suppress(PlanningError):
            ALL_WRITES[name](full, days_ago(days))
    return full.plan


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_types, commands)
def test_replaying_a_plans_events_rebuilds_it_exactly(plan_type, commands_to_run):
    plan = live_through(plan_type, commands_to_run)
    events = plan.collect_events()
    assert replay(events) == plan
    assert all(a.timestamp < b.timestamp for a, b in pairwise(events))
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_types, commands)
def test_a_snapshot_of_any_plan_restores_it_exactly(plan_type, commands_to_run):
    plan = live_through(plan_type, commands_to_run)
    plan.collect_events()
    assert snapshot_round_trip(plan) == plan
