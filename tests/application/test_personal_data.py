"""Personal data at rest: sealed with the plan's own key, and destroyed with it."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import ProgrammingError

from application.persistence import chain
from application.retention import destroy_personal_data
from domain.errors import PlanNotClosedError
from domain.events import AgreeOutcome, ClosePlan, PlanProvision, SharePlan
from domain.values import DESTROYED, PlanStatus
from tests.application.stored import stored_states
from tests.examples import SCHOOL, a_child, a_plan_in, a_plan_of, as_caller

CHILD = a_child().name.encode()
LEAD = b"Fiona MacLeod"


@pytest.fixture
def sealed(make_planning, master_key):
    return make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)


def everything_stored(database_url):
    return stored_states(database_url, "events") + stored_states(database_url, "snapshots")


class TestEncryptionOn:
    def test_names_never_reach_the_store_in_events_or_snapshots(self, sealed, database_url):
        a_plan_of(sealed, events=51)
        assert stored_states(database_url, "snapshots")
        assert not [s for s in everything_stored(database_url) if CHILD in s or LEAD in s]

    def test_free_text_beside_the_plan_is_sealed_too(self, sealed, database_url):
        # Where people can type anything, they type names: areas, who delivers
        # provision and how a copy was sent are sealed like the plan's own text.
        lead = as_caller()
        plan_id = a_plan_in(sealed)
        sealed.change(
            plan_id, AgreeOutcome(text="I will read", area="Anxiety since Gran died"), lead
        )
        sealed.change(
            plan_id,
            PlanProvision(
                kind="intervention",
                description="Reading group",
                staff="Mrs Quintrell (HLTA)",
                funding="Quintrell Trust",
                frequency="Tuesdays with Quintrell",
                recommended_by="Dr Quintrell",
            ),
            lead,
        )
        sealed.change(
            plan_id,
            SharePlan(recipients=("Morag",), method="emailed to quintrell@example.org"),
            lead,
        )
        for secret in (b"Gran died", b"Quintrell"):
            assert not [s for s in everything_stored(database_url) if secret in s]

    def test_the_plan_still_reads_correctly(self, sealed, make_planning, master_key):
        plan_id = a_plan_of(sealed, events=51)
        reader = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
        plan = reader.get_plan(plan_id)
        assert (plan.child, plan.version) == (a_child(), 51)
        assert plan.contributions[0].actor.name == LEAD.decode()

    def test_without_the_master_key_sealed_plans_cannot_be_read(self, sealed, make_planning):
        plan_id = a_plan_in(sealed)
        with pytest.raises(ProgrammingError):
            make_planning().get_plan(plan_id)


def test_with_encryption_off_names_are_stored_as_written(planning, database_url):
    a_plan_in(planning)
    assert [s for s in stored_states(database_url, "events") if CHILD in s and LEAD in s]


class TestDestroyingAPlansKey:
    """Shredding as a process does it that has not read the plan (no cached copy)."""

    @pytest.fixture
    def shredder(self, make_planning, master_key):
        return make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)

    def test_the_plan_reads_with_placeholders_for_its_personal_data(self, sealed, shredder):
        plan_id = a_plan_of(sealed, events=12)
        assert destroy_key(shredder, plan_id)
        plan = shredder.get_plan(plan_id)
        assert (plan.child.name, plan.child.date_of_birth) == (DESTROYED, None)
        assert plan.targets_of(next(iter(plan.outcomes)))[0].text == DESTROYED
        assert (plan.version, plan.stage, plan.org) == (12, "additional", SCHOOL)
        assert all(entry.destroyed for entry in shredder.history(plan_id))

    def test_the_chain_is_unchanged_and_still_links_up(self, sealed, shredder):
        plan_id = a_plan_of(sealed, events=12)
        before = sealed.chain(plan_id)
        destroy_key(shredder, plan_id)
        after = shredder.chain(plan_id)
        assert after == before
        link = chain.genesis(plan_id)
        for stored in after:
            link = chain.next_link(link, stored.digest)
            assert stored.link == link

    def test_other_plans_keep_their_personal_data(self, sealed, shredder):
        destroyed, kept = a_plan_in(sealed), a_plan_in(sealed)
        destroy_key(shredder, destroyed)
        assert shredder.get_plan(kept).child == a_child()

    def test_a_key_can_be_destroyed_only_once(self, sealed, shredder):
        plan_id = a_plan_in(sealed)
        assert destroy_key(shredder, plan_id)
        assert not destroy_key(shredder, plan_id)


def destroy_key(planning, plan_id):
    destroyed = planning.records.destroy_key(plan_id)
    planning.mapper.keyring.forget(plan_id)
    return destroyed


class TestDestroyingAPlansPersonalData:
    """The retention use case: tombstone, then shred, in the process that serves reads."""

    def test_the_same_process_reads_placeholders_at_once(self, sealed):
        plan_id = a_plan_of(sealed, events=53)
        sealed.change(plan_id, ClosePlan(), as_caller(), reason="Moved school")
        sealed.get_plan(plan_id)  # read, so cached
        destroy_personal_data(sealed, plan_id, reason="Retention ended")
        plan = sealed.get_plan(plan_id)
        assert (plan.status, plan.child.name) == (PlanStatus.DESTROYED, DESTROYED)

    def test_another_process_that_had_read_the_plan_reads_placeholders_too(
        self, sealed, make_planning, master_key
    ):
        api = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
        plan_id = a_plan_in(sealed)
        sealed.change(plan_id, ClosePlan(), as_caller(), reason="Moved school")
        assert api.get_plan(plan_id).child == a_child()
        destroy_personal_data(sealed, plan_id, reason="Retention ended")
        assert api.get_plan(plan_id).child.name == DESTROYED

    def test_the_tombstone_keeps_its_reason_and_the_snapshots_are_gone(self, sealed, database_url):
        plan_id = a_plan_of(sealed, events=53)
        sealed.change(plan_id, ClosePlan(), as_caller(), reason="Moved school")
        destroy_personal_data(sealed, plan_id, reason="Retention ended")
        tombstone = sealed.history(plan_id)[-1]
        assert (tombstone.type, tombstone.reason) == ("PlanDestroyed", "Retention ended")
        assert stored_states(database_url, "snapshots") == []

    def test_an_open_plan_is_not_destroyed(self, sealed):
        plan_id = a_plan_in(sealed)
        with pytest.raises(PlanNotClosedError):
            destroy_personal_data(sealed, plan_id, reason="Retention ended")
        assert sealed.get_plan(plan_id).child == a_child()
