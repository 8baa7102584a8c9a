"""Statutory processes around a plan: their values, their calendar and their refusals.

The Plan aggregate records the steps (domain/plans.py, "statutory processes" section);
domain/clocks.py reads the deadlines off the recorded steps. Both use the calendar here,
so that a rule and the clock that reports it can never disagree about a date.

Sources (../shared/DOMAIN.md 1.3 and 2): the Education (Additional Support for Learning)
(Scotland) Act 2004 ("the Act"); the Additional Support for Learning (Co-ordinated Support
Plan) (Scotland) Amendment Regulations 2005 (SSI 2005/518) as amended by SSI 2010/149
("the CSP Regulations"); for England, the SEND Regulations 2014 (SI 2014/1530).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from domain.base import Immutable
from domain.errors import PlanningError

# -- the calendar -------------------------------------------------------------------------
# Dates are the calendar dates on which things happened (occurred_on), never instants.
# "N weeks" is 7 * N days, counted from the day the clock started, so "8 weeks" from
# 1 March ends on 26 April: an answer given on 26 April is in time, on 27 April it is not.


def add_weeks(day: date, weeks: int) -> date:
    return day + timedelta(weeks=weeks)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; where that month is shorter (29 February, 31 August),
    its last day, so that a period never runs past the month it should end in."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# The periods, each with the rule that sets it.
# SSI 2005/518 reg 2 defines "a proposal" (to establish whether a CSP is required: made
# of the authority's accord, or on agreeing to a request) and "a review proposal", the
# days its time limits run from; the wording of reg 4 itself was not retrieved, so the
# 16 and 12 weeks are as Enquire, East Lothian and West Dunbartonshire report them.
CSP_REQUEST_ANSWER_WEEKS = 8  # CSP Regulations reg 4A (inserted by SSI 2010/149): confirmed
CSP_PREPARATION_WEEKS = 16  # CSP Regulations reg 4, from the proposal (reported)
CSP_PREPARATION_CEILING_WEEKS = 24  # Enquire: "should not be more than 24 weeks" (reported)
CSP_REVIEW_MONTHS = 12  # the Act s.10(2): confirmed
CSP_REVIEW_COMPLETION_WEEKS = 12  # reg 4, from the review proposal (reported)
EARLY_REVIEW_ANSWER_WEEKS = 4  # CSP Regulations reg 5A (inserted by SSI 2010/149)
EARLY_REVIEW_ANSWER_EXTENDED_WEEKS = 12  # reg 5A: where 4 weeks is impractical
TRIBUNAL_REFERENCE_MONTHS = 2  # reported: Enquire, "Changes to the ASN Tribunal"
EHCP_ASSESSMENT_DECISION_WEEKS = 6  # SEND Regulations 2014 reg 5(1)
EHCP_ISSUE_DECISION_WEEKS = 16  # SEND Regulations 2014 reg 10(1)
EHCP_FINAL_PLAN_WEEKS = 20  # SEND Regulations 2014 reg 13(2)
# reg 13(1)(a): "at least 15 days, beginning with the day on which the draft plan was
# served", to make representations and ask for a school: the last of them is day 14.
EHCP_DRAFT_REPRESENTATION_DAYS = 15
EHCP_REVIEW_MONTHS = 12  # Children and Families Act 2014 s.44(1): every 12 months
EHCP_REVIEW_DECISION_WEEKS = 4  # SEND Regulations 2014 reg 20(10): of the review meeting
# reg 20(8): "within two weeks of the review meeting" its report goes to everyone invited,
# with any recommended amendments (SEND Code of Practice 9.176).
EHCP_REVIEW_REPORT_WEEKS = 2
EHCP_AMENDED_PLAN_WEEKS = 8  # reg 22(3): of the notice of the proposed amendments


def review_due_on(anchor: date) -> date:
    """A CSP's review is due by the end of 12 months from preparation, then 12 months
    from the completion of the previous statutory review (the Act s.10(2))."""
    return add_months(anchor, CSP_REVIEW_MONTHS)


def reference_by(decided_on: date) -> date:
    """The last day to refer a decision (or a deemed refusal) to the tribunal: 2 months
    from the day it was made or notified (Health and Education Chamber Rules 2018)."""
    return add_months(decided_on, TRIBUNAL_REFERENCE_MONTHS)


def completes_statutory_review(kind: ReviewKind | None, review_begun: bool) -> bool:
    """Whether a review meeting completes the CSP's statutory review (the Act s.10): one
    recorded as `statutory`. A meeting recorded before reviews had a kind completes it
    when a statutory review had begun; any other in-year meeting touches no clock."""
    if kind is None:
        return review_begun
    return kind is ReviewKind.STATUTORY


# -- values -------------------------------------------------------------------------------


class Signature(Immutable):
    """The plan dated and signed by an authorised officer of the authority (reg 3(1)(c));
    `amended`: the plan as amended after a review (reg 3(2))."""

    signed_on: date
    officer: str
    amended: bool = False


class Requester(StrEnum):
    """Who made a request that starts a statutory clock."""

    PARENT_CARER = "parent_carer"
    YOUNG_PERSON = "young_person"
    CHILD = "child"  # a child aged 12-15 with capacity (the Act, as amended in 2016)
    SCHOOL = "school"
    AGENCY = "agency"
    AUTHORITY = "authority"  # recorded by earlier releases; now a proposal (CspProposed)


EARLY_REVIEW_REQUESTERS = frozenset(
    {Requester.PARENT_CARER, Requester.YOUNG_PERSON, Requester.CHILD}
)
"""Who may ask for an early review: the parent, the young person, or a child aged 12+
with capacity (the Act s.10(3)); the authority reviews early of its own accord instead."""


class CspRequestAnswer(StrEnum):
    """The answer to a request to establish whether a CSP is needed (reg 4A)."""

    WILL_ESTABLISH = "will_establish"
    REFUSED = "refused"


class ReviewKind(StrEnum):
    STATUTORY = "statutory"  # the Act s.10: restarts the 12 months, completes a review begun
    IN_YEAR = "in_year"  # a meeting to review targets: no statutory clock


class NoticeKind(StrEnum):
    """The notices the Act requires the authority to give (s.11; reg 11 SSI 2005/518)."""

    PROPOSAL = "proposal"  # s.11(2)(a): before establishing whether a CSP is needed
    DECISION_AND_RIGHTS = "decision_and_rights"  # s.11(2)(b): the outcome, the right to refer
    PLAN_COPY = "plan_copy"  # s.11(5)(a): a copy of the plan (or amended plan)
    PROVIDERS_INFORMED = "providers_informed"  # s.11(5)(e): what providers need to know
    REVIEW_PROPOSAL = "review_proposal"  # s.11(2)(a): before reviewing
    REVIEW_OUTCOME_AND_RIGHTS = "review_outcome_and_rights"  # s.11(2)(b), after a review
    DISCONTINUANCE = "discontinuance"  # reg 11(3): the plan is discontinued
    DESTRUCTION = "destruction"  # reg 11(3)(b): the plan was destroyed


class CspNeed(StrEnum):
    NEEDED = "needed"
    NOT_NEEDED = "not_needed"


class DelayCause(StrEnum):
    """Why a CSP is prepared late: the exceptions the authority may record (reported:
    Enquire, "How long does it take to open a CSP?")."""

    AGENCY_ADVICE_LATE = "agency_advice_late"
    SCHOOL_CLOSED = "school_closed"
    FAMILY_UNAVAILABLE = "family_unavailable"
    OTHER = "other"


class EarlyReviewAnswer(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"


class EhcpAssessment(StrEnum):
    ASSESS = "assess"
    DECLINE = "decline"


class EhcpIssue(StrEnum):
    ISSUE = "issue"
    DECLINE = "decline"


class EhcpReviewDecision(StrEnum):
    """What the authority decides after an annual review (reg 20(10))."""

    MAINTAIN = "maintain"
    AMEND = "amend"
    CEASE = "cease"


class EhcpExceptionGround(StrEnum):
    """Why a time limit could not be kept, as SEND Regulations 2014 reg 10(4) (and reg
    13(3), for the 20 weeks) allow: a school or early years setting closed for 4 weeks or
    more when its advice was asked, exceptional personal circumstances of the child or
    family, their absence from the area for 4 weeks or more, a missed appointment."""

    SCHOOL_CLOSURE = "school_closure"
    EARLY_YEARS_CLOSURE = "early_years_closure"
    PERSONAL_CIRCUMSTANCES = "personal_circumstances"
    ABSENT_FROM_AREA = "absent_from_area"
    MISSED_APPOINTMENT = "missed_appointment"


class StatutoryState(Immutable):
    """Where the plan's statutory processes stand: what the rules in plans.py check."""

    csp_requested_on: date | None = None
    csp_request_id: UUID | None = None
    csp_request_answer: CspRequestAnswer | None = None
    csp_request_answered_on: date | None = None
    csp_preparation_started_on: date | None = None
    """The proposal, or the answer that the authority will establish need (reg 4)."""
    csp_need: CspNeed | None = None
    csp_need_decided_on: date | None = None
    csp_preparation_due_on: date | None = None
    csp_preparation_ceiling_on: date | None = None
    csp_prepared_on: date | None = None
    signed: tuple[Signature, ...] = ()
    review_id: UUID | None = None
    review_started_on: date | None = None
    review_begun: bool = False
    """A statutory review has begun and is not completed yet."""
    last_statutory_review_on: date | None = None
    discontinuance_recommended_on: date | None = None
    """The day the latest statutory review recommended discontinuance, if it did."""
    discontinued_on: date | None = None
    early_review_request_id: UUID | None = None
    early_review_requested_on: date | None = None
    early_review_due_on: date | None = None
    early_review_extended: bool = False
    early_review_answer: EarlyReviewAnswer | None = None
    early_review_answered_on: date | None = None
    ehcp_requested_on: date | None = None
    ehcp_assessment: EhcpAssessment | None = None
    ehcp_issue: EhcpIssue | None = None
    ehcp_issued_on: date | None = None
    ehcp_draft_sent_on: date | None = None
    ehcp_review_held_on: date | None = None
    """The latest annual review meeting awaiting the authority's decision."""
    ehcp_review_report_due: bool = False
    """The latest annual review meeting's report is yet to be sent (reg 20(8))."""
    ehcp_amendment_due: bool = False
    """Decided to amend after a review: the amended plan is to be issued."""

    @property
    def csp_process_started(self) -> bool:
        return self.csp_requested_on is not None or self.csp_preparation_started_on is not None

    @property
    def preparing(self) -> bool:
        """Establishing whether a CSP is needed, or preparing it: the 16 weeks run."""
        return (
            self.csp_preparation_started_on is not None
            and self.csp_need is not CspNeed.NOT_NEEDED
            and self.csp_prepared_on is None
        )

    @property
    def awaiting_signature(self) -> bool:
        """Decided as needed and not yet signed, or amended by a statutory review since
        it was last signed (the rule Plan.prepare_csp applies, for pages to offer it)."""
        if self.csp_prepared_on is None:
            return self.csp_need is CspNeed.NEEDED
        last = self.signed[-1].signed_on if self.signed else self.csp_prepared_on
        reviewed = self.last_statutory_review_on
        return reviewed is not None and reviewed >= last

    @property
    def request_pending(self) -> bool:
        return self.csp_requested_on is not None and self.csp_request_answer is None

    @property
    def early_review_pending(self) -> bool:
        return self.early_review_requested_on is not None and self.early_review_answer is None


# -- refusals -----------------------------------------------------------------------------
# Named exceptions for the statutory rules. Messages carry dates and enum values only.


class StatutoryRuleError(PlanningError):
    """A statutory step was recorded out of order or past a limit the law sets."""


class NotACspPlanError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("Only a co-ordinated support plan (csp) records CSP steps.")


class NotAnEhcpPlanError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("Only an EHC plan (ehcp) records EHC needs assessment steps.")


class CspRequestAlreadyReceivedError(StatutoryRuleError):
    def __init__(self, received_on: date) -> None:
        super().__init__(f"A request about this CSP was already received on {received_on}.")


class NoCspRequestError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("No request to establish whether a CSP is needed has been received.")


class CspNeedAlreadyDecidedError(StatutoryRuleError):
    def __init__(self, decided_on: date) -> None:
        super().__init__(f"Whether a CSP is needed was already decided on {decided_on}.")


class CspNeedNotDecidedError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("Whether a CSP is needed has not been decided yet.")


class CspNotNeededError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("The authority decided that a CSP is not needed.")


class CspNotInPreparationError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("The CSP is not being prepared, so its preparation cannot be delayed.")


class PreparationDelayNotLaterError(StatutoryRuleError):
    def __init__(self, due_on: date) -> None:
        super().__init__(f"A delay must move the preparation date past {due_on}.")


class PreparationCeilingError(StatutoryRuleError):
    def __init__(self, ceiling_on: date) -> None:
        super().__init__(
            f"A CSP must be prepared within 24 weeks whatever the exceptions: by {ceiling_on}."
        )


class CspAlreadyPreparedError(StatutoryRuleError):
    def __init__(self, prepared_on: date) -> None:
        super().__init__(f"The CSP was already prepared on {prepared_on}.")


class CspNotPreparedError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("The CSP has not been prepared, so it cannot be reviewed yet.")


class ReviewAlreadyStartedError(StatutoryRuleError):
    def __init__(self, started_on: date) -> None:
        super().__init__(f"A review started on {started_on} has not been held yet.")


class EarlyReviewRequestPendingError(StatutoryRuleError):
    def __init__(self, requested_on: date) -> None:
        super().__init__(f"The early review request of {requested_on} has not been answered.")


class NoEarlyReviewRequestError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("No early review has been requested.")


class EarlyReviewAlreadyDecidedError(StatutoryRuleError):
    def __init__(self, requested_on: date) -> None:
        super().__init__(f"The early review request of {requested_on} was already answered.")


class EarlyReviewAlreadyExtendedError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("The time to answer this early review request was already extended.")


class EarlyReviewDeadlinePassedError(StatutoryRuleError):
    def __init__(self, due_on: date) -> None:
        super().__init__(
            f"The answer was due by {due_on}; silence since is a deemed refusal, "
            "and the time can no longer be extended."
        )


class EhcpRequestAlreadyReceivedError(StatutoryRuleError):
    def __init__(self, received_on: date) -> None:
        super().__init__(f"A request for assessment was already received on {received_on}.")


class NoEhcpRequestError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("No request for an EHC needs assessment has been received.")


class EhcpStepAlreadyDecidedError(StatutoryRuleError):
    def __init__(self, step: str) -> None:
        super().__init__(f"The decision '{step}' has already been recorded.")


class EhcpStepOutOfOrderError(StatutoryRuleError):
    def __init__(self, step: str, needs: str) -> None:
        super().__init__(f"'{step}' needs '{needs}' first.")


class DraftRepresentationsOpenError(StatutoryRuleError):
    def __init__(self, last_day: date) -> None:
        super().__init__(
            "The family have until "
            f"{last_day} to comment on the draft (SEND Regulations 2014 reg 13(1)): "
            "the final plan is issued after that."
        )


class NoEhcpReviewDecisionDueError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("No annual review of this EHC plan awaits the authority's decision.")


def draft_representations_end(served_on: date) -> date:
    """The last of the family's 15 days on a draft, counting the day it was served."""
    return served_on + timedelta(days=EHCP_DRAFT_REPRESENTATION_DAYS - 1)


def ehcp_review_due_on(anchor: date) -> date:
    """An EHC plan is reviewed within 12 months of being made, then within 12 months of
    each review (Children and Families Act 2014 s.44(1))."""
    return add_months(anchor, EHCP_REVIEW_MONTHS)


class CspRequestNotPendingError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("No request to establish whether a CSP is needed awaits an answer.")


class UnknownRequestError(StatutoryRuleError):
    def __init__(self, request_id: object) -> None:
        super().__init__(f"Request {request_id} is not the one awaiting an answer on this plan.")


class CspAlreadyInPreparationError(StatutoryRuleError):
    def __init__(self, started_on: date) -> None:
        super().__init__(
            f"The authority has been establishing whether a CSP is needed since {started_on}."
        )


class StatutoryReviewNotBegunError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__(
            "No statutory review has begun: begin it first (the family is told before it)."
        )


class NotAStatutoryReviewPlanError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__(
            "Only a co-ordinated support plan, or an EHC plan once issued, has statutory "
            "reviews; only a CSP's may recommend discontinuance."
        )


class DiscontinuanceNotRecommendedError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__(
            "A CSP is discontinued only after a statutory review recommends it (reg 11)."
        )


class ReferenceWindowOpenError(StatutoryRuleError):
    def __init__(self, reference_by: date) -> None:
        super().__init__(
            "The time to refer the decision to the tribunal runs until "
            f"{reference_by}: the plan may not end before then (reg 11(2))."
        )


class SignedCspEndsByDiscontinuanceError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__(
            "A signed CSP ends by discontinuance after a review (POST .../csp/discontinue)."
        )


class EarlyReviewRequesterError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__(
            "An early review is requested by the parent, the young person or the child "
            "(the Act s.10(3)); the authority begins a review of its own accord instead."
        )


class RequestNotYoursError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("A family member records a request in their own name only.")


class NothingToSignError(StatutoryRuleError):
    def __init__(self, signed_on: date) -> None:
        super().__init__(
            f"The plan was signed on {signed_on}; it is signed again only as amended after "
            "a statutory review."
        )


class NoticeAfterDestructionError(StatutoryRuleError):
    def __init__(self) -> None:
        super().__init__("Once a plan is destroyed, only the notice of its destruction is given.")
