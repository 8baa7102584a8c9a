"""The forms that change a plan. Each one: signed in, CSRF checked, access.decide asked,
the API's schema checks the input, a Planning use case writes. A refusal shows the plan
again with the rule in plain words and everything the person typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from application.errors import (
    ConcurrentUpdateError,
    IdempotencyKeyReusedError,
    PreconditionFailedError,
)
from application.planning import Conditions, Planning, Written
from domain.errors import PlanningError
from domain.plans import Evaluated, Plan
from domain.values import Child, Role, Whose
from interfaces.http import access
from interfaces.http.access import Action
from interfaces.http.auth import Caller
from interfaces.http.deps import planning_of
from interfaces.http.schemas import (
    AgencyCreate,
    ContributionCreate,
    EvaluationCreate,
    MemberCreate,
    OutcomeCreate,
    PlanCreate,
    ProvisionCreate,
    ReviewCreate,
    StageChange,
    TargetCreate,
    TargetRevisionCreate,
    ViewsCreate,
)
from interfaces.web import wording
from interfaces.web.forms import LABELS, FormInvalid, claim, typed, validate, value
from interfaces.web.guard import (
    PageError,
    forbidden,
    load_plan,
    parse_plan_id,
    record_read,
    signed_in,
)
from interfaces.web.pages import my_plans_page
from interfaces.web.plan_view import as_uuid, render_plan
from interfaces.web.security import CSRF_FIELD

router = APIRouter(include_in_schema=False)

REUSED = "This form was sent twice with different contents; please send it again."
CHANGED = ("The plan changed while you were working on it, so nothing was saved. "
           "Check the plan below and submit again.")


@dataclass(frozen=True)
class Submission:
    planning: Planning
    caller: Caller
    plan: Plan
    form: FormData
    conditions: Conditions

    def get(self, name: str) -> str | None:
        return value(self.form, name)

    def common(self) -> dict[str, Any]:
        """The fields every write may carry: when it happened, and why."""
        return {"occurred_on": self.get("occurred_on"), "reason": self.get("reason")}


Handler = Callable[[Submission], Written]


async def csrf_checked(request: Request) -> tuple[Caller, FormData]:
    # Off the event loop: checking a new token may fetch an identity provider's keys.
    caller = await run_in_threadpool(signed_in, request)
    form = await request.form()
    raw = form.get(CSRF_FIELD)
    problem = request.app.state.web.csrf.check(request, raw if isinstance(raw, str) else None)
    if problem:
        raise PageError(403, "Not saved", f"{problem} Nothing was saved. "
                        "Go back, reload the page and try again.")
    return caller, form


async def submit(request: Request, plan_id: str, name: str, action: Action,
                 handler: Handler) -> Response:
    caller, form = await csrf_checked(request)
    return await run_in_threadpool(_write, request, caller, form, plan_id, name, action, handler)


def _write(request: Request, caller: Caller, form: FormData, plan_id: str, name: str,
           action: Action, handler: Handler) -> Response:
    planning: Planning = planning_of(request)
    pid = parse_plan_id(plan_id)
    plan = load_plan(planning, caller, pid, action)
    conditions = Conditions(idempotency=claim(form, caller.sub, request.url.path))
    try:
        written = handler(Submission(planning, caller, plan, form, conditions))
    except FormInvalid as e:
        return _refused(request, planning, caller, pid, name, form, str(e), 422)
    except PlanningError as e:  # a rule of the plan; its message is safe to show
        return _refused(request, planning, caller, pid, name, form, wording.refusal(str(e)), 409)
    except (PreconditionFailedError, ConcurrentUpdateError):
        return _refused(request, planning, caller, pid, name, form, CHANGED, 409)
    except IdempotencyKeyReusedError:
        return _refused(request, planning, caller, pid, name, form, REUSED, 422)
    anchor = next((f"{k.removesuffix('_id')}-{v}" for k, v in written.created.items()
                   if k != "plan_id"), f"form-{name}")
    return RedirectResponse(f"/plans/{pid}?done={name}#{anchor}", status_code=303)


def _refused(request: Request, planning: Planning, caller: Caller, pid: UUID, name: str,
             form: FormData, message: str, status_code: int) -> Response:
    plan = planning.get_plan(pid)
    record_read(request, planning, caller, pid, Action.READ_PLAN)
    return render_plan(request, planning, caller, plan, plan, errors={name: message},
                       values={name: typed(form)}, status_code=status_code)


# -- the handlers: form fields in, a use case out -------------------------------------------


def _outcome(s: Submission) -> Written:
    body = validate(OutcomeCreate, {"text": s.get("text"), "area": s.get("area"),
                                    "aspiration": s.get("aspiration"), **s.common()})
    return s.planning.agree_outcome(
        s.plan.id, text=body.text, area=body.area, aspiration=body.aspiration,
        actor=s.caller.actor(), occurred_on=body.occurred_on, reason=body.reason,
        conditions=s.conditions)


def _target(s: Submission) -> Written:
    body = validate(TargetCreate, {
        "outcome_id": s.get("outcome_id"), "text": s.get("text"), "due_on": s.get("due_on"),
        "success_criteria": s.get("success_criteria"), **s.common()})
    return s.planning.set_target(
        s.plan.id, outcome_id=body.outcome_id, text=body.text, due_on=body.due_on,
        success_criteria=body.success_criteria, actor=s.caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=s.conditions)


def _target_id(s: Submission) -> UUID:
    target_id = as_uuid(s.get("target_id"))
    if target_id is None:
        raise FormInvalid("Choose the target.")
    return target_id


def _revision(s: Submission) -> Written:
    target_id = _target_id(s)
    body = validate(TargetRevisionCreate, {"text": s.get("text"), "due_on": s.get("due_on"),
                                           **s.common()})
    return s.planning.revise_target(
        s.plan.id, target_id, text=body.text, due_on=body.due_on, actor=s.caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=s.conditions)


def _evaluation(s: Submission) -> Written:
    target_id = _target_id(s)
    body = validate(EvaluationCreate, {"progress": s.get("progress"), "impact": s.get("impact"),
                                       **s.common()})
    return s.planning.evaluate_target(
        s.plan.id, target_id, progress=body.progress, impact=body.impact,
        actor=s.caller.actor(), occurred_on=body.occurred_on, reason=body.reason,
        conditions=s.conditions)


def _provision(s: Submission) -> Written:
    body = validate(ProvisionCreate, {
        "kind": s.get("kind"), "description": s.get("description"),
        "target_ids": [t for t in s.form.getlist("target_ids") if isinstance(t, str) and t],
        **{k: s.get(k) for k in ("frequency", "sessions_per_week", "minutes_per_session",
                                 "staff", "cost", "funding", "recommended_by")},
        **s.common()})
    return s.planning.plan_provision(
        s.plan.id, kind=body.kind, description=body.description, target_ids=body.target_ids,
        frequency=body.frequency, sessions_per_week=body.sessions_per_week,
        minutes_per_session=body.minutes_per_session, staff=body.staff, cost=body.cost,
        funding=body.funding, recommended_by=body.recommended_by, actor=s.caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=s.conditions)


def _review(s: Submission) -> Written:
    evaluations = []
    for target in s.plan.open_targets():
        progress, impact = s.get(f"progress:{target.id}"), s.get(f"impact:{target.id}")
        if progress is None and impact is None:
            continue  # not evaluated at this review
        if progress is None:
            raise FormInvalid("Each evaluated target needs its progress: choose one, or clear "
                              "the impact to leave the target out of this review.")
        evaluations.append({"target_id": str(target.id), "progress": progress, "impact": impact})
    attendees = [line.strip() for line in (s.get("attendees") or "").splitlines() if line.strip()]
    body = validate(ReviewCreate, {
        "held_on": s.get("held_on"), "attendees": attendees, "summary": s.get("summary"),
        "evaluations": evaluations, "next_review_on": s.get("next_review_on"),
        "reason": s.get("reason")})
    return s.planning.hold_review(
        s.plan.id, held_on=body.held_on, attendees=body.attendees, summary=body.summary,
        next_review_on=body.next_review_on, actor=s.caller.actor(), reason=body.reason,
        evaluations=[Evaluated(target_id=e.target_id, progress=e.progress, impact=e.impact)
                     for e in body.evaluations],
        conditions=s.conditions)


def _stage(s: Submission) -> Written:
    body = validate(StageChange, {"stage": s.get("stage"), **s.common()})
    return s.planning.change_stage(
        s.plan.id, stage=body.stage, actor=s.caller.actor(), occurred_on=body.occurred_on,
        reason=body.reason, conditions=s.conditions)


def _agency(s: Submission) -> Written:
    body = validate(AgencyCreate, {"org": s.get("org"), "name": s.get("name"),
                                   "kind": s.get("kind"), **s.common()})
    return s.planning.join_agency(
        s.plan.id, org=body.org, name=body.name, kind=body.kind, actor=s.caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=s.conditions)


def _contribution(s: Submission) -> Written:
    body = validate(ContributionCreate, {"kind": s.get("kind"), "text": s.get("text"),
                                         **s.common()})
    return s.planning.append_contribution(
        s.plan.id, kind=body.kind, text=body.text, actor=s.caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=s.conditions)


def _views(s: Submission) -> Written:
    body = validate(ViewsCreate, {"whose": s.get("whose"), "text": s.get("text"),
                                  **s.common()})
    if not access.may_record_views(s.caller, Whose(body.whose)):
        raise forbidden("You may not record these views.")
    return s.planning.record_views(
        s.plan.id, whose=body.whose, text=body.text, actor=s.caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=s.conditions)


def _member(s: Submission) -> Written:
    body = validate(MemberCreate, {"user_id": s.get("user_id"), "role": s.get("role"),
                                   "name": s.get("name"), **s.common()})
    return s.planning.add_member(
        s.plan.id, user_id=body.user_id, role=Role(body.role), name=body.name,
        actor=s.caller.actor(), occurred_on=body.occurred_on, reason=body.reason,
        conditions=s.conditions)


FORMS: dict[str, tuple[str, Action, Handler]] = {
    "outcome": ("outcomes", Action.AGREE_OUTCOME, _outcome),
    "target": ("targets", Action.SET_TARGET, _target),
    "revision": ("revisions", Action.REVISE_TARGET, _revision),
    "evaluation": ("evaluations", Action.EVALUATE_TARGET, _evaluation),
    "provision": ("provisions", Action.PLAN_PROVISION, _provision),
    "review": ("reviews", Action.HOLD_REVIEW, _review),
    "stage": ("stage", Action.CHANGE_STAGE, _stage),
    "agency": ("agencies", Action.JOIN_AGENCY, _agency),
    "contribution": ("contributions", Action.APPEND_CONTRIBUTION, _contribution),
    "views": ("views", Action.RECORD_VIEWS, _views),
    "member": ("members", Action.ADD_MEMBER, _member),
}


def _route(name: str, action: Action, handler: Handler) -> Callable[..., Any]:
    async def post(request: Request, plan_id: str) -> Response:
        return await submit(request, plan_id, name, action, handler)

    post.__name__ = f"web_{name}"
    return post


for _name, (_path, _action, _handler) in FORMS.items():
    router.add_api_route(f"/plans/{{plan_id}}/{_path}", _route(_name, _action, _handler),
                         methods=["POST"], name=f"web_{_name}")


# -- opening a plan -------------------------------------------------------------------------


@router.post("/plans")
async def open_plan(request: Request) -> Response:
    caller, form = await csrf_checked(request)
    return await run_in_threadpool(_open, request, caller, form)


def _open(request: Request, caller: Caller, form: FormData) -> Response:
    if not access.may_open_plans(caller):
        raise forbidden("Only a lead professional may open a plan.")
    planning: Planning = planning_of(request)
    try:
        body = validate(PlanCreate, {
            "plan_type": value(form, "plan_type"), "stage": value(form, "stage"),
            "org": value(form, "org"), "next_review_on": value(form, "next_review_on"),
            "child": {"name": value(form, "child_name"),
                      "date_of_birth": value(form, "date_of_birth")},
            "occurred_on": value(form, "occurred_on"), "reason": value(form, "reason")},
            {**LABELS, "name": "The child's name", "org": "The school or service"})
        written = planning.open_plan(
            plan_type=body.plan_type, stage=body.stage, org=body.org, actor=caller.actor(),
            child=Child(name=body.child.name, date_of_birth=body.child.date_of_birth),
            occurred_on=body.occurred_on, next_review_on=body.next_review_on,
            reason=body.reason,
            conditions=Conditions(idempotency=claim(form, caller.sub, request.url.path)))
    except FormInvalid as e:
        return _open_refused(request, caller, form, str(e), 422)
    except PlanningError as e:
        return _open_refused(request, caller, form, wording.refusal(str(e)), 409)
    except IdempotencyKeyReusedError:
        return _open_refused(request, caller, form, REUSED, 422)
    return RedirectResponse(f"/plans/{written.plan_id}?done=open", status_code=303)


def _open_refused(request: Request, caller: Caller, form: FormData, message: str,
                  status_code: int) -> Response:
    return my_plans_page(request, caller, {}, errors={"open": message},
                         values={"open": typed(form)}, status_code=status_code)
