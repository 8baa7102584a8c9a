"""After the faults: compare what the clients were told with what the store holds.

- Every plan is exported (events + hash chain + signed checkpoint) and verified. The
  writes' markers are looked for in the events' plain form, as the chain hashes them
  (personal fields are sealed at rest, so the tables cannot be searched directly).
- Each acknowledged write must have exactly its events (a target: one TargetSet; a
  review: one ReviewHeld and one TargetEvaluated per evaluation), and its answer must
  name them: the id it created, the plan's version after it, and in Planledger-Position
  the notification id of its last event. A write never acknowledged may be stored once
  (its answer was lost) or not at all, never twice and never in part.
- The read models, once the projector has caught up on its own, must equal a clean
  rebuild (`planledger rebuild`), table by table, row by row.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from application.evidence.checkpoints import CheckpointSigner, decode_key_bytes
from application.evidence.export import build_export
from application.evidence.verification import verify_export
from application.planning import Planning
from interfaces.settings import Settings
from projections.engine.catalogue import MODELS
from projections.engine.store import Store
from tests.faults.cluster import Cluster
from tests.faults.services import planledger_command
from tests.faults.workload import Ledger, WriteRecord

MARKER = re.compile(r"\[(FLT-[0-9a-f]+-\d+-\d+)(?:/\d+)?\]")
APPLICATION = "Planning"


@dataclass
class Found:
    """The events carrying one marker."""

    types: Counter = field(default_factory=Counter)
    positions: list[int] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    plan_ids: set[str] = field(default_factory=set)
    recorded_at: float = 0.0


@dataclass
class ReadModelCheck:
    name: str
    live_version: int
    rebuilt_version: int
    rows: int
    differing_rows: int
    caught_up_seconds: float

    @property
    def equal(self) -> bool:
        return self.differing_rows == 0


@dataclass
class Findings:
    attempted: int = 0
    acknowledged: int = 0
    acknowledged_events: int = 0
    lost: int = 0
    duplicated: int = 0
    partial: int = 0
    answer_mismatches: int = 0
    unknown_markers: int = 0
    replayed: int = 0
    """Acknowledged by a retry whose key found the write an earlier attempt had stored."""
    unacknowledged_stored: int = 0
    unacknowledged_absent: int = 0
    refused: int = 0
    plans: int = 0
    plans_verified: int = 0
    chain_events: int = 0
    cli_verify: str = "not run"
    read_models: list[ReadModelCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        if len(self.problems) < 25:  # the first ones say enough
            self.problems.append(text)

    @property
    def ok(self) -> bool:
        return (
            self.lost
            == self.duplicated
            == self.partial
            == self.answer_mismatches
            == self.unknown_markers
            == self.refused
            == 0
            and self.plans_verified == self.plans
            and self.cli_verify.startswith("intact")
            and bool(self.read_models)
            and all(m.equal for m in self.read_models)
        )

    def lines(self) -> list[str]:
        out = [
            f"writes attempted {self.attempted}, acknowledged {self.acknowledged}, events "
            f"found for them {self.acknowledged_events}; acknowledged by a replay of the "
            f"Idempotency-Key after the first answer was lost {self.replayed}",
            f"lost {self.lost}, duplicated {self.duplicated}, partial {self.partial}, answers "
            f"not matching the stored events {self.answer_mismatches}, unknown markers "
            f"{self.unknown_markers}, refused {self.refused}",
            f"never acknowledged {self.attempted - self.acknowledged}: stored once "
            f"{self.unacknowledged_stored}, not stored {self.unacknowledged_absent}",
            f"hash chains: {self.plans_verified} of {self.plans} plans verify "
            f"({self.chain_events} events, signed checkpoints); CLI export+verify: "
            f"{self.cli_verify}",
        ]
        for m in self.read_models:
            out.append(
                f"read model {m.name}: live v{m.live_version} "
                f"{'EQUALS' if m.equal else 'DIFFERS FROM'} clean rebuild v{m.rebuilt_version} "
                f"({m.rows} rows, {m.differing_rows} differing; projector caught up "
                f"{m.caught_up_seconds:.1f} s after the writes stopped)"
            )
        return out


# -- the events -------------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


@dataclass(frozen=True)
class PlainEvent:
    plan_id: str
    position: int
    topic: str
    state: dict[str, Any]
    recorded_at: float


def plain_events(planning: Planning, plan_id: str) -> list[PlainEvent]:
    """A plan's events in their plain (unsealed) stored form, as the chain hashes them;
    read from the store, not from an export, so these checks do not depend on the
    export's layout."""
    links = {link.position: link for link in planning.chain(UUID(plan_id))}
    events = []
    for stored in planning.recorder.select_events(UUID(plan_id)):
        state, _ = planning.mapper.plain_state(stored)
        link = links.get(stored.originator_version)
        events.append(
            PlainEvent(
                plan_id,
                stored.originator_version,
                stored.topic,
                state,
                link.recorded_at.timestamp() if link else 0.0,
            )
        )
    return events


def scan_markers(events: list[PlainEvent]) -> dict[str, Found]:
    found: dict[str, Found] = defaultdict(Found)
    for event in events:
        markers = {m for s in _strings(event.state) for m in MARKER.findall(s)}
        for marker in markers:
            entry = found[marker]
            kind = event.topic.rpartition(".")[2]
            entry.types[kind] += 1
            entry.positions.append(event.position)
            entry.plan_ids.add(event.plan_id)
            entry.recorded_at = event.recorded_at
            for id_field in ("target_id", "contribution_id", "review_id"):
                if kind != "TargetEvaluated" and id_field in event.state:
                    entry.ids[id_field] = str(event.state[id_field])
    return found


def notification_ids(cluster: Cluster) -> dict[tuple[str, int], int]:
    with cluster.connect() as conn:
        rows = conn.execute(
            "SELECT originator_id::text, originator_version, notification_id FROM planning_events"
        ).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


def judge_writes(
    findings: Findings,
    ledger: Ledger,
    found: dict[str, Found],
    positions: dict[tuple[str, int], int],
) -> None:
    known = {w.marker for w in ledger.writes}
    for marker in found.keys() - known:
        findings.unknown_markers += 1
        findings.problem(f"events carry marker {marker}, which no client wrote")
    findings.attempted = len(ledger.writes)
    for write in ledger.writes:
        entry = found.get(write.marker)
        if write.refused is not None:
            findings.refused += 1
            findings.problem(f"{write.kind} {write.marker} refused: {write.refused}")
        if entry is None:
            if write.acked:
                findings.lost += 1
                findings.problem(
                    f"LOST: {write.kind} {write.marker} was acknowledged "
                    f"(version {write.ack_version}) but no event carries it"
                )
            else:
                findings.unacknowledged_absent += 1
            continue
        expected = Counter(write.expected)
        if entry.types != expected:
            doubled = all(entry.types[k] >= 2 * n for k, n in expected.items())
            if doubled:
                findings.duplicated += 1
                findings.problem(f"DUPLICATED: {write.kind} {write.marker}: {dict(entry.types)}")
            else:
                findings.partial += 1
                findings.problem(
                    f"PARTIAL: {write.kind} {write.marker}: {dict(entry.types)}, "
                    f"expected {dict(expected)}"
                )
            continue
        if write.acked:
            findings.acknowledged += 1
            findings.acknowledged_events += sum(entry.types.values())
            if write.attempts > 1 and entry.recorded_at < write.last_sent:
                findings.replayed += 1
            _check_answer(findings, write, entry, positions)
        else:
            findings.unacknowledged_stored += 1


def _check_answer(
    findings: Findings, write: WriteRecord, entry: Found, positions: dict[tuple[str, int], int]
) -> None:
    """The acknowledgement must describe the stored write, also when it was a replay."""
    version = max(entry.positions)
    wrong = []
    if entry.plan_ids != {write.plan_id}:
        wrong.append(f"stored on {sorted(entry.plan_ids)}")
    if write.ack_version != version:
        wrong.append(f"version {write.ack_version} != stored {version}")
    if write.ack_created != entry.ids.get(write.created_field):
        wrong.append(f"{write.created_field} differs")
    if write.ack_position != positions.get((write.plan_id, version)):
        wrong.append(
            f"Planledger-Position {write.ack_position} != notification id "
            f"{positions.get((write.plan_id, version))}"
        )
    if wrong:
        findings.answer_mismatches += 1
        findings.problem(f"ANSWER MISMATCH: {write.kind} {write.marker}: {'; '.join(wrong)}")


# -- exports and hash chains --------------------------------------------------------------------


def export_and_verify(
    findings: Findings, settings: Settings, signing_key: str, plan_ids: list[str]
) -> list[PlainEvent]:
    """Every plan's export verified (chain, head, signed checkpoint); returns the events."""
    signer = CheckpointSigner.from_text(signing_key)
    public_key = decode_key_bytes(signer.public_key_b64)
    planning = Planning(env=settings.planning_env())
    events: list[PlainEvent] = []
    try:
        for plan_id in plan_ids:
            verdict = verify_export(
                build_export(planning, UUID(plan_id), signer=signer), public_key
            )
            findings.plans += 1
            findings.chain_events += verdict.events
            if verdict.intact and verdict.checkpoint == "verified":
                findings.plans_verified += 1
            else:
                findings.problem(f"plan {plan_id}: {verdict.describe()}")
            events += plain_events(planning, plan_id)
    finally:
        planning.close()
    return events


def cli_export_and_verify(
    env: Mapping[str, str], plan_id: str, signing_key: str, folder: Path
) -> str:
    """The same through the command line, once: `planledger export`, `planledger verify`."""
    out = folder / f"export-{plan_id}.json"
    public_key = CheckpointSigner.from_text(signing_key).public_key_b64
    cli_env = {**env, "PLANLEDGER_SIGNING_KEY": signing_key}
    exported = subprocess.run(
        [planledger_command(), "export", plan_id, "--out", str(out)],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if exported.returncode != 0:
        return f"export failed ({exported.returncode}): {exported.stderr[-300:]}"
    verified = subprocess.run(
        [planledger_command(), "verify", str(out), "--public-key", public_key],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return (
        verified.stdout.strip().splitlines()[0]
        if verified.stdout.strip()
        else f"verify failed ({verified.returncode}): {verified.stderr[-300:]}"
    )


# -- read models --------------------------------------------------------------------------------


def active_version(conn: Any, name: str) -> int:
    row = conn.execute("SELECT active FROM read_model_versions WHERE name = %s", (name,)).fetchone()
    return row[0] if row else 1


def tracked_position(conn: Any, name: str, version: int) -> int:
    table = sql.Identifier(f"{name}_v{version}_tracking")
    try:
        row = conn.execute(
            sql.SQL("SELECT max(notification_id) FROM {} WHERE application_name = %s").format(
                table
            ),
            (APPLICATION,),
        ).fetchone()
    except psycopg.errors.UndefinedTable:  # not made yet: nothing tracked
        return 0
    return row[0] or 0


def head_position(conn: Any) -> int:
    return conn.execute("SELECT coalesce(max(notification_id), 0) FROM planning_events").fetchone()[
        0
    ]


def wait_for_projector(cluster: Cluster, timeout: float) -> float:
    """Seconds until every read model's active version has reached the head of the log,
    by the projector alone (nothing reads the lists meanwhile)."""
    began = time.monotonic()
    while True:
        with cluster.connect() as conn:
            head = head_position(conn)
            behind = [
                name
                for name in MODELS
                if tracked_position(conn, name, active_version(conn, name)) < head
            ]
        if not behind:
            return time.monotonic() - began
        if time.monotonic() - began > timeout:
            raise AssertionError(
                f"read models {behind} not caught up with position {head} within {timeout:.0f} s"
            )
        time.sleep(0.2)


def table_rows(conn: Any, table: str) -> Counter:
    """The table's rows, as a multiset of their repr (rows hold lists and dicts)."""
    rows = conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))).fetchall()
    return Counter(repr(tuple(r)) for r in rows)


def compare_with_rebuild(
    findings: Findings, cluster: Cluster, env: Mapping[str, str], caught_up_seconds: float
) -> None:
    for name, read_model in MODELS.items():
        with cluster.connect() as conn:
            live = active_version(conn, name)
        done = subprocess.run(
            [planledger_command(), "rebuild", name],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            findings.problem(f"planledger rebuild {name} failed: {done.stderr[-500:]}")
            findings.read_models.append(ReadModelCheck(name, live, live, 0, -1, caught_up_seconds))
            continue
        with cluster.connect() as conn:
            rebuilt = active_version(conn, name)
            rows = differing = 0
            suffixes = read_model.views[Store.POSTGRES].table_suffixes
            for suffix in ("", *(f"_{s}" for s in suffixes)):
                old = table_rows(conn, f"{name}_v{live}{suffix}")
                new = table_rows(conn, f"{name}_v{rebuilt}{suffix}")
                rows += new.total()
                differing += (old - new).total() + (new - old).total()
            if tracked_position(conn, name, live) != tracked_position(conn, name, rebuilt):
                differing += 1
                findings.problem(f"{name}: live and rebuilt versions track different positions")
        if differing:
            findings.problem(
                f"read model {name}: v{live} differs from rebuild v{rebuilt} in {differing} rows"
            )
        findings.read_models.append(
            ReadModelCheck(name, live, rebuilt, rows, differing, caught_up_seconds)
        )


# -- all of it ----------------------------------------------------------------------------------


def check_everything(
    cluster: Cluster,
    env: Mapping[str, str],
    ledger: Ledger,
    plan_ids: list[str],
    signing_key: str,
    folder: Path,
    projector_timeout: float = 90.0,
) -> Findings:
    findings = Findings()
    settings = Settings(
        database_url=env["PLANLEDGER_DATABASE_URL"], encryption_key=env["PLANLEDGER_ENCRYPTION_KEY"]
    )
    caught_up = wait_for_projector(cluster, projector_timeout)
    events = export_and_verify(findings, settings, signing_key, plan_ids)
    findings.cli_verify = cli_export_and_verify(env, plan_ids[0], signing_key, folder)
    judge_writes(findings, ledger, scan_markers(events), notification_ids(cluster))
    compare_with_rebuild(findings, cluster, env, caught_up)
    return findings
