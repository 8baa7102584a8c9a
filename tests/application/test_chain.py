"""The hash chain: each plan's stored links recompute from its plain event records."""

from __future__ import annotations

import hashlib
import json

import orjson
import pytest

from application.persistence import chain
from tests.examples import a_plan_of


@pytest.fixture(params=["plain", "sealed"])
def planning_under_test(request, make_planning, master_key):
    if request.param == "sealed":
        return make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
    return make_planning()


def recomputed_links(planning, plan_id):
    link, links = chain.genesis(plan_id), []
    for stored in planning.recorder.select_events(plan_id):
        state, destroyed = planning.mapper.plain_state(stored)
        assert not destroyed
        record = chain.event_record(plan_id, stored.originator_version, stored.topic, state)
        link = chain.next_link(link, chain.digest(record))
        links.append((stored.originator_version, chain.digest(record), link))
    return links


def test_the_stored_links_recompute_from_the_plain_records(planning_under_test):
    plan_id = a_plan_of(planning_under_test, events=12)
    stored = [(k.position, k.digest, k.link) for k in planning_under_test.chain(plan_id)]
    assert stored == recomputed_links(planning_under_test, plan_id)
    assert len(stored) == 12


def test_each_plan_has_a_chain_of_its_own(planning_under_test):
    first, second = (a_plan_of(planning_under_test, events=6) for _ in range(2))
    first_links = planning_under_test.chain(first)
    second_links = planning_under_test.chain(second)
    assert {k.plan_id for k in first_links} == {first}
    assert first_links[0].link != second_links[0].link
    assert second_links[0].link == chain.next_link(chain.genesis(second), second_links[0].digest)


def test_the_first_link_follows_the_published_format(planning):
    """Restated from chain.py's docstring with the standard library, as an expert would."""
    plan_id = a_plan_of(planning, events=6)
    [first, *_] = planning.recorder.select_events(plan_id)
    state = orjson.loads(first.state)
    record = {"plan_id": str(plan_id), "position": 1, "type": first.topic, "state": state}
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    genesis = hashlib.sha256(f"planledger-chain-v1:{plan_id}".encode()).digest()
    digest = hashlib.sha256(canonical.encode()).digest()
    assert planning.chain(plan_id)[0].link == hashlib.sha256(genesis + digest).digest()
