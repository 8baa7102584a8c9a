"""The forms that change a plan. Each one: signed in, CSRF checked, the API's schema checks
the input, and Planning.change authorises and writes the command. A refusal shows the plan
again with the rule in plain words and everything the person typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from application.errors import (
    ConcurrentUpdateError,
    IdempotencyKeyReusedError,
    PlanNotFoundError,
    PreconditionFailedError,
)
from application.planning import Conditions, Planning
from domain.access import Caller
from domain.actions import Action
from domain.directory import Directory
from domain.errors import ActionForbiddenError, PlanningError
from domain.events import (
    AddMember,
    AgreeOutcome,
    AppendContribution,
    ChangeStage,
    ClosePlan,
    Command,
    DiscontinueCsp,
    EndProvision,
    EvaluateTarget,
    ExtendEarlyReviewAnswer,
    GrantDisclosure,
    HoldReview,
    JoinAgency,
    LeaveAgency,
    OpenPlan,
    PlanProvision,
    PrepareCsp,
    ProposeCsp,
    RecordInformationSharing,
    RecordSection,
    RecordViews,
    RemoveMember,
    ReviseTarget,
    RevokeDisclosure,
    SendEhcpDraft,
    SendEhcpReviewReport,
    SetTarget,
    StartReview,
)
from interfaces import wording
from interfaces.http.deps import planning_of
from interfaces.http.routers.chronology import ChronologyCreate
from interfaces.http.routers.information_sharing import SharingCreate
from interfaces.http.routers.provisions import delivery_command
from interfaces.http.routers.sections import SectionBody
from interfaces.http.schemas import (
    AgencyCreate,
    Attributed,
    CloseRequest,
    ContributionCreate,
    DeliveryCreate,
    DisclosureCreate,
    EvaluationCreate,
    MemberCreate,
    OutcomeCreate,
    PlanCreate,
    ProvisionCreate,
    RemovalRequest,
    ReviewCreate,
    RevokeRequest,
    StageChange,
    TargetCreate,
    TargetRevisionCreate,
    ViewsCreate,
    WriteBody,
)
from interfaces.http.statutory_schemas import (
    CspDecisionCreate,
    CspDelayCreate,
    CspRequestAnswerCreate,
    CspRequestCreate,
    EarlyReviewAnswerCreate,
    EarlyReviewRequestCreate,
    EhcpAssessmentDecisionCreate,
    EhcpExceptionCreate,
    EhcpIssueCreate,
    EhcpIssueDecisionCreate,
    EhcpRequestCreate,
    EhcpReviewDecisionCreate,
    EhcpReviewReportCreate,
    LeadProfessionalCreate,
    NoticeCreate,
    ReasonedStep,
    Step,
)
from interfaces.web.forms import LABELS, FormInvalid, claim, explain, typed, validate, value
from interfaces.web.guard import (
    PageError,
    forbidden,
    load_plan,
    not_found,
    parse_plan_id,
    record_read,
    signed_in,
)
from interfaces.web.pages import my_plans_page
from interfaces.web.plan_view import as_uuid, render_plan
from interfaces.web.queries import open_plans_for
from interfaces.web.security import CSRF_FIELD

router = APIRouter(include_in_schema=False)

REUSED = "This form was sent twice with different contents; please send it again."
CHANGED = (
    "The plan changed while you were working on it, so nothing was saved. "
    "Check the plan below and submit again."
)


@dataclass(frozen=True)
class Submission:
    form: FormData
    directory: Directory

    def get(self, name: str) -> str | None:
        return value(self.form, name)

    def common(self) -> dict[str, Any]:
        """The fields every write may carry: when it happened, and why."""
        return {"occurred_on": self.get("occurred_on"), "reason": self.get("reason")}


Handler = Callable[[Submission], tuple[Command, Attributed]]
"""Form fields in, checked by the API's schema; the command they ask for out."""


async def csrf_checked(request: Request) -> tuple[Caller, FormData]:
    # Off the event loop: checking a new token may fetch an identity provider's keys.
    caller = await run_in_threadpool(signed_in, request)
    form = await request.form()
    raw = form.get(CSRF_FIELD)
    problem = request.app.state.web.csrf.check(request, raw if isinstance(raw, str) else None)
    if problem:
        raise PageError(
            403,
            "Not saved",
            f"{problem} Nothing was saved. Go back, reload the page and try again.",
        )
    return caller, form


async def submit(request: Request, plan_id: str, name: str, handler: Handler) -> Response:
    caller, form = await csrf_checked(request)
    return await run_in_threadpool(write_form, request, caller, form, plan_id, name, handler)


def write_form(
    request: Request, caller: Caller, form: FormData, plan_id: str, name: str, handler: Handler
) -> Response:
    planning: Planning = planning_of(request)
    pid = parse_plan_id(plan_id)
    conditions = Conditions(idempotency=claim(form, caller.sub, request.url.path))
    try:
        command, body = handler(Submission(form, planning.people.directory()))
        written = planning.change(
            pid,
            command,
            caller,
            occurred_on=body.occurred_on,
            reason=body.reason,
            conditions=conditions,
        )
    except PlanNotFoundError:
        raise not_found() from None
    except ActionForbiddenError as e:
        raise forbidden(str(e)) from None
    except FormInvalid as e:
        message = e.refusal(FIELD_LABELS.get(name))
        return refused(request, planning, caller, pid, name, form, message, 422)
    except ValidationError as e:  # a section's particulars, checked by the domain
        return refused(request, planning, caller, pid, name, form, explain(e), 422)
    except PlanningError as e:  # a rule of the plan; its message is safe to show
        return refused(request, planning, caller, pid, name, form, wording.refusal(str(e)), 409)
    except (PreconditionFailedError, ConcurrentUpdateError):
        return refused(request, planning, caller, pid, name, form, CHANGED, 409)
    except IdempotencyKeyReusedError:
        return refused(request, planning, caller, pid, name, form, REUSED, 422)
    created = {k: v for k, v in written.created.items() if k not in ("plan_id", "sha256")}
    # Where the page shows what was just made, so that the reader lands on it.
    anchor = next(
        (f"{NUMBERED.get(name, k.removesuffix('_id'))}-{v}" for k, v in created.items()),
        f"form-{name}",
    )
    return RedirectResponse(f"/plans/{pid}?done={name}#{anchor}", status_code=303)


NUMBERED = {"share": "copy", "bundle": "bundle"}
"""Forms whose record is numbered on the page (copy-3, bundle-2), not by its id."""


def refused(
    request: Request,
    planning: Planning,
    caller: Caller,
    pid: UUID,
    name: str,
    form: FormData,
    message: str,
    status_code: int,
) -> Response:
    plan = load_plan(planning, caller, pid, Action.READ_PLAN)
    record_read(request, planning, caller, pid, Action.READ_PLAN)
    return render_plan(
        request,
        planning,
        caller,
        plan,
        plan,
        errors={name: message},
        values={name: typed(form)},
        status_code=status_code,
    )


# -- the handlers: form fields in, a command out --------------------------------------------


def _outcome(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(
        OutcomeCreate,
        {
            "text": s.get("text"),
            "area": s.get("area"),
            "aspiration": s.get("aspiration"),
            **s.common(),
        },
    )
    return body.to(AgreeOutcome), body


def _target(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(
        TargetCreate,
        {
            "outcome_id": s.get("outcome_id"),
            "text": s.get("text"),
            "due_on": s.get("due_on"),
            "success_criteria": s.get("success_criteria"),
            **s.common(),
        },
    )
    return body.to(SetTarget), body


def _target_id(s: Submission) -> UUID:
    target_id = as_uuid(s.get("target_id"))
    if target_id is None:
        raise FormInvalid("Choose the target.")
    return target_id


def _revision(s: Submission) -> tuple[Command, WriteBody]:
    target_id = _target_id(s)
    body = validate(
        TargetRevisionCreate, {"text": s.get("text"), "due_on": s.get("due_on"), **s.common()}
    )
    return body.to(ReviseTarget, target_id=target_id), body


def _evaluation(s: Submission) -> tuple[Command, WriteBody]:
    target_id = _target_id(s)
    body = validate(
        EvaluationCreate, {"progress": s.get("progress"), "impact": s.get("impact"), **s.common()}
    )
    return body.to(EvaluateTarget, target_id=target_id), body


def _provision(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(
        ProvisionCreate,
        {
            "kind": s.get("kind"),
            "description": s.get("description"),
            "target_ids": [t for t in s.form.getlist("target_ids") if isinstance(t, str) and t],
            "bespoke": s.get("bespoke") == "yes",
            **{
                k: s.get(k)
                for k in (
                    "frequency",
                    "sessions_per_week",
                    "minutes_per_session",
                    "staff",
                    "cost",
                    "funding",
                    "recommended_by",
                    "provided_by",
                    "replaces",
                    "weeks_per_year",
                    "funding_stream",
                )
            },
            **s.common(),
        },
    )
    return body.to(PlanProvision), body


def _delivery(s: Submission) -> tuple[Command, Attributed]:
    body = validate(
        DeliveryCreate,
        {
            "period_from": s.get("period_from"),
            "period_to": s.get("period_to"),
            "sessions_delivered": s.get("sessions_delivered"),
            "sessions_missed": s.get("sessions_missed"),
            "note": s.get("note"),
            "reason": s.get("reason"),
        },
    )
    return delivery_command(as_uuid(s.get("provision_id")), body)


def _provision_end(s: Submission) -> tuple[Command, Attributed]:
    body = validate(RemovalRequest, s.common())
    return EndProvision(provision_id=as_uuid(s.get("provision_id"))), body


def _review(s: Submission) -> tuple[Command, WriteBody]:
    # The form has a progress and an impact field per open target, named by its id, in
    # the plan's order; a target with neither is not evaluated at this review.
    evaluations = []
    for key in s.form:
        if not key.startswith("progress:") and not key.startswith("impact:"):
            continue
        target_id = key.partition(":")[2]
        if key.startswith("impact:") and f"progress:{target_id}" in s.form:
            continue  # taken with its progress
        progress, impact = s.get(f"progress:{target_id}"), s.get(f"impact:{target_id}")
        if progress is None and impact is None:
            continue
        if progress is None:
            raise FormInvalid(
                "Each evaluated target needs its progress: choose one, or clear "
                "the impact to leave the target out of this review."
            )
        evaluations.append({"target_id": target_id, "progress": progress, "impact": impact})
    attendees = [line.strip() for line in (s.get("attendees") or "").splitlines() if line.strip()]
    body = validate(
        ReviewCreate,
        {
            "held_on": s.get("held_on"),
            "attendees": attendees,
            "summary": s.get("summary"),
            "evaluations": evaluations,
            "next_review_on": s.get("next_review_on"),
            "kind": s.get("kind") or "in_year",
            "recommends_discontinuance": s.get("recommends_discontinuance") == "yes",
            "provision_impacts": [
                {"provision_id": key.partition(":")[2], "impact": s.get(key)}
                for key in s.form
                if key.startswith("provision_impact:") and s.get(key)
            ],
            "reason": s.get("reason"),
        },
    )
    return body.to(HoldReview), body


def _stage(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(StageChange, {"stage": s.get("stage"), **s.common()})
    return body.to(ChangeStage), body


def _agency(s: Submission) -> tuple[Command, WriteBody]:
    fields = {"org": s.get("org"), "name": s.get("name"), "kind": s.get("kind")}
    if known := s.directory.organisations.get(s.get("known") or ""):
        fields = {"org": known.org, "name": known.name, "kind": known.kind}
    body = validate(AgencyCreate, {**fields, **s.common()})
    return body.to(JoinAgency), body


def _contribution(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(
        ContributionCreate, {"kind": s.get("kind"), "text": s.get("text"), **s.common()}
    )
    return body.to(AppendContribution), body


def _views(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(ViewsCreate, {"whose": s.get("whose"), "text": s.get("text"), **s.common()})
    return body.to(RecordViews), body


def _chronology(s: Submission) -> tuple[Command, Attributed]:
    body = validate(
        ChronologyCreate,
        {
            "period_from": s.get("period_from"),
            "period_to": s.get("period_to"),
            "date_uncertain": s.get("date_uncertain") == "yes",
            "source": s.get("source"),
            "kind": s.get("kind"),
            "text": s.get("text"),
            "impact": s.get("impact"),
            "action": s.get("action"),
            "wellbeing": [w for w in s.form.getlist("wellbeing") if isinstance(w, str)],
            "agency": s.get("agency"),
            "family_may_see": s.get("keep_from_family") != "yes",
            **s.common(),
        },
    )
    return body.command(), body.when()


def _sharing(s: Submission) -> tuple[Command, WriteBody]:
    fields = ("information", "shared_with", "lawful_basis", "necessary_because")
    optional = ("child_views", "family_views", "withheld", "not_informed_because")
    body = validate(
        SharingCreate,
        {
            **{f: s.get(f) for f in (*fields, *optional)},
            "emergency": s.get("emergency") == "yes",
            "family_informed": s.get("not_informed") != "yes",
            **s.common(),
        },
    )
    return body.to(RecordInformationSharing), body


def _member(s: Submission) -> tuple[Command, WriteBody]:
    fields = {f: s.get(f) for f in ("user_id", "role", "name")}
    fields["email"] = s.get("email") or None
    if known := s.directory.people.get(s.get("known") or ""):
        fields = {f: getattr(known, f) for f in ("user_id", "role", "name", "email")}
    body = validate(MemberCreate, {**fields, **s.common()})
    return body.to(AddMember), body


def _member_removal(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(RemovalRequest, s.common())
    return body.to(RemoveMember, user_id=s.get("user_id") or ""), body


def _agency_leaving(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(RemovalRequest, s.common())
    return body.to(LeaveAgency, org=s.get("org") or ""), body


def _disclosure(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(
        DisclosureCreate,
        {
            "grantee": s.get("known") or s.get("grantee"),
            "purpose": s.get("purpose"),
            "until": s.get("until") or None,
            **s.common(),
        },
    )
    return body.to(GrantDisclosure), body


def _disclosure_revoking(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(RevokeRequest, s.common())
    return RevokeDisclosure(disclosure_id=as_uuid(s.get("disclosure_id"))), body


def _close(s: Submission) -> tuple[Command, WriteBody]:
    body = validate(CloseRequest, s.common())
    return body.to(ClosePlan), body


# -- a CSP's statutory steps, sections and notices (the same bodies and commands as the API)


def _csp_request(s: Submission) -> tuple[Command, Attributed]:
    body = validate(CspRequestCreate, {"requested_by": s.get("requested_by"), **s.common()})
    return body.command(), body


def _csp_answer(s: Submission) -> tuple[Command, Attributed]:
    body = validate(CspRequestAnswerCreate, {"answer": s.get("answer"), **s.common()})
    return body.command(as_uuid(s.get("request_id"))), body


def _csp_proposal(s: Submission) -> tuple[Command, Attributed]:
    body = validate(Step, s.common())
    return ProposeCsp(), body


def _csp_delay(s: Submission) -> tuple[Command, Attributed]:
    body = validate(
        CspDelayCreate, {"cause": s.get("cause"), "new_due_on": s.get("new_due_on"), **s.common()}
    )
    return body.command(), body


def _csp_decision(s: Submission) -> tuple[Command, Attributed]:
    needed = {"yes": True, "no": False}.get(s.get("needed") or "")
    body = validate(CspDecisionCreate, {"needed": needed, **s.common()})
    return body.command(), body


def _yes_no(s: Submission, name: str) -> bool | None:
    return {"yes": True, "no": False}.get(s.get(name) or "")


def _ehcp_request(s: Submission) -> tuple[Command, Attributed]:
    body = validate(EhcpRequestCreate, {"requested_by": s.get("requested_by"), **s.common()})
    return body.command(), body


def _ehcp_assessment(s: Submission) -> tuple[Command, Attributed]:
    body = validate(EhcpAssessmentDecisionCreate, {"assess": _yes_no(s, "assess"), **s.common()})
    return body.command(), body


def _ehcp_issue_decision(s: Submission) -> tuple[Command, Attributed]:
    body = validate(EhcpIssueDecisionCreate, {"issue": _yes_no(s, "issue"), **s.common()})
    return body.command(), body


def _ehcp_draft(s: Submission) -> tuple[Command, Attributed]:
    return SendEhcpDraft(), validate(Step, s.common())


def _ehcp_review_report(s: Submission) -> tuple[Command, Attributed]:
    body = validate(
        EhcpReviewReportCreate, {"recommendations": s.get("recommendations"), **s.common()}
    )
    return body.to(SendEhcpReviewReport), body


def _ehcp_issue(s: Submission) -> tuple[Command, Attributed]:
    body = validate(EhcpIssueCreate, {"amended": _yes_no(s, "amended") or False, **s.common()})
    return body.command(), body


def _ehcp_review_decision(s: Submission) -> tuple[Command, Attributed]:
    body = validate(EhcpReviewDecisionCreate, {"decision": s.get("decision"), **s.common()})
    return body.command(), body


def _ehcp_exception(s: Submission) -> tuple[Command, Attributed]:
    body = validate(EhcpExceptionCreate, {"ground": s.get("ground"), **s.common()})
    return body.command(), body


def _csp_sign(s: Submission) -> tuple[Command, Attributed]:
    return PrepareCsp(), validate(Step, s.common())


def _csp_review(s: Submission) -> tuple[Command, Attributed]:
    return StartReview(), validate(Step, s.common())


def _early_review_request(s: Submission) -> tuple[Command, Attributed]:
    body = validate(EarlyReviewRequestCreate, {"requested_by": s.get("requested_by"), **s.common()})
    return body.command(), body


def _early_review_extension(s: Submission) -> tuple[Command, Attributed]:
    body = validate(ReasonedStep, s.common())
    return ExtendEarlyReviewAnswer(request_id=as_uuid(s.get("request_id"))), body


def _early_review_answer(s: Submission) -> tuple[Command, Attributed]:
    body = validate(EarlyReviewAnswerCreate, {"answer": s.get("answer"), **s.common()})
    return body.command(as_uuid(s.get("request_id"))), body


def _notice(s: Submission) -> tuple[Command, Attributed]:
    to = [line.strip() for line in (s.get("to") or "").splitlines() if line.strip()]
    body = validate(
        NoticeCreate,
        {
            "kind": s.get("kind"),
            "to": to,
            "method": s.get("method"),
            "by_email": s.get("by_email") == "yes",
            **s.common(),
        },
    )
    return body.command(), body


def _discontinue(s: Submission) -> tuple[Command, Attributed]:
    return DiscontinueCsp(), validate(ReasonedStep, s.common())


def _lead_professional(s: Submission) -> tuple[Command, Attributed]:
    body = validate(
        LeadProfessionalCreate, {"user_id": s.get("user_id"), "name": s.get("name"), **s.common()}
    )
    return body.command(), body


def _section(s: Submission) -> tuple[Command, Attributed]:
    """A section's text and its particulars: `detail:<field>` inputs, and for parents
    `parent<n>:<field>` (the domain checks them against the section, domain/sections.py)."""
    details: dict[str, Any] = {}
    parents: dict[str, dict[str, str]] = {}
    for key in s.form:
        given = s.get(key)
        if given is None:
            continue
        if key.startswith("detail:"):
            details[key.partition(":")[2]] = given
        elif key.startswith("parent") and ":" in key:
            number, _, field = key.partition(":")
            parents.setdefault(number, {})[field] = given
    if parents:
        details["parents"] = [parents[n] for n in sorted(parents)]
    body = validate(SectionBody, {"text": s.get("text"), **s.common()})
    return RecordSection(name=s.get("name") or "", text=body.text, details=details), body


# A refusal names a field as its form does, where the general words (forms.LABELS) would
# not say which: "The target is needed", not "The text is needed".
FIELD_LABELS: dict[str, dict[str, str]] = {
    "outcome": {"text": "The outcome", "aspiration": "The aspiration it leads towards"},
    "target": {
        "text": "The target",
        "outcome_id": "The outcome it works towards",
        "success_criteria": "How you will know it is achieved",
    },
    "revision": {
        "text": "The new wording",
        "due_on": "The new due date",
        "reason": "Why it changes",
    },
    "evaluation": {"impact": "What you saw (the impact)"},
    "provision": {"description": "What will be done", "funding": "Funded by"},
    "delivery": {"note": "The note", "period_from": "From", "period_to": "To"},
    "provision_end": {"reason": "Why it ends"},
    "review": {"summary": "The summary of the discussion", "impact": "What was seen (the impact)"},
    "stage": {"stage": "The new stage", "reason": "The reason for the change"},
    "agency": {
        "org": "The agency's organisation id",
        "name": "The agency name",
        "kind": "The kind of agency",
        "reason": "Why it joins",
    },
    "contribution": {"text": "The contribution", "kind": "The kind of contribution"},
    "views": {"text": "What was said"},
    "chronology": {
        "text": "What happened",
        "kind": "The kind of entry",
        "impact": "What it meant for the child",
        "action": "What was done, or is to be done",
        "agency": "The agency it comes from",
    },
    "sharing": {
        "reason": "Why it was shared",
        "necessary_because": "Why it was necessary and proportionate",
        "occurred_on": "The date it was shared",
        "child_views": "The child's views on sharing it",
        "family_views": "The family's views on sharing it",
        "withheld": "What was decided not to share, and why",
    },
    "member": {"user_id": "Their user id", "email": "The email address"},
    "member_removal": {"user_id": "Who", "reason": "Why their access ends"},
    "agency_leaving": {"org": "Which agency", "reason": "Why its part ends"},
    "disclosure": {"grantee": "To whom", "purpose": "For what", "until": "Until when"},
    "disclosure_revoking": {"reason": "Why it ends"},
    "close": {"reason": "Why it closes"},
    "csp_answer": {"answer": "The answer"},
    "csp_decision": {"needed": "Whether a CSP is needed", "reason": "The reasons"},
    "csp_delay": {"cause": "The cause", "new_due_on": "The new date"},
    "early_review_extension": {"reason": "Why 4 weeks is impractical"},
    "early_review_answer": {"answer": "The answer"},
    "ehcp_assessment": {"reason": "The reasons"},
    "ehcp_issue_decision": {"reason": "The reasons"},
    "ehcp_review_decision": {"decision": "The decision", "reason": "The reasons"},
    "ehcp_exception": {"ground": "The ground", "reason": "What happened"},
    "ehcp_review_report": {"recommendations": "The amendments the meeting recommends"},
    "notice": {"kind": "The notice", "to": "To whom", "method": "How it was given"},
    "section": {"text": "The section's text", "reason": "Why it changes"},
    "share": {"recipients": "Who it was given to", "method": "How it was given"},
    "bundle": {"to": "The date the record goes up to"},
}

FORMS: dict[str, tuple[str, Handler]] = {
    "outcome": ("outcomes", _outcome),
    "target": ("targets", _target),
    "revision": ("revisions", _revision),
    "evaluation": ("evaluations", _evaluation),
    "provision": ("provisions", _provision),
    "delivery": ("provisions/deliveries", _delivery),
    "provision_end": ("provisions/end", _provision_end),
    "review": ("reviews", _review),
    "stage": ("stage", _stage),
    "agency": ("agencies", _agency),
    "contribution": ("contributions", _contribution),
    "views": ("views", _views),
    "chronology": ("chronology", _chronology),
    "sharing": ("information-sharing", _sharing),
    "member": ("members", _member),
    "member_removal": ("members/remove", _member_removal),
    "agency_leaving": ("agencies/leave", _agency_leaving),
    "disclosure": ("disclosures", _disclosure),
    "disclosure_revoking": ("disclosures/revoke", _disclosure_revoking),
    "close": ("close", _close),
    "ehcp_request": ("ehcp/requests", _ehcp_request),
    "ehcp_assessment": ("ehcp/assessment-decision", _ehcp_assessment),
    "ehcp_issue_decision": ("ehcp/issue-decision", _ehcp_issue_decision),
    "ehcp_draft": ("ehcp/draft", _ehcp_draft),
    "ehcp_issue": ("ehcp/issue", _ehcp_issue),
    "ehcp_review_report": ("ehcp/review-report", _ehcp_review_report),
    "ehcp_review_decision": ("ehcp/review-decision", _ehcp_review_decision),
    "ehcp_exception": ("ehcp/exceptions", _ehcp_exception),
    "csp_request": ("csp/requests", _csp_request),
    "csp_answer": ("csp/answer", _csp_answer),
    "csp_proposal": ("csp/proposal", _csp_proposal),
    "csp_delay": ("csp/delays", _csp_delay),
    "csp_decision": ("csp/decision", _csp_decision),
    "csp_sign": ("csp/sign", _csp_sign),
    "csp_review": ("csp/reviews", _csp_review),
    "early_review_request": ("early-review-requests", _early_review_request),
    "early_review_extension": ("early-review-requests/extension", _early_review_extension),
    "early_review_answer": ("early-review-requests/answer", _early_review_answer),
    "notice": ("notices", _notice),
    "discontinue": ("csp/discontinue", _discontinue),
    "lead_professional": ("lead-professional", _lead_professional),
    "section": ("sections", _section),
}


def _route(name: str, handler: Handler) -> Callable[..., Any]:
    async def post(request: Request, plan_id: str) -> Response:
        return await submit(request, plan_id, name, handler)

    post.__name__ = f"web_{name}"
    return post


for _name, (_path, _handler) in FORMS.items():
    router.add_api_route(
        f"/plans/{{plan_id}}/{_path}",
        _route(_name, _handler),
        methods=["POST"],
        name=f"web_{_name}",
    )


# -- opening a plan -------------------------------------------------------------------------


@router.post("/plans")
async def open_plan(request: Request) -> Response:
    caller, form = await csrf_checked(request)
    return await run_in_threadpool(_open, request, caller, form)


def _open(request: Request, caller: Caller, form: FormData) -> Response:
    planning: Planning = planning_of(request)
    try:
        body = validate(
            PlanCreate,
            {
                "plan_type": value(form, "plan_type"),
                "stage": value(form, "stage"),
                # A plan is opened under the opener's own organisation (access.authorise_opening).
                "org": caller.org,
                "next_review_on": value(form, "next_review_on"),
                "child": {
                    "name": value(form, "child_name"),
                    "date_of_birth": value(form, "date_of_birth"),
                },
                "occurred_on": value(form, "occurred_on"),
                "reason": value(form, "reason"),
            },
            {**LABELS, "name": "The child's name", "org": "The school or service"},
        )
        if value(form, "another_plan") != "yes":
            existing = open_plans_for(request, caller, body.child.name, body.child.date_of_birth)
            if existing:
                planning.record_reads(existing, caller.actor(), request.url.path)
                return _open_refused(request, caller, form, ALREADY_OPEN, 409, existing)
        written = planning.open_plan(
            body.to(OpenPlan),
            caller,
            occurred_on=body.occurred_on,
            reason=body.reason,
            conditions=Conditions(idempotency=claim(form, caller.sub, request.url.path)),
        )
    except ActionForbiddenError as e:
        raise forbidden(str(e)) from None
    except FormInvalid as e:
        message = e.refusal(inputs={"child.name": "child_name"})
        return _open_refused(request, caller, form, message, 422)
    except PlanningError as e:
        return _open_refused(request, caller, form, wording.refusal(str(e)), 409)
    except IdempotencyKeyReusedError:
        return _open_refused(request, caller, form, REUSED, 422)
    return RedirectResponse(f"/plans/{written.plan_id}?done=open", status_code=303)


ALREADY_OPEN = (
    "A plan for a child with this name and date of birth is already open (below). Open "
    "another only if this one is meant to sit beside it: tick the box and open it again."
)


def _open_refused(
    request: Request,
    caller: Caller,
    form: FormData,
    message: str,
    status_code: int,
    existing: list[UUID] | None = None,
) -> Response:
    return my_plans_page(
        request,
        caller,
        {},
        errors={"open": message},
        values={"open": {**typed(form), "existing": [str(p) for p in existing or []]}},
        status_code=status_code,
    )
