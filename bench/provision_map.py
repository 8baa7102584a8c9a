"""How long the provision map takes to fold, for a school and for an authority.

Realistic plans (bench/scale_plans.py: the same distribution as bench/scale.py, 40% of
provision costed) are made in memory by the domain model; the map (domain.provision_map)
is then folded over the open ones, as the page does after loading them. Loading the plans
from the store is the rest of the page's time: bench/scale.py measures a plan read (p99
per plan, from its snapshot), which times the number of plans gives.

    .venv/bin/python bench/provision_map.py                      # 1,500 and 15,000 plans
    .venv/bin/python bench/provision_map.py --plans 1500 50000   # an authority's store
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scale_plans import a_plan
from domain.calendar import today
from domain.provision_map import provision_map


def plans(n: int, seed: int) -> list:
    rng, made = random.Random(seed), []
    for i in range(n):
        plan = None
        for event in a_plan(rng, i)[0]:
            plan = event.mutate(plan)
        made.append(plan)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, nargs="*", default=[1500, 15000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    for n in args.plans:
        started = time.perf_counter()
        made = plans(n, args.seed)
        built = time.perf_counter() - started
        open_plans = [(p, True) for p in made if p.is_open]
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            mapped = provision_map(open_plans, today())
            times.append(time.perf_counter() - t0)
        print(
            f"{n:>7,} plans ({len(open_plans):,} open, {len(mapped.rows):,} map rows, "
            f"{mapped.pupils:,} pupils with provision): fold median "
            f"{statistics.median(times) * 1000:.1f} ms, min {min(times) * 1000:.1f} ms "
            f"(plans made in {built:.0f} s)"
        )


if __name__ == "__main__":
    main()
