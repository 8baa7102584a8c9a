"""Many writers at once, none saying which version it wrote against (no If-Match): each
loser of a race decides again on the newer plan (Planning.max_attempts), so every write
lands, and the store stays whole. The outside review saw 4 of 20 such writers refused as
concurrent updates before writers retried. (This file once also caught psycopg's
'prepared statement does not exist' when a conflict aborted a pipelined transaction.)"""

from __future__ import annotations

import threading
from collections import Counter

from domain.events import AppendContribution
from tests.examples import a_plan_in, as_caller

WRITERS = 20


def contributions(planning, plan_id) -> list[str]:
    return [e.data["text"] for e in planning.history(plan_id) if e.type == "ContributionAppended"]


def test_twenty_writers_at_once_on_one_plan_all_land(make_planning):
    planning = make_planning()
    lead = as_caller()
    plan_id = a_plan_in(planning)
    start = threading.Barrier(WRITERS)
    versions: dict[int, int] = {}
    failures: Counter = Counter()

    def write(worker: int) -> None:
        start.wait()
        try:
            written = planning.change(
                plan_id, AppendContribution(kind="note", text=f"Writer {worker}"), lead
            )
            versions[worker] = written.version
        except Exception as e:  # a ConcurrentUpdateError included: no write may fail
            failures[type(e).__name__] += 1

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == Counter()
    assert sorted(versions.values()) == list(range(2, 2 + WRITERS))
    assert sorted(contributions(planning, plan_id)) == sorted(f"Writer {w}" for w in range(WRITERS))
    assert len(planning.history(plan_id)) == 1 + WRITERS
    assert len(planning.chain(plan_id)) == 1 + WRITERS


def test_twenty_writers_on_two_plans_for_a_while_lose_nothing(make_planning):
    planning = make_planning()
    lead = as_caller()
    plan_ids = [a_plan_in(planning) for _ in range(2)]
    start = threading.Barrier(WRITERS)
    landed: Counter = Counter()
    failures: Counter = Counter()
    rounds = 5

    def write(worker: int) -> None:
        start.wait()
        for n in range(rounds):
            plan_id = plan_ids[(worker + n) % 2]
            try:
                planning.change(
                    plan_id, AppendContribution(kind="note", text=f"{worker}/{n}"), lead
                )
                landed[plan_id] += 1
            except Exception as e:  # a ConcurrentUpdateError included
                failures[type(e).__name__] += 1

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == Counter()
    assert sum(landed.values()) == WRITERS * rounds
    for plan_id in plan_ids:
        assert len(planning.history(plan_id)) == 1 + landed[plan_id]
        assert len(planning.chain(plan_id)) == 1 + landed[plan_id]
