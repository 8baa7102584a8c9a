"""Statutory clocks, one rule per test, each judged on its last day and the day after.

"8 weeks" from 1 March 2024 ends on 26 April 2024 (56 days later); "12 months" from
29 February ends on 28 February.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from domain.clocks import ClockStatus, clocks, may_have_clocks
from domain.events import (
    ClosePlan,
    DecideCspNeed,
    DecideEarlyReview,
    DecideEhcpAssessment,
    DecideEhcpIssue,
    DelayCspPreparation,
    ExtendEarlyReviewAnswer,
    HoldReview,
    IssueEhcp,
    PrepareCsp,
    ReceiveCspRequest,
    ReceiveEhcpRequest,
    RequestEarlyReview,
    StartReview,
)
from domain.plans import Plan
from domain.statutory import (
    CspNeed,
    DelayCause,
    EarlyReviewAnswer,
    EhcpAssessment,
    EhcpIssue,
    PreparationCeilingError,
    Requester,
)
from domain.values import PlanType
from tests.examples import a_lead_professional, an_opening, by

LEAD = a_lead_professional()
DAY = timedelta(days=1)


def a_plan(plan_type: PlanType = PlanType.CSP, opened_on: date = date(2024, 1, 8)) -> Plan:
    return Plan.open(an_opening(plan_type), by(LEAD, opened_on))


def a_csp_in_preparation(decided_on: date) -> Plan:
    plan = a_plan()
    plan.receive_csp_request(
        ReceiveCspRequest(requested_by=Requester.PARENT_CARER), by(LEAD, decided_on - 10 * DAY)
    )
    plan.decide_csp_need(DecideCspNeed(decision=CspNeed.NEEDED), by(LEAD, decided_on))
    return plan


def a_prepared_csp(prepared_on: date) -> Plan:
    plan = a_csp_in_preparation(prepared_on - 30 * DAY)
    plan.prepare_csp(PrepareCsp(), by(LEAD, prepared_on))
    return plan


def hold_review(plan: Plan, held_on: date) -> None:
    plan.hold_review(
        HoldReview(
            review_id=uuid4(),
            held_on=held_on,
            attendees=("Fiona MacLeod",),
            summary="Reviewed",
            next_review_on=None,
            evaluations=(),
        ),
        by(LEAD),
    )


def the_clock(plan: Plan, name: str, today: date, index: int = 0):
    found = [c for c in clocks(plan.collect_events(), today) if c.name == name]
    return found[index]


class TestCspNeedDecision:
    """Reg 4A: answer a request to establish whether a CSP is needed within 8 weeks."""

    def request_on_1_march(self) -> Plan:
        plan = a_plan()
        plan.receive_csp_request(
            ReceiveCspRequest(requested_by=Requester.PARENT_CARER), by(LEAD, date(2024, 3, 1))
        )
        return plan

    def test_a_decision_on_the_last_day_is_in_time(self):
        plan = self.request_on_1_march()
        plan.decide_csp_need(DecideCspNeed(decision=CspNeed.NEEDED), by(LEAD, date(2024, 4, 26)))
        clock = the_clock(plan, "csp_need_decision", date(2024, 12, 1))
        assert (clock.due_on, clock.stopped_on, clock.status) == (
            date(2024, 4, 26),
            date(2024, 4, 26),
            ClockStatus.MET,
        )
        assert [s.type for s in clock.sources] == ["CspRequestReceived", "CspNeedDecided"]

    def test_a_decision_a_day_later_is_missed(self):
        plan = self.request_on_1_march()
        plan.decide_csp_need(
            DecideCspNeed(decision=CspNeed.NOT_NEEDED), by(LEAD, date(2024, 4, 27))
        )
        clock = the_clock(plan, "csp_need_decision", date(2024, 12, 1))
        assert clock.status is ClockStatus.MISSED
        assert clock.reference_by == date(2024, 6, 27)  # 'not needed' may be referred

    def test_without_a_decision_the_clock_runs_to_its_last_day_then_is_missed(self):
        events = self.request_on_1_march().collect_events()
        assert _status(events, "csp_need_decision", date(2024, 4, 26)) is ClockStatus.RUNNING
        assert _status(events, "csp_need_decision", date(2024, 4, 27)) is ClockStatus.MISSED


class TestCspPreparation:
    """Reg 4: prepare within 16 weeks of deciding to; recorded exceptions may move the date,
    never beyond 24 weeks from the start."""

    def test_prepared_on_the_last_of_16_weeks_is_in_time(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        plan.prepare_csp(PrepareCsp(), by(LEAD, date(2024, 6, 21)))
        clock = the_clock(plan, "csp_preparation", date(2024, 12, 1))
        assert (clock.due_on, clock.ceiling_on, clock.status) == (
            date(2024, 6, 21),
            date(2024, 8, 16),
            ClockStatus.MET,
        )

    def test_prepared_a_day_after_16_weeks_is_missed(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        plan.prepare_csp(PrepareCsp(), by(LEAD, date(2024, 6, 22)))
        assert the_clock(plan, "csp_preparation", date(2024, 12, 1)).status is ClockStatus.MISSED

    def test_a_recorded_delay_moves_the_due_date_up_to_the_24_week_ceiling(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        plan.delay_csp_preparation(
            DelayCspPreparation(new_due_on=date(2024, 8, 16), cause=DelayCause.SCHOOL_CLOSED),
            by(LEAD, date(2024, 6, 20), "Summer closure"),
        )
        plan.prepare_csp(PrepareCsp(), by(LEAD, date(2024, 8, 16)))
        clock = the_clock(plan, "csp_preparation", date(2024, 12, 1))
        assert (clock.due_on, clock.status) == (date(2024, 8, 16), ClockStatus.MET)
        assert [s.type for s in clock.sources] == [
            "CspNeedDecided",
            "CspPreparationDelayed",
            "CspPrepared",
        ]

    def test_no_delay_may_pass_the_24_week_ceiling(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        with pytest.raises(PreparationCeilingError):
            plan.delay_csp_preparation(
                DelayCspPreparation(new_due_on=date(2024, 8, 17), cause=DelayCause.OTHER),
                by(LEAD, date(2024, 6, 20), "Agency advice outstanding"),
            )

    def test_prepared_a_day_after_a_delayed_date_is_missed(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        plan.delay_csp_preparation(
            DelayCspPreparation(new_due_on=date(2024, 7, 31), cause=DelayCause.AGENCY_ADVICE_LATE),
            by(LEAD, date(2024, 6, 20), "Health advice late"),
        )
        plan.prepare_csp(PrepareCsp(), by(LEAD, date(2024, 8, 1)))
        assert the_clock(plan, "csp_preparation", date(2024, 12, 1)).status is ClockStatus.MISSED


class TestCspReview:
    """The Act s.10(2): review within 12 months of preparation, then of each review."""

    def test_prepared_on_29_february_is_due_for_review_on_28_february(self):
        plan = a_prepared_csp(date(2024, 2, 29))
        hold_review(plan, date(2025, 2, 28))
        first = the_clock(plan, "csp_review", date(2025, 3, 1))
        assert (first.started_on, first.due_on, first.status) == (
            date(2024, 2, 29),
            date(2025, 2, 28),
            ClockStatus.MET,
        )

    def test_a_review_a_day_after_12_months_is_missed(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        hold_review(plan, date(2025, 3, 2))
        assert the_clock(plan, "csp_review", date(2025, 4, 1)).status is ClockStatus.MISSED

    def test_each_review_restarts_the_12_months_from_its_completion(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        hold_review(plan, date(2024, 11, 5))
        events = plan.collect_events()
        second = [c for c in clocks(events, date(2025, 11, 5)) if c.name == "csp_review"][1]
        assert (second.started_on, second.due_on, second.status) == (
            date(2024, 11, 5),
            date(2025, 11, 5),
            ClockStatus.RUNNING,
        )
        assert _status(events, "csp_review", date(2025, 11, 6), index=1) is ClockStatus.MISSED

    def test_a_csp_recorded_already_in_force_counts_from_its_opening(self):
        plan = a_plan(opened_on=date(2024, 1, 8))
        clock = the_clock(plan, "csp_review", date(2024, 6, 1))
        assert (clock.started_on, clock.due_on, clock.sources[0].type) == (
            date(2024, 1, 8),
            date(2025, 1, 8),
            "PlanOpened",
        )

    def test_other_plans_have_no_statutory_review_clock(self):
        assert clocks(a_plan(PlanType.IEP).collect_events(), date(2026, 1, 1)) == []

    def test_closing_the_plan_stops_a_clock_that_was_still_in_time(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.close_plan(ClosePlan(), by(LEAD, date(2024, 9, 1), "Moved to England"))
        clock = the_clock(plan, "csp_review", date(2026, 1, 1))
        assert (clock.stopped_on, clock.outcome, clock.status) == (
            date(2024, 9, 1),
            "plan_closed",
            ClockStatus.MET,
        )


class TestReviewCompletion:
    """A review once started is completed within 12 weeks (reported)."""

    def started_on_3_june(self) -> Plan:
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.start_review(StartReview(), by(LEAD, date(2024, 6, 3)))
        return plan

    def test_held_on_the_last_day_of_12_weeks_is_in_time(self):
        plan = self.started_on_3_june()
        hold_review(plan, date(2024, 8, 26))
        clock = the_clock(plan, "csp_review_completion", date(2024, 12, 1))
        assert (clock.due_on, clock.status) == (date(2024, 8, 26), ClockStatus.MET)

    def test_held_a_day_later_is_missed(self):
        plan = self.started_on_3_june()
        hold_review(plan, date(2024, 8, 27))
        clock = the_clock(plan, "csp_review_completion", date(2024, 12, 1))
        assert clock.status is ClockStatus.MISSED


class TestEarlyReview:
    """Reg 5A: answer an early review request within 4 weeks (12 where the authority
    records that 4 are impractical); silence is a deemed refusal."""

    def requested_on_1_may(self) -> Plan:
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.request_early_review(
            RequestEarlyReview(requested_by=Requester.PARENT_CARER), by(LEAD, date(2024, 5, 1))
        )
        return plan

    def test_an_answer_on_the_last_day_of_4_weeks_is_in_time(self):
        plan = self.requested_on_1_may()
        plan.decide_early_review(
            DecideEarlyReview(decision=EarlyReviewAnswer.GRANTED), by(LEAD, date(2024, 5, 29))
        )
        clock = the_clock(plan, "early_review_answer", date(2024, 12, 1))
        assert (clock.due_on, clock.status, clock.outcome) == (
            date(2024, 5, 29),
            ClockStatus.MET,
            "granted",
        )

    def test_silence_on_the_last_day_is_still_running(self):
        events = self.requested_on_1_may().collect_events()
        assert _status(events, "early_review_answer", date(2024, 5, 29)) is ClockStatus.RUNNING

    def test_silence_a_day_past_4_weeks_is_a_deemed_refusal_with_2_months_to_refer(self):
        plan = self.requested_on_1_may()
        clock = the_clock(plan, "early_review_answer", date(2024, 5, 30))
        assert (clock.status, clock.deemed_refusal_on, clock.reference_by) == (
            ClockStatus.DEEMED_REFUSAL,
            date(2024, 5, 30),
            date(2024, 7, 30),
        )

    def test_an_answer_after_the_deadline_is_missed_and_keeps_the_deemed_refusal(self):
        plan = self.requested_on_1_may()
        plan.decide_early_review(
            DecideEarlyReview(decision=EarlyReviewAnswer.GRANTED), by(LEAD, date(2024, 5, 30))
        )
        clock = the_clock(plan, "early_review_answer", date(2024, 12, 1))
        assert (clock.status, clock.deemed_refusal_on) == (ClockStatus.MISSED, date(2024, 5, 30))

    def test_an_extension_recorded_in_time_gives_12_weeks(self):
        plan = self.requested_on_1_may()
        plan.extend_early_review_answer(
            ExtendEarlyReviewAnswer(),
            by(LEAD, date(2024, 5, 29), "Educational psychologist on leave"),
        )
        events = plan.collect_events()
        assert _status(events, "early_review_answer", date(2024, 7, 24)) is ClockStatus.RUNNING
        assert _status(events, "early_review_answer", date(2024, 7, 25)) is (
            ClockStatus.DEEMED_REFUSAL
        )

    def test_a_refusal_may_be_referred_within_2_months(self):
        plan = self.requested_on_1_may()
        plan.decide_early_review(
            DecideEarlyReview(decision=EarlyReviewAnswer.REFUSED), by(LEAD, date(2024, 5, 10))
        )
        clock = the_clock(plan, "early_review_answer", date(2024, 12, 1))
        assert (clock.status, clock.reference_by) == (ClockStatus.MET, date(2024, 7, 10))


class TestEhcp:
    """SEND Regulations 2014: 6 weeks to decide to assess, 16 to decide to issue, 20 to
    the final plan, all from the request."""

    def requested_on_1_march(self) -> Plan:
        plan = a_plan(PlanType.EHCP)
        plan.receive_ehcp_request(
            ReceiveEhcpRequest(requested_by=Requester.PARENT_CARER), by(LEAD, date(2024, 3, 1))
        )
        return plan

    def test_every_step_on_its_last_day_is_in_time(self):
        plan = self.requested_on_1_march()
        plan.decide_ehcp_assessment(
            DecideEhcpAssessment(decision=EhcpAssessment.ASSESS), by(LEAD, date(2024, 4, 12))
        )
        plan.decide_ehcp_issue(
            DecideEhcpIssue(decision=EhcpIssue.ISSUE), by(LEAD, date(2024, 6, 21))
        )
        plan.issue_ehcp(IssueEhcp(), by(LEAD, date(2024, 7, 19)))
        found = {c.name: c for c in clocks(plan.collect_events(), date(2024, 12, 1))}
        assert {n: (c.due_on, c.status) for n, c in found.items()} == {
            "ehcp_assessment_decision": (date(2024, 4, 12), ClockStatus.MET),
            "ehcp_issue_decision": (date(2024, 6, 21), ClockStatus.MET),
            "ehcp_final_plan": (date(2024, 7, 19), ClockStatus.MET),
        }

    def test_a_final_plan_a_day_after_20_weeks_is_missed(self):
        plan = self.requested_on_1_march()
        plan.decide_ehcp_assessment(
            DecideEhcpAssessment(decision=EhcpAssessment.ASSESS), by(LEAD, date(2024, 4, 13))
        )
        plan.decide_ehcp_issue(
            DecideEhcpIssue(decision=EhcpIssue.ISSUE), by(LEAD, date(2024, 6, 22))
        )
        plan.issue_ehcp(IssueEhcp(), by(LEAD, date(2024, 7, 20)))
        statuses = {c.name: c.status for c in clocks(plan.collect_events(), date(2024, 12, 1))}
        assert set(statuses.values()) == {ClockStatus.MISSED}

    def test_declining_to_assess_ends_the_later_duties(self):
        plan = self.requested_on_1_march()
        plan.decide_ehcp_assessment(
            DecideEhcpAssessment(decision=EhcpAssessment.DECLINE), by(LEAD, date(2024, 4, 1))
        )
        names = [c.name for c in clocks(plan.collect_events(), date(2024, 12, 1))]
        assert names == ["ehcp_assessment_decision"]


def _status(events, name, today, index=0):
    return [c for c in clocks(events, today) if c.name == name][index].status


def a_plan_with_steps(plan_type: PlanType, *steps: str) -> tuple[Plan, list]:
    plan, day = a_plan(plan_type), date(2024, 3, 1)
    for step in steps:
        if step == "csp request":
            plan.receive_csp_request(
                ReceiveCspRequest(requested_by=Requester.PARENT_CARER), by(LEAD, day)
            )
        elif step == "ehcp request":
            plan.receive_ehcp_request(
                ReceiveEhcpRequest(requested_by=Requester.PARENT_CARER), by(LEAD, day)
            )
        elif step == "review":
            hold_review(plan, day)
    return plan, plan.collect_events()


@pytest.mark.parametrize(
    ("plan_type", "steps"),
    [
        (PlanType.IEP, ()),
        (PlanType.IEP, ("review",)),
        (PlanType.CHILDS_PLAN, ("review",)),
        (PlanType.CSP, ("csp request",)),
        (PlanType.CSP, ()),
        (PlanType.CSP, ("review",)),
        (PlanType.EHCP, ("ehcp request",)),
        (PlanType.EHCP, ()),
        (PlanType.SEN_SUPPORT, ()),
    ],
)
def test_the_quick_check_says_no_clocks_only_where_there_are_none(plan_type, steps):
    plan, events = a_plan_with_steps(plan_type, *steps)
    found = clocks(events, date(2024, 6, 1))
    assert may_have_clocks(plan.plan_type, plan.statutory) is bool(found)
