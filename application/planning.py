"""Planning: the application whose methods are the use cases of a support plan."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property
from itertools import chain
from typing import Any, ClassVar, cast
from uuid import UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.persistence import IntegrityError, ProgrammingError
from eventsourcing.postgres import PostgresFactory
from eventsourcing.sqlite import SQLiteFactory
from eventsourcing.utils import get_topic

from application.authority import load_stages
from application.directory import People
from application.errors import (
    ConcurrentUpdateError,
    IdempotencyKeyReusedError,
    KeptPdfAlteredError,
    PdfNotReproducibleError,
    PlanNotFoundError,
    PreconditionFailedError,
)
from application.evidence.checkpoints import CheckpointSigner
from application.history import HistoryEntry, HistoryPage, history_entry
from application.persistence.keys import KeyRing
from application.persistence.mapping import OrjsonTranscoder, PlanMapper
from application.persistence.postgres import PostgresPlanRecorder, PostgresSnapshotRecorder
from application.persistence.records import AccessEntry, IdempotencyClaim, Link, PlanRecords
from application.persistence.sqlite import SQLitePlanRecorder
from domain import access, events
from domain.access import Caller
from domain.actions import Action
from domain.documents import DocumentDestroyedError, DocumentNotFoundError, media_type_of
from domain.errors import PlanNotVisibleError
from domain.events import AddDocument, ChangeStage, Command, OpenPlan, SharePlan
from domain.events.base import PlanEvent
from domain.hindsight import KnownOn, known_on
from domain.plans import Plan
from domain.stages import StageCatalogue
from domain.values import DESTROYED, Actor, Attribution, PlanStatus

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
    mapper: PlanMapper  # MAPPER_TOPIC above
    max_attempts = 25
    """Writers racing for one plan each decide again on the newer state (without If-Match).
    tests/application/test_many_writers.py, on SQLite and PostgreSQL, sends 20 writers at
    once at one plan, and 20 writing 5 times each at two, and needs every write to land:
    with 25 attempts all do; with 5 some were refused, with 1 half or more."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        stages: StageCatalogue | None = None,
        shared_copy: Callable[[Plan], bytes] | None = None,
        checkpoint_signer: CheckpointSigner | None = None,
    ):
        super().__init__(env)
        self.stages = stages or load_stages(self.env.get(STAGES_FILE))
        self.shared_copy = shared_copy
        """Renders a plan to the PDF of the copy a family receives, which is kept as given
        and whose SHA-256 a shared copy records; without it a copy is recorded with none."""
        self.checkpoint_signer = checkpoint_signer
        """Signs checkpoints of chain heads in exports and bundles; without it they carry
        no checkpoint."""
        master_key = self.env.get(ENCRYPTION_KEY)
        if master_key:
            assert isinstance(self.mapper, PlanMapper)
            self.mapper.keyring = KeyRing(master_key, self.records)

    @cached_property
    def people(self) -> People:
        """The authority's directory of people and organisations, in the same store."""
        return People(dict(self.env), self.env.get(ENCRYPTION_KEY))

    def close(self) -> None:
        if "people" in vars(self):
            self.people.close()
        super().close()

    def construct_recorder(self) -> Any:
        # Planledger's tables (chain, idempotency, keys, access log) live beside the
        # events and are written in their transaction, so only these two stores serve.
        recorder: PostgresPlanRecorder | SQLitePlanRecorder
        if isinstance(self.factory, PostgresFactory):
            # Named as the library names an application's events table.
            recorder = PostgresPlanRecorder(
                self.factory.datastore,
                events_table_name=f"{self.factory.env.name.lower() or 'stored'}_events",
            )
        elif isinstance(self.factory, SQLiteFactory):
            recorder = SQLitePlanRecorder(self.factory.datastore)
        else:
            msg = "Planledger stores plans in SQLite or PostgreSQL (set PLANLEDGER_DATABASE_URL)"
            raise ProgrammingError(msg)
        if self.factory.env_create_table():
            recorder.create_table()
        return recorder

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
        self,
        command: OpenPlan,
        caller: Caller,
        *,
        occurred_on: date | None = None,
        reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        """Open a plan (event PlanOpened); the caller becomes its first member."""
        if (replayed := self._replayed(conditions)) is not None:
            return replayed
        access.authorise_opening(caller, command.org)
        self.stages.get(command.stage)
        plan = Plan.open(command, _attribution(caller, occurred_on, reason))
        written = Written(plan_id=plan.id, version=plan.version, created={"plan_id": str(plan.id)})
        try:
            return self._save(plan, written, conditions)
        except IntegrityError:
            # A new plan can only conflict on its idempotency key: another request with
            # the same key got there first.
            if (replayed := self._replayed(conditions)) is not None:
                return replayed
            raise

    def change(
        self,
        plan_id: UUID,
        command: Command,
        caller: Caller,
        *,
        occurred_on: date | None = None,
        reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        """Carry out one command on a plan, if the caller may: authorised against the plan
        as loaded for the write (one read), decided by the plan, saved atomically."""
        by = _attribution(caller, occurred_on, reason)

        def decide(plan: Plan) -> dict[str, Any]:
            self._authorise(caller, command.action, plan, command)
            given = command
            if isinstance(given, ChangeStage):
                self.stages.get(given.stage)
            if isinstance(given, SharePlan) and self.shared_copy is not None:
                pdf = self.shared_copy(plan)
                # Kept before its event, as a document is (keep_pdf).
                self.keep_pdf(plan_id, "copy", pdf)
                given = given.model_copy(update={"sha256": _sha256(pdf)})
            return plan.execute(given, by)

        return self._decide(plan_id, conditions, decide)

    def read(self, plan_id: UUID, caller: Caller, action: Action, *, via: str) -> Plan:
        """The plan now, if the caller may read it so; a read of personal data is written
        to the plan's access log (`via`: the route or page) before it is returned."""
        plan = self.get_plan(plan_id)
        self._authorise(caller, action, plan)
        if access.is_personal_read(action):
            self.record_access(plan_id, caller.actor(), via)
        return plan

    def _authorise(
        self, caller: Caller, action: Action, plan: Plan, command: Command | None = None
    ) -> None:
        try:
            access.authorise(caller, action, plan, command)
        except PlanNotVisibleError:
            raise PlanNotFoundError(plan.id) from None

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

    def get_plan_known_on(self, plan_id: UUID, day: date) -> KnownOn:
        """The plan as it is known today to have stood at the end of `day` (domain.hindsight):
        what happened by then, however late it was recorded."""
        found = known_on(cast(Iterable[PlanEvent], self.events.get(plan_id)), day)
        if found.plan is None:
            raise PlanNotFoundError(plan_id)
        return found

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
            cached: Plan | None = None
            if cache is not None:
                with contextlib.suppress(KeyError):
                    cached = cast(Plan, cache.get(plan_id))
            if (
                cached is not None
                and cached.version == latest[plan_id]
                and not _destroyed_in_another_process(cached)
            ):
                found[plan_id] = cached
            else:
                with contextlib.suppress(PlanNotFoundError):
                    found[plan_id] = self.get_plan(plan_id)
        return found

    def review_dates(self, plan_ids: Sequence[UUID]) -> dict[UUID, list[Any]]:
        """Each plan's opening, review dates set, reviews held and closing, in order, read
        without personal data or keys, in one query: what a chart of reviews on time for
        a whole organisation needs (its full histories would cost seconds)."""
        kinds = (
            events.PlanOpened,
            events.ReviewScheduled,
            events.ReviewHeld,
            events.PlanClosed,
            events.CspDiscontinued,
        )
        found: dict[UUID, list[Any]] = {plan_id: [] for plan_id in plan_ids}
        for stored in self.records.select_events_of(plan_ids, [get_topic(k) for k in kinds]):
            event = self.mapper.without_personal_data(stored)
            found[event.originator_id].append(event)
        return found

    def events_of(self, plan_id: UUID, kinds: Iterable[str]) -> list[PlanEvent]:
        """The plan's events of these types (class names) only, in order: for a query
        that needs a few kinds of a long plan (its statutory steps), one query that
        decodes those alone instead of every event."""
        topics = [get_topic(getattr(events, kind)) for kind in kinds]
        stored = self.records.select_events_of([plan_id], topics)
        return [cast(PlanEvent, self.mapper.to_domain_event(s)) for s in stored]

    def history(self, plan_id: UUID, reader: Caller | None = None) -> list[HistoryEntry]:
        """Every event of the plan the reader may see (access.may_see_event), in order,
        with who, when and why."""
        return self.history_page(plan_id, reader).entries

    def history_page(
        self,
        plan_id: UUID,
        reader: Caller | None = None,
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int | None = None,
    ) -> HistoryPage:
        """A page of up to `limit` of the plan's events, read from the store after
        position `after` (oldest first) or before position `before` (newest first), of
        which those the reader may see; without a limit, all of them. Only the page's
        events are read and decoded, so a page costs the same however long the plan."""
        if before is not None:
            found = self.events.get(plan_id, lte=before - 1, desc=True, limit=limit)
        else:
            found = self.events.get(plan_id, gt=after, limit=limit)
        read = [history_entry(e) for e in found]
        if not read and after is None and before is None:
            raise PlanNotFoundError(plan_id)
        more = limit is not None and len(read) == limit
        return HistoryPage(
            entries=[e for e in read if access.may_see_event(reader, e.type, e.data)],
            next=read[-1].position if more else None,
        )

    def chain(self, plan_id: UUID) -> list[Link]:
        return self.records.select_links(plan_id)

    # -- documents ------------------------------------------------------------------

    def add_document(
        self,
        plan_id: UUID,
        caller: Caller,
        content: bytes,
        *,
        title: str,
        author: str,
        kind: str,
        occurred_on: date | None = None,
        reason: str | None = None,
        conditions: Conditions = ANY,
    ) -> Written:
        """Keep a document with the plan: its file sealed with the plan's own key (so
        destroying the key destroys it), then the event that records it. Refused before
        anything is kept: a file of another type, too large, or a caller who may not."""
        media_type = media_type_of(content)
        self._authorise(caller, Action.ADD_DOCUMENT, self.get_plan(plan_id))
        command = AddDocument(
            title=title,
            author=author,
            kind=kind,
            media_type=media_type,
            sha256=_sha256(content),
            bytes=len(content),
        )
        # Kept before its event: a file whose event is then refused is never listed or
        # served, since only DocumentAdded names it.
        self._keep_file(plan_id, command.document_id, content)
        return self.change(
            plan_id,
            command,
            caller,
            occurred_on=occurred_on,
            reason=reason,
            conditions=conditions,
        )

    def document(self, plan_id: UUID, document_id: UUID) -> bytes:
        """A document's file, as it was added (its SHA-256 is the recorded one)."""
        kept = self.records.select_document(plan_id, document_id)
        if kept is None:
            raise DocumentNotFoundError
        content, sealed = kept
        if not sealed:
            return content
        cipher = self._document_cipher(plan_id)
        if cipher is None:
            raise DocumentDestroyedError
        return cipher.decrypt(content)

    def keep_pdf(self, plan_id: UUID, kind: str, pdf: bytes) -> None:
        """Keep a PDF given out as evidence (an issued bundle, a family's copy) as documents
        are kept: sealed with the plan's key, destroyed with it, before the event that
        records its SHA-256. Kept under its SHA-256, not its number-to-be: two issuers at
        once each keep their own bytes whatever numbers the events then get, and bytes
        kept for an event that was refused are named by no event, so never served."""
        self._keep_file(plan_id, _kept_file_id(plan_id, kind, _sha256(pdf)), pdf)

    def kept_pdf(self, plan_id: UUID, kind: str, sha256: str) -> bytes | None:
        """The PDF kept when the bundle or copy with this SHA-256 was given out; None for one
        given before they were kept. The caller checks the SHA-256 before serving. Raises
        DocumentDestroyedError once the plan's key is destroyed, kept or not."""
        self._document_cipher(plan_id)
        with contextlib.suppress(DocumentNotFoundError):
            return self.document(plan_id, _kept_file_id(plan_id, kind, sha256))
        return None

    def given_pdf(self, plan_id: UUID, kind: str, sha256: str, again: Callable[[], bytes]) -> bytes:
        """The PDF given out under `sha256`, never another: as kept when it was given,
        checked; one given before PDFs were kept is made `again` and kept once it
        matches. Raises KeptPdfAlteredError or PdfNotReproducibleError otherwise, and
        DocumentDestroyedError once the plan's key is destroyed."""
        kept = self.kept_pdf(plan_id, kind, sha256)
        if kept is not None:
            if _sha256(kept) != sha256:
                raise KeptPdfAlteredError
            return kept
        pdf = again()
        if _sha256(pdf) != sha256:
            raise PdfNotReproducibleError
        self.keep_pdf(plan_id, kind, pdf)
        return pdf

    def _keep_file(self, plan_id: UUID, file_id: UUID, content: bytes) -> None:
        cipher = self._document_cipher(plan_id)
        sealed = cipher.encrypt(content) if cipher is not None else content
        self.records.insert_document(plan_id, file_id, sealed, cipher is not None)

    def _document_cipher(self, plan_id: UUID) -> Any:
        """The plan's data cipher; None without a master key. A plan whose key was
        destroyed keeps nothing readable."""
        if self.mapper.keyring is None:
            return None
        known, cipher = self.mapper.keyring.cipher_for(plan_id)
        if known and cipher is None:
            raise DocumentDestroyedError
        return cipher

    def record_access(self, plan_id: UUID, actor: Actor, action: str) -> None:
        self.record_reads([plan_id], actor, action)

    def record_reads(self, plan_ids: Iterable[UUID], actor: Actor, action: str) -> None:
        """One read of each plan (a list of plans), written to their access logs at once."""
        at = datetime.now().astimezone()
        entries = [
            AccessEntry(plan_id=p, user_id=actor.id, role=actor.role, action=action, at=at)
            for p in plan_ids
        ]
        if entries:
            self.records.insert_access(entries)

    def access_log(self, plan_id: UUID, limit: int = 1000) -> list[AccessEntry]:
        return self.records.select_access(plan_id, limit)

    # -- the write path ---------------------------------------------------------------

    def _decide(
        self,
        plan_id: UUID,
        conditions: Conditions,
        decide: Callable[[Plan], Any],
        created: dict[str, Any] | None = None,
    ) -> Written:
        """Load, decide, save; on a concurrent write, decide again on the new state,
        unless the caller said which version it wrote against."""
        if (replayed := self._replayed(conditions)) is not None:
            return replayed
        trusted = False
        for attempt in range(self.max_attempts):
            if attempt and not trusted:
                # Writers that lost the same race back off by different amounts, so they
                # do not all collide again on the next version.
                time.sleep(random.uniform(0, min(0.1, 0.004 * 2**attempt)))
            plan, trusted = self._load(plan_id, trust_cache=attempt == 0)
            try:
                result = self._decided(plan, conditions, decide)
            except Exception:
                if not trusted:
                    raise
                # Refused on the cached plan, which may be behind what the caller saw
                # written (by another process): refused only if the fresh plan refuses.
                plan, trusted = self._load(plan_id)
                result = self._decided(plan, conditions, decide)
            written = Written(plan_id=plan_id, version=plan.version, created=created or result)
            try:
                saved = self._save(plan, written, conditions)
                if self.repository.cache is not None and plan.status is not PlanStatus.DESTROYED:
                    # The library caches saved plans only without fast-forwarding; the next
                    # write here then starts from this one with no query. Never a destroyed
                    # plan: what was just written to it holds personal data that was not
                    # stored (its key is gone), which a read must not find in memory.
                    self.repository.cache.put(plan_id, plan)
                return saved
            except IntegrityError:
                if (replayed := self._replayed(conditions)) is not None:
                    return replayed
                if conditions.expected_version is not None:
                    raise PreconditionFailedError(self._read(plan_id).version) from None
        raise ConcurrentUpdateError(plan_id)

    @staticmethod
    def _decided(plan: Plan, conditions: Conditions, decide: Callable[[Plan], Any]) -> Any:
        if conditions.expected_version not in (None, plan.version):
            raise PreconditionFailedError(plan.version)
        return decide(plan)

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

    def _load(self, plan_id: UUID, *, trust_cache: bool = False) -> tuple[Plan, bool]:
        """A plan to change (a copy of its own, never the one readers share), and whether
        it is the cached plan taken as it is. Trusting the cache skips the query for
        newer events (with the save in one round trip, half a command's waits): a decision
        on a plan that another process has since changed is saved at a version that is
        already taken, so it conflicts and is decided again on the fresh plan; an event
        is never lost or put out of order by it."""
        if trust_cache and self.repository.cache is not None:
            with contextlib.suppress(KeyError):
                cached = cast(Plan, self.repository.cache.get(plan_id))
                if not _destroyed_in_another_process(cached):
                    return deepcopy(cached), True
        return deepcopy(self._read(plan_id)), False

    def _read(self, plan_id: UUID, version: int | None = None) -> Plan:
        """A plan to read. Cached plans are shared between threads, so they are never
        changed in place: fast-forwarding makes a new copy and puts it in the cache."""
        try:
            plan = self.repository.get(
                plan_id,
                version=version,
                projector_func=_forward_a_copy,
                deepcopy_from_cache=False,
            )
        except AggregateNotFoundError:
            raise PlanNotFoundError(plan_id) from None
        if version is None and self.repository.cache is not None:
            self.repository.cache.put(plan_id, plan)
        return plan


def _attribution(caller: Caller, occurred_on: date | None, reason: str | None) -> Attribution:
    """Who, when it happened (today unless said) and why: the same for every command."""
    when = {"occurred_on": occurred_on} if occurred_on is not None else {}
    return Attribution(actor=caller.actor(), reason=reason, **when)


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


def _kept_file_id(plan_id: UUID, kind: str, sha256: str) -> UUID:
    """Where a kept bundle's or copy's PDF lies among the plan's files: a name-based UUID
    (version 5) of its kind and SHA-256, never a document's (random, version 4) id."""
    return uuid5(plan_id, f"{kind}-{sha256}")


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
