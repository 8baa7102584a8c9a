"""Statutory steps that may be recorded only once, or only after the step before them.

The order of the CSP steps is tested in test_statutory_steps.py; these are the remaining
rules of the statutory section of domain/plans.py, each with a test that fails without it.
"""

from __future__ import annotations

import pytest

from domain.errors import ReasonRequiredError
from domain.events import (
    DecideEhcpAssessment,
    DecideEhcpIssue,
    ExtendEarlyReviewAnswer,
    IssueEhcp,
    PrepareCsp,
    ReceiveCspRequest,
    ReceiveEhcpRequest,
    RequestEarlyReview,
    SendEhcpDraft,
)
from domain.statutory import (
    CspAlreadyPreparedError,
    CspRequestAlreadyReceivedError,
    EarlyReviewAlreadyExtendedError,
    EhcpAssessment,
    EhcpIssue,
    EhcpRequestAlreadyReceivedError,
    EhcpStepAlreadyDecidedError,
    EhcpStepOutOfOrderError,
    NoEhcpRequestError,
    Requester,
)
from domain.values import PlanType
from tests.domain.refusals import refused
from tests.examples import a_full_plan, a_lead_professional, an_officer, by, days_ago

LEAD = a_lead_professional()
OFFICER = an_officer()


def a_csp():
    return a_full_plan(PlanType.CSP).plan


def an_ehcp(*steps):
    plan = a_full_plan(PlanType.EHCP).plan
    plan.receive_ehcp_request(
        ReceiveEhcpRequest(requested_by=Requester.PARENT_CARER), by(LEAD, days_ago(60))
    )
    for step in steps:
        step(plan)
    return plan


def assess(plan):
    plan.decide_ehcp_assessment(
        DecideEhcpAssessment(decision=EhcpAssessment.ASSESS), by(OFFICER, days_ago(50))
    )


def decide_to_issue(plan):
    plan.decide_ehcp_issue(DecideEhcpIssue(decision=EhcpIssue.ISSUE), by(OFFICER, days_ago(40)))


def issue(plan):
    if plan.statutory.ehcp_draft_sent_on is None:
        plan.send_ehcp_draft(SendEhcpDraft(), by(OFFICER, days_ago(30)))
    plan.issue_ehcp(IssueEhcp(), by(OFFICER, days_ago(5)))


def request_csp(plan):
    plan.receive_csp_request(
        ReceiveCspRequest(requested_by=Requester.PARENT_CARER), by(LEAD, days_ago(2))
    )


class TestCspRequests:
    def test_a_request_is_received_once(self):
        plan = a_csp()
        request_csp(plan)
        with refused(plan, CspRequestAlreadyReceivedError):
            request_csp(plan)

    def test_no_request_is_received_for_a_csp_already_prepared(self):
        plan = a_csp()
        plan.prepare_csp(PrepareCsp(), by(OFFICER, days_ago(10)))
        with refused(plan, CspAlreadyPreparedError):
            request_csp(plan)


class TestExtendingTheTimeToAnswerAnEarlyReview:
    @pytest.fixture
    def requested(self):
        plan = a_csp()
        plan.prepare_csp(PrepareCsp(), by(OFFICER, days_ago(20)))
        plan.request_early_review(
            RequestEarlyReview(requested_by=Requester.PARENT_CARER), by(LEAD, days_ago(5))
        )
        return plan

    def test_the_time_is_extended_once(self, requested):
        requested.extend_early_review_answer(
            ExtendEarlyReviewAnswer(), by(LEAD, days_ago(1), "Psychologist on leave")
        )
        with refused(requested, EarlyReviewAlreadyExtendedError):
            requested.extend_early_review_answer(
                ExtendEarlyReviewAnswer(), by(LEAD, days_ago(0), "Still on leave")
            )

    @pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
    def test_an_extension_must_say_why(self, requested, reason):
        with refused(requested, ReasonRequiredError):
            requested.extend_early_review_answer(
                ExtendEarlyReviewAnswer(), by(LEAD, days_ago(1), reason)
            )


class TestEhcpSteps:
    def test_a_request_for_assessment_is_received_once(self):
        plan = an_ehcp()
        with refused(plan, EhcpRequestAlreadyReceivedError):
            plan.receive_ehcp_request(
                ReceiveEhcpRequest(requested_by=Requester.SCHOOL), by(LEAD, days_ago(1))
            )

    def test_a_decision_to_assess_needs_a_request(self):
        plan = a_full_plan(PlanType.EHCP).plan
        with refused(plan, NoEhcpRequestError):
            assess(plan)

    def test_a_decision_to_issue_needs_a_decision_to_assess(self):
        plan = an_ehcp()
        with refused(plan, EhcpStepOutOfOrderError):
            decide_to_issue(plan)

    @pytest.mark.parametrize(
        "step", [assess, decide_to_issue, issue], ids=["assess", "decide to issue", "issue"]
    )
    def test_each_step_is_recorded_once(self, step):
        steps = [assess, decide_to_issue, issue]
        plan = an_ehcp(*steps[: steps.index(step) + 1])
        with refused(plan, EhcpStepAlreadyDecidedError):
            step(plan)
