"""Every kind of write to a plan: WRITES are each valid on an open `FullPlan` on the
given day; STATUTORY_WRITES need a plan of their type. Each is named by the Plan method
that carries it out, and gives a reason wherever the command needs one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from domain.events import (
    AddChronologyEntry,
    AddDocument,
    AddMember,
    AgreeOutcome,
    AnswerCspRequest,
    AppendContribution,
    AssignLeadProfessional,
    ChangeStage,
    ClosePlan,
    CloseTarget,
    Command,
    CorrectChildDetails,
    DecideCspNeed,
    DecideEarlyReview,
    DecideEhcpAssessment,
    DecideEhcpIssue,
    DecideEhcpReview,
    DelayCspPreparation,
    DiscontinueCsp,
    EndProvision,
    Evaluated,
    EvaluateTarget,
    ExtendEarlyReviewAnswer,
    GrantDisclosure,
    HoldReview,
    IssueEhcp,
    JoinAgency,
    LeaveAgency,
    PlanProvision,
    PrepareCsp,
    ProposeCsp,
    ReceiveCspRequest,
    ReceiveEhcpRequest,
    RecordDelivery,
    RecordEhcpException,
    RecordInformationSharing,
    RecordPupilDetails,
    RecordSection,
    RecordViews,
    RemoveMember,
    RequestEarlyReview,
    ReviseTarget,
    RevokeDisclosure,
    ScheduleReview,
    SendEhcpDraft,
    SendEhcpReviewReport,
    SetTarget,
    SharePlan,
    StartReview,
)
from domain.statutory import (
    CspNeed,
    CspRequestAnswer,
    DelayCause,
    EarlyReviewAnswer,
    EhcpAssessment,
    EhcpExceptionGround,
    EhcpIssue,
    EhcpReviewDecision,
    Requester,
)
from domain.values import (
    Child,
    ChronologyKind,
    LawfulBasis,
    PlanType,
    Progress,
    ProvisionKind,
    PupilContact,
    PupilNumberKind,
    Role,
    Whose,
)
from tests.examples import SALT, FullPlan, a_lead_professional, an_officer, by

LEAD = a_lead_professional()
OFFICER = an_officer()

Write = Callable[[FullPlan, date], object]
CommandOf = Callable[[FullPlan, date], Command]

NEEDS_REASON = frozenset(
    {
        "remove_member",
        "leave_agency",
        "revise_target",
        "change_stage",
        "revoke_disclosure",
        "record_information_sharing",
        "close_plan",
        "end_provision",
    }
)
"""The writes refused without a reason (ReasonRequiredError); WRITES give them one."""

A_REASON = "Agreed at the team meeting"

COMMANDS: dict[str, CommandOf] = {
    "add_member": lambda f, on: AddMember(user_id="u-new", role=Role.PRACTITIONER, name="Jo Reid"),
    "assign_lead_professional": lambda f, on: AssignLeadProfessional(user_id=f.colleague_id),
    "remove_member": lambda f, on: RemoveMember(user_id=f.colleague_id),
    "leave_agency": lambda f, on: LeaveAgency(org=SALT),
    "join_agency": lambda f, on: JoinAgency(
        org="ep:lothian", name="Educational Psychology", kind="ep"
    ),
    "correct_child_details": lambda f, on: CorrectChildDetails(
        child=Child(name="Isla Cameron", date_of_birth=None)
    ),
    "record_pupil_details": lambda f, on: RecordPupilDetails(
        pupil_number="123456789",
        number_kind=PupilNumberKind.SCN,
        class_name="P5B",
        year_group="P5",
        asn_flags=("Y",),
        contacts=(PupilContact(name="Morag Campbell", relationship="Mother"),),
        source="SEEMiS export",
    ),
    "agree_outcome": lambda f, on: AgreeOutcome(
        text="I will read to my sister", area="Literacy", aspiration=None
    ),
    "set_target": lambda f, on: SetTarget(
        outcome_id=f.outcome_id, text="Read a page aloud", due_on=on
    ),
    "revise_target": lambda f, on: ReviseTarget(
        target_id=f.target_id, text="Take turns with one peer"
    ),
    "close_target": lambda f, on: CloseTarget(target_id=f.target_id),
    "evaluate_target": lambda f, on: EvaluateTarget(
        target_id=f.target_id, progress=Progress.NOT_ACHIEVED, impact="Not yet"
    ),
    "plan_provision": lambda f, on: PlanProvision(
        kind=ProvisionKind.EQUIPMENT,
        description="Ear defenders",
        target_ids=(f.target_id,),
        cost=Decimal("24.99"),
    ),
    "record_delivery": lambda f, on: RecordDelivery(provision_id=f.provision_id, sessions=1),
    "end_provision": lambda f, on: EndProvision(provision_id=f.provision_id),
    "hold_review": lambda f, on: HoldReview(
        held_on=on,
        attendees=("Fiona",),
        summary="Steady",
        next_review_on=None,
        evaluations=(Evaluated(target_id=f.target_id, progress=Progress.ACHIEVED, impact="Done"),),
    ),
    "schedule_review": lambda f, on: ScheduleReview(next_review_on=date(on.year + 1, 1, 1)),
    "change_stage": lambda f, on: ChangeStage(stage="targeted"),
    "append_contribution": lambda f, on: AppendContribution(kind="note", text="Calm week"),
    "record_views": lambda f, on: RecordViews(whose=Whose.CHILD, text="I like Lego"),
    "add_document": lambda f, on: AddDocument(
        title="EP report",
        author="Dr Anna Reid",
        kind="report",
        media_type="application/pdf",
        sha256="0" * 64,
        bytes=1024,
    ),
    "add_chronology_entry": lambda f, on: AddChronologyEntry(
        source="Class teacher", kind=ChronologyKind.STRENGTH, text="Led the class assembly"
    ),
    "record_information_sharing": lambda f, on: RecordInformationSharing(
        information="The current plan",
        shared_with="Leith Academy",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        necessary_because="Her transition in August",
    ),
    "share_plan": lambda f, on: SharePlan(recipients=(SALT,), method="post", sha256=None),
    "grant_disclosure": lambda f, on: GrantDisclosure(
        grantee="police:scotland", purpose="Child protection", until=None
    ),
    "revoke_disclosure": lambda f, on: RevokeDisclosure(disclosure_id=f.disclosure_id),
    "close_plan": lambda f, on: ClosePlan(),
}
"""The command of each write, by the Plan method that carries it out."""


def write(name: str, command_of: CommandOf, reason: str | None = None) -> Write:
    """The write: the named Plan method given the command, by the lead on the day."""
    return lambda f, on: getattr(f.plan, name)(command_of(f, on), by(LEAD, on, reason))


WRITES: dict[str, Write] = {
    name: write(name, command_of, A_REASON if name in NEEDS_REASON else None)
    for name, command_of in COMMANDS.items()
}


# Statutory steps apply to one plan type each. Their order rules are tested beside them
# (test_statutory_steps.py); here they only need to reach the checks every write shares,
# which come first, so any arguments of the right shape serve.
STATUTORY_WRITES: dict[str, tuple[PlanType, Write]] = {
    "receive_csp_request": (
        PlanType.CSP,
        lambda f, on: f.plan.receive_csp_request(
            ReceiveCspRequest(requested_by=Requester.PARENT_CARER), by(LEAD, on)
        ),
    ),
    "answer_csp_request": (
        PlanType.CSP,
        lambda f, on: f.plan.answer_csp_request(
            AnswerCspRequest(answer=CspRequestAnswer.WILL_ESTABLISH), by(OFFICER, on, "Agreed")
        ),
    ),
    "propose_csp": (PlanType.CSP, lambda f, on: f.plan.propose_csp(ProposeCsp(), by(LEAD, on))),
    "decide_csp_need": (
        PlanType.CSP,
        lambda f, on: f.plan.decide_csp_need(
            DecideCspNeed(decision=CspNeed.NEEDED), by(OFFICER, on, "Needed")
        ),
    ),
    "delay_csp_preparation": (
        PlanType.CSP,
        lambda f, on: f.plan.delay_csp_preparation(
            DelayCspPreparation(new_due_on=on, cause=DelayCause.OTHER), by(LEAD, on, "Late")
        ),
    ),
    "prepare_csp": (PlanType.CSP, lambda f, on: f.plan.prepare_csp(PrepareCsp(), by(OFFICER, on))),
    "start_review": (PlanType.CSP, lambda f, on: f.plan.start_review(StartReview(), by(LEAD, on))),
    "request_early_review": (
        PlanType.CSP,
        lambda f, on: f.plan.request_early_review(
            RequestEarlyReview(requested_by=Requester.PARENT_CARER), by(LEAD, on)
        ),
    ),
    "extend_early_review_answer": (
        PlanType.CSP,
        lambda f, on: f.plan.extend_early_review_answer(
            ExtendEarlyReviewAnswer(), by(LEAD, on, "Busy")
        ),
    ),
    "decide_early_review": (
        PlanType.CSP,
        lambda f, on: f.plan.decide_early_review(
            DecideEarlyReview(decision=EarlyReviewAnswer.GRANTED), by(OFFICER, on, "Agreed")
        ),
    ),
    "discontinue_csp": (
        PlanType.CSP,
        lambda f, on: f.plan.discontinue_csp(DiscontinueCsp(), by(OFFICER, on, "Needs met")),
    ),
    "record_section": (
        PlanType.CSP,
        lambda f, on: f.plan.record_section(
            RecordSection(name="profile", text="Loves maps"), by(LEAD, on)
        ),
    ),
    "receive_ehcp_request": (
        PlanType.EHCP,
        lambda f, on: f.plan.receive_ehcp_request(
            ReceiveEhcpRequest(requested_by=Requester.PARENT_CARER), by(LEAD, on)
        ),
    ),
    "decide_ehcp_assessment": (
        PlanType.EHCP,
        lambda f, on: f.plan.decide_ehcp_assessment(
            DecideEhcpAssessment(decision=EhcpAssessment.ASSESS), by(OFFICER, on)
        ),
    ),
    "decide_ehcp_issue": (
        PlanType.EHCP,
        lambda f, on: f.plan.decide_ehcp_issue(
            DecideEhcpIssue(decision=EhcpIssue.ISSUE), by(OFFICER, on)
        ),
    ),
    "issue_ehcp": (PlanType.EHCP, lambda f, on: f.plan.issue_ehcp(IssueEhcp(), by(OFFICER, on))),
    "send_ehcp_draft": (
        PlanType.EHCP,
        lambda f, on: f.plan.send_ehcp_draft(SendEhcpDraft(), by(OFFICER, on)),
    ),
    "record_ehcp_exception": (
        PlanType.EHCP,
        lambda f, on: f.plan.record_ehcp_exception(
            RecordEhcpException(ground=EhcpExceptionGround.ABSENT_FROM_AREA),
            by(OFFICER, on, "Away for six weeks"),
        ),
    ),
    "send_ehcp_review_report": (
        PlanType.EHCP,
        lambda f, on: f.plan.send_ehcp_review_report(SendEhcpReviewReport(), by(LEAD, on)),
    ),
    "decide_ehcp_review": (
        PlanType.EHCP,
        lambda f, on: f.plan.decide_ehcp_review(
            DecideEhcpReview(decision=EhcpReviewDecision.MAINTAIN), by(OFFICER, on, "Working")
        ),
    ),
}
