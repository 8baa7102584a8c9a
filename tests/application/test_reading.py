"""Reading a plan back: the same plan, its history, and plans that do not exist."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from application.errors import PlanNotFoundError
from application.history import HistoryEntry
from domain.events import AddMember, AppendContribution, Evaluated, HoldReview
from domain.values import Progress, Role
from tests.application.stored import replay
from tests.examples import (
    a_full_plan,
    a_lead_professional,
    a_parent,
    a_plan_in,
    as_caller,
    days_ago,
)


@pytest.fixture(params=["plain", "sealed"])
def encryption(request, master_key) -> dict[str, str]:
    return {"PLANLEDGER_ENCRYPTION_KEY": master_key} if request.param == "sealed" else {}


class TestReplay:
    def test_a_plan_read_back_equals_the_plan_that_was_saved(self, make_planning, encryption):
        planning = make_planning(**encryption)
        plan = a_full_plan().plan
        planning.save(plan)
        assert planning.get_plan(plan.id) == plan

    def test_another_instance_reads_the_same_plan(self, make_planning, encryption):
        writer, reader = make_planning(**encryption), make_planning(**encryption)
        plan = a_full_plan().plan
        writer.save(plan)
        assert reader.get_plan(plan.id) == plan == replay(reader.events.get(plan.id))

    def test_a_plan_at_a_version_is_the_plan_built_from_its_first_events(self, planning):
        plan = a_full_plan().plan
        planning.save(plan)
        events = list(planning.events.get(plan.id))
        assert planning.get_plan(plan.id, version=5) == replay(events[:5])


class TestAPlanThatDoesNotExist:
    def test_it_cannot_be_read(self, planning):
        with pytest.raises(PlanNotFoundError):
            planning.get_plan(uuid4())

    def test_it_has_no_history(self, planning):
        with pytest.raises(PlanNotFoundError):
            planning.history(uuid4())

    def test_it_takes_no_writes(self, planning):
        with pytest.raises(PlanNotFoundError):
            planning.change(uuid4(), AppendContribution(kind="note", text="Hello"), as_caller())


class TestHistory:
    def test_the_history_lists_every_event_in_order_with_who_when_and_why(self, planning):
        lead = a_lead_professional()
        plan_id = a_plan_in(planning)
        planning.change(
            plan_id,
            AddMember(user_id="u-parent-1", role=Role.PARENT_CARER, name="Morag Campbell"),
            as_caller(lead),
            occurred_on=days_ago(0),
            reason="Mum asked to join",
        )
        history = planning.history(plan_id)
        assert [
            (e.position, e.type, e.actor, e.occurred_on, e.reason, e.backdated) for e in history
        ] == [
            (1, "PlanOpened", lead, days_ago(30), "Raised at parents' evening", True),
            (2, "MemberAdded", lead, days_ago(0), "Mum asked to join", False),
        ]
        assert history[1].data["user_id"] == "u-parent-1"
        assert history[0].recorded_at < history[1].recorded_at

    def test_a_review_is_one_entry_followed_by_its_evaluations(self, planning):
        full = a_full_plan()
        planning.save(full.plan)
        written = planning.change(
            full.plan.id,
            HoldReview(
                held_on=days_ago(0),
                attendees=("Fiona",),
                summary="Steady",
                evaluations=(
                    Evaluated(
                        target_id=full.target_id,
                        progress=Progress.ACHIEVED,
                        impact="Plays a full game",
                    ),
                ),
            ),
            as_caller(),
        )
        last_two = planning.history(full.plan.id)[-2:]
        assert [(e.position, e.type) for e in last_two] == [
            (written.version - 1, "ReviewHeld"),
            (written.version, "TargetEvaluated"),
        ]
        assert last_two[1].data["review_id"] == written.created["review_id"]

    @pytest.mark.parametrize(
        ("recorded_at", "backdated"),
        [
            (datetime(2026, 6, 1, 23, 30, tzinfo=UTC), True),  # 00:30 on 2 June in London
            (datetime(2026, 6, 1, 22, 30, tzinfo=UTC), False),  # 23:30 on 1 June in London
        ],
    )
    def test_backdating_is_judged_by_the_uk_date_of_recording(self, recorded_at, backdated):
        entry = HistoryEntry(
            position=1,
            type="ViewsRecorded",
            recorded_at=recorded_at,
            occurred_on=date(2026, 6, 1),
            actor=a_parent(),
            reason=None,
            data={},
        )
        assert entry.backdated is backdated


def test_each_write_answers_with_the_position_of_its_last_event(planning):
    plan_id = a_plan_in(planning)
    first = planning.change(plan_id, AppendContribution(kind="note", text="One"), as_caller())
    second = planning.change(plan_id, AppendContribution(kind="note", text="Two"), as_caller())
    assert (first.version, second.version) == (2, 3)
    assert first.position < second.position == planning.recorder.max_notification_id()
