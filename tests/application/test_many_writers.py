"""Many writers at once on PostgreSQL: every command either lands or is refused as a
concurrent update, and the store stays whole. (This once failed with psycopg's
'prepared statement does not exist' when a conflict aborted a pipelined transaction.)"""

from __future__ import annotations

import threading
from collections import Counter

from application.errors import ConcurrentUpdateError
from domain.events import AppendContribution
from tests.examples import a_plan_in, as_caller


def test_eight_writers_on_two_plans_lose_nothing_and_fail_only_as_concurrent_updates(
    make_planning, postgres_url
):
    planning = make_planning(postgres_url)
    lead = as_caller()
    plan_ids = [a_plan_in(planning) for _ in range(2)]
    landed: Counter = Counter()
    failures: Counter = Counter()

    def write(worker: int) -> None:
        for n in range(20):
            plan_id = plan_ids[(worker + n) % 2]
            try:
                planning.change(
                    plan_id, AppendContribution(kind="note", text=f"{worker}/{n}"), lead
                )
                landed[plan_id] += 1
            except ConcurrentUpdateError:
                pass
            except Exception as e:  # any other failure is the bug
                failures[type(e).__name__] += 1

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == Counter()
    for plan_id in plan_ids:
        assert len(planning.history(plan_id)) == 1 + landed[plan_id]
        assert len(planning.chain(plan_id)) == 1 + landed[plan_id]
