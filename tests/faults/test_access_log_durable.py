"""Every read that was answered is still in the plan's access log after PostgreSQL crashes
(pg_ctl restart -m immediate, then crash recovery), as every acknowledged event is. A log
committed without waiting for the disk (synchronous_commit off) lost reads here: this
test failed with it."""

from __future__ import annotations

from application.config import persistence_env
from application.planning import Planning
from domain.actions import Action
from tests.examples import a_plan_in, as_caller
from tests.faults.cluster import Cluster

READS = 200


def test_reads_answered_before_a_crash_are_all_in_the_access_log() -> None:
    with Cluster() as cluster:
        planning = Planning(env=persistence_env(cluster.url()))
        try:
            plan_id = a_plan_in(planning)
            lead = as_caller()
            for n in range(READS):
                planning.read(plan_id, lead, Action.READ_PLAN, via=f"read {n}")
            cluster.restart("immediate")
        finally:
            planning.close()
        after = Planning(env=persistence_env(cluster.url()))  # a process started afresh
        try:
            logged = {e.action for e in after.access_log(plan_id, limit=10 * READS)}
        finally:
            after.close()
    lost = {f"read {n}" for n in range(READS)} - logged
    assert not lost, f"{len(lost)} of {READS} answered reads lost in the crash"
