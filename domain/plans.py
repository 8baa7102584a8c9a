"""The Plan aggregate: one child's support plan, told as the events that made it.

Each command method takes the command (domain/events) and who asked, when and why (an
Attribution); it checks the rules and records the command's event, whose `apply` changes
the state. Nothing is deleted or edited in place: a revision, correction or closure is a
new event, and the earlier state stays in the history.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from pydantic import Field

from domain import events
from domain.base import Aggregate, AggregateSnapshot, SnapshotState
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
    NoticeNotFoundError,
    OccurredInFutureError,
    OrgNotOnPlanError,
    OutcomeNotFoundError,
    PlanClosedError,
    PlanDestroyedError,
    PlanNotClosedError,
    ProvisionEndedError,
    ProvisionNotFoundError,
    ReasonRequiredError,
    StageUnchangedError,
    TargetClosedError,
    TargetNotFoundError,
)
from domain.events import Evaluated, PlanEvent
from domain.sections import content_of
from domain.statutory import (
    EARLY_REVIEW_REQUESTERS,
    CspAlreadyInPreparationError,
    CspAlreadyPreparedError,
    CspNeed,
    CspNeedAlreadyDecidedError,
    CspNeedNotDecidedError,
    CspNotInPreparationError,
    CspNotNeededError,
    CspNotPreparedError,
    CspRequestAlreadyReceivedError,
    CspRequestAnswer,
    CspRequestNotPendingError,
    DiscontinuanceNotRecommendedError,
    DraftRepresentationsOpenError,
    EarlyReviewAlreadyDecidedError,
    EarlyReviewAlreadyExtendedError,
    EarlyReviewAnswer,
    EarlyReviewDeadlinePassedError,
    EarlyReviewRequesterError,
    EarlyReviewRequestPendingError,
    EhcpAssessment,
    EhcpIssue,
    EhcpRequestAlreadyReceivedError,
    EhcpStepAlreadyDecidedError,
    EhcpStepOutOfOrderError,
    NoCspRequestError,
    NoEarlyReviewRequestError,
    NoEhcpRequestError,
    NoEhcpReviewDecisionDueError,
    NotACspPlanError,
    NotAnEhcpPlanError,
    NotAStatutoryReviewPlanError,
    NothingToSignError,
    NoticeAfterDestructionError,
    NoticeKind,
    PreparationCeilingError,
    PreparationDelayNotLaterError,
    ReferenceWindowOpenError,
    Requester,
    RequestNotYoursError,
    ReviewAlreadyStartedError,
    ReviewKind,
    SignedCspEndsByDiscontinuanceError,
    StatutoryReviewNotBegunError,
    StatutoryState,
    UnknownRequestError,
    draft_representations_end,
    reference_by,
)
from domain.values import (
    MEMBER_ROLES,
    Agency,
    Attribution,
    Child,
    ChronologyEntry,
    Contribution,
    Disclosure,
    Document,
    IssuedBundle,
    Member,
    Notice,
    Outcome,
    PlanStatus,
    PlanType,
    Provision,
    PupilDetails,
    Review,
    Role,
    Section,
    SharedCopy,
    SharingRecord,
    Target,
    TargetStatus,
    Views,
)

__all__ = ["Evaluated", "Plan", "PlanState"]


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
    # absent from snapshots taken before they were
    statutory: StatutoryState = StatutoryState()
    sections: dict[str, Section] = Field(default_factory=dict)
    notices: list[Notice] = Field(default_factory=list)
    chronology: list[ChronologyEntry] = Field(default_factory=list)
    information_sharing: list[SharingRecord] = Field(default_factory=list)
    bundles: list[IssuedBundle] = Field(default_factory=list)
    documents: dict[UUID, Document] = Field(default_factory=dict)
    pupil: PupilDetails | None = None


class Plan(Aggregate):
    """A support plan for one child or young person."""

    # The base of every event of a plan, declared in domain/events so that each event
    # (a subclass) is the same class as Plan's: the library then redefines none of them.
    Event = PlanEvent  # type: ignore[assignment]

    class Snapshot(AggregateSnapshot):
        state: PlanState

    def __init__(self) -> None:
        # The state, set by PlanOpened.apply (and each later event's apply).
        self.plan_type: PlanType
        self.stage: str
        self.child: Child
        self.org: str
        self.status: PlanStatus
        self.opened_on: date
        self.closed_on: date | None
        self.lead_professional: str | None
        self.next_review_on: date | None
        self.members: dict[str, Member]
        self.agencies: dict[str, Agency]
        self.outcomes: dict[UUID, Outcome]
        self.targets: dict[UUID, Target]
        self.provisions: dict[UUID, Provision]
        self.reviews: list[Review]
        self.views: list[Views]
        self.contributions: list[Contribution]
        self.shared_copies: list[SharedCopy]
        self.disclosures: dict[UUID, Disclosure]
        self.statutory: StatutoryState
        self.sections: dict[str, Section]
        self.notices: list[Notice]
        self.chronology: list[ChronologyEntry]
        self.information_sharing: list[SharingRecord]
        self.bundles: list[IssuedBundle]
        self.documents: dict[UUID, Document]
        self.pupil: PupilDetails | None
        """As the school's MIS last gave them (an import); None until then."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Plan:
        # Every value a plan holds is frozen, so a copy needs new containers only: far
        # cheaper than a deep copy, and just as safe to change.
        clone = object.__new__(type(self))
        clone.__dict__.update(
            {k: v.copy() if isinstance(v, dict | list) else v for k, v in self.__dict__.items()}
        )
        return clone

    # -- the one way in ---------------------------------------------------------------

    @classmethod
    def open(cls, command: events.OpenPlan, by: Attribution) -> Plan:
        """A new plan, opened by a member (its lead professional, usually)."""
        _check_not_future(by.occurred_on, "occurred_on")
        _check_born_by(command.child, today())
        _check_born_by(command.child, by.occurred_on)
        if by.actor.role not in MEMBER_ROLES:
            raise InvalidMemberRoleError(by.actor.role)
        if command.next_review_on is not None and command.next_review_on <= by.occurred_on:
            raise DateOrderError("next_review_on", "occurred_on")
        return cls._create(events.PlanOpened, **_fields(events.PlanOpened, command, by))

    def execute(self, command: events.Command, by: Attribution) -> dict[str, Any]:
        """Carry out a command on this plan; returns the ids of what it created."""
        getattr(self, command.handler)(command, by)
        return command.created(self)

    def _record(
        self, event_class: type[PlanEvent], by: Attribution, command: Any = None, **fields: Any
    ) -> None:
        if isinstance(command, events.Command) and command.needs_reason and not by.gave_reason:
            raise ReasonRequiredError
        self.trigger_event(event_class, **_fields(event_class, command, by), **fields)

    # -- people and agencies --------------------------------------------------------

    def add_member(self, command: events.AddMember, by: Attribution) -> None:
        self._check_writable(by)
        if command.role not in MEMBER_ROLES:
            raise InvalidMemberRoleError(command.role)
        if command.user_id in self.members:
            raise MemberAlreadyAddedError(command.user_id)
        self._record(events.MemberAdded, by, command)

    def assign_lead_professional(
        self, command: events.AssignLeadProfessional, by: Attribution
    ) -> None:
        self._check_writable(by)
        member = self.members.get(command.user_id)
        if member is None and command.name is None:
            raise NotAMemberError(command.user_id)
        if member is not None and member.role is not Role.LEAD_PROFESSIONAL:
            raise NotALeadProfessionalError(command.user_id)
        self._record(events.LeadProfessionalAssigned, by, command)

    def remove_member(self, command: events.RemoveMember, by: Attribution) -> None:
        self._check_writable(by)
        if command.user_id not in self.members:
            raise NotAMemberError(command.user_id)
        if command.user_id == self.lead_professional:
            raise LeadProfessionalRemovalError(command.user_id)
        self._record(events.MemberRemoved, by, command)

    def join_agency(self, command: events.JoinAgency, by: Attribution) -> None:
        self._check_writable(by)
        if command.org in self.agencies:
            raise AgencyAlreadyJoinedError(command.org)
        self._record(events.AgencyJoined, by, command)

    def leave_agency(self, command: events.LeaveAgency, by: Attribution) -> None:
        self._check_writable(by)
        if command.org not in self.agencies:
            raise AgencyNotJoinedError(command.org)
        self._record(events.AgencyLeft, by, command)

    def correct_child_details(self, command: events.CorrectChildDetails, by: Attribution) -> None:
        self._check_writable(by)
        _check_born_by(command.child, today())
        self._record(events.ChildDetailsCorrected, by, command)

    def record_pupil_details(self, command: events.RecordPupilDetails, by: Attribution) -> None:
        self._check_writable(by)
        self._record(events.PupilDetailsRecorded, by, command)

    # -- outcomes and targets -------------------------------------------------------

    def agree_outcome(self, command: events.AgreeOutcome, by: Attribution) -> None:
        self._check_writable(by)
        self._record(events.OutcomeAgreed, by, command)

    def set_target(self, command: events.SetTarget, by: Attribution) -> None:
        self._check_writable(by)
        if command.outcome_id not in self.outcomes:
            raise OutcomeNotFoundError(command.outcome_id)
        if command.due_on < by.occurred_on:
            raise DateOrderError("due_on", "occurred_on")
        self._record(events.TargetSet, by, command)

    def revise_target(self, command: events.ReviseTarget, by: Attribution) -> None:
        self._check_writable(by)
        self._open_target(command.target_id)
        if command.due_on is not None and command.due_on < by.occurred_on:
            raise DateOrderError("due_on", "occurred_on")
        self._record(events.TargetRevised, by, command)

    def close_target(self, command: events.CloseTarget, by: Attribution) -> None:
        self._check_writable(by)
        self._open_target(command.target_id)
        self._record(events.TargetClosed, by, command)

    def evaluate_target(self, command: events.EvaluateTarget, by: Attribution) -> None:
        self._check_writable(by)
        self._open_target(command.target_id)
        self._record(events.TargetEvaluated, by, command)

    # -- provision ------------------------------------------------------------------

    def plan_provision(self, command: events.PlanProvision, by: Attribution) -> None:
        self._check_writable(by)
        for target_id in command.target_ids:
            if target_id not in self.targets:
                raise TargetNotFoundError(target_id)
        provider = command.provided_by
        if provider is not None and not self._on_plan(provider):
            raise OrgNotOnPlanError(provider)
        if command.replaces is not None:
            self._active_provision(command.replaces)
        self._record(events.ProvisionPlanned, by, command)

    def record_delivery(self, command: events.RecordDelivery, by: Attribution) -> None:
        self._check_writable(by)
        self._active_provision(command.provision_id)
        if command.period_from is not None and command.period_from > by.occurred_on:
            raise DateOrderError("period_to", "period_from")
        self._record(events.ProvisionDelivered, by, command)

    def end_provision(self, command: events.EndProvision, by: Attribution) -> None:
        self._check_writable(by)
        self._active_provision(command.provision_id)
        self._record(events.ProvisionEnded, by, command)

    # -- reviews --------------------------------------------------------------------

    def hold_review(self, command: events.HoldReview, by: Attribution) -> None:
        """Record a review meeting and its evaluation of each target, as one decision."""
        held = by.model_copy(update={"occurred_on": command.held_on})
        self._check_writable(held, "held_on")
        self._check_review_kind(command)
        if command.next_review_on is not None and command.next_review_on <= command.held_on:
            raise DateOrderError("next_review_on", "held_on")
        seen: set[UUID] = set()
        for evaluation in command.evaluations:
            if evaluation.target_id in seen:
                raise DuplicateEvaluationError(evaluation.target_id)
            seen.add(evaluation.target_id)
            self._open_target(evaluation.target_id)
        for given in command.provision_impacts:
            if given.provision_id not in self.provisions:
                raise ProvisionNotFoundError(given.provision_id)
        self._record(events.ReviewHeld, held, command)
        for evaluation in command.evaluations:
            self._record(
                events.TargetEvaluated,
                held.model_copy(update={"reason": None}),
                evaluation,
                review_id=command.review_id,
            )

    def schedule_review(self, command: events.ScheduleReview, by: Attribution) -> None:
        self._check_writable(by)
        if command.next_review_on <= by.occurred_on:
            raise DateOrderError("next_review_on", "occurred_on")
        self._record(events.ReviewScheduled, by, command)

    # -- stage ----------------------------------------------------------------------

    def change_stage(self, command: events.ChangeStage, by: Attribution) -> None:
        """Step the plan up or down; the stage comes from the authority's catalogue."""
        self._check_writable(by)
        if command.stage == self.stage:
            raise StageUnchangedError(command.stage)
        self._record(events.StageChanged, by, command, previous_stage=self.stage)

    # -- contributions and views ----------------------------------------------------

    def append_contribution(self, command: events.AppendContribution, by: Attribution) -> None:
        self._check_writable(by)
        self._record(events.ContributionAppended, by, command)

    def record_views(self, command: events.RecordViews, by: Attribution) -> None:
        self._check_writable(by)
        self._record(events.ViewsRecorded, by, command)

    def add_chronology_entry(self, command: events.AddChronologyEntry, by: Attribution) -> None:
        self._check_writable(by)
        if command.period_to is not None:
            _check_not_future(command.period_to, "period_to")
            if command.period_to < by.occurred_on:
                raise DateOrderError("period_to", "period_from")
        agency = command.agency
        if agency is None and by.actor.org is not None and self._on_plan(by.actor.org):
            agency = by.actor.org
        if agency is not None and not self._on_plan(agency):
            raise OrgNotOnPlanError(agency)
        self._record(events.ChronologyEntryAdded, by, command.model_copy(update={"agency": agency}))

    def record_information_sharing(
        self, command: events.RecordInformationSharing, by: Attribution
    ) -> None:
        self._check_writable(by)
        self._record(events.InformationShared, by, command)

    def chronology_in_order(self) -> list[ChronologyEntry]:
        """In the order things happened; the same day in the order recorded."""
        return sorted(self.chronology, key=lambda e: e.occurred_on)

    # -- sharing and disclosure -----------------------------------------------------

    def share_plan(self, command: events.SharePlan, by: Attribution) -> None:
        """Record that the plan, as it stands now, was given to the named recipients."""
        self._check_writable(by)
        self._record(
            events.PlanShared,
            by,
            command,
            number=len(self.shared_copies) + 1,
            shared_version=self.version,
        )

    def add_document(self, command: events.AddDocument, by: Attribution) -> None:
        self._check_writable(by)
        self._record(events.DocumentAdded, by, command)

    def issue_bundle(self, command: events.IssueBundle, by: Attribution) -> None:
        """Record a bundle issued; a closed plan's too, since disputes outlive plans."""
        if self.status is PlanStatus.DESTROYED:
            raise PlanDestroyedError
        _check_not_future(by.occurred_on, "occurred_on")
        self._record(events.BundleIssued, by, command, number=len(self.bundles) + 1)

    def grant_disclosure(self, command: events.GrantDisclosure, by: Attribution) -> None:
        self._check_writable(by)
        if command.until is not None and command.until < by.occurred_on:
            raise DateOrderError("until", "occurred_on")
        self._record(events.DisclosureGranted, by, command)

    def revoke_disclosure(self, command: events.RevokeDisclosure, by: Attribution) -> None:
        self._check_writable(by)
        disclosure = self.disclosures.get(command.disclosure_id)
        if disclosure is None:
            raise DisclosureNotFoundError(command.disclosure_id)
        if disclosure.revoked_on is not None:
            raise DisclosureNotInForceError(command.disclosure_id)
        self._record(events.DisclosureRevoked, by, command)

    # -- closing and destruction ------------------------------------------------------

    def close_plan(self, command: events.ClosePlan, by: Attribution) -> None:
        """Close the plan. A signed CSP ends only by discontinuance (reg 11), and no CSP
        closes while a decision on it may still be referred to the tribunal."""
        self._check_writable(by)
        if self.plan_type is PlanType.CSP:
            if self.statutory.csp_prepared_on is not None:
                raise SignedCspEndsByDiscontinuanceError
            self._check_no_reference_window(by.occurred_on)
        self._record(events.PlanClosed, by, command)

    def check_can_be_destroyed(self) -> None:
        if self.status is PlanStatus.DESTROYED:
            raise PlanDestroyedError
        if self.status is not PlanStatus.CLOSED:
            raise PlanNotClosedError

    def destroy_plan(self, command: events.DestroyPlan, by: Attribution) -> None:
        """Record that the plan's personal data is being destroyed (by crypto-shredding)."""
        self.check_can_be_destroyed()
        _check_not_future(by.occurred_on, "occurred_on")
        self._record(events.PlanDestroyed, by, command)

    # -- statutory processes: Scotland's CSP ------------------------------------------
    # Who may take each step is domain/access.py's: the authority's decisions are an
    # authorised officer's (Action.TAKE_STATUTORY_DECISION).

    def receive_csp_request(self, command: events.ReceiveCspRequest, by: Attribution) -> None:
        self._check_statutory(by, csp=True)
        _check_own_request(command.requested_by, by)
        state = self.statutory
        if state.csp_requested_on is not None:
            raise CspRequestAlreadyReceivedError(state.csp_requested_on)
        if state.csp_preparation_started_on is not None:
            raise CspAlreadyInPreparationError(state.csp_preparation_started_on)
        if state.csp_prepared_on is not None:
            raise CspAlreadyPreparedError(state.csp_prepared_on)
        self._record(events.CspRequestReceived, by, command)

    def answer_csp_request(self, command: events.AnswerCspRequest, by: Attribution) -> None:
        self._check_statutory(by, csp=True)
        state = self.statutory
        if not state.request_pending or state.csp_requested_on is None:
            raise CspRequestNotPendingError
        if command.request_id not in (None, state.csp_request_id):
            raise UnknownRequestError(command.request_id)
        _check_not_before(by.occurred_on, state.csp_requested_on, "the request")
        self._record(events.CspRequestAnswered, by, command)

    def propose_csp(self, command: events.ProposeCsp, by: Attribution) -> None:
        self._check_statutory(by, csp=True)
        state = self.statutory
        if state.csp_prepared_on is not None:
            raise CspAlreadyPreparedError(state.csp_prepared_on)
        if state.csp_preparation_started_on is not None:
            raise CspAlreadyInPreparationError(state.csp_preparation_started_on)
        if state.request_pending:
            raise CspRequestAlreadyReceivedError(state.csp_requested_on or by.occurred_on)
        self._record(events.CspProposed, by, command)

    def decide_csp_need(self, command: events.DecideCspNeed, by: Attribution) -> None:
        self._check_statutory(by, csp=True)
        state = self.statutory
        if state.csp_need_decided_on is not None:
            raise CspNeedAlreadyDecidedError(state.csp_need_decided_on)
        started_on = state.csp_preparation_started_on
        if started_on is None:
            raise NoCspRequestError
        _check_not_before(by.occurred_on, started_on, "the proposal")
        self._record(events.CspNeedDecided, by, command)

    def delay_csp_preparation(self, command: events.DelayCspPreparation, by: Attribution) -> None:
        self._check_statutory(by, csp=True)
        state = self.statutory
        due_on, ceiling_on = state.csp_preparation_due_on, state.csp_preparation_ceiling_on
        if not state.preparing or due_on is None or ceiling_on is None:
            raise CspNotInPreparationError
        if command.new_due_on <= due_on:
            raise PreparationDelayNotLaterError(due_on)
        if command.new_due_on > ceiling_on:
            raise PreparationCeilingError(ceiling_on)
        self._record(events.CspPreparationDelayed, by, command)

    def prepare_csp(self, command: events.PrepareCsp, by: Attribution) -> None:
        """Sign the plan: its preparation, or (after a statutory review) its amendment."""
        self._check_statutory(by, csp=True)
        state = self.statutory
        if state.csp_prepared_on is not None:
            last = state.signed[-1].signed_on if state.signed else state.csp_prepared_on
            reviewed_on = state.last_statutory_review_on
            if reviewed_on is None or reviewed_on < last:
                raise NothingToSignError(last)
            _check_not_before(by.occurred_on, reviewed_on, "the review")
            self._record(events.CspPrepared, by, command, amended=True)
            return
        if state.csp_process_started:
            if state.csp_need_decided_on is None:
                raise CspNeedNotDecidedError
            if state.csp_need is not CspNeed.NEEDED:
                raise CspNotNeededError
            _check_not_before(by.occurred_on, state.csp_need_decided_on, "the decision")
        self._record(events.CspPrepared, by, command)

    def start_review(self, command: events.StartReview, by: Attribution) -> None:
        self._check_statutory(by, csp=True)
        self._check_csp_in_force()
        state = self.statutory
        if state.review_begun and state.review_started_on is not None:
            raise ReviewAlreadyStartedError(state.review_started_on)
        self._record(events.ReviewStarted, by, command)

    def request_early_review(self, command: events.RequestEarlyReview, by: Attribution) -> None:
        self._check_statutory(by, csp=True)
        self._check_csp_in_force()
        if command.requested_by not in EARLY_REVIEW_REQUESTERS:
            raise EarlyReviewRequesterError
        _check_own_request(command.requested_by, by)
        state = self.statutory
        if state.early_review_pending and state.early_review_requested_on is not None:
            raise EarlyReviewRequestPendingError(state.early_review_requested_on)
        self._record(events.EarlyReviewRequested, by, command)

    def extend_early_review_answer(
        self, command: events.ExtendEarlyReviewAnswer, by: Attribution
    ) -> None:
        self._check_statutory(by, csp=True)
        state = self._pending_early_review(command.request_id)
        if state.early_review_extended:
            raise EarlyReviewAlreadyExtendedError
        if state.early_review_due_on is not None and by.occurred_on > state.early_review_due_on:
            raise EarlyReviewDeadlinePassedError(state.early_review_due_on)
        self._record(events.EarlyReviewDeadlineExtended, by, command)

    def decide_early_review(self, command: events.DecideEarlyReview, by: Attribution) -> None:
        self._check_statutory(by, csp=True)
        state = self.statutory
        if state.early_review_requested_on is None:
            raise NoEarlyReviewRequestError
        if state.early_review_answer is not None:
            raise EarlyReviewAlreadyDecidedError(state.early_review_requested_on)
        self._pending_early_review(command.request_id)
        _check_not_before(by.occurred_on, state.early_review_requested_on, "the request")
        self._record(events.EarlyReviewDecided, by, command)

    def discontinue_csp(self, command: events.DiscontinueCsp, by: Attribution) -> None:
        """reg 11(2): after a review that recommends it, and not before the time to refer
        that decision to the tribunal has passed."""
        self._check_statutory(by, csp=True)
        recommended_on = self.statutory.discontinuance_recommended_on
        if self.statutory.csp_prepared_on is None or recommended_on is None:
            raise DiscontinuanceNotRecommendedError
        _check_not_before(by.occurred_on, recommended_on, "the review")
        self._check_no_reference_window(by.occurred_on)
        self._record(events.CspDiscontinued, by, command)

    def give_notice(self, command: events.GiveNotice, by: Attribution) -> None:
        """Notices follow the plan's end: of its discontinuance and, once its content is
        destroyed, of that (reg 11(3)(b)), which keeps its kind, date and method."""
        if self.status is PlanStatus.DESTROYED:
            if command.kind is not NoticeKind.DESTRUCTION:
                raise NoticeAfterDestructionError
        elif self.status is not PlanStatus.CLOSED:
            self._check_writable(by)
        _check_not_future(by.occurred_on, "occurred_on")
        self._record(events.NoticeGiven, by, command)

    def record_notice_emailed(self, command: events.RecordNoticeEmailed, by: Attribution) -> None:
        """Kept after the plan closes, as its notices are; not once its content is gone."""
        if self.status is PlanStatus.DESTROYED:
            raise PlanDestroyedError
        notice = next((n for n in self.notices if n.id == command.notice_id), None)
        if notice is None or not notice.by_email:
            raise NoticeNotFoundError(command.notice_id)
        if command.recipient not in self.members:
            raise NotAMemberError(command.recipient)
        self._record(events.NoticeEmailed, by, command)

    def record_section(self, command: events.RecordSection, by: Attribution) -> None:
        self._check_writable(by)
        content = content_of(
            self.plan_type, command.name, {"text": command.text, **command.details}
        )
        if command.name in self.sections and not by.gave_reason:
            raise ReasonRequiredError
        # Recorded as checked: trimmed, dates as dates, fields left empty left out.
        details = content.model_dump(mode="json", exclude={"text"}, exclude_none=True)
        checked = command.model_copy(update={"text": content.text, "details": details})
        self._record(events.SectionRecorded, by, checked)

    def reference_window_open_until(self, day: date) -> date | None:
        """The last day to refer the latest refusal or "no CSP" decision to the tribunal,
        if that is still to come on `day` (none for a plan that is not a CSP)."""
        state = self.statutory
        decided = [
            state.csp_request_answered_on
            if state.csp_request_answer is CspRequestAnswer.REFUSED
            else None,
            state.csp_need_decided_on if state.csp_need is CspNeed.NOT_NEEDED else None,
            state.early_review_answered_on
            if state.early_review_answer is EarlyReviewAnswer.REFUSED
            else None,
        ]
        due_on = state.early_review_due_on
        if state.early_review_pending and due_on is not None and day > due_on:
            decided.append(due_on + timedelta(days=1))  # silence: a deemed refusal (reg 5A)
        if (recommended_on := state.discontinuance_recommended_on) is not None:
            # The 2 months run from the day the family is told the outcome and their
            # right to refer (s.11(2)(b)), never earlier than the review itself.
            told = [
                n.given_on
                for n in self.notices
                if n.kind == NoticeKind.REVIEW_OUTCOME_AND_RIGHTS and n.given_on >= recommended_on
            ]
            decided.append(min(told, default=recommended_on))
        windows = [reference_by(d) for d in decided if d is not None]
        latest = max(windows, default=None)
        return latest if latest is not None and day <= latest else None

    def _check_no_reference_window(self, day: date) -> None:
        open_until = self.reference_window_open_until(day)
        if open_until is not None:
            raise ReferenceWindowOpenError(open_until)

    def _check_review_kind(self, command: events.HoldReview) -> None:
        """A statutory review completes the one begun on a CSP (the Act s.10); only it
        may recommend that the plan be discontinued (reg 11(1))."""
        if command.kind is not ReviewKind.STATUTORY:
            if command.recommends_discontinuance:
                raise DiscontinuanceNotRecommendedError
            return
        if self.plan_type is PlanType.EHCP:
            # The annual review of a plan in force (Children and Families Act 2014 s.44).
            if self.statutory.ehcp_issued_on is None or command.recommends_discontinuance:
                raise NotAStatutoryReviewPlanError
            return
        if self.plan_type is not PlanType.CSP:
            raise NotAStatutoryReviewPlanError
        started_on = self.statutory.review_started_on
        if not self.statutory.review_begun or started_on is None:
            raise StatutoryReviewNotBegunError
        if command.held_on < started_on:
            raise DateOrderError("held_on", "the day the review began")

    def _pending_early_review(self, request_id: UUID | None) -> StatutoryState:
        state = self.statutory
        if not state.early_review_pending:
            raise NoEarlyReviewRequestError
        if request_id not in (None, state.early_review_request_id):
            raise UnknownRequestError(request_id)
        return state

    # -- statutory processes: England's EHCP ------------------------------------------

    def receive_ehcp_request(self, command: events.ReceiveEhcpRequest, by: Attribution) -> None:
        self._check_statutory(by, csp=False)
        if self.statutory.ehcp_requested_on is not None:
            raise EhcpRequestAlreadyReceivedError(self.statutory.ehcp_requested_on)
        self._record(events.EhcpAssessmentRequested, by, command)

    def decide_ehcp_assessment(self, command: events.DecideEhcpAssessment, by: Attribution) -> None:
        self._check_statutory(by, csp=False)
        requested_on = self.statutory.ehcp_requested_on
        if requested_on is None:
            raise NoEhcpRequestError
        if self.statutory.ehcp_assessment is not None:
            raise EhcpStepAlreadyDecidedError("decision to assess")
        _check_not_before(by.occurred_on, requested_on, "the request")
        self._record(events.EhcpAssessmentDecided, by, command)

    def decide_ehcp_issue(self, command: events.DecideEhcpIssue, by: Attribution) -> None:
        self._check_statutory(by, csp=False)
        if self.statutory.ehcp_assessment is not EhcpAssessment.ASSESS:
            raise EhcpStepOutOfOrderError("decision to issue", "a decision to assess")
        if self.statutory.ehcp_issue is not None:
            raise EhcpStepAlreadyDecidedError("decision to issue")
        self._record(events.EhcpIssueDecided, by, command)

    def send_ehcp_draft(self, command: events.SendEhcpDraft, by: Attribution) -> None:
        self._check_statutory(by, csp=False)
        if self.statutory.ehcp_issue is not EhcpIssue.ISSUE:
            raise EhcpStepOutOfOrderError("draft plan", "a decision to issue")
        if self.statutory.ehcp_issued_on is not None:
            raise EhcpStepAlreadyDecidedError("final plan")
        self._record(events.EhcpDraftSent, by, command)

    def send_ehcp_review_report(
        self, command: events.SendEhcpReviewReport, by: Attribution
    ) -> None:
        self._check_statutory(by, csp=False)
        if not self.statutory.ehcp_review_report_due:
            raise EhcpStepOutOfOrderError("review report", "an annual review meeting")
        last_review = self.reviews[-1].held_on if self.reviews else None
        if last_review is not None:
            _check_not_before(by.occurred_on, last_review, "the review meeting")
        self._record(events.EhcpReviewReportSent, by, command)

    def record_ehcp_exception(self, command: events.RecordEhcpException, by: Attribution) -> None:
        self._check_statutory(by, csp=False)
        if self.statutory.ehcp_requested_on is None:
            raise NoEhcpRequestError
        self._record(events.EhcpTimescaleExcepted, by, command)

    def issue_ehcp(self, command: events.IssueEhcp, by: Attribution) -> None:
        self._check_statutory(by, csp=False)
        state = self.statutory
        if command.amended:
            if not state.ehcp_amendment_due:
                raise EhcpStepOutOfOrderError("amended plan", "a decision to amend")
        else:
            if state.ehcp_issue is not EhcpIssue.ISSUE:
                raise EhcpStepOutOfOrderError("final plan", "a decision to issue")
            if state.ehcp_issued_on is not None:
                raise EhcpStepAlreadyDecidedError("final plan")
            if state.ehcp_draft_sent_on is None:
                raise EhcpStepOutOfOrderError("final plan", "a draft sent to the family")
            last_day = draft_representations_end(state.ehcp_draft_sent_on)
            if by.occurred_on <= last_day:
                raise DraftRepresentationsOpenError(last_day)
        self._record(events.EhcpIssued, by, command)

    def decide_ehcp_review(self, command: events.DecideEhcpReview, by: Attribution) -> None:
        self._check_statutory(by, csp=False)
        held_on = self.statutory.ehcp_review_held_on
        if held_on is None:
            raise NoEhcpReviewDecisionDueError
        _check_not_before(by.occurred_on, held_on, "the review meeting")
        self._record(events.EhcpReviewDecided, by, command)

    # -- queries --------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status is PlanStatus.OPEN

    def member(self, user_id: str) -> Member | None:
        return self.members.get(user_id)

    def open_targets(self) -> list[Target]:
        return [t for t in self.targets.values() if t.status is TargetStatus.OPEN]

    def overdue_targets(self, day: date) -> list[Target]:
        """Open targets whose date has passed with no evaluation closing or revising them."""
        return [t for t in self.open_targets() if t.due_on < day]

    def target_numbers(self) -> dict[UUID, int]:
        """Each target's number: the order it was set in, never its position, so that a
        target added to an earlier outcome renumbers none of the others."""
        return {target_id: n for n, target_id in enumerate(self.targets, start=1)}

    def targets_of(self, outcome_id: UUID) -> list[Target]:
        return [t for t in self.targets.values() if t.outcome_id == outcome_id]

    def disclosures_in_force(self, day: date) -> list[Disclosure]:
        return [d for d in self.disclosures.values() if d.in_force_on(day)]

    # -- guards ---------------------------------------------------------------------

    def _check_writable(self, by: Attribution, field: str = "occurred_on") -> None:
        if self.status is PlanStatus.DESTROYED:
            raise PlanDestroyedError
        if self.status is PlanStatus.CLOSED:
            raise PlanClosedError
        _check_not_future(by.occurred_on, field)
        born_on = self.child.date_of_birth
        if born_on is not None and by.occurred_on < born_on:
            raise DateOrderError(field, "the child's date of birth")

    def _check_statutory(self, by: Attribution, *, csp: bool) -> None:
        self._check_writable(by)
        if csp and self.plan_type is not PlanType.CSP:
            raise NotACspPlanError
        if not csp and self.plan_type is not PlanType.EHCP:
            raise NotAnEhcpPlanError

    def _check_csp_in_force(self) -> None:
        # A CSP is in force once signed; one migrated from paper records its signing
        # with the day it was signed (occurred_on).
        if self.statutory.csp_prepared_on is None:
            raise CspNotPreparedError

    def _review_in_progress(self) -> bool:
        started_on = self.statutory.review_started_on
        return started_on is not None and not any(r.held_on >= started_on for r in self.reviews)

    def _on_plan(self, org: str) -> bool:
        """The plan's own school or service, or an agency that has joined it."""
        return org == self.org or org in self.agencies

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


# Stored events name their class as an attribute of Plan (domain/events/base.py): reading
# one resolves it here.
for _event_class in events.EVENTS:
    setattr(Plan, _event_class.__name__, _event_class)


def _fields(event_class: type[PlanEvent], command: Any, by: Attribution) -> dict[str, Any]:
    """An event's fields: those of the command it records, and the attribution."""
    names = event_class.model_fields
    fields = {k: v for k, v in command if k in names} if command is not None else {}
    fields.update(actor=by.actor, occurred_on=by.occurred_on, reason=by.reason)
    return fields


def _check_not_future(day: date, field: str) -> None:
    if day > today():
        raise OccurredInFutureError(field)


def _check_born_by(child: Child, day: date) -> None:
    """Nothing about a child happens before they are born: a date of birth in the future,
    or after the day a plan is opened, is a typing slip."""
    if child.date_of_birth is None or child.date_of_birth <= day:
        return
    if day >= today():
        raise OccurredInFutureError("date_of_birth")
    raise DateOrderError("occurred_on", "the child's date of birth")


def _check_own_request(requested_by: Requester, by: Attribution) -> None:
    """A parent or young person making a request makes it in their own name."""
    own = {
        Role.PARENT_CARER: {Requester.PARENT_CARER},
        Role.YOUNG_PERSON: {Requester.YOUNG_PERSON, Requester.CHILD},
    }.get(by.actor.role)
    if own is not None and requested_by not in own:
        raise RequestNotYoursError


def _check_not_before(day: date, earlier: date, what: str) -> None:
    """Statutory steps answer earlier ones, so never precede them (statutory section)."""
    if day < earlier:
        raise DateOrderError("occurred_on", what)
