"""Snapshots: taken every 50 events, and never change what a reader sees."""

from __future__ import annotations

from tests.application.stored import replay, stored_states
from tests.examples import a_plan_of


def test_after_fifty_events_a_snapshot_is_stored(planning, database_url):
    a_plan_of(planning, events=49)
    assert stored_states(database_url, "snapshots") == []
    a_plan_of(planning, events=53)
    assert len(stored_states(database_url, "snapshots")) == 1


def test_a_plan_read_through_its_snapshot_equals_a_full_replay(make_planning):
    writer = make_planning()
    plan_id = a_plan_of(writer, events=53)
    reader = make_planning()
    assert [s.originator_version for s in reader.snapshots.get(plan_id)] == [50]
    assert reader.get_plan(plan_id) == replay(reader.events.get(plan_id))
