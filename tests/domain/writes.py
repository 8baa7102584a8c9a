"""Every kind of write to a plan: WRITES are each valid on an open `FullPlan` on the
given day; STATUTORY_WRITES need a plan of their type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import uuid4

from domain.plans import Evaluated
from domain.statutory import (
    CspNeed,
    DelayCause,
    EarlyReviewAnswer,
    EhcpAssessment,
    EhcpIssue,
    Requester,
)
from domain.values import Child, PlanType, Progress, ProvisionKind, Role, Whose
from tests.examples import SALT, FullPlan, a_catalogue, a_lead_professional

LEAD = a_lead_professional()

Write = Callable[[FullPlan, date], object]

WRITES: dict[str, Write] = {
    "add_member": lambda f, on: f.plan.add_member(
        user_id="u-new", role=Role.PRACTITIONER, name="Jo Reid", actor=LEAD, occurred_on=on),
    "assign_lead_professional": lambda f, on: f.plan.assign_lead_professional(
        user_id=f.colleague_id, actor=LEAD, occurred_on=on),
    "remove_member": lambda f, on: f.plan.remove_member(
        user_id=f.colleague_id, actor=LEAD, occurred_on=on),
    "leave_agency": lambda f, on: f.plan.leave_agency(org=SALT, actor=LEAD, occurred_on=on),
    "join_agency": lambda f, on: f.plan.join_agency(
        org="ep:lothian", name="Educational Psychology", kind="ep", actor=LEAD,
        occurred_on=on),
    "correct_child_details": lambda f, on: f.plan.correct_child_details(
        child=Child(name="Isla Cameron", date_of_birth=None), actor=LEAD, occurred_on=on),
    "agree_outcome": lambda f, on: f.plan.agree_outcome(
        outcome_id=uuid4(), text="I will read to my sister", area="Literacy",
        aspiration=None, actor=LEAD, occurred_on=on),
    "set_target": lambda f, on: f.plan.set_target(
        target_id=uuid4(), outcome_id=f.outcome_id, text="Read a page aloud",
        due_on=on, success_criteria=None, actor=LEAD, occurred_on=on),
    "revise_target": lambda f, on: f.plan.revise_target(
        target_id=f.target_id, text="Take turns with one peer", actor=LEAD, occurred_on=on),
    "close_target": lambda f, on: f.plan.close_target(
        target_id=f.target_id, actor=LEAD, occurred_on=on),
    "evaluate_target": lambda f, on: f.plan.evaluate_target(
        target_id=f.target_id, progress=Progress.NOT_ACHIEVED, impact="Not yet",
        actor=LEAD, occurred_on=on),
    "plan_provision": lambda f, on: f.plan.plan_provision(
        provision_id=uuid4(), kind=ProvisionKind.EQUIPMENT, description="Ear defenders",
        target_ids=[f.target_id], cost=Decimal("24.99"), actor=LEAD, occurred_on=on),
    "record_delivery": lambda f, on: f.plan.record_delivery(
        provision_id=f.provision_id, sessions=1, actor=LEAD, occurred_on=on),
    "end_provision": lambda f, on: f.plan.end_provision(
        provision_id=f.provision_id, actor=LEAD, occurred_on=on),
    "hold_review": lambda f, on: f.plan.hold_review(
        review_id=uuid4(), held_on=on, attendees=["Fiona"], summary="Steady",
        next_review_on=None, actor=LEAD,
        evaluations=[Evaluated(target_id=f.target_id, progress=Progress.ACHIEVED,
                               impact="Done")]),
    "schedule_review": lambda f, on: f.plan.schedule_review(
        next_review_on=date(on.year + 1, 1, 1), actor=LEAD, occurred_on=on),
    "change_stage": lambda f, on: f.plan.change_stage(
        stage=a_catalogue().get("targeted"), actor=LEAD, occurred_on=on),
    "append_contribution": lambda f, on: f.plan.append_contribution(
        contribution_id=uuid4(), kind="note", text="Calm week", actor=LEAD, occurred_on=on),
    "record_views": lambda f, on: f.plan.record_views(
        views_id=uuid4(), whose=Whose.CHILD, text="I like Lego", actor=LEAD, occurred_on=on),
    "share": lambda f, on: f.plan.share(
        recipients=[SALT], method="post", sha256=None, actor=LEAD, occurred_on=on),
    "grant_disclosure": lambda f, on: f.plan.grant_disclosure(
        disclosure_id=uuid4(), grantee="police:scotland", purpose="Child protection",
        until=None, actor=LEAD, occurred_on=on),
    "revoke_disclosure": lambda f, on: f.plan.revoke_disclosure(
        disclosure_id=f.disclosure_id, actor=LEAD, occurred_on=on),
    "close": lambda f, on: f.plan.close(actor=LEAD, occurred_on=on),
}


# Statutory steps apply to one plan type each. Their order rules are tested beside them
# (test_statutory_steps.py); here they only need to reach the checks every write shares,
# which come first, so any arguments of the right shape serve.
STATUTORY_WRITES: dict[str, tuple[PlanType, Write]] = {
    "receive_csp_request": (PlanType.CSP, lambda f, on: f.plan.receive_csp_request(
        requested_by=Requester.PARENT_CARER, actor=LEAD, occurred_on=on)),
    "decide_csp_need": (PlanType.CSP, lambda f, on: f.plan.decide_csp_need(
        decision=CspNeed.NEEDED, actor=LEAD, occurred_on=on)),
    "delay_csp_preparation": (PlanType.CSP, lambda f, on: f.plan.delay_csp_preparation(
        new_due_on=on, cause=DelayCause.OTHER, actor=LEAD, occurred_on=on, reason="Late")),
    "prepare_csp": (PlanType.CSP, lambda f, on: f.plan.prepare_csp(
        actor=LEAD, occurred_on=on)),
    "start_review": (PlanType.CSP, lambda f, on: f.plan.start_review(
        actor=LEAD, occurred_on=on)),
    "request_early_review": (PlanType.CSP, lambda f, on: f.plan.request_early_review(
        requested_by=Requester.PARENT_CARER, actor=LEAD, occurred_on=on)),
    "extend_early_review_answer": (PlanType.CSP, lambda f, on: (
        f.plan.extend_early_review_answer(actor=LEAD, occurred_on=on, reason="Busy"))),
    "decide_early_review": (PlanType.CSP, lambda f, on: f.plan.decide_early_review(
        decision=EarlyReviewAnswer.GRANTED, actor=LEAD, occurred_on=on)),
    "receive_ehcp_request": (PlanType.EHCP, lambda f, on: f.plan.receive_ehcp_request(
        requested_by=Requester.PARENT_CARER, actor=LEAD, occurred_on=on)),
    "decide_ehcp_assessment": (PlanType.EHCP, lambda f, on: f.plan.decide_ehcp_assessment(
        decision=EhcpAssessment.ASSESS, actor=LEAD, occurred_on=on)),
    "decide_ehcp_issue": (PlanType.EHCP, lambda f, on: f.plan.decide_ehcp_issue(
        decision=EhcpIssue.ISSUE, actor=LEAD, occurred_on=on)),
    "issue_ehcp": (PlanType.EHCP, lambda f, on: f.plan.issue_ehcp(
        actor=LEAD, occurred_on=on)),
}
