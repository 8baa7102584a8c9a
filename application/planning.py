"""Planning: the application whose methods are the use cases of a support plan."""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from itertools import chain
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.persistence import IntegrityError, ProgrammingError
from eventsourcing.postgres import PostgresFactory
from eventsourcing.sqlite import SQLiteFactory
from eventsourcing.utils import get_topic

from application.authority import load_stages
from application.errors import (
    ConcurrentUpdateError,
    IdempotencyKeyReusedError,
    PlanNotFoundError,
    PreconditionFailedError,
)
from application.history import HistoryEntry, history_entry
from application.persistence.keys import KeyRing
from application.persistence.mapping import OrjsonTranscoder, PlanMapper
from application.persistence.postgres import PostgresPlanRecorder, PostgresSnapshotRecorder
from application.persistence.records import AccessEntry, IdempotencyClaim, Link, PlanRecords
from application.persistence.sqlite import SQLitePlanRecorder
from domain.calendar import today
from domain.plans import Evaluated, Plan
from domain.stages import StageCatalogue
from domain.values import (
    DESTROYED,
    Actor,
    Child,
    PlanStatus,
    PlanType,
    Progress,
    ProvisionKind,
    Role,
    Whose,
)

log = logging.getLogger("planledger.application")

ENCRYPTION_KEY = "PLANLEDGER_ENCRYPTION_KEY"
STAGES_FILE = "PLANLEDGER_STAGES_FILE"


@dataclass(frozen=True)
class Conditions:
    """What a writer asks of a write: the version it read, and a key to make it idempotent."""

    expected_version: int | None = None
    idempotency: IdempotencyClaim | None = None


ANY = Conditions()


@dataclass(frozen=True)
class Written:
    """The answer to a command: the plan's version after it, what it created, and the
    position of its last event in the application's log (for read-your-writes)."""

    plan_id: UUID
    version: int
    created: dict[str, Any]
    position: int | None = None

    def to_response(self) -> dict[str, Any]:
        return {"plan_id": str(self.plan_id), "version": self.version, "created": self.created}

    @classmethod
    def from_response(cls, response: dict[str, Any]) -> Written:
        return cls(
            plan_id=UUID(response["plan_id"]),
            version=response["version"],
            created=response["created"],
            position=response.get("position"),
        )


class Planning(Application[UUID]):
    """Support plans: open them, change them by attributed events, read them at any instant."""

    env: ClassVar[dict[str, str]] = {
        "MAPPER_TOPIC": get_topic(PlanMapper),
        "TRANSCODER_TOPIC": get_topic(OrjsonTranscoder),
    }
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Plan: 50}
    max_attempts = 5

    def __init__(self, env: dict[str, str] | None = None, *, stages: StageCatalogue | None = None):
        super().__init__(env)
        self.stages = stages or load_stages(self.env.get(STAGES_FILE))
        master_key = self.env.get(ENCRYPTION_KEY)
        if master_key:
            assert isinstance(self.mapper, PlanMapper)
            self.mapper.keyring = KeyRing(master_key, self.records)

    def construct_recorder(self) -> Any:
        # Planledger's tables (chain, idempotency, keys, access log) live beside the
        # events and are written in their transaction, so only these two stores serve.
        if isinstance(self.factory, PostgresFactory):
            recorder_class: type[Any] = PostgresPlanRecorder
        elif isinstance(self.factory, SQLiteFactory):
            recorder_class = SQLitePlanRecorder
        else:
            msg = "Planledger stores plans in SQLite or PostgreSQL (set PLANLEDGER_DATABASE_URL)"
            raise ProgrammingError(msg)
        self.factory.env[self.factory.APPLICATION_RECORDER_TOPIC] = get_topic(recorder_class)
        return super().construct_recorder()

    def _take_snapshots(self, processing_event: Any) -> None:
        # A snapshot only speeds up loading. Once the events are committed the write has
        # happened, so failing to snapshot must not turn it into an error for the caller.
        try:
            super()._take_snapshots(processing_event)
        except Exception as e:
            log.warning("snapshot not taken", extra={"error_type": type(e).__name__})

    def construct_snapshot_store(self) -> Any:
        if not isinstance(self.factory, PostgresFactory):
            return super().construct_snapshot_store()
        # The library's snapshot recorder, with table creation taken in turns.
        recorder = PostgresSnapshotRecorder(
            datastore=self.factory.datastore, events_table_name=f"{self.name.lower()}_snapshots"
        )
        if self.factory.env_create_table():
            recorder.create_table()
        return self.factory.event_store(mapper=self.mapper, recorder=recorder)

    @property
    def records(self) -> PlanRecords:
        assert isinstance(self.recorder, PlanRecords)
        return self.recorder

    # -- commands -------------------------------------------------------------------

    def open_plan(
        self, *, plan_type: PlanType, stage: str, child: Child, org: str, actor: Actor,
        occurred_on: date | None = None, next_review_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        if (replayed := self._replayed(conditions)) is not None:
            return replayed
        plan = Plan.open(
            plan_type=plan_type, stage=self.stages.get(stage), child=child, org=org,
            actor=actor, occurred_on=occurred_on or today(), next_review_on=next_review_on,
            reason=reason,
        )
        written = Written(plan_id=plan.id, version=plan.version, created={"plan_id": str(plan.id)})
        try:
            return self._save(plan, written, conditions)
        except IntegrityError:
            # A new plan can only conflict on its idempotency key: another request with
            # the same key got there first.
            if (replayed := self._replayed(conditions)) is not None:
                return replayed
            raise

    def add_member(
        self, plan_id: UUID, *, user_id: str, role: Role, name: str, actor: Actor,
        occurred_on: date | None = None, reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.add_member,
            user_id=user_id, role=role, name=name,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def assign_lead_professional(
        self, plan_id: UUID, *, user_id: str, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.assign_lead_professional,
            user_id=user_id, actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def remove_member(
        self, plan_id: UUID, user_id: str, *, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.remove_member,
            user_id=user_id, actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def leave_agency(
        self, plan_id: UUID, org: str, *, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.leave_agency,
            org=org, actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def join_agency(
        self, plan_id: UUID, *, org: str, name: str, kind: str, actor: Actor,
        occurred_on: date | None = None, reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.join_agency,
            org=org, name=name, kind=kind, actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def correct_child_details(
        self, plan_id: UUID, *, child: Child, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.correct_child_details,
            child=child, actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def agree_outcome(
        self, plan_id: UUID, *, text: str, area: str, aspiration: str | None = None,
        actor: Actor, occurred_on: date | None = None, reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        outcome_id = uuid4()
        return self._command(
            plan_id, conditions, Plan.agree_outcome, created={"outcome_id": str(outcome_id)},
            outcome_id=outcome_id, text=text, area=area, aspiration=aspiration,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def set_target(
        self, plan_id: UUID, *, outcome_id: UUID, text: str, due_on: date,
        success_criteria: str | None = None, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        target_id = uuid4()
        return self._command(
            plan_id, conditions, Plan.set_target, created={"target_id": str(target_id)},
            target_id=target_id, outcome_id=outcome_id, text=text, due_on=due_on,
            success_criteria=success_criteria,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def revise_target(
        self, plan_id: UUID, target_id: UUID, *, text: str, due_on: date | None = None,
        actor: Actor, occurred_on: date | None = None, reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.revise_target,
            target_id=target_id, text=text, due_on=due_on,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def close_target(
        self, plan_id: UUID, target_id: UUID, *, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.close_target,
            target_id=target_id, actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def plan_provision(
        self, plan_id: UUID, *, kind: ProvisionKind, description: str,
        target_ids: Sequence[UUID] = (), frequency: str | None = None,
        sessions_per_week: int | None = None, minutes_per_session: int | None = None,
        staff: str | None = None, cost: Decimal | None = None, funding: str | None = None,
        recommended_by: str | None = None, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        provision_id = uuid4()
        return self._command(
            plan_id, conditions, Plan.plan_provision, created={"provision_id": str(provision_id)},
            provision_id=provision_id, kind=kind, description=description,
            target_ids=target_ids, frequency=frequency, sessions_per_week=sessions_per_week,
            minutes_per_session=minutes_per_session, staff=staff, cost=cost, funding=funding,
            recommended_by=recommended_by,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def record_delivery(
        self, plan_id: UUID, provision_id: UUID, *, sessions: int, minutes: int | None = None,
        note: str | None = None, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.record_delivery,
            provision_id=provision_id, sessions=sessions, minutes=minutes, note=note,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def end_provision(
        self, plan_id: UUID, provision_id: UUID, *, actor: Actor,
        occurred_on: date | None = None, reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.end_provision,
            provision_id=provision_id, actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def hold_review(
        self, plan_id: UUID, *, held_on: date, attendees: Sequence[str], summary: str,
        evaluations: Sequence[Evaluated] = (), next_review_on: date | None = None,
        actor: Actor, reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        """ReviewHeld and one TargetEvaluated per evaluation, saved in one transaction."""
        review_id = uuid4()
        return self._decide(
            plan_id, conditions,
            lambda plan: plan.hold_review(
                review_id=review_id, held_on=held_on, attendees=attendees, summary=summary,
                next_review_on=next_review_on, evaluations=evaluations, actor=actor,
                reason=reason,
            ),
            created={"review_id": str(review_id)},
        )

    def evaluate_target(
        self, plan_id: UUID, target_id: UUID, *, progress: Progress, impact: str, actor: Actor,
        review_id: UUID | None = None, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.evaluate_target,
            target_id=target_id, progress=progress, impact=impact, review_id=review_id,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def schedule_review(
        self, plan_id: UUID, *, next_review_on: date, actor: Actor,
        occurred_on: date | None = None, reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.schedule_review,
            next_review_on=next_review_on, actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def change_stage(
        self, plan_id: UUID, *, stage: str, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.change_stage,
            stage=self.stages.get(stage), actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def append_contribution(
        self, plan_id: UUID, *, kind: str, text: str, actor: Actor,
        occurred_on: date | None = None, reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        contribution_id = uuid4()
        return self._command(
            plan_id, conditions, Plan.append_contribution,
            created={"contribution_id": str(contribution_id)},
            contribution_id=contribution_id, kind=kind, text=text,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def record_views(
        self, plan_id: UUID, *, whose: Whose, text: str, actor: Actor,
        occurred_on: date | None = None, reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        views_id = uuid4()
        return self._command(
            plan_id, conditions, Plan.record_views, created={"views_id": str(views_id)},
            views_id=views_id, whose=whose, text=text,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def share_plan(
        self, plan_id: UUID, *, recipients: Sequence[str], method: str, actor: Actor,
        occurred_on: date | None = None, reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        """Record that the plan as it stands was given to the recipients, with the
        SHA-256 of the copy they received when a renderer is configured."""
        when = occurred_on or today()

        def share(plan: Plan) -> dict[str, Any]:
            sha256 = self.shared_copy_digest(plan) if self.shared_copy_digest else None
            number = plan.share(
                recipients=recipients, method=method, sha256=sha256, actor=actor,
                occurred_on=when, reason=reason,
            )
            return {"number": number, "sha256": sha256}

        return self._decide(plan_id, conditions, share)

    shared_copy_digest: Callable[[Plan], str] | None = None
    """Renders a plan to the copy a family receives and returns its SHA-256 (evidence)."""

    checkpoint_signer: Any = None
    """Signs checkpoints of chain heads in exports and bundles (evidence); an
    application.evidence.checkpoints.CheckpointSigner, set by install_evidence."""

    def grant_disclosure(
        self, plan_id: UUID, *, grantee: str, purpose: str, until: date | None = None,
        actor: Actor, occurred_on: date | None = None, reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        disclosure_id = uuid4()
        return self._command(
            plan_id, conditions, Plan.grant_disclosure,
            created={"disclosure_id": str(disclosure_id)},
            disclosure_id=disclosure_id, grantee=grantee, purpose=purpose, until=until,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def revoke_disclosure(
        self, plan_id: UUID, disclosure_id: UUID, *, actor: Actor,
        occurred_on: date | None = None, reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.revoke_disclosure,
            disclosure_id=disclosure_id, actor=actor, occurred_on=occurred_on, reason=reason,
        )

    def close_plan(
        self, plan_id: UUID, *, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        return self._command(
            plan_id, conditions, Plan.close, actor=actor, occurred_on=occurred_on, reason=reason
        )

    def destroy_plan(
        self, plan_id: UUID, *, actor: Actor, occurred_on: date | None = None,
        reason: str | None = None, conditions: Conditions = ANY,
    ) -> Written:
        """Append the PlanDestroyed tombstone (a closed plan only). The shredding itself,
        key and snapshots, is application/retention.py's `destroy_personal_data`."""
        return self._command(
            plan_id, conditions, Plan.destroy, actor=actor, occurred_on=occurred_on,
            reason=reason,
        )

    # -- queries --------------------------------------------------------------------

    def get_plan(
        self, plan_id: UUID, as_of: datetime | None = None, version: int | None = None
    ) -> Plan:
        """The plan now, exactly as it stood at a recorded instant, or at a version."""
        if as_of is not None:
            version = self.records.version_at(plan_id, as_of)
            if version is None:
                raise PlanNotFoundError(plan_id)
        plan = self._read(plan_id, version)
        if _destroyed_in_another_process(plan):
            # Another process may have shredded the plan after this one cached it and its
            # key: drop both, so that destroyed personal data is never served from memory.
            with contextlib.suppress(KeyError):
                if self.repository.cache is not None:
                    self.repository.cache.get(plan_id, evict=True)
            if self.mapper.keyring is not None:
                self.mapper.keyring.forget(plan_id)
            plan = self._read(plan_id, version)
        return plan

    def get_plans(self, plan_ids: Sequence[UUID]) -> dict[UUID, Plan]:
        """Many plans now, for a list (plans not found are left out). One query finds
        which cached plans are current already; only the others are read one by one,
        instead of a query for newer events per plan."""
        latest = self.records.latest_versions(plan_ids)
        cache = self.repository.cache
        found: dict[UUID, Plan] = {}
        for plan_id in plan_ids:
            if plan_id not in latest:
                continue
            cached = None
            if cache is not None:
                with contextlib.suppress(KeyError):
                    cached = cache.get(plan_id)
            current = (cached is not None and cached.version == latest[plan_id]
                       and not _destroyed_in_another_process(cached))
            if current:
                found[plan_id] = cached
            else:
                with contextlib.suppress(PlanNotFoundError):
                    found[plan_id] = self.get_plan(plan_id)
        return found

    def review_dates(self, plan_ids: Sequence[UUID]) -> dict[UUID, list[Any]]:
        """Each plan's opening, review dates set, reviews held and closing, in order, read
        without personal data or keys, in one query: what a chart of reviews on time for
        a whole organisation needs (its full histories would cost seconds)."""
        kinds = (Plan.PlanOpened, Plan.ReviewScheduled, Plan.ReviewHeld, Plan.PlanClosed)
        found: dict[UUID, list[Any]] = {plan_id: [] for plan_id in plan_ids}
        for stored in self.records.select_events_of(plan_ids, [get_topic(k) for k in kinds]):
            event = self.mapper.without_personal_data(stored)
            found[event.originator_id].append(event)
        return found

    def history(self, plan_id: UUID) -> list[HistoryEntry]:
        """Every event of the plan, in order, with who, when and why."""
        entries = [history_entry(e) for e in self.events.get(plan_id)]
        if not entries:
            raise PlanNotFoundError(plan_id)
        return entries

    def chain(self, plan_id: UUID) -> list[Link]:
        return self.records.select_links(plan_id)

    def record_access(self, plan_id: UUID, actor: Actor, action: str) -> None:
        self.record_reads([plan_id], actor, action)

    def record_reads(self, plan_ids: Iterable[UUID], actor: Actor, action: str) -> None:
        """One read of each plan (a list of plans), written to their access logs at once."""
        at = datetime.now().astimezone()
        entries = [AccessEntry(plan_id=p, user_id=actor.id, role=actor.role, action=action,
                               at=at) for p in plan_ids]
        if entries:
            self.records.insert_access(entries)

    def access_log(self, plan_id: UUID, limit: int = 1000) -> list[AccessEntry]:
        return self.records.select_access(plan_id, limit)

    # -- the write path ---------------------------------------------------------------

    def _command(
        self, plan_id: UUID, conditions: Conditions, method: Callable[..., Any],
        created: dict[str, Any] | None = None, **kwargs: Any,
    ) -> Written:
        if "occurred_on" in kwargs and kwargs["occurred_on"] is None:
            kwargs["occurred_on"] = today()

        def decide(plan: Plan) -> dict[str, Any]:
            method(plan, **kwargs)
            return created or {}

        return self._decide(plan_id, conditions, decide)

    def _decide(
        self, plan_id: UUID, conditions: Conditions, decide: Callable[[Plan], Any],
        created: dict[str, Any] | None = None,
    ) -> Written:
        """Load, decide, save; on a concurrent write, decide again on the new state,
        unless the caller said which version it wrote against."""
        if (replayed := self._replayed(conditions)) is not None:
            return replayed
        for attempt in range(self.max_attempts):
            if attempt:
                # Writers that lost the same race back off by different amounts, so they
                # do not all collide again on the next version.
                time.sleep(random.uniform(0, 0.004 * 2**attempt))
            plan = self._load(plan_id)
            if conditions.expected_version not in (None, plan.version):
                raise PreconditionFailedError(plan.version)
            result = decide(plan)
            written = Written(plan_id=plan_id, version=plan.version, created=created or result)
            try:
                return self._save(plan, written, conditions)
            except IntegrityError:
                if (replayed := self._replayed(conditions)) is not None:
                    return replayed
                if conditions.expected_version is not None:
                    raise PreconditionFailedError(self._read(plan_id).version) from None
        raise ConcurrentUpdateError(plan_id)

    def _save(self, plan: Plan, written: Written, conditions: Conditions) -> Written:
        claim = conditions.idempotency
        extra = {"idempotency": claim, "response": written.to_response()} if claim else {}
        recordings = self.save(plan, **extra)
        return replace(written, position=recordings[-1].notification.id)

    def _replayed(self, conditions: Conditions) -> Written | None:
        claim = conditions.idempotency
        if claim is None:
            return None
        earlier = self.records.select_idempotent_result(claim.scope, claim.key)
        if earlier is None:
            return None
        if earlier.fingerprint != claim.fingerprint:
            raise IdempotencyKeyReusedError
        return Written.from_response(earlier.response)

    def _load(self, plan_id: UUID) -> Plan:
        """A plan to change: a copy of its own, never the one readers share."""
        return deepcopy(self._read(plan_id))

    def _read(self, plan_id: UUID, version: int | None = None) -> Plan:
        """A plan to read. Cached plans are shared between threads, so they are never
        changed in place: fast-forwarding makes a new copy and puts it in the cache."""
        try:
            plan = self.repository.get(
                plan_id, version=version, projector_func=_forward_a_copy,
                deepcopy_from_cache=False,
            )
        except AggregateNotFoundError:
            raise PlanNotFoundError(plan_id) from None
        if version is None and self.repository.cache is not None:
            self.repository.cache.put(plan_id, plan)
        return plan


def _destroyed_in_another_process(plan: Plan) -> bool:
    """Destroyed, yet still holding personal data: read (with its key) before another
    process shredded it, and fast-forwarded past its tombstone since."""
    return plan.status is PlanStatus.DESTROYED and plan.child.name != DESTROYED


def _forward_a_copy(plan: Plan | None, events: Iterable[Any]) -> Plan | None:
    """The library's projector, except that a plan with new events is copied first."""
    events = iter(events)
    first = next(events, None)
    if first is None:
        return plan
    return project_aggregate(deepcopy(plan) if plan is not None else None, chain([first], events))
