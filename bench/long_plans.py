"""Long plans: do the plan's pages stay fast however long its record grows?

For plans of 1,000 and 5,000 events (`--events`; the mix of bench/append.py's
build_long_plan: targets, revisions, evaluations, deliveries, contributions, with a
snapshot every 50 versions and personal data sealed), on PostgreSQL, times what a
reader asks for, through the app in-process (Starlette's TestClient: server time plus a
constant of well under a millisecond):

- the web plan page, the web timeline (its first page), GET history (everything, and its
  first page with `limit=50`), GET the plan `as_of` an instant half-way through;
- a cold load: `Planning.get_plan` with the aggregate cache off (latest snapshot and the
  events after it), and the snapshot's size.

Each is the median of `--repeats` (default 5) after one warm-up. Printed as a table with
the growth per 1,000 events; the goal is each within 50 ms at 5,000 events and flat
from 1,000 to 5,000.

    .venv/bin/python bench/long_plans.py
    .venv/bin/python bench/long_plans.py --events 1000 5000 --repeats 7
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import sys
import time
from datetime import datetime
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the repository, not bench/ (whose http.py shadows the stdlib's)
sys.path.append(str(ROOT / "bench"))  # after the stdlib: for append.py's `_common`

from _common import fresh_schema  # noqa: E402
from append import LEAD, build_long_plan  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from application.config import persistence_env  # noqa: E402
from application.persistence.keys import new_master_key  # noqa: E402
from application.planning import ENCRYPTION_KEY, Planning  # noqa: E402
from interfaces.http.app import create_app  # noqa: E402
from interfaces.http.auth import issue_token  # noqa: E402
from interfaces.settings import Settings  # noqa: E402
from interfaces.web.security import SESSION_COOKIE  # noqa: E402

SECRET = "bench-long-plans-0123456789-abcdefghijklmnopqrstuvwxyz"


PROFILE: str | None = None


def timed(call: Any, repeats: int, label: str = "") -> float:
    call()
    if label == PROFILE:
        profile = cProfile.Profile()
        profile.runcall(lambda: [call() for _ in range(repeats)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return median(samples) * 1000


def get(client: TestClient, path: str) -> Any:
    def call() -> None:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
        call.size = len(answer.content)  # type: ignore[attr-defined]

    return call


def measure(url: str, master_key: str, events: int, repeats: int) -> dict[str, float]:
    env = persistence_env(url) | {ENCRYPTION_KEY: master_key}
    planning = Planning(env=env)
    plan_id = build_long_plan(planning, events)
    middle = planning.history(plan_id)[events // 2].recorded_at
    settings = Settings(database_url=url, jwt_secret=SECRET, encryption_key=master_key)
    token = issue_token(SECRET, sub=LEAD.id, name=LEAD.name, role=LEAD.role, org=LEAD.org)
    out: dict[str, float] = {}
    app = create_app(settings)
    logging.getLogger("planledger").setLevel(logging.WARNING)  # one line per request
    with TestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        client.cookies.set(SESSION_COOKIE, token)
        pages = {
            "web plan page": f"/plans/{plan_id}",
            "web timeline": f"/plans/{plan_id}/timeline",
            "GET history": f"/api/plans/{plan_id}/history",
            "GET history limit=50": f"/api/plans/{plan_id}/history?limit=50",
            "GET plan as_of": f"/api/plans/{plan_id}?as_of={middle.isoformat()}".replace(
                "+", "%2B"
            ),
        }
        for label, path in pages.items():
            call = get(client, path)
            out[label] = timed(call, repeats, label)
            out[f"{label} KiB"] = call.size / 1024  # type: ignore[attr-defined]
    cold = Planning(env=env | {"AGGREGATE_CACHE_MAXSIZE": ""})
    out["cold load"] = timed(lambda: cold.get_plan(plan_id), repeats)
    snapshots = cold.snapshots.recorder  # type: ignore[union-attr]
    snapshot = snapshots.select_events(plan_id, desc=True, limit=1)
    out["snapshot KiB"] = len(snapshot[0].state) / 1024 if snapshot else 0.0
    planning.close()
    cold.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/pl_bench")
    parser.add_argument("--profile", metavar="LABEL", help="cProfile one row, e.g. 'web plan page'")
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile
    master_key = new_master_key()
    results: dict[int, dict[str, float]] = {}
    for events in args.events:
        with fresh_schema(args.database_url) as (_, url):
            results[events] = measure(url, master_key, events, args.repeats)
    sizes = sorted(results)
    print(f"# Long plans, {datetime.now():%Y-%m-%d %H:%M}, median of {args.repeats}, ms\n")
    print("| | " + " | ".join(f"{n:,} events" for n in sizes) + " | per 1,000 events |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for label in results[sizes[0]]:
        row = [results[n][label] for n in sizes]
        slope = (row[-1] - row[0]) / ((sizes[-1] - sizes[0]) / 1000) if len(sizes) > 1 else 0
        print(f"| {label} | " + " | ".join(f"{v:.1f}" for v in row) + f" | {slope:+.1f} |")


if __name__ == "__main__":
    main()
