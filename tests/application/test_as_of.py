"""A plan exactly as it stood at any recorded instant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import PlanNotFoundError
from domain.calendar import UK
from tests.application.stored import replay
from tests.examples import a_plan_of

MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def fifty_events(planning):
    plan_id = a_plan_of(planning, events=50)
    return plan_id, list(planning.events.get(plan_id))


def test_the_chain_records_each_event_at_the_instant_the_event_carries(planning, fifty_events):
    plan_id, events = fifty_events
    assert [link.recorded_at for link in planning.chain(plan_id)] == [e.timestamp for e in events]


def test_the_plan_at_each_recorded_instant_is_built_from_the_events_until_then(
    planning, fifty_events
):
    plan_id, events = fifty_events
    assert len(events) == 50
    for n, event in enumerate(events, start=1):
        assert planning.get_plan(plan_id, as_of=event.timestamp) == replay(events[:n])


def test_the_plan_just_before_an_event_is_the_plan_without_it(planning, fifty_events):
    plan_id, events = fifty_events
    for n, event in enumerate(events[1:], start=1):
        just_before = (event.timestamp - MICROSECOND).astimezone(UK)
        assert planning.get_plan(plan_id, as_of=just_before).version == n


def test_before_its_first_event_the_plan_did_not_exist(planning, fifty_events):
    plan_id, events = fifty_events
    with pytest.raises(PlanNotFoundError):
        planning.get_plan(plan_id, as_of=events[0].timestamp - MICROSECOND)
