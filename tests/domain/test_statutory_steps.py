"""The rules on recording statutory steps: each refusal is named and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from datetime import date

import pytest

from domain.errors import DateOrderError
from domain.events import (
    DecideCspNeed,
    DecideEarlyReview,
    DecideEhcpAssessment,
    DelayCspPreparation,
    ExtendEarlyReviewAnswer,
    IssueEhcp,
    PrepareCsp,
    ReceiveCspRequest,
    ReceiveEhcpRequest,
    RequestEarlyReview,
    StartReview,
)
from domain.plans import Plan
from domain.statutory import (
    CspAlreadyPreparedError,
    CspNeed,
    CspNeedAlreadyDecidedError,
    CspNeedNotDecidedError,
    CspNotInPreparationError,
    CspNotNeededError,
    CspNotPreparedError,
    DelayCause,
    DelayReasonMissingError,
    EarlyReviewAlreadyDecidedError,
    EarlyReviewAnswer,
    EarlyReviewDeadlinePassedError,
    EarlyReviewRequestPendingError,
    EhcpAssessment,
    EhcpStepOutOfOrderError,
    NoCspRequestError,
    NoEarlyReviewRequestError,
    NotACspPlanError,
    NotAnEhcpPlanError,
    PreparationDelayNotLaterError,
    Requester,
    ReviewAlreadyStartedError,
    add_months,
)
from domain.values import PlanType
from tests.domain.test_statutory_clocks import LEAD, a_csp_in_preparation, a_plan, a_prepared_csp
from tests.examples import by


@contextmanager
def refused(plan: Plan, error: type[Exception]) -> Iterator[None]:
    """The command in the block raises `error`, records no event and changes nothing."""
    plan.collect_events()
    before = deepcopy(plan)
    with pytest.raises(error):
        yield
    assert plan.collect_events() == []
    assert plan == before


def event_types(plan: Plan) -> list[str]:
    return [type(e).__name__ for e in plan.collect_events()]


def requested(plan: Plan, on: date = date(2024, 3, 1)) -> Plan:
    plan.receive_csp_request(ReceiveCspRequest(requested_by=Requester.PARENT_CARER), by(LEAD, on))
    return plan


class TestTheCalendar:
    def test_12_months_from_29_february_ends_on_28_february(self):
        assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)

    def test_2_months_from_31_december_ends_on_the_last_day_of_february(self):
        assert add_months(date(2023, 12, 31), 2) == date(2024, 2, 29)


class TestCspSteps:
    def test_the_steps_are_recorded_in_order(self):
        plan = a_prepared_csp(date(2024, 5, 1))
        assert event_types(plan) == [
            "PlanOpened",
            "CspRequestReceived",
            "CspNeedDecided",
            "CspPrepared",
        ]
        assert plan.statutory.csp_prepared_on == date(2024, 5, 1)

    def test_only_a_csp_records_csp_steps(self):
        plan = a_plan(PlanType.IEP)
        with refused(plan, NotACspPlanError):
            requested(plan)

    def test_a_decision_needs_a_request(self):
        plan = a_plan()
        with refused(plan, NoCspRequestError):
            plan.decide_csp_need(DecideCspNeed(decision=CspNeed.NEEDED), by(LEAD, date(2024, 3, 1)))

    def test_need_is_decided_once(self):
        plan = a_csp_in_preparation(date(2024, 3, 20))
        with refused(plan, CspNeedAlreadyDecidedError):
            plan.decide_csp_need(
                DecideCspNeed(decision=CspNeed.NOT_NEEDED), by(LEAD, date(2024, 3, 21))
            )

    def test_a_decision_cannot_precede_the_request(self):
        plan = requested(a_plan(), date(2024, 3, 1))
        with refused(plan, DateOrderError):
            plan.decide_csp_need(
                DecideCspNeed(decision=CspNeed.NEEDED), by(LEAD, date(2024, 2, 29))
            )

    def test_a_plan_cannot_be_prepared_before_need_is_decided(self):
        plan = requested(a_plan())
        with refused(plan, CspNeedNotDecidedError):
            plan.prepare_csp(PrepareCsp(), by(LEAD, date(2024, 4, 1)))

    def test_a_plan_found_not_needed_cannot_be_prepared(self):
        plan = requested(a_plan())
        plan.decide_csp_need(DecideCspNeed(decision=CspNeed.NOT_NEEDED), by(LEAD, date(2024, 3, 5)))
        with refused(plan, CspNotNeededError):
            plan.prepare_csp(PrepareCsp(), by(LEAD, date(2024, 4, 1)))

    def test_a_plan_is_prepared_once(self):
        plan = a_prepared_csp(date(2024, 5, 1))
        with refused(plan, CspAlreadyPreparedError):
            plan.prepare_csp(PrepareCsp(), by(LEAD, date(2024, 5, 2)))

    def test_a_delay_needs_a_preparation_under_way(self):
        plan = a_prepared_csp(date(2024, 5, 1))
        with refused(plan, CspNotInPreparationError):
            plan.delay_csp_preparation(
                DelayCspPreparation(new_due_on=date(2024, 6, 1), cause=DelayCause.OTHER),
                by(LEAD, date(2024, 5, 2), "Late"),
            )

    def test_a_delay_must_give_its_reason(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        with refused(plan, DelayReasonMissingError):
            plan.delay_csp_preparation(
                DelayCspPreparation(new_due_on=date(2024, 7, 1), cause=DelayCause.OTHER),
                by(LEAD, date(2024, 5, 2), " "),
            )

    def test_a_delay_must_move_the_date_later(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        with refused(plan, PreparationDelayNotLaterError):
            plan.delay_csp_preparation(
                DelayCspPreparation(new_due_on=date(2024, 6, 21), cause=DelayCause.OTHER),
                by(LEAD, date(2024, 5, 2), "Late"),
            )

    def test_a_review_cannot_start_before_the_plan_is_prepared(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        with refused(plan, CspNotPreparedError):
            plan.start_review(StartReview(), by(LEAD, date(2024, 4, 1)))

    def test_one_review_at_a_time(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.start_review(StartReview(), by(LEAD, date(2024, 9, 1)))
        with refused(plan, ReviewAlreadyStartedError):
            plan.start_review(StartReview(), by(LEAD, date(2024, 9, 2)))


class TestEarlyReviewSteps:
    def requested(self) -> Plan:
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.request_early_review(
            RequestEarlyReview(requested_by=Requester.YOUNG_PERSON), by(LEAD, date(2024, 5, 1))
        )
        return plan

    def test_an_answer_needs_a_request(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        with refused(plan, NoEarlyReviewRequestError):
            plan.decide_early_review(
                DecideEarlyReview(decision=EarlyReviewAnswer.GRANTED), by(LEAD, date(2024, 5, 2))
            )

    def test_a_request_is_answered_once(self):
        plan = self.requested()
        plan.decide_early_review(
            DecideEarlyReview(decision=EarlyReviewAnswer.REFUSED), by(LEAD, date(2024, 5, 2))
        )
        with refused(plan, EarlyReviewAlreadyDecidedError):
            plan.decide_early_review(
                DecideEarlyReview(decision=EarlyReviewAnswer.GRANTED), by(LEAD, date(2024, 5, 3))
            )

    def test_a_new_request_waits_for_the_answer_to_the_last(self):
        plan = self.requested()
        with refused(plan, EarlyReviewRequestPendingError):
            plan.request_early_review(
                RequestEarlyReview(requested_by=Requester.PARENT_CARER), by(LEAD, date(2024, 5, 2))
            )

    def test_the_time_cannot_be_extended_once_the_4_weeks_have_passed(self):
        plan = self.requested()
        with refused(plan, EarlyReviewDeadlinePassedError):
            plan.extend_early_review_answer(
                ExtendEarlyReviewAnswer(), by(LEAD, date(2024, 5, 30), "Staff absence")
            )


class TestEhcpSteps:
    def test_only_an_ehcp_records_assessment_steps(self):
        plan = a_plan(PlanType.CSP)
        with refused(plan, NotAnEhcpPlanError):
            plan.receive_ehcp_request(
                ReceiveEhcpRequest(requested_by=Requester.SCHOOL), by(LEAD, date(2024, 3, 1))
            )

    def test_no_decision_to_issue_without_a_decision_to_assess(self):
        plan = a_plan(PlanType.EHCP)
        plan.receive_ehcp_request(
            ReceiveEhcpRequest(requested_by=Requester.SCHOOL), by(LEAD, date(2024, 3, 1))
        )
        plan.decide_ehcp_assessment(
            DecideEhcpAssessment(decision=EhcpAssessment.DECLINE), by(LEAD, date(2024, 3, 9))
        )
        with refused(plan, EhcpStepOutOfOrderError):
            plan.issue_ehcp(IssueEhcp(), by(LEAD, date(2024, 4, 1)))


class TestSnapshots:
    def test_a_snapshot_keeps_the_statutory_state(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        snapshot = Plan.Snapshot.take(plan)
        assert snapshot.mutate(None).statutory == plan.statutory

    @pytest.mark.parametrize("state_without", ["statutory"])
    def test_a_snapshot_taken_before_the_statutory_steps_existed_still_loads(self, state_without):
        plan = a_plan(PlanType.IEP)
        state = dict(Plan.Snapshot.take(plan).state)
        state.pop(state_without)
        old = Plan.Snapshot(
            originator_id=plan.id,
            originator_version=plan.version,
            topic=Plan.Snapshot.take(plan).topic,
            state=state,
        )
        assert old.mutate(None).statutory.csp_requested_on is None
