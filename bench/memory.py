"""Where the API's memory goes during a soak: growing plans, or a leak?

bench/soak.py measures the API process's resident memory at the start and the end of 15
minutes of writes. Part of any growth is data: the application keeps up to
AGGREGATE_CACHE_MAXSIZE plans in memory (application/config.py) and every write makes a
cached plan longer. This benchmark replays the soak's write mix in one process, through
the application (the layer that holds the caches), and traces Python's allocations
(tracemalloc, which fragmentation does not blur the way it blurs RSS):

1. seed the plans and read each once (the cache is warm, as after the soak's warm-up);
2. the soak's writes (targets, contributions, reviews with evaluations), each plan read
   after its write, as the soak's readers do;
3. empty the plan cache and collect garbage.

If what step 2 added is released by step 3, the growth was the cached plans themselves,
bounded by the cache's size; what stays after step 3 would be a leak.

    .venv/bin/python bench/memory.py                   # 200 plans, 11,748 writes (the soak's)
    .venv/bin/python bench/memory.py --writes 2000     # a quick look
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import DEFAULT_DATABASE_URL, fresh_schema

from application.config import persistence_env
from application.persistence.keys import new_master_key
from application.planning import ENCRYPTION_KEY, Planning
from domain.calendar import today
from domain.events import (
    AgreeOutcome,
    AppendContribution,
    Evaluated,
    HoldReview,
    JoinAgency,
    OpenPlan,
    SetTarget,
)
from domain.values import Child, PlanType, Progress
from tests.examples import SCHOOL, a_practitioner, as_caller, days_ago

WRITES = (("target", 0.4), ("contribution", 0.4), ("review", 0.2))  # soak.py's shares


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def traced_mb() -> float:
    gc.collect()
    return tracemalloc.get_traced_memory()[0] / 2**20


def seed(planning: Planning, n: int) -> list[tuple[UUID, UUID, list[UUID]]]:
    lead = as_caller()
    plans = []
    for i in range(n):
        plan_id = planning.open_plan(
            OpenPlan(
                plan_type=PlanType.IEP,
                stage="additional",
                child=Child(name=f"Soak Child {i}", date_of_birth=date(2016, 5, 1)),
                org=SCHOOL,
            ),
            lead,
            occurred_on=days_ago(30),
        ).plan_id
        outcome = UUID(
            planning.change(
                plan_id, AgreeOutcome(text="I will settle to work in class", area="Learning"), lead
            ).created["outcome_id"]
        )
        targets = [
            UUID(
                planning.change(
                    plan_id,
                    SetTarget(
                        outcome_id=outcome,
                        text=f"Seeded target {t}",
                        due_on=today() + timedelta(days=60),
                    ),
                    lead,
                ).created["target_id"]
            )
            for t in range(2)
        ]
        planning.change(
            plan_id,
            JoinAgency(org=a_practitioner().org or "", name="Speech and language", kind="health"),
            lead,
        )
        plans.append((plan_id, outcome, targets))
    return plans


def write(
    planning: Planning, plan: tuple[UUID, UUID, list[UUID]], kind: str, n: int, rng: random.Random
) -> None:
    plan_id, outcome, targets = plan
    lead, day = as_caller(), today()
    if kind == "target":
        planning.change(
            plan_id,
            SetTarget(
                outcome_id=outcome,
                due_on=day + timedelta(days=60),
                text=f"Use a visual timetable each morning [MEM-{n}]",
                success_criteria="Four mornings out of five",
            ),
            lead,
        )
    elif kind == "contribution":
        planning.change(
            plan_id,
            AppendContribution(kind="observation", text=f"Settled quickly after break [MEM-{n}]"),
            as_caller(a_practitioner()),
        )
    else:
        evaluated = rng.sample(targets, rng.randint(1, len(targets)))
        planning.change(
            plan_id,
            HoldReview(
                held_on=day,
                attendees=("Lead professional", "Parent"),
                summary=f"Termly review [MEM-{n}]",
                next_review_on=day + timedelta(days=90),
                evaluations=tuple(
                    Evaluated(
                        target_id=t,
                        progress=Progress.PARTIALLY_ACHIEVED,
                        impact=f"Needs fewer prompts [MEM-{n}/{i}]",
                    )
                    for i, t in enumerate(evaluated)
                ),
            ),
            lead,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--writes", type=int, default=11_748)
    args = parser.parse_args()
    rng = random.Random(7)
    with fresh_schema(args.database_url) as (_, url):
        planning = Planning(env={**persistence_env(url), ENCRYPTION_KEY: new_master_key()})
        try:
            plans = seed(planning, args.plans)
            tracemalloc.start()
            for plan_id, _, _ in plans:
                planning.get_plan(plan_id)
            start = (traced_mb(), rss_mb())
            started = time.monotonic()
            kinds = rng.choices(
                [k for k, _ in WRITES], weights=[w for _, w in WRITES], k=args.writes
            )
            for n, kind in enumerate(kinds):
                plan = rng.choice(plans)
                write(planning, plan, kind, n, rng)
                planning.get_plan(plan[0])
            written = (traced_mb(), rss_mb())
            seconds = time.monotonic() - started
            cache = planning.repository.cache
            for plan_id, _, _ in plans:
                if cache is not None:
                    cache.get(plan_id, evict=True)
            emptied = (traced_mb(), rss_mb())
            events = sum(len(planning.history(p)) for p, _, _ in plans)
        finally:
            planning.close()
    print(
        f"bench/memory.py: {args.plans} plans, {args.writes:,} writes in {seconds:.0f} s "
        f"(traced), {events:,} events in the plans at the end"
    )
    print("| moment | traced Python MB | RSS MB |\n|---|---:|---:|")
    for label, (traced, rss) in (
        ("cache warm, before the writes", start),
        ("after the writes", written),
        ("plan cache emptied", emptied),
    ):
        print(f"| {label} | {traced:.1f} | {rss:.1f} |")
    grown, kept = written[0] - start[0], emptied[0] - start[0]
    print(
        f"the writes added {grown:.1f} MB traced; {kept:+.1f} MB of it stays once the "
        f"cache is emptied ({grown / max(args.writes, 1) * 1024:.2f} KB per write while "
        "cached)"
    )


if __name__ == "__main__":
    main()
