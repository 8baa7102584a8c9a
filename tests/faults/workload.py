"""What the clients do: seed plans, then write a realistic mix (targets, reviews with
evaluations, contributions), each write with an Idempotency-Key and a unique marker in
its text, retried with the SAME key after a connection error, a timeout or a 5xx (a 503
after its Retry-After: a busy store, or a concurrent update whose internal retries ran
out), within a bounded budget. None of those is an acknowledgement. Every attempt is
written down in a Ledger, which the checks compare with what the store holds.

Markers look like `FLT-<run>-<client>-<n>`: no personal data, and each names one write.
The seeded children's names are made up ("Fault Child 3").
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from domain.calendar import today
from domain.values import Role
from interfaces.http.auth import issue_token
from tests.faults.http_client import Answer, Connection, RequestTimeoutError
from tests.faults.services import JWT_SECRET

SCHOOL = "school:faults-primary"
LEAD_ID, PRACTITIONER_ID = "u-fault-lead", "u-fault-practitioner"
TARGETS_PER_PLAN = 2  # seeded targets, evaluated by reviews


def token(sub: str, role: Role, hours: float = 6.0) -> str:
    return issue_token(
        JWT_SECRET,
        sub=sub,
        name=sub.removeprefix("u-").replace("-", " ").title(),
        role=role,
        org=SCHOOL,
        ttl_seconds=int(hours * 3600),
    )


@dataclass(frozen=True)
class Tokens:
    lead: str
    practitioner: str

    @classmethod
    def make(cls, hours: float = 6.0) -> Tokens:
        return cls(
            token(LEAD_ID, Role.LEAD_PROFESSIONAL, hours),
            token(PRACTITIONER_ID, Role.PRACTITIONER, hours),
        )


@dataclass(frozen=True)
class SeededPlan:
    plan_id: str
    outcome_id: str
    target_ids: tuple[str, ...]


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 40
    max_seconds: float = 60.0
    key_on_retries: bool = True
    """False only for the negative control (bench/faults.py --drop-key-on-retry): retries
    then go without the key, and the checks must find duplicates."""


# -- one write --------------------------------------------------------------------------------


@dataclass
class WriteRecord:
    marker: str
    kind: str
    plan_id: str
    key: str
    expected: dict[str, int]
    """Event type -> how many events the write makes (a review: 1 + its evaluations)."""
    created_field: str
    attempts: int = 0
    outcomes: Counter = field(default_factory=Counter)
    acked: bool = False
    ack_version: int | None = None
    ack_position: int | None = None
    ack_created: str | None = None
    ack_at: float | None = None
    refused: tuple[int, str] | None = None
    gave_up: bool = False
    last_sent: float = 0.0
    """Wall-clock time of the last attempt: a stored event recorded before it was written
    by an earlier attempt, whose answer was lost (the key made the retry a replay)."""


@dataclass(frozen=True)
class WriteSpec:
    kind: str
    path: str
    body: dict[str, Any]
    as_lead: bool
    expected: dict[str, int]
    created_field: str


def write_spec(kind: str, plan: SeededPlan, marker: str, rng: random.Random) -> WriteSpec:
    base = f"/api/plans/{plan.plan_id}"
    day = today()
    if kind == "target":
        return WriteSpec(
            kind,
            f"{base}/targets",
            {
                "outcome_id": plan.outcome_id,
                "due_on": (day + timedelta(days=60)).isoformat(),
                "text": f"Use a visual timetable each morning [{marker}]",
                "success_criteria": "Four mornings out of five",
            },
            True,
            {"TargetSet": 1},
            "target_id",
        )
    if kind == "contribution":
        return WriteSpec(
            kind,
            f"{base}/contributions",
            {"kind": "observation", "text": f"Settled quickly after break [{marker}]"},
            False,
            {"ContributionAppended": 1},
            "contribution_id",
        )
    evaluated = rng.sample(plan.target_ids, rng.randint(1, len(plan.target_ids)))
    return WriteSpec(
        "review",
        f"{base}/reviews",
        {
            "held_on": day.isoformat(),
            "attendees": ["Lead professional", "Parent"],
            "summary": f"Termly review [{marker}]",
            "next_review_on": (day + timedelta(days=90)).isoformat(),
            "evaluations": [
                {
                    "target_id": t,
                    "progress": rng.choice(["partially_achieved", "not_achieved"]),
                    "impact": f"Needs fewer prompts [{marker}/{i}]",
                }
                for i, t in enumerate(evaluated)
            ],
        },
        True,
        {"ReviewHeld": 1, "TargetEvaluated": len(evaluated)},
        "review_id",
    )


WRITE_KINDS = (("target", 0.4), ("contribution", 0.4), ("review", 0.2))


def pick_write(rng: random.Random) -> str:
    return rng.choices([k for k, _ in WRITE_KINDS], weights=[w for _, w in WRITE_KINDS])[0]


# -- the ledger -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    sent: float
    """time.monotonic() when the request was sent."""
    seconds: float
    phase: str
    """The phase it ended in."""
    status: int | str
    what: str
    """The write's kind, or "read"."""


@dataclass
class Ledger:
    """Every write attempted, and every answer by phase (for the pool-exhaustion check)."""

    run: str = field(default_factory=lambda: secrets.token_hex(3))
    phase: str = "steady"
    writes: list[WriteRecord] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    """(phase, status or 'connection'/'timeout') -> count, reads and writes."""
    slowest: dict[str, float] = field(default_factory=dict)
    """phase -> the slowest answer (any status) in it, seconds."""
    slowest_503: float = 0.0
    missing_retry_after: int = 0
    reads: Counter = field(default_factory=Counter)
    hung: list[float] = field(default_factory=list)
    """When each request that got no answer within the client's timeout was sent."""
    timings: list[Timing] = field(default_factory=list)
    """Every request that ended (answered, refused a connection, or hung), in order."""

    def note(self, answer: Answer | str, seconds: float, what: str = "") -> None:
        status = answer if isinstance(answer, str) else answer.status
        sent = time.monotonic() - seconds
        if status == "timeout":
            self.hung.append(sent)
        self.timings.append(Timing(sent, seconds, self.phase, status, what))
        self.answers[(self.phase, status)] += 1
        self.slowest[self.phase] = max(self.slowest.get(self.phase, 0.0), seconds)
        if isinstance(answer, Answer) and answer.status == 503:
            self.slowest_503 = max(self.slowest_503, seconds)
            if "retry-after" not in answer.headers:
                self.missing_retry_after += 1

    def count(self, status: int | str, phase: str | None = None) -> int:
        return sum(
            n for (p, s), n in self.answers.items() if s == status and (phase is None or p == phase)
        )


def retry_delay(answer: Answer | None, rng: random.Random) -> float:
    """How long to wait before the next attempt: the server's Retry-After (capped, with
    jitter so that waiting clients do not all return at once), else a short pause."""
    if answer is None:  # connection refused or dropped, or no answer in time
        return rng.uniform(0.2, 0.5)
    if answer.status == 503:
        try:
            after = float(answer.headers.get("retry-after", "1"))
        except ValueError:
            after = 1.0
        return min(after, 2.0) * rng.uniform(0.5, 1.0)
    return rng.uniform(0.3, 0.6)


def retryable(answer: Answer) -> bool:
    """A 5xx acknowledges nothing: the same write goes again (send_write keeps its key). That
    includes a 503 `concurrent-update` (other writers kept winning the plan's next version
    and nothing was saved), retried like any other 503. A 409 is a rule of the plan
    refusing the write, so it is never retried (and the checks count it as a finding)."""
    return answer.status >= 500


async def send_write(
    conns: dict[bool, Connection],
    spec: WriteSpec,
    record: WriteRecord,
    ledger: Ledger,
    policy: RetryPolicy,
    rng: random.Random,
) -> None:
    began = time.monotonic()
    while True:
        record.attempts += 1
        send_key = record.attempts == 1 or policy.key_on_retries
        headers = {"Idempotency-Key": record.key} if send_key else {}
        answer: Answer | None = None
        sent = time.monotonic()
        record.last_sent = time.time()
        try:
            answer = await conns[spec.as_lead].request("POST", spec.path, spec.body, headers)
        except RequestTimeoutError:
            record.outcomes["timeout"] += 1
            ledger.note("timeout", time.monotonic() - sent, spec.kind)
        except ConnectionError:
            record.outcomes["connection"] += 1
            ledger.note("connection", time.monotonic() - sent, spec.kind)
        else:
            record.outcomes[answer.status] += 1
            ledger.note(answer, answer.seconds, spec.kind)
            if 200 <= answer.status < 300:
                body = answer.json()
                record.acked, record.ack_at = True, time.monotonic()
                record.ack_version = body.get("version")
                record.ack_created = body.get(spec.created_field)
                position = answer.headers.get("planledger-position")
                record.ack_position = int(position) if position else None
                return
            if not retryable(answer):
                problem = answer.json().get("type", "?") if answer.body else "?"
                record.refused = (answer.status, problem)
                return
        if record.attempts >= policy.max_attempts or time.monotonic() - began > policy.max_seconds:
            record.gave_up = True
            return
        await asyncio.sleep(retry_delay(answer, rng))


# -- seeding ----------------------------------------------------------------------------------


async def post_until_done(
    conn: Connection, path: str, body: dict[str, Any], attempts: int = 20
) -> dict[str, Any]:
    """A set-up write, idempotent, retried like the clients' writes; fails loudly."""
    key = secrets.token_hex(16)
    rng = random.Random()
    answer: Answer | None = None
    for _ in range(attempts):
        try:
            answer = await conn.request("POST", path, body, {"Idempotency-Key": key})
        except (ConnectionError, RequestTimeoutError):
            answer = None
        else:
            if answer.status == 201:
                return answer.json()
            if not retryable(answer):
                raise AssertionError(f"set-up POST {path}: {answer.status} {answer.body[:300]!r}")
        await asyncio.sleep(retry_delay(answer, rng))
    raise AssertionError(f"set-up POST {path}: no success in {attempts} attempts")


async def seed(port: int, tokens: Tokens, plans: int, timeout: float = 15.0) -> list[SeededPlan]:
    """Plans opened by the lead, with the practitioner as a member, one agreed outcome and
    TARGETS_PER_PLAN targets (which reviews evaluate), eight plans at a time."""

    async def one(n: int) -> SeededPlan:
        conn = Connection("127.0.0.1", port, tokens.lead, timeout)
        try:
            plan = await post_until_done(
                conn,
                "/api/plans",
                {
                    "plan_type": "iep",
                    "stage": "additional",
                    "org": SCHOOL,
                    "child": {"name": f"Fault Child {n}", "date_of_birth": "2016-03-14"},
                },
            )
            base = f"/api/plans/{plan['id']}"
            await post_until_done(
                conn,
                f"{base}/members",
                {"user_id": PRACTITIONER_ID, "role": "practitioner", "name": "Fault Practitioner"},
            )
            outcome = await post_until_done(
                conn,
                f"{base}/outcomes",
                {"text": "I will take part in group work", "area": "Learning"},
            )
            targets = [
                await post_until_done(
                    conn,
                    f"{base}/targets",
                    {
                        "outcome_id": outcome["outcome_id"],
                        "text": f"Seeded target {i}",
                        "due_on": (today() + timedelta(days=120)).isoformat(),
                    },
                )
                for i in range(TARGETS_PER_PLAN)
            ]
            return SeededPlan(
                plan["id"], outcome["outcome_id"], tuple(t["target_id"] for t in targets)
            )
        finally:
            await conn.close()

    seeded: list[SeededPlan] = []
    for start in range(0, plans, 8):
        seeded += await asyncio.gather(*(one(n) for n in range(start, min(plans, start + 8))))
    return seeded


# -- the fault clients ------------------------------------------------------------------------


async def fault_client(
    n: int,
    port: int,
    tokens: Tokens,
    plans: list[SeededPlan],
    ledger: Ledger,
    stop: asyncio.Event,
    policy: RetryPolicy,
    timeout: float,
    read_share: float = 0.25,
) -> None:
    """Writes (and some reads) until `stop`; a write under way when `stop` is set goes on
    until it is acknowledged, refused or out of budget."""
    rng = random.Random(f"{ledger.run}-{n}")
    conns = {
        True: Connection("127.0.0.1", port, tokens.lead, timeout),
        False: Connection("127.0.0.1", port, tokens.practitioner, timeout),
    }
    seq = 0
    try:
        while not stop.is_set():
            plan = rng.choice(plans)
            if rng.random() < read_share:
                await _read(conns[True], plan, ledger, rng)
                continue
            seq += 1
            marker = f"FLT-{ledger.run}-{n}-{seq}"
            spec = write_spec(pick_write(rng), plan, marker, rng)
            record = WriteRecord(
                marker=marker,
                kind=spec.kind,
                plan_id=plan.plan_id,
                key=secrets.token_hex(16),
                expected=spec.expected,
                created_field=spec.created_field,
            )
            ledger.writes.append(record)
            await send_write(conns, spec, record, ledger, policy, rng)
    finally:
        for conn in conns.values():
            await conn.close()


async def _read(conn: Connection, plan: SeededPlan, ledger: Ledger, rng: random.Random) -> None:
    path = f"/api/plans/{plan.plan_id}" if rng.random() < 0.6 else "/api/plans?limit=50"
    sent = time.monotonic()
    try:
        answer = await conn.request("GET", path)
    except RequestTimeoutError:
        ledger.note("timeout", time.monotonic() - sent, "read")
        ledger.reads["timeout"] += 1
        return
    except ConnectionError:
        ledger.note("connection", time.monotonic() - sent, "read")
        ledger.reads["connection"] += 1
        await asyncio.sleep(rng.uniform(0.2, 0.5))
        return
    ledger.note(answer, answer.seconds, "read")
    ledger.reads[answer.status] += 1
    if answer.status >= 500:
        await asyncio.sleep(retry_delay(answer, rng))
