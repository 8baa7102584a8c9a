"""The Plan aggregate: one child's support plan, told as the events that made it.

Each public method checks the rules and then calls a private method decorated with
@event, whose body only changes state, because the library runs that body again on
every replay. Nothing is deleted or edited in place: a revision, correction or closure
is a new event, and the earlier state stays in the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Aggregate, AggregateSnapshot, Immutable, SnapshotState
from domain.calendar import today
from domain.errors import (
    AgencyAlreadyJoinedError,
    AgencyNotJoinedError,
    DateOrderError,
    DisclosureNotFoundError,
    DisclosureNotInForceError,
    DuplicateEvaluationError,
    InvalidMemberRoleError,
    LeadProfessionalRemovalError,
    MemberAlreadyAddedError,
    NotALeadProfessionalError,
    NotAMemberError,
    OccurredInFutureError,
    OutcomeNotFoundError,
    PlanClosedError,
    PlanDestroyedError,
    PlanNotClosedError,
    ProvisionEndedError,
    ProvisionNotFoundError,
    StageUnchangedError,
    TargetClosedError,
    TargetNotFoundError,
)
from domain.stages import Stage
from domain.statutory import (
    CSP_PREPARATION_CEILING_WEEKS,
    CSP_PREPARATION_WEEKS,
    EARLY_REVIEW_ANSWER_EXTENDED_WEEKS,
    EARLY_REVIEW_ANSWER_WEEKS,
    CspAlreadyPreparedError,
    CspNeed,
    CspNeedAlreadyDecidedError,
    CspNeedNotDecidedError,
    CspNotInPreparationError,
    CspNotNeededError,
    CspNotPreparedError,
    CspRequestAlreadyReceivedError,
    DelayCause,
    DelayReasonMissingError,
    EarlyReviewAlreadyDecidedError,
    EarlyReviewAlreadyExtendedError,
    EarlyReviewAnswer,
    EarlyReviewDeadlinePassedError,
    EarlyReviewRequestPendingError,
    EhcpAssessment,
    EhcpIssue,
    EhcpRequestAlreadyReceivedError,
    EhcpStepAlreadyDecidedError,
    EhcpStepOutOfOrderError,
    NoCspRequestError,
    NoEarlyReviewRequestError,
    NoEhcpRequestError,
    NotACspPlanError,
    NotAnEhcpPlanError,
    PreparationCeilingError,
    PreparationDelayNotLaterError,
    ReviewAlreadyStartedError,
    Requester,
    StatutoryState,
    add_weeks,
)
from domain.values import (
    MEMBER_ROLES,
    Actor,
    Agency,
    Child,
    Contribution,
    Delivery,
    Disclosure,
    Evaluation,
    Member,
    Outcome,
    Personal,
    PlanStatus,
    PlanType,
    Progress,
    Provision,
    ProvisionKind,
    Review,
    Role,
    SharedCopy,
    Target,
    TargetRevision,
    TargetStatus,
    Views,
    Whose,
)


class PlanState(SnapshotState):
    """Every attribute of a Plan, so that a snapshot restores it exactly."""

    plan_type: PlanType
    stage: str
    child: Child
    org: str
    status: PlanStatus
    opened_on: date
    closed_on: date | None
    lead_professional: str | None
    next_review_on: date | None
    members: dict[str, Member]
    agencies: dict[str, Agency]
    outcomes: dict[UUID, Outcome]
    targets: dict[UUID, Target]
    provisions: dict[UUID, Provision]
    reviews: list[Review]
    views: list[Views]
    contributions: list[Contribution]
    shared_copies: list[SharedCopy]
    disclosures: dict[UUID, Disclosure]
    statutory: StatutoryState = StatutoryState()  # absent from snapshots taken before it


class Evaluated(Immutable):
    """One target's evaluation within a review."""

    target_id: UUID
    progress: Progress
    impact: str


class Plan(Aggregate):
    """A support plan for one child or young person."""

    class Snapshot(AggregateSnapshot):
        state: PlanState

    def __deepcopy__(self, memo: dict[int, Any]) -> Plan:
        # Every value a plan holds is frozen, so a copy needs new containers only: far
        # cheaper than a deep copy, and just as safe to change.
        clone = object.__new__(type(self))
        clone.__dict__.update(
            {k: v.copy() if isinstance(v, dict | list) else v for k, v in self.__dict__.items()}
        )
        return clone

    # -- opening --------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        plan_type: PlanType,
        stage: Stage,
        child: Child,
        org: str,
        actor: Actor,
        occurred_on: date,
        next_review_on: date | None = None,
        reason: str | None = None,
    ) -> Plan:
        _check_not_future(occurred_on, "occurred_on")
        if actor.role not in MEMBER_ROLES:
            raise InvalidMemberRoleError(actor.role)
        if next_review_on is not None and next_review_on <= occurred_on:
            raise DateOrderError("next_review_on", "occurred_on")
        return cls(
            plan_type=plan_type,
            stage=stage.id,
            child=child,
            org=org,
            next_review_on=next_review_on,
            actor=actor,
            occurred_on=occurred_on,
            reason=reason,
        )

    @event("PlanOpened")
    def __init__(
        self,
        plan_type: PlanType,
        stage: str,
        child: Personal[Child],
        org: str,
        next_review_on: date | None,
        actor: Personal[Actor],
        occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.plan_type = plan_type
        self.stage = stage
        self.child = child
        self.org = org
        self.status = PlanStatus.OPEN
        self.opened_on = occurred_on
        self.closed_on: date | None = None
        self.lead_professional = actor.id if actor.role is Role.LEAD_PROFESSIONAL else None
        self.next_review_on = next_review_on
        self.members = {actor.id: Member(user_id=actor.id, role=actor.role, name=actor.name)}
        self.agencies: dict[str, Agency] = {}
        self.outcomes: dict[UUID, Outcome] = {}
        self.targets: dict[UUID, Target] = {}
        self.provisions: dict[UUID, Provision] = {}
        self.reviews: list[Review] = []
        self.views: list[Views] = []
        self.contributions: list[Contribution] = []
        self.shared_copies: list[SharedCopy] = []
        self.disclosures: dict[UUID, Disclosure] = {}
        self.statutory = StatutoryState()  # statutory processes: none yet

    # -- people and agencies --------------------------------------------------------

    def add_member(
        self, *, user_id: str, role: Role, name: str, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        if role not in MEMBER_ROLES:
            raise InvalidMemberRoleError(role)
        if user_id in self.members:
            raise MemberAlreadyAddedError(user_id)
        self._add_member(
            user_id=user_id, role=role, name=name,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("MemberAdded")
    def _add_member(
        self, user_id: str, role: Role, name: Personal[str],
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.members[user_id] = Member(user_id=user_id, role=role, name=name)

    def assign_lead_professional(
        self, *, user_id: str, actor: Actor, occurred_on: date, reason: str | None = None
    ) -> None:
        self._check_writable(occurred_on)
        member = self.members.get(user_id)
        if member is None or member.role is not Role.LEAD_PROFESSIONAL:
            raise NotALeadProfessionalError(user_id)
        self._assign_lead_professional(
            user_id=user_id, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("LeadProfessionalAssigned")
    def _assign_lead_professional(
        self, user_id: str, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.lead_professional = user_id

    def join_agency(
        self, *, org: str, name: str, kind: str, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        if org in self.agencies:
            raise AgencyAlreadyJoinedError(org)
        self._join_agency(
            org=org, name=name, kind=kind, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("AgencyJoined")
    def _join_agency(
        self, org: str, name: str, kind: str,
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.agencies[org] = Agency(org=org, name=name, kind=kind, joined_on=occurred_on)

    def remove_member(
        self, *, user_id: str, actor: Actor, occurred_on: date, reason: str | None = None
    ) -> None:
        """Withdraw a person's access (they left the service, or a court order)."""
        self._check_writable(occurred_on)
        if user_id not in self.members:
            raise NotAMemberError(user_id)
        if user_id == self.lead_professional:
            raise LeadProfessionalRemovalError(user_id)
        self._remove_member(user_id=user_id, actor=actor, occurred_on=occurred_on, reason=reason)

    @event("MemberRemoved")
    def _remove_member(
        self, user_id: str, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        del self.members[user_id]

    def leave_agency(
        self, *, org: str, actor: Actor, occurred_on: date, reason: str | None = None
    ) -> None:
        """An agency's part in the plan ends; its practitioners no longer see it."""
        self._check_writable(occurred_on)
        if org not in self.agencies:
            raise AgencyNotJoinedError(org)
        self._leave_agency(org=org, actor=actor, occurred_on=occurred_on, reason=reason)

    @event("AgencyLeft")
    def _leave_agency(
        self, org: str, actor: Personal[Actor], occurred_on: date, reason: Personal[str | None]
    ) -> None:
        del self.agencies[org]

    def correct_child_details(
        self, *, child: Child, actor: Actor, occurred_on: date, reason: str | None = None
    ) -> None:
        self._check_writable(occurred_on)
        self._correct_child_details(
            child=child, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("ChildDetailsCorrected")
    def _correct_child_details(
        self, child: Personal[Child], actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.child = child

    # -- outcomes and targets -------------------------------------------------------

    def agree_outcome(
        self, *, outcome_id: UUID, text: str, area: str, aspiration: str | None,
        actor: Actor, occurred_on: date, reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        self._agree_outcome(
            outcome_id=outcome_id, text=text, area=area, aspiration=aspiration,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("OutcomeAgreed")
    def _agree_outcome(
        self, outcome_id: UUID, text: Personal[str], area: Personal[str],
        aspiration: Personal[str | None],
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.outcomes[outcome_id] = Outcome(
            id=outcome_id, text=text, area=area, aspiration=aspiration, agreed_on=occurred_on
        )

    def set_target(
        self, *, target_id: UUID, outcome_id: UUID, text: str, due_on: date,
        success_criteria: str | None, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        if outcome_id not in self.outcomes:
            raise OutcomeNotFoundError(outcome_id)
        if due_on < occurred_on:
            raise DateOrderError("due_on", "occurred_on")
        self._set_target(
            target_id=target_id, outcome_id=outcome_id, text=text, due_on=due_on,
            success_criteria=success_criteria,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("TargetSet")
    def _set_target(
        self, target_id: UUID, outcome_id: UUID, text: Personal[str], due_on: date,
        success_criteria: Personal[str | None],
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.targets[target_id] = Target(
            id=target_id, outcome_id=outcome_id, text=text, due_on=due_on,
            success_criteria=success_criteria, set_on=occurred_on,
        )

    def revise_target(
        self, *, target_id: UUID, text: str, due_on: date | None = None, actor: Actor,
        occurred_on: date, reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        target = self._open_target(target_id)
        if due_on is not None and due_on < occurred_on:
            raise DateOrderError("due_on", "occurred_on")
        self._revise_target(
            target_id=target.id, text=text, due_on=due_on,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("TargetRevised")
    def _revise_target(
        self, target_id: UUID, text: Personal[str], due_on: date | None,
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        target = self.targets[target_id]
        revision = TargetRevision(
            text=text, previous_text=target.text, reason=reason,
            occurred_on=occurred_on, by=actor.name,
        )
        self.targets[target_id] = target.model_copy(
            update={
                "text": text,
                "due_on": due_on or target.due_on,
                "revisions": (*target.revisions, revision),
            }
        )

    def close_target(
        self, *, target_id: UUID, actor: Actor, occurred_on: date, reason: str | None = None
    ) -> None:
        self._check_writable(occurred_on)
        self._open_target(target_id)
        self._close_target(
            target_id=target_id, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("TargetClosed")
    def _close_target(
        self, target_id: UUID, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.targets[target_id] = self.targets[target_id].model_copy(
            update={"status": TargetStatus.CLOSED}
        )

    def evaluate_target(
        self, *, target_id: UUID, progress: Progress, impact: str, actor: Actor,
        occurred_on: date, review_id: UUID | None = None, reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        self._open_target(target_id)
        self._evaluate_target(
            target_id=target_id, progress=progress, impact=impact, review_id=review_id,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("TargetEvaluated")
    def _evaluate_target(
        self, target_id: UUID, progress: Progress, impact: Personal[str],
        review_id: UUID | None,
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        target = self.targets[target_id]
        evaluation = Evaluation(
            progress=progress, impact=impact, review_id=review_id,
            occurred_on=occurred_on, by=actor.name,
        )
        status = TargetStatus.ACHIEVED if progress is Progress.ACHIEVED else target.status
        self.targets[target_id] = target.model_copy(
            update={"evaluations": (*target.evaluations, evaluation), "status": status}
        )

    # -- provision ------------------------------------------------------------------

    def plan_provision(  # noqa: PLR0913 - provision is described by many fields
        self, *, provision_id: UUID, kind: ProvisionKind, description: str,
        target_ids: Sequence[UUID] = (), frequency: str | None = None,
        sessions_per_week: int | None = None, minutes_per_session: int | None = None,
        staff: str | None = None, cost: Decimal | None = None, funding: str | None = None,
        recommended_by: str | None = None, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        for target_id in target_ids:
            if target_id not in self.targets:
                raise TargetNotFoundError(target_id)
        self._plan_provision(
            provision_id=provision_id, kind=kind, description=description,
            target_ids=tuple(target_ids), frequency=frequency,
            sessions_per_week=sessions_per_week, minutes_per_session=minutes_per_session,
            staff=staff, cost=cost, funding=funding, recommended_by=recommended_by,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("ProvisionPlanned")
    def _plan_provision(
        self, provision_id: UUID, kind: ProvisionKind, description: Personal[str],
        target_ids: tuple[UUID, ...], frequency: Personal[str | None],
        sessions_per_week: int | None, minutes_per_session: int | None,
        staff: Personal[str | None], cost: Decimal | None, funding: Personal[str | None],
        recommended_by: Personal[str | None],
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.provisions[provision_id] = Provision(
            id=provision_id, kind=kind, description=description, target_ids=target_ids,
            frequency=frequency, sessions_per_week=sessions_per_week,
            minutes_per_session=minutes_per_session, staff=staff, cost=cost,
            funding=funding, recommended_by=recommended_by, planned_on=occurred_on,
        )

    def record_delivery(
        self, *, provision_id: UUID, sessions: int, minutes: int | None = None,
        note: str | None = None, actor: Actor, occurred_on: date, reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        self._active_provision(provision_id)
        self._record_delivery(
            provision_id=provision_id, sessions=sessions, minutes=minutes, note=note,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("ProvisionDelivered")
    def _record_delivery(
        self, provision_id: UUID, sessions: int, minutes: int | None,
        note: Personal[str | None],
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        provision = self.provisions[provision_id]
        delivery = Delivery(
            delivered_on=occurred_on, sessions=sessions, minutes=minutes, note=note,
            by=actor.name,
        )
        self.provisions[provision_id] = provision.model_copy(
            update={"deliveries": (*provision.deliveries, delivery)}
        )

    def end_provision(
        self, *, provision_id: UUID, actor: Actor, occurred_on: date, reason: str | None = None
    ) -> None:
        self._check_writable(occurred_on)
        self._active_provision(provision_id)
        self._end_provision(
            provision_id=provision_id, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("ProvisionEnded")
    def _end_provision(
        self, provision_id: UUID, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.provisions[provision_id] = self.provisions[provision_id].model_copy(
            update={"ended_on": occurred_on}
        )

    # -- reviews --------------------------------------------------------------------

    def hold_review(
        self, *, review_id: UUID, held_on: date, attendees: Sequence[str], summary: str,
        next_review_on: date | None, evaluations: Sequence[Evaluated], actor: Actor,
        reason: str | None = None,
    ) -> None:
        """Record a review meeting and its evaluation of each target, as one decision."""
        self._check_writable(held_on, "held_on")
        if next_review_on is not None and next_review_on <= held_on:
            raise DateOrderError("next_review_on", "held_on")
        seen: set[UUID] = set()
        for evaluation in evaluations:
            if evaluation.target_id in seen:
                raise DuplicateEvaluationError(evaluation.target_id)
            seen.add(evaluation.target_id)
            self._open_target(evaluation.target_id)
        self._hold_review(
            review_id=review_id, held_on=held_on, attendees=tuple(attendees),
            summary=summary, next_review_on=next_review_on,
            actor=actor, occurred_on=held_on, reason=reason,
        )
        for evaluation in evaluations:
            self._evaluate_target(
                target_id=evaluation.target_id, progress=evaluation.progress,
                impact=evaluation.impact, review_id=review_id,
                actor=actor, occurred_on=held_on, reason=None,
            )

    @event("ReviewHeld")
    def _hold_review(
        self, review_id: UUID, held_on: date, attendees: Personal[tuple[str, ...]],
        summary: Personal[str], next_review_on: date | None,
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.reviews.append(
            Review(
                id=review_id, held_on=held_on, attendees=attendees, summary=summary,
                next_review_on=next_review_on,
            )
        )
        self.next_review_on = next_review_on

    def schedule_review(
        self, *, next_review_on: date, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        if next_review_on <= occurred_on:
            raise DateOrderError("next_review_on", "occurred_on")
        self._schedule_review(
            next_review_on=next_review_on, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("ReviewScheduled")
    def _schedule_review(
        self, next_review_on: date, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.next_review_on = next_review_on

    # -- stage ----------------------------------------------------------------------

    def change_stage(
        self, *, stage: Stage, actor: Actor, occurred_on: date, reason: str | None = None
    ) -> None:
        """Step the plan up or down; the stage comes from the authority's catalogue."""
        self._check_writable(occurred_on)
        if stage.id == self.stage:
            raise StageUnchangedError(stage.id)
        self._change_stage(
            stage=stage.id, previous_stage=self.stage,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("StageChanged")
    def _change_stage(
        self, stage: str, previous_stage: str, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.stage = stage

    # -- contributions and views ----------------------------------------------------

    def append_contribution(
        self, *, contribution_id: UUID, kind: str, text: str, actor: Actor,
        occurred_on: date, reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        self._append_contribution(
            contribution_id=contribution_id, kind=kind, text=text,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("ContributionAppended")
    def _append_contribution(
        self, contribution_id: UUID, kind: str, text: Personal[str],
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.contributions.append(
            Contribution(
                id=contribution_id, kind=kind, text=text, occurred_on=occurred_on, actor=actor
            )
        )

    def record_views(
        self, *, views_id: UUID, whose: Whose, text: str, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        """Views of the child and parent are statutory content of a plan, not comments."""
        self._check_writable(occurred_on)
        self._record_views(
            views_id=views_id, whose=whose, text=text,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("ViewsRecorded")
    def _record_views(
        self, views_id: UUID, whose: Whose, text: Personal[str],
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.views.append(
            Views(id=views_id, whose=whose, text=text, occurred_on=occurred_on,
                  recorded_by=actor.name)
        )

    # -- sharing and disclosure -----------------------------------------------------

    def share(
        self, *, recipients: Sequence[str], method: str, sha256: str | None, actor: Actor,
        occurred_on: date, reason: str | None = None,
    ) -> int:
        """Record that the plan, as it stands now, was given to the named recipients."""
        self._check_writable(occurred_on)
        number = len(self.shared_copies) + 1
        self._share(
            number=number, shared_version=self.version, recipients=tuple(recipients),
            method=method, sha256=sha256, actor=actor, occurred_on=occurred_on, reason=reason,
        )
        return number

    @event("PlanShared")
    def _share(
        self, number: int, shared_version: int, recipients: Personal[tuple[str, ...]],
        method: Personal[str], sha256: str | None,
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.shared_copies.append(
            SharedCopy(
                number=number, version=shared_version, recipients=recipients, method=method,
                occurred_on=occurred_on, sha256=sha256,
            )
        )

    def grant_disclosure(
        self, *, disclosure_id: UUID, grantee: str, purpose: str, until: date | None,
        actor: Actor, occurred_on: date, reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        if until is not None and until < occurred_on:
            raise DateOrderError("until", "occurred_on")
        self._grant_disclosure(
            disclosure_id=disclosure_id, grantee=grantee, purpose=purpose, until=until,
            actor=actor, occurred_on=occurred_on, reason=reason,
        )

    @event("DisclosureGranted")
    def _grant_disclosure(
        self, disclosure_id: UUID, grantee: str, purpose: Personal[str], until: date | None,
        actor: Personal[Actor], occurred_on: date, reason: Personal[str | None],
    ) -> None:
        self.disclosures[disclosure_id] = Disclosure(
            id=disclosure_id, grantee=grantee, purpose=purpose, granted_on=occurred_on,
            until=until,
        )

    def revoke_disclosure(
        self, *, disclosure_id: UUID, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        self._check_writable(occurred_on)
        disclosure = self.disclosures.get(disclosure_id)
        if disclosure is None:
            raise DisclosureNotFoundError(disclosure_id)
        if disclosure.revoked_on is not None:
            raise DisclosureNotInForceError(disclosure_id)
        self._revoke_disclosure(
            disclosure_id=disclosure_id, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("DisclosureRevoked")
    def _revoke_disclosure(
        self, disclosure_id: UUID, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.disclosures[disclosure_id] = self.disclosures[disclosure_id].model_copy(
            update={"revoked_on": occurred_on}
        )

    def disclosures_in_force(self, day: date) -> list[Disclosure]:
        return [d for d in self.disclosures.values() if d.in_force_on(day)]

    # -- closing --------------------------------------------------------------------

    def close(self, *, actor: Actor, occurred_on: date, reason: str | None = None) -> None:
        """Close (discontinue) the plan; its date is noted on the plan (CSP reg 11(3)(a))."""
        self._check_writable(occurred_on)
        self._close(actor=actor, occurred_on=occurred_on, reason=reason)

    @event("PlanClosed")
    def _close(
        self, actor: Personal[Actor], occurred_on: date, reason: Personal[str | None]
    ) -> None:
        self.status = PlanStatus.CLOSED
        self.closed_on = occurred_on

    def check_can_be_destroyed(self) -> None:
        if self.status is PlanStatus.DESTROYED:
            raise PlanDestroyedError
        if self.status is not PlanStatus.CLOSED:
            raise PlanNotClosedError

    # -- destruction (evidence and retention, issue 6) -------------------------------
    # The tombstone of statutory destruction (CSP: 5 years after discontinuance,
    # SSI 2005/518 reg 11). It holds no personal data except its sealed actor, so the
    # reason (the retention policy applied) stays readable after the key is shredded.

    def destroy(self, *, actor: Actor, occurred_on: date, reason: str | None = None) -> None:
        """Record that the plan's personal data is being destroyed (by crypto-shredding)."""
        self.check_can_be_destroyed()
        _check_not_future(occurred_on, "occurred_on")
        self._destroy(actor=actor, occurred_on=occurred_on, reason=reason)

    @event("PlanDestroyed")
    def _destroy(self, actor: Personal[Actor], occurred_on: date, reason: str | None) -> None:
        self.status = PlanStatus.DESTROYED

    # -- end of destruction ------------------------------------------------------------

    # == statutory processes ============================================================
    # Owned by the projections/clocks work (issue 5). The steps whose dates start and stop
    # the statutory clocks that domain/clocks.py reports; the periods and the rules that
    # set them are in domain/statutory.py. Each step is a decision a tribunal may ask
    # about, so each is an event, with who, when and why.

    def receive_csp_request(
        self, *, requested_by: Requester, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        """A request to establish whether a CSP is needed: the authority must answer
        within 8 weeks (CSP Regulations reg 4A)."""
        self._check_statutory(occurred_on, csp=True)
        if self.statutory.csp_requested_on is not None:
            raise CspRequestAlreadyReceivedError(self.statutory.csp_requested_on)
        if self.statutory.csp_prepared_on is not None:
            raise CspAlreadyPreparedError(self.statutory.csp_prepared_on)
        self._receive_csp_request(
            requested_by=requested_by, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("CspRequestReceived")
    def _receive_csp_request(
        self, requested_by: Requester, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.statutory = self.statutory.model_copy(update={"csp_requested_on": occurred_on})

    def decide_csp_need(
        self, *, decision: CspNeed, actor: Actor, occurred_on: date, reason: str | None = None
    ) -> None:
        """Stops the 8-week clock; 'needed' starts the 16-week preparation clock."""
        self._check_statutory(occurred_on, csp=True)
        requested_on = self.statutory.csp_requested_on
        if requested_on is None:
            raise NoCspRequestError
        if self.statutory.csp_need_decided_on is not None:
            raise CspNeedAlreadyDecidedError(self.statutory.csp_need_decided_on)
        _check_not_before(occurred_on, requested_on, "the request")
        self._decide_csp_need(
            decision=decision, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("CspNeedDecided")
    def _decide_csp_need(
        self, decision: CspNeed, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        update: dict[str, Any] = {"csp_need": decision, "csp_need_decided_on": occurred_on}
        if decision is CspNeed.NEEDED:
            update["csp_preparation_due_on"] = add_weeks(occurred_on, CSP_PREPARATION_WEEKS)
            update["csp_preparation_ceiling_on"] = add_weeks(
                occurred_on, CSP_PREPARATION_CEILING_WEEKS
            )
        self.statutory = self.statutory.model_copy(update=update)

    def delay_csp_preparation(
        self, *, new_due_on: date, cause: DelayCause, actor: Actor, occurred_on: date,
        reason: str,
    ) -> None:
        """A recorded exception to the 16 weeks, with the reason the family is told and a
        new date, which may never pass 24 weeks from the start."""
        self._check_statutory(occurred_on, csp=True)
        state = self.statutory
        if not state.preparing:
            raise CspNotInPreparationError
        if not reason or not reason.strip():
            raise DelayReasonMissingError
        due_on, ceiling_on = state.csp_preparation_due_on, state.csp_preparation_ceiling_on
        if due_on is None or ceiling_on is None:
            raise CspNotInPreparationError
        if new_due_on <= due_on:
            raise PreparationDelayNotLaterError(due_on)
        if new_due_on > ceiling_on:
            raise PreparationCeilingError(ceiling_on)
        self._delay_csp_preparation(
            new_due_on=new_due_on, cause=cause, actor=actor, occurred_on=occurred_on,
            reason=reason,
        )

    @event("CspPreparationDelayed")
    def _delay_csp_preparation(
        self, new_due_on: date, cause: DelayCause, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.statutory = self.statutory.model_copy(update={"csp_preparation_due_on": new_due_on})

    def prepare_csp(self, *, actor: Actor, occurred_on: date, reason: str | None = None) -> None:
        """The plan prepared, dated and signed (CSP Regulations reg 3(1)(c)): stops the
        preparation clock and starts the 12-month review clock (the Act s.10(2))."""
        self._check_statutory(occurred_on, csp=True)
        state = self.statutory
        if state.csp_prepared_on is not None:
            raise CspAlreadyPreparedError(state.csp_prepared_on)
        if state.csp_process_started:
            if state.csp_need_decided_on is None:
                raise CspNeedNotDecidedError
            if state.csp_need is not CspNeed.NEEDED:
                raise CspNotNeededError
            _check_not_before(occurred_on, state.csp_need_decided_on, "the decision")
        self._prepare_csp(actor=actor, occurred_on=occurred_on, reason=reason)

    @event("CspPrepared")
    def _prepare_csp(
        self, actor: Personal[Actor], occurred_on: date, reason: Personal[str | None]
    ) -> None:
        self.statutory = self.statutory.model_copy(update={"csp_prepared_on": occurred_on})

    def start_review(self, *, actor: Actor, occurred_on: date, reason: str | None = None) -> None:
        """A CSP review begun: it must be completed (ReviewHeld) within 12 weeks."""
        self._check_statutory(occurred_on, csp=True)
        self._check_csp_in_force()
        started_on = self.statutory.review_started_on
        if started_on is not None and self._review_in_progress():
            raise ReviewAlreadyStartedError(started_on)
        self._start_review(actor=actor, occurred_on=occurred_on, reason=reason)

    @event("ReviewStarted")
    def _start_review(
        self, actor: Personal[Actor], occurred_on: date, reason: Personal[str | None]
    ) -> None:
        self.statutory = self.statutory.model_copy(update={"review_started_on": occurred_on})

    def request_early_review(
        self, *, requested_by: Requester, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        """A parent's or young person's request for an early review (the Act s.10(3)-(5)):
        to be answered within 4 weeks (CSP Regulations reg 5A)."""
        self._check_statutory(occurred_on, csp=True)
        self._check_csp_in_force()
        state = self.statutory
        if state.early_review_pending and state.early_review_requested_on is not None:
            raise EarlyReviewRequestPendingError(state.early_review_requested_on)
        self._request_early_review(
            requested_by=requested_by, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("EarlyReviewRequested")
    def _request_early_review(
        self, requested_by: Requester, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.statutory = self.statutory.model_copy(update={
            "early_review_requested_on": occurred_on,
            "early_review_due_on": add_weeks(occurred_on, EARLY_REVIEW_ANSWER_WEEKS),
            "early_review_extended": False,
            "early_review_answer": None,
        })

    def extend_early_review_answer(
        self, *, actor: Actor, occurred_on: date, reason: str
    ) -> None:
        """The authority records that 4 weeks is impractical: the answer is then due within
        12 weeks of the request (reg 5A). Only while the 4 weeks are still running."""
        self._check_statutory(occurred_on, csp=True)
        state = self.statutory
        if not state.early_review_pending or state.early_review_due_on is None:
            raise NoEarlyReviewRequestError
        if state.early_review_extended:
            raise EarlyReviewAlreadyExtendedError
        if occurred_on > state.early_review_due_on:
            raise EarlyReviewDeadlinePassedError(state.early_review_due_on)
        if not reason or not reason.strip():
            raise DelayReasonMissingError
        self._extend_early_review_answer(actor=actor, occurred_on=occurred_on, reason=reason)

    @event("EarlyReviewDeadlineExtended")
    def _extend_early_review_answer(
        self, actor: Personal[Actor], occurred_on: date, reason: Personal[str | None]
    ) -> None:
        requested_on = self.statutory.early_review_requested_on or occurred_on
        self.statutory = self.statutory.model_copy(update={
            "early_review_extended": True,
            "early_review_due_on": add_weeks(requested_on, EARLY_REVIEW_ANSWER_EXTENDED_WEEKS),
        })

    def decide_early_review(
        self, *, decision: EarlyReviewAnswer, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        """Grant or refuse the latest early review request. An answer after the deadline
        is still recorded: the clock shows it was late (and the deemed refusal before it)."""
        self._check_statutory(occurred_on, csp=True)
        state = self.statutory
        if state.early_review_requested_on is None:
            raise NoEarlyReviewRequestError
        if state.early_review_answer is not None:
            raise EarlyReviewAlreadyDecidedError(state.early_review_requested_on)
        _check_not_before(occurred_on, state.early_review_requested_on, "the request")
        self._decide_early_review(
            decision=decision, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("EarlyReviewDecided")
    def _decide_early_review(
        self, decision: EarlyReviewAnswer, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.statutory = self.statutory.model_copy(update={"early_review_answer": decision})

    # England (SEND Regulations 2014): request -> decision to assess (6 weeks) -> decision
    # to issue (16 weeks) -> final plan (20 weeks), each counted from the request.

    def receive_ehcp_request(
        self, *, requested_by: Requester, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        self._check_statutory(occurred_on, csp=False)
        if self.statutory.ehcp_requested_on is not None:
            raise EhcpRequestAlreadyReceivedError(self.statutory.ehcp_requested_on)
        self._receive_ehcp_request(
            requested_by=requested_by, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("EhcpAssessmentRequested")
    def _receive_ehcp_request(
        self, requested_by: Requester, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.statutory = self.statutory.model_copy(update={"ehcp_requested_on": occurred_on})

    def decide_ehcp_assessment(
        self, *, decision: EhcpAssessment, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        self._check_statutory(occurred_on, csp=False)
        requested_on = self.statutory.ehcp_requested_on
        if requested_on is None:
            raise NoEhcpRequestError
        if self.statutory.ehcp_assessment is not None:
            raise EhcpStepAlreadyDecidedError("decision to assess")
        _check_not_before(occurred_on, requested_on, "the request")
        self._decide_ehcp_assessment(
            decision=decision, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("EhcpAssessmentDecided")
    def _decide_ehcp_assessment(
        self, decision: EhcpAssessment, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.statutory = self.statutory.model_copy(update={"ehcp_assessment": decision})

    def decide_ehcp_issue(
        self, *, decision: EhcpIssue, actor: Actor, occurred_on: date,
        reason: str | None = None,
    ) -> None:
        self._check_statutory(occurred_on, csp=False)
        if self.statutory.ehcp_assessment is not EhcpAssessment.ASSESS:
            raise EhcpStepOutOfOrderError("decision to issue", "a decision to assess")
        if self.statutory.ehcp_issue is not None:
            raise EhcpStepAlreadyDecidedError("decision to issue")
        self._decide_ehcp_issue(
            decision=decision, actor=actor, occurred_on=occurred_on, reason=reason
        )

    @event("EhcpIssueDecided")
    def _decide_ehcp_issue(
        self, decision: EhcpIssue, actor: Personal[Actor], occurred_on: date,
        reason: Personal[str | None],
    ) -> None:
        self.statutory = self.statutory.model_copy(update={"ehcp_issue": decision})

    def issue_ehcp(self, *, actor: Actor, occurred_on: date, reason: str | None = None) -> None:
        self._check_statutory(occurred_on, csp=False)
        if self.statutory.ehcp_issue is not EhcpIssue.ISSUE:
            raise EhcpStepOutOfOrderError("final plan", "a decision to issue")
        if self.statutory.ehcp_issued_on is not None:
            raise EhcpStepAlreadyDecidedError("final plan")
        self._issue_ehcp(actor=actor, occurred_on=occurred_on, reason=reason)

    @event("EhcpIssued")
    def _issue_ehcp(
        self, actor: Personal[Actor], occurred_on: date, reason: Personal[str | None]
    ) -> None:
        self.statutory = self.statutory.model_copy(update={"ehcp_issued_on": occurred_on})

    def _check_statutory(self, occurred_on: date, *, csp: bool) -> None:
        self._check_writable(occurred_on)
        if csp and self.plan_type is not PlanType.CSP:
            raise NotACspPlanError
        if not csp and self.plan_type is not PlanType.EHCP:
            raise NotAnEhcpPlanError

    def _check_csp_in_force(self) -> None:
        # A CSP recorded without its preparation steps (opened as already in force) can
        # be reviewed; one whose preparation is under way cannot, until it is prepared.
        if self.statutory.csp_process_started and self.statutory.csp_prepared_on is None:
            raise CspNotPreparedError

    def _review_in_progress(self) -> bool:
        started_on = self.statutory.review_started_on
        return started_on is not None and not any(r.held_on >= started_on for r in self.reviews)

    # == end of statutory processes =====================================================

    # -- queries --------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status is PlanStatus.OPEN

    def member(self, user_id: str) -> Member | None:
        return self.members.get(user_id)

    def open_targets(self) -> list[Target]:
        return [t for t in self.targets.values() if t.status is TargetStatus.OPEN]

    def targets_of(self, outcome_id: UUID) -> list[Target]:
        return [t for t in self.targets.values() if t.outcome_id == outcome_id]

    # -- guards ---------------------------------------------------------------------

    def _check_writable(self, occurred_on: date, field: str = "occurred_on") -> None:
        if self.status is PlanStatus.DESTROYED:
            raise PlanDestroyedError
        if self.status is PlanStatus.CLOSED:
            raise PlanClosedError
        _check_not_future(occurred_on, field)

    def _open_target(self, target_id: UUID) -> Target:
        target = self.targets.get(target_id)
        if target is None:
            raise TargetNotFoundError(target_id)
        if target.status is not TargetStatus.OPEN:
            raise TargetClosedError(target_id)
        return target

    def _active_provision(self, provision_id: UUID) -> Provision:
        provision = self.provisions.get(provision_id)
        if provision is None:
            raise ProvisionNotFoundError(provision_id)
        if provision.ended_on is not None:
            raise ProvisionEndedError(provision_id)
        return provision


def _check_not_future(day: date, field: str) -> None:
    if day > today():
        raise OccurredInFutureError(field)


def _check_not_before(day: date, earlier: date, what: str) -> None:
    """Statutory steps answer earlier ones, so never precede them (statutory section)."""
    if day < earlier:
        raise DateOrderError("occurred_on", what)


def event_fields(domain_event: Any) -> dict[str, Any]:
    """The event's own fields, without the library's bookkeeping."""
    data = domain_event.model_dump(mode="json")
    for key in ("originator_id", "originator_version", "timestamp", "originator_topic"):
        data.pop(key, None)
    return data
