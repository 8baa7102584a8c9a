"""The commands a plan accepts and the events it records, one module per part of the plan.

Each event is a declared class: its fields (with `actor`, `occurred_on` and `reason` from
`PlanEvent`), and `apply`, how it changes the plan. Stored names are fixed (base.py).
"""

from __future__ import annotations

from domain.events.base import Command, PlanEvent
from domain.events.lifecycle import (
    ChangeStage,
    ClosePlan,
    DestroyPlan,
    OpenPlan,
    PlanClosed,
    PlanDestroyed,
    PlanOpened,
    StageChanged,
)
from domain.events.people import (
    AddMember,
    AgencyJoined,
    AgencyLeft,
    AssignLeadProfessional,
    ChildDetailsCorrected,
    CorrectChildDetails,
    JoinAgency,
    LeadProfessionalAssigned,
    LeaveAgency,
    MemberAdded,
    MemberRemoved,
    RemoveMember,
)
from domain.events.provision import (
    EndProvision,
    PlanProvision,
    ProvisionDelivered,
    ProvisionEnded,
    ProvisionPlanned,
    RecordDelivery,
)
from domain.events.records import (
    AppendContribution,
    ContributionAppended,
    RecordViews,
    ViewsRecorded,
)
from domain.events.reviews import (
    Evaluated,
    HoldReview,
    ReviewHeld,
    ReviewScheduled,
    ScheduleReview,
)
from domain.events.targets import (
    AgreeOutcome,
    CloseTarget,
    EvaluateTarget,
    OutcomeAgreed,
    ReviseTarget,
    SetTarget,
    TargetClosed,
    TargetEvaluated,
    TargetRevised,
    TargetSet,
)
from domain.events.sharing import (
    DisclosureGranted,
    DisclosureRevoked,
    GrantDisclosure,
    PlanShared,
    RevokeDisclosure,
    SharePlan,
)
from domain.events.statutory import (
    CspNeedDecided,
    CspPreparationDelayed,
    CspPrepared,
    CspRequestReceived,
    DecideCspNeed,
    DecideEarlyReview,
    DecideEhcpAssessment,
    DecideEhcpIssue,
    DelayCspPreparation,
    EarlyReviewDeadlineExtended,
    EarlyReviewDecided,
    EarlyReviewRequested,
    EhcpAssessmentDecided,
    EhcpAssessmentRequested,
    EhcpIssued,
    EhcpIssueDecided,
    ExtendEarlyReviewAnswer,
    IssueEhcp,
    PrepareCsp,
    ReceiveCspRequest,
    ReceiveEhcpRequest,
    RequestEarlyReview,
    ReviewStarted,
    StartReview,
    StatutoryStep,
)

EVENTS: tuple[type[PlanEvent], ...] = (
    PlanOpened, MemberAdded, LeadProfessionalAssigned, AgencyJoined, MemberRemoved,
    AgencyLeft, ChildDetailsCorrected, OutcomeAgreed, TargetSet, TargetRevised, TargetClosed,
    TargetEvaluated, ProvisionPlanned, ProvisionDelivered, ProvisionEnded, ReviewHeld,
    ReviewScheduled, StageChanged, ContributionAppended, ViewsRecorded, PlanShared,
    DisclosureGranted, DisclosureRevoked, PlanClosed, PlanDestroyed, CspRequestReceived,
    CspNeedDecided, CspPreparationDelayed, CspPrepared, ReviewStarted, EarlyReviewRequested,
    EarlyReviewDeadlineExtended, EarlyReviewDecided, EhcpAssessmentRequested,
    EhcpAssessmentDecided, EhcpIssueDecided, EhcpIssued,
)
"""Every kind of event a plan records."""

__all__ = [
    "AddMember", "AgencyJoined", "AgencyLeft", "AgreeOutcome", "AppendContribution",
    "AssignLeadProfessional", "ChangeStage", "ChildDetailsCorrected", "ClosePlan",
    "CloseTarget", "Command", "ContributionAppended", "CorrectChildDetails", "CspNeedDecided",
    "CspPreparationDelayed", "CspPrepared", "CspRequestReceived", "DecideCspNeed",
    "DecideEarlyReview", "DecideEhcpAssessment", "DecideEhcpIssue", "DelayCspPreparation",
    "DestroyPlan", "DisclosureGranted", "DisclosureRevoked", "EarlyReviewDeadlineExtended",
    "EarlyReviewDecided", "EarlyReviewRequested", "EhcpAssessmentDecided",
    "EhcpAssessmentRequested", "EhcpIssueDecided", "EhcpIssued", "EndProvision",
    "EvaluateTarget", "Evaluated", "ExtendEarlyReviewAnswer", "GrantDisclosure", "HoldReview",
    "IssueEhcp", "JoinAgency", "LeadProfessionalAssigned", "LeaveAgency", "MemberAdded",
    "MemberRemoved", "OpenPlan", "OutcomeAgreed", "PlanClosed", "PlanDestroyed", "PlanEvent",
    "PlanOpened", "PlanProvision", "PlanShared", "PrepareCsp", "ProvisionDelivered",
    "ProvisionEnded", "ProvisionPlanned", "ReceiveCspRequest", "ReceiveEhcpRequest",
    "RecordDelivery", "RecordViews", "RemoveMember", "RequestEarlyReview", "ReviewHeld",
    "ReviewScheduled", "ReviewStarted", "ReviseTarget", "RevokeDisclosure", "ScheduleReview",
    "SetTarget", "SharePlan", "StageChanged", "StartReview", "StatutoryStep", "TargetClosed",
    "TargetEvaluated", "TargetRevised", "TargetSet", "ViewsRecorded",
]
