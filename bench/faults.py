"""The long fault run: tests/faults' harness with more rounds, more plans and longer
writing between faults (the suite runs one short round: tests/faults/test_faults.py).

Each round: kill -9 the API and start it again; kill -9 the projector and start it again;
restart the throwaway PostgreSQL cluster (-m immediate and -m fast in turn); exhaust the
API's connection pool (?pool_size=2&max_overflow=0 with the events table write-locked).
Then: writes acknowledged, events found for them, lost, duplicated (both must be 0), read
models against a clean rebuild, and every plan's hash chain (export + verify).

    .venv/bin/python bench/faults.py                   # 3 rounds, 32 clients, ~5 minutes
    .venv/bin/python bench/faults.py --rounds 10 --settle 15
    .venv/bin/python bench/faults.py --drop-key-on-retry   # negative control: must FAIL

`--drop-key-on-retry` sends the Idempotency-Key on a write's first attempt only: a retry
after an answer lost in a crash then writes again, and the checks must report duplicates
(exit status 1). Everything runs on this machine over loopback; the machine's own
PostgreSQL is never touched. Exit status 0 only if nothing was lost or doubled.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and its http.py would shadow the
# standard library's `http`: take it off, and put the repository on (the harness lives
# in tests/faults).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent), *(p for p in sys.path if Path(p or ".").resolve() != _HERE)]

from tests.faults.scenario import FaultConfig, run_faults  # noqa: E402
from tests.faults.workload import RetryPolicy  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--plans", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--settle", type=float, default=8.0, help="seconds of undisturbed writing between faults"
    )
    parser.add_argument(
        "--lock-seconds",
        type=float,
        default=12.0,
        help="how long the events table is write-locked under the tiny pool "
        "(more than the store's 10 s lock timeout: see tests/faults/scenario.py)",
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=60.0,
        help="the client's own bound: a request with no answer by then is hung",
    )
    parser.add_argument("--max-attempts", type=int, default=40, help="per write")
    parser.add_argument(
        "--drop-key-on-retry",
        action="store_true",
        help="negative control: retries without the Idempotency-Key",
    )
    parser.add_argument("--keep", action="store_true", help="keep the logs' folder")
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    args = parser.parse_args()

    config = FaultConfig(
        clients=args.clients,
        plans=args.plans,
        rounds=args.rounds,
        settle_seconds=args.settle,
        pg_modes=("immediate", "fast"),
        lock_seconds=args.lock_seconds,
        request_timeout=args.request_timeout,
        policy=RetryPolicy(
            max_attempts=args.max_attempts, key_on_retries=not args.drop_key_on_retry
        ),
        deadline_seconds=300.0 + args.rounds * (4 * args.settle + 60.0),
        keep_folder=args.keep,
    )
    run = run_faults(config, say=lambda line: print(line, flush=True))
    lines = [
        f"bench/faults.py {' '.join(sys.argv[1:])} at {time.strftime('%Y-%m-%d %H:%M')}",
        *run.lines(),
    ]
    if args.keep:
        lines.append(f"logs kept in {run.folder}")
    print("\n" + "\n".join(lines))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n")
    return 0 if run.ok else 1


if __name__ == "__main__":
    sys.exit(main())
