"""Evidence benchmarks (measurements, not tests).

1. Bundle: build the tribunal bundle of a plan of 1,000 events (reviews every ~90
   events, three shared copies, the rest the ordinary traffic of a year: deliveries,
   evaluations, views, contributions). Reports seconds per build and pages. Goal: 2 s at
   1,000 events, 10 s at 5,000 (--events 5000).
   Then the authority's PAdES signature on that bundle, and its check (milliseconds).
2. Verify: `python3 tools/verify_export.py` on an export of 100,000 events, timed as a
   user runs it (a fresh interpreter: start-up, JSON parsing and the chain). The export
   is made in the exact format, from records shaped like stored events, rather than by
   100,000 commands. Goal <= 2 s.

    .venv/bin/python bench/evidence.py                      # both
    .venv/bin/python bench/evidence.py --only verify --events 100000 --formats v1 v2
    .venv/bin/python bench/evidence.py --only bundle --database-url postgresql://...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median
from urllib.parse import urlencode, urlparse, urlunparse

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
# The repository, in place of this script's own directory: bench/http.py would otherwise
# shadow the standard library's http package (which psycopg and others import).
sys.path[0] = str(ROOT)

sys.path.append(str(ROOT / "bench"))  # after the standard library: for _common
from _common import ensure_database  # noqa: E402

from application.authority import load_stages  # noqa: E402
from application.config import persistence_env  # noqa: E402
from application.evidence.export import EXPORT_FORMAT, exported_event  # noqa: E402
from application.persistence.chain import CHAIN_VERSION, digest, event_record, genesis, next_link  # noqa: E402
from application.persistence.keys import new_master_key  # noqa: E402
from application.planning import Planning  # noqa: E402
from domain.access import Caller  # noqa: E402
from domain.calendar import today  # noqa: E402
from domain.events import (  # noqa: E402
    AddMember,
    AgreeOutcome,
    Evaluated,
    HoldReview,
    JoinAgency,
    OpenPlan,
    PlanProvision,
    RecordDelivery,
    RecordViews,
    SetTarget,
    SharePlan,
)
from domain.values import Actor, Child, PlanType, Progress, ProvisionKind, Role, Whose  # noqa: E402
from interfaces.documents.bundle import build_bundle  # noqa: E402
from interfaces.documents.plan_copy import SharedCopyRenderer  # noqa: E402
from interfaces.documents.signing import (  # noqa: E402
    PdfSigner,
    new_key_pem,
    self_signed_certificate_pem,
    signature_report,
)

LEAD = Actor(id="u-lead", name="Fiona MacLeod", role=Role.LEAD_PROFESSIONAL, org="school:x")
PARENT = Actor(id="u-parent", name="Morag Campbell", role=Role.PARENT_CARER)


def a_year_of_planning(planning: Planning, events: int) -> uuid.UUID:
    start = today() - timedelta(days=360)
    day = lambda n: start + timedelta(days=min(n, 360))  # noqa: E731
    lead, parent = Caller.of(LEAD), Caller.of(PARENT)
    plan_id = planning.open_plan(
        OpenPlan(
            plan_type=PlanType.CSP,
            stage="additional",
            org="school:x",
            child=Child(name="Isla Campbell", date_of_birth=datetime(2016, 3, 14).date()),
        ),
        lead,
        occurred_on=start,
        reason="Concerns raised at parents' evening",
    ).plan_id
    planning.change(
        plan_id,
        AddMember(user_id=PARENT.id, role=Role.PARENT_CARER, name=PARENT.name),
        lead,
        occurred_on=start,
    )
    planning.change(
        plan_id,
        JoinAgency(org="nhs:salt", name="Speech and Language Therapy", kind="health"),
        lead,
        occurred_on=start,
    )
    targets, provisions = [], []
    for o in range(4):
        outcome_id = uuid.UUID(
            planning.change(
                plan_id,
                AgreeOutcome(
                    text=f"Outcome {o}: I will play with my friends and enjoy my playtimes",
                    area="Social and emotional",
                ),
                lead,
                occurred_on=day(2),
            ).created["outcome_id"]
        )
        for t in range(3):
            targets.append(
                uuid.UUID(
                    planning.change(
                        plan_id,
                        SetTarget(
                            outcome_id=outcome_id,
                            text=f"Target {o}.{t}: take turns with two peers",
                            due_on=day(300),
                        ),
                        lead,
                        occurred_on=day(3),
                    ).created["target_id"]
                )
            )
    for p in range(6):
        provisions.append(
            uuid.UUID(
                planning.change(
                    plan_id,
                    PlanProvision(
                        kind=ProvisionKind.INTERVENTION,
                        description=f"Provision {p}: social group",
                        sessions_per_week=2,
                        minutes_per_session=30,
                        staff="Support assistant",
                    ),
                    lead,
                    occurred_on=day(4),
                ).created["provision_id"]
            )
        )
    n, shares, last_review = planning.get_plan(plan_id).version, 0, 0
    while n < events:
        d = 5 + n * 350 // events
        if n - last_review >= 90 and n + 13 < events:
            planning.change(
                plan_id,
                HoldReview(
                    held_on=day(d),
                    attendees=("Fiona MacLeod", "Morag Campbell"),
                    summary=f"Review at event {n}: steady progress.",
                    next_review_on=day(d + 90),
                    evaluations=tuple(
                        Evaluated(
                            target_id=t,
                            progress=Progress.PARTIALLY_ACHIEVED,
                            impact="Some progress",
                        )
                        for t in targets
                    ),
                ),
                lead,
            )
            last_review = n
        elif shares < 3 and n > (shares + 1) * events // 4:
            planning.change(
                plan_id, SharePlan(recipients=("Morag Campbell",), method="email"), lead
            )
            shares += 1
        elif n % 10 == 0:
            planning.change(
                plan_id,
                RecordViews(
                    whose=Whose.PARENT_CARER, text=f"Views at event {n}: mornings are calmer."
                ),
                parent,
                occurred_on=day(d),
            )
        else:
            # Deliveries are the lead professional's to record (domain/access.py).
            planning.change(
                plan_id,
                RecordDelivery(
                    provision_id=provisions[n % len(provisions)], sessions=1, minutes=30
                ),
                lead,
                occurred_on=day(d),
            )
        n = planning.get_plan(plan_id).version
    return plan_id


def bench_bundle(database_url: str, events: int, runs: int) -> None:
    base = urlunparse(urlparse(database_url)._replace(query=""))
    schema = f"bench_evidence_{uuid.uuid4().hex[:8]}"
    ensure_database(base)  # a fresh machine has only the default databases
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    url = f"{base}?{urlencode({'schema': schema, 'pool_size': 2, 'max_overflow': 2})}"
    planning = Planning(
        env={**persistence_env(url), "PLANLEDGER_ENCRYPTION_KEY": new_master_key()},
        shared_copy=SharedCopyRenderer(load_stages()),
    )
    try:
        t = time.perf_counter()
        plan_id = a_year_of_planning(planning, events)
        print(
            f"bundle: wrote a plan of {planning.get_plan(plan_id).version} events in "
            f"{time.perf_counter() - t:.1f} s"
        )
        build_bundle(planning, plan_id, today())  # warm-up: templates, fonts, caches
        timings, cpu = [], []
        for _ in range(runs):
            t, c = time.perf_counter(), cpu_with_workers()
            bundle = build_bundle(planning, plan_id, today())
            timings.append(time.perf_counter() - t)
            cpu.append(cpu_with_workers() - c)
        print(
            f"bundle: {bundle.pages} pages, {len(bundle.pdf) / 1e6:.2f} MB, "
            f"{len(bundle.sections)} sections; build median {median(timings):.2f} s wall, "
            f"{median(cpu):.2f} s CPU with the layout workers' (runs: {_list(timings)} wall; "
            f"{_list(cpu)} CPU; goal <= {2 if events <= 1000 else 10} s; {load_note()})"
        )
        bench_signing(bundle.pdf, runs)
    finally:
        planning.close()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def bench_signing(pdf: bytes, runs: int) -> None:
    """The authority's PAdES signature on the bundle just built, and its check."""
    key = new_key_pem()
    certificate = self_signed_certificate_pem(key.encode(), "Bench Council")
    signer = PdfSigner(key.encode(), certificate.encode())
    signer.sign(pdf)  # warm-up: pyHanko's imports
    signing, checking = [], []
    for _ in range(runs):
        t = time.perf_counter()
        signed = signer.sign(pdf)
        signing.append(time.perf_counter() - t)
        t = time.perf_counter()
        assert signature_report(signed, certificate.encode()).valid
        checking.append(time.perf_counter() - t)
    print(
        f"sign: {len(pdf) / 1e6:.2f} MB bundle, sign median {median(signing) * 1000:.0f} ms, "
        f"check median {median(checking) * 1000:.0f} ms, +{len(signed) - len(pdf)} bytes "
        f"(runs: {_list(signing)} s sign; {_list(checking)} s check; {load_note()})"
    )


def load_note() -> str:
    # Wall times on a shared machine mean little without its load; CPU seconds mean more.
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_with_workers() -> float:
    """This process's CPU and the layout workers' (which outlive each build)."""
    from interfaces.documents import workers

    ticks = os.sysconf("SC_CLK_TCK")
    total = cpu_self()
    for pid in workers.worker_pids():
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def synthetic_export(events: int, version: str = "v2") -> dict:
    """An export in the exact format, from records shaped like stored events. v1 is the
    format before v2 (each event's fields; still verified), to compare the two."""
    plan_id = str(uuid.uuid4())
    previous = genesis(plan_id)
    at = datetime(2025, 1, 1, tzinfo=UTC)
    topic = "domain.plans:Plan.ProvisionDelivered"
    out = []
    for position in range(1, events + 1):
        at += timedelta(seconds=17)
        state = {
            "timestamp": at.isoformat().replace("+00:00", "Z"),
            "provision_id": str(uuid.UUID(int=position)),
            "sessions": 1,
            "minutes": 30,
            "note": "Session delivered as planned; Isla joined in with two peers.",
            "actor": {
                "id": "u-salt",
                "name": "Priya Shah",
                "role": "practitioner",
                "org": "nhs:salt",
            },
            "occurred_on": at.date().isoformat(),
            "reason": None,
        }
        record = event_record(plan_id, position, topic, state)
        d = digest(record)
        previous = next_link(previous, d)
        if version == "v1":
            proof = {"digest": d.hex(), "link": previous.hex()}
            out.append({**record, "recorded_at": state["timestamp"], **proof})
        else:
            out.append(exported_event(plan_id, position, topic, state, d, previous))
    return {
        "format": EXPORT_FORMAT if version == "v2" else "planledger-export-v1",
        "chain": CHAIN_VERSION,
        "plan_id": plan_id,
        "events": out,
        "head": {"position": events, "link": previous.hex()},
    }


def bench_verify(events: int, runs: int, versions: list[str]) -> None:
    """Each format's file verified by a fresh `python3 tools/verify_export.py` (one warm-up
    run, then `runs`), and by `planledger verify`'s function in this process (parse and
    verify, no interpreter start-up). Medians; CPU includes the tool's worker processes."""
    from application.evidence.verification import verify_export

    with tempfile.TemporaryDirectory() as tmp:
        for version in versions:
            path = Path(tmp) / f"export-{version}.json"
            path.write_text(json.dumps(synthetic_export(events, version), ensure_ascii=False))
            command = ["python3", str(ROOT / "tools" / "verify_export.py"), str(path)]
            timings, cpu = [], []
            for run in range(runs + 1):
                t, c = time.perf_counter(), cpu_children()
                done = subprocess.run(command, capture_output=True, text=True)
                if run:  # the first is a warm-up: file cache, interpreter
                    timings.append(time.perf_counter() - t)
                    cpu.append(cpu_children() - c)
                assert done.returncode == 0, done.stdout + done.stderr
            print(
                f"verify {version}: {events:,} events, {path.stat().st_size / 1e6:.1f} MB; "
                f"`{' '.join(command[:2])} FILE`: median {median(timings):.2f} s wall, "
                f"{median(cpu):.2f} s CPU (runs: {_list(timings)} wall; {_list(cpu)} CPU; "
                f"goal <= 2 s; {load_note()})"
            )
            app_wall, app_cpu = [], []
            for run in range(runs + 1):
                t, c = time.perf_counter(), time.process_time()
                result = verify_export(json.loads(path.read_bytes()))
                if run:
                    app_wall.append(time.perf_counter() - t)
                    app_cpu.append(time.process_time() - c)
                assert result.intact, result.describe()
            print(
                f"verify {version}: planledger verify (in process, parse + verify): median "
                f"{median(app_wall):.2f} s wall, {median(app_cpu):.2f} s CPU ({load_note()})"
            )


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["bundle", "verify"])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/pl_h4")
    parser.add_argument("--events", type=int, help="events (bundle: 1,000; verify: 100,000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--formats", nargs="*", default=["v2"], choices=["v1", "v2"], help="verify: formats"
    )
    args = parser.parse_args()
    print("$", " ".join([Path(sys.executable).name, *sys.argv]))
    if args.only in (None, "verify"):
        bench_verify(args.events or 100_000, args.runs, args.formats)
    if args.only in (None, "bundle"):
        bench_bundle(args.database_url, args.events or 1_000, args.runs)


if __name__ == "__main__":
    main()
