"""Closing a plan, and the writes that a closed, destroyed or future-dated plan refuses."""

from __future__ import annotations

import pytest

from domain.errors import (
    OccurredInFutureError,
    PlanClosedError,
    PlanDestroyedError,
    PlanNotClosedError,
    ReasonRequiredError,
)
from domain.events import ClosePlan, DestroyPlan
from domain.plans import Plan
from domain.values import Actor, PlanStatus, Role
from tests.domain.refusals import event_types, refused
from tests.domain.writes import COMMANDS, LEAD, NEEDS_REASON, STATUTORY_WRITES, WRITES
from tests.examples import (
    a_closed_full_plan,
    a_destroyed_full_plan,
    a_full_plan,
    a_lead_professional,
    by,
    days_ago,
    tomorrow,
)

SYSTEM = Actor(id="retention", name="Retention policy", role=Role.SYSTEM)
EVERY_WRITE = pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
EVERY_STATUTORY_WRITE = pytest.mark.parametrize(
    ("plan_type", "write"), STATUTORY_WRITES.values(), ids=STATUTORY_WRITES.keys()
)


def test_closing_a_plan_notes_the_day_it_closed():
    plan = a_full_plan().plan
    plan.collect_events()
    plan.close_plan(ClosePlan(), by(a_lead_professional(), days_ago(1), "Moved school"))
    assert event_types(plan) == ["PlanClosed"]
    assert (plan.status, plan.closed_on, plan.is_open) == (PlanStatus.CLOSED, days_ago(1), False)


def test_the_writes_checked_here_are_every_write_a_plan_takes():
    queries = {
        "check_can_be_destroyed",
        "disclosures_in_force",
        "member",
        "open_targets",
        "overdue_targets",
        "target_numbers",
        "targets_of",
        "is_open",
        "statutory",
        "reference_window_open_until",
        "chronology_in_order",
        # Notices follow a plan past its end (discontinuance, destruction): tested in
        # test_csp_notices.py, not with the writes a closed plan refuses.
        "give_notice",
        "record_notice_emailed",
        # A bundle is issued for a closed plan too (tests/interfaces/test_issued_bundles.py).
        "issue_bundle",
    }
    public = {n for n in vars(Plan) if not n.startswith("_") and not n[0].isupper()}
    assert public - queries == (
        {"open", "execute", "destroy_plan"} | set(WRITES) | set(STATUTORY_WRITES)
    )


def test_each_write_is_carried_out_by_the_method_its_command_names():
    full = a_full_plan()
    assert {
        name: command_of(full, days_ago(0)).handler for name, command_of in COMMANDS.items()
    } == {name: name for name in COMMANDS}


@pytest.mark.parametrize("reason", [None, "", "   "], ids=["none", "empty", "blank"])
@pytest.mark.parametrize("name", sorted(NEEDS_REASON))
def test_a_write_that_needs_a_reason_is_refused_without_one(name, reason):
    full = a_full_plan()
    command = COMMANDS[name](full, days_ago(0))
    with refused(full.plan, ReasonRequiredError):
        full.plan.execute(command, by(LEAD, days_ago(0), reason))


def test_the_writes_that_need_a_reason_are_those_a_family_or_tribunal_asks_why_about():
    full = a_full_plan()
    needing = {
        name for name, command_of in COMMANDS.items() if command_of(full, days_ago(0)).needs_reason
    }
    assert (
        needing
        == NEEDS_REASON
        == {
            "remove_member",
            "leave_agency",
            "revise_target",
            "change_stage",
            "revoke_disclosure",
            # GIRFEC PG4 §12: "your reasons for sharing information".
            "record_information_sharing",
            "close_plan",
            "end_provision",
        }
    )


@EVERY_WRITE
def test_an_open_plan_accepts_every_write_made_today(write):
    full = a_full_plan()
    full.plan.collect_events()
    write(full, days_ago(0))
    assert full.plan.collect_events()


@EVERY_WRITE
def test_a_closed_plan_refuses_every_write(write):
    full = a_closed_full_plan()
    with refused(full.plan, PlanClosedError):
        write(full, days_ago(0))


@EVERY_WRITE
def test_a_plan_whose_personal_data_was_destroyed_refuses_every_write(write):
    full = a_destroyed_full_plan()
    with refused(full.plan, PlanDestroyedError):
        write(full, days_ago(0))


@EVERY_WRITE
def test_no_write_may_say_it_happened_tomorrow(write):
    full = a_full_plan()
    with refused(full.plan, OccurredInFutureError):
        write(full, tomorrow())


@EVERY_STATUTORY_WRITE
def test_a_closed_plan_refuses_every_statutory_step(plan_type, write):
    full = a_closed_full_plan(plan_type)
    with refused(full.plan, PlanClosedError):
        write(full, days_ago(0))


@EVERY_STATUTORY_WRITE
def test_a_destroyed_plan_refuses_every_statutory_step(plan_type, write):
    full = a_destroyed_full_plan(plan_type)
    with refused(full.plan, PlanDestroyedError):
        write(full, days_ago(0))


@EVERY_STATUTORY_WRITE
def test_no_statutory_step_may_say_it_happened_tomorrow(plan_type, write):
    full = a_full_plan(plan_type)
    with refused(full.plan, OccurredInFutureError):
        write(full, tomorrow())


class TestDestroyingAPlan:
    def test_destroying_a_closed_plan_leaves_a_tombstone_with_the_policy_applied(self):
        full = a_closed_full_plan()
        full.plan.collect_events()
        full.plan.destroy_plan(DestroyPlan(), by(SYSTEM, days_ago(0), "CSP: 5 years"))
        [tombstone] = full.plan.collect_events()
        assert (type(tombstone).__name__, tombstone.reason) == ("PlanDestroyed", "CSP: 5 years")
        assert full.plan.status is PlanStatus.DESTROYED

    def test_an_open_plan_cannot_be_destroyed(self):
        plan = a_full_plan().plan
        with refused(plan, PlanNotClosedError):
            plan.destroy_plan(DestroyPlan(), by(SYSTEM, days_ago(0)))

    def test_a_destroyed_plan_cannot_be_destroyed_again(self):
        plan = a_destroyed_full_plan().plan
        with refused(plan, PlanDestroyedError):
            plan.destroy_plan(DestroyPlan(), by(SYSTEM, days_ago(0)))

    def test_destruction_cannot_be_dated_tomorrow(self):
        plan = a_closed_full_plan().plan
        with refused(plan, OccurredInFutureError):
            plan.destroy_plan(DestroyPlan(), by(SYSTEM, tomorrow()))
