"""Statutory clocks, one rule per test, each judged on its last day and the day after.

"8 weeks" from 1 March 2024 ends on 26 April 2024 (56 days later); "12 months" from
29 February ends on 28 February. The worked example is the issue's: a request on 2 Sep,
the family told on 16 Sep that the authority will establish need, need decided 9 Dec,
the plan signed 3 Mar.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from domain.clocks import ClockStatus, clocks, clocks_as_of, may_have_clocks
from domain.events import (
    AnswerCspRequest,
    DecideCspNeed,
    DecideEarlyReview,
    DecideEhcpAssessment,
    DecideEhcpIssue,
    DecideEhcpReview,
    DelayCspPreparation,
    ExtendEarlyReviewAnswer,
    HoldReview,
    IssueEhcp,
    PrepareCsp,
    ProposeCsp,
    ReceiveCspRequest,
    ReceiveEhcpRequest,
    RecordEhcpException,
    RequestEarlyReview,
    SendEhcpDraft,
    SendEhcpReviewReport,
    StartReview,
)
from domain.plans import Plan
from domain.statutory import (
    CspNeed,
    CspRequestAnswer,
    DelayCause,
    DraftRepresentationsOpenError,
    EarlyReviewAnswer,
    EhcpAssessment,
    EhcpExceptionGround,
    EhcpIssue,
    EhcpReviewDecision,
    EhcpStepOutOfOrderError,
    PreparationCeilingError,
    Requester,
    ReviewKind,
)
from domain.values import PlanType
from tests.examples import a_lead_professional, an_officer, an_opening, by

LEAD = a_lead_professional()
OFFICER = an_officer()
DAY = timedelta(days=1)


def a_plan(plan_type: PlanType = PlanType.CSP, opened_on: date = date(2024, 1, 8)) -> Plan:
    return Plan.open(an_opening(plan_type), by(LEAD, opened_on))


def a_csp_proposed(proposed_on: date) -> Plan:
    plan = a_plan()
    plan.propose_csp(ProposeCsp(), by(LEAD, proposed_on))
    return plan


def a_csp_in_preparation(started_on: date) -> Plan:
    """The authority proposed on `started_on` and decided a week later that one is needed."""
    plan = a_csp_proposed(started_on)
    decide(plan, CspNeed.NEEDED, started_on + 7 * DAY)
    return plan


def a_prepared_csp(prepared_on: date) -> Plan:
    plan = a_csp_in_preparation(prepared_on - 30 * DAY)
    sign(plan, prepared_on)
    return plan


def decide(plan: Plan, need: CspNeed, on: date) -> None:
    plan.decide_csp_need(DecideCspNeed(decision=need), by(OFFICER, on, "Four tests of s.2"))


def sign(plan: Plan, on: date) -> None:
    plan.prepare_csp(PrepareCsp(), by(OFFICER, on))


def request(plan: Plan, on: date) -> None:
    plan.receive_csp_request(ReceiveCspRequest(requested_by=Requester.PARENT_CARER), by(LEAD, on))


def answer(plan: Plan, given: CspRequestAnswer, on: date) -> None:
    plan.answer_csp_request(AnswerCspRequest(answer=given), by(OFFICER, on, "Considered"))


def begin_review(plan: Plan, on: date) -> None:
    plan.start_review(StartReview(), by(LEAD, on))


def hold_review(
    plan: Plan, held_on: date, kind: ReviewKind = ReviewKind.STATUTORY, *, ends: bool = False
) -> None:
    plan.hold_review(
        HoldReview(
            review_id=uuid4(),
            held_on=held_on,
            attendees=("Fiona MacLeod",),
            summary="Reviewed",
            next_review_on=None,
            evaluations=(),
            kind=kind,
            recommends_discontinuance=ends,
        ),
        by(LEAD),
    )


def a_statutory_review(plan: Plan, begun_on: date, held_on: date, **kw) -> None:
    begin_review(plan, begun_on)
    hold_review(plan, held_on, **kw)


def the_clock(plan: Plan, name: str, today: date, index: int = 0):
    found = [c for c in clocks(plan.collect_events(), today) if c.name == name]
    return found[index]


def _status(events, name, today, index=0):
    return [c for c in clocks(events, today) if c.name == name][index].status


class TestTheWorkedExample:
    """The 16 weeks run from the answer that the authority will establish need, and cover
    the decision and the preparation together (reg 4(1)); 24 weeks is the ceiling."""

    def the_example(self) -> Plan:
        plan = a_plan(opened_on=date(2024, 8, 20))
        request(plan, date(2024, 9, 2))
        answer(plan, CspRequestAnswer.WILL_ESTABLISH, date(2024, 9, 16))
        decide(plan, CspNeed.NEEDED, date(2024, 12, 9))
        sign(plan, date(2025, 3, 3))
        return plan

    def test_the_answer_was_in_time_and_the_preparation_was_not(self):
        found = {c.name: c for c in clocks(self.the_example().collect_events(), date(2025, 4, 1))}
        answered, prepared = found["csp_request_answer"], found["csp_preparation"]
        assert (answered.due_on, answered.stopped_on, answered.status) == (
            date(2024, 10, 28),
            date(2024, 9, 16),
            ClockStatus.MET,
        )
        assert (prepared.started_on, prepared.due_on, prepared.ceiling_on) == (
            date(2024, 9, 16),
            date(2025, 1, 6),
            date(2025, 3, 3),
        )
        assert (prepared.stopped_on, prepared.status) == (date(2025, 3, 3), ClockStatus.MISSED)
        assert [s.type for s in prepared.sources] == [
            "CspRequestAnswered",
            "CspNeedDecided",
            "CspPrepared",
        ]

    def test_the_12_months_run_from_the_signing(self):
        clock = the_clock(self.the_example(), "csp_review", date(2025, 4, 1))
        assert (clock.started_on, clock.due_on, clock.status) == (
            date(2025, 3, 3),
            date(2026, 3, 3),
            ClockStatus.RUNNING,
        )

    def test_as_of_the_day_before_the_decision_only_the_preparation_ran(self):
        events = self.the_example().collect_events()
        on_8_dec = {c.name: c for c in clocks_as_of(events, date(2024, 12, 8))}
        assert on_8_dec["csp_preparation"].status is ClockStatus.RUNNING
        assert on_8_dec["csp_preparation"].stopped_on is None
        assert "csp_review" not in on_8_dec
        on_7_jan = {c.name: c.status for c in clocks_as_of(events, date(2025, 1, 7))}
        assert on_7_jan["csp_preparation"] is ClockStatus.MISSED


class TestCspRequestAnswer:
    """Reg 4A: answer a request to establish whether a CSP is needed within 8 weeks."""

    def request_on_1_march(self) -> Plan:
        plan = a_plan()
        request(plan, date(2024, 3, 1))
        return plan

    def test_an_answer_on_the_last_day_is_in_time(self):
        plan = self.request_on_1_march()
        answer(plan, CspRequestAnswer.WILL_ESTABLISH, date(2024, 4, 26))
        clock = the_clock(plan, "csp_request_answer", date(2024, 12, 1))
        assert (clock.due_on, clock.stopped_on, clock.status, clock.outcome) == (
            date(2024, 4, 26),
            date(2024, 4, 26),
            ClockStatus.MET,
            "will_establish",
        )
        assert clock.reference_by is None
        assert [s.type for s in clock.sources] == ["CspRequestReceived", "CspRequestAnswered"]

    def test_an_answer_a_day_later_is_missed(self):
        plan = self.request_on_1_march()
        answer(plan, CspRequestAnswer.WILL_ESTABLISH, date(2024, 4, 27))
        assert the_clock(plan, "csp_request_answer", date(2024, 12, 1)).status is (
            ClockStatus.MISSED
        )

    def test_a_refusal_may_be_referred_for_2_months_and_starts_no_preparation(self):
        plan = self.request_on_1_march()
        answer(plan, CspRequestAnswer.REFUSED, date(2024, 4, 10))
        found = {c.name: c for c in clocks(plan.collect_events(), date(2024, 12, 1))}
        assert set(found) == {"csp_request_answer"}
        assert found["csp_request_answer"].reference_by == date(2024, 6, 10)

    def test_without_an_answer_the_clock_runs_to_its_last_day_then_is_missed(self):
        events = self.request_on_1_march().collect_events()
        assert _status(events, "csp_request_answer", date(2024, 4, 26)) is ClockStatus.RUNNING
        assert _status(events, "csp_request_answer", date(2024, 4, 27)) is ClockStatus.MISSED


class TestCspPreparation:
    """Reg 4: establish need and prepare within 16 weeks of the proposal; recorded
    exceptions may move the date, never beyond 24 weeks from the start."""

    def test_prepared_on_the_last_of_16_weeks_is_in_time(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        sign(plan, date(2024, 6, 21))
        clock = the_clock(plan, "csp_preparation", date(2024, 12, 1))
        assert (clock.started_on, clock.due_on, clock.ceiling_on, clock.status) == (
            date(2024, 3, 1),
            date(2024, 6, 21),
            date(2024, 8, 16),
            ClockStatus.MET,
        )

    def test_prepared_a_day_after_16_weeks_is_missed(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        sign(plan, date(2024, 6, 22))
        assert the_clock(plan, "csp_preparation", date(2024, 12, 1)).status is ClockStatus.MISSED

    def test_a_decision_that_none_is_needed_stops_it_with_2_months_to_refer(self):
        plan = a_csp_proposed(date(2024, 3, 1))
        decide(plan, CspNeed.NOT_NEEDED, date(2024, 6, 21))
        clock = the_clock(plan, "csp_preparation", date(2024, 12, 1))
        assert (clock.status, clock.outcome, clock.reference_by) == (
            ClockStatus.MET,
            "not_needed",
            date(2024, 8, 21),
        )

    def test_a_decision_a_day_late_is_missed(self):
        plan = a_csp_proposed(date(2024, 3, 1))
        decide(plan, CspNeed.NOT_NEEDED, date(2024, 6, 22))
        assert the_clock(plan, "csp_preparation", date(2024, 12, 1)).status is ClockStatus.MISSED

    def test_a_recorded_delay_moves_the_due_date_up_to_the_24_week_ceiling(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        plan.delay_csp_preparation(
            DelayCspPreparation(new_due_on=date(2024, 8, 16), cause=DelayCause.SCHOOL_CLOSED),
            by(LEAD, date(2024, 6, 20), "Summer closure"),
        )
        sign(plan, date(2024, 8, 16))
        clock = the_clock(plan, "csp_preparation", date(2024, 12, 1))
        assert (clock.due_on, clock.status) == (date(2024, 8, 16), ClockStatus.MET)
        assert [s.type for s in clock.sources] == [
            "CspProposed",
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
        sign(plan, date(2024, 8, 1))
        assert the_clock(plan, "csp_preparation", date(2024, 12, 1)).status is ClockStatus.MISSED


class TestCspReview:
    """The Act s.10(2): review within 12 months of preparation, then of each completed
    statutory review. An in-year meeting is not a statutory review."""

    def test_prepared_on_29_february_is_due_for_review_on_28_february(self):
        plan = a_prepared_csp(date(2024, 2, 29))
        a_statutory_review(plan, date(2025, 1, 6), date(2025, 2, 28))
        first = the_clock(plan, "csp_review", date(2025, 3, 1))
        assert (first.started_on, first.due_on, first.status) == (
            date(2024, 2, 29),
            date(2025, 2, 28),
            ClockStatus.MET,
        )

    def test_a_review_a_day_after_12_months_is_missed(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        a_statutory_review(plan, date(2025, 1, 6), date(2025, 3, 2))
        assert the_clock(plan, "csp_review", date(2025, 4, 1)).status is ClockStatus.MISSED

    def test_no_review_by_the_day_after_12_months_is_missed(self):
        events = a_prepared_csp(date(2024, 3, 1)).collect_events()
        assert _status(events, "csp_review", date(2025, 3, 1)) is ClockStatus.RUNNING
        assert _status(events, "csp_review", date(2025, 3, 2)) is ClockStatus.MISSED

    def test_each_statutory_review_restarts_the_12_months_from_its_completion(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        a_statutory_review(plan, date(2024, 10, 1), date(2024, 11, 5))
        second = the_clock(plan, "csp_review", date(2025, 11, 5), index=1)
        assert (second.started_on, second.due_on, second.status) == (
            date(2024, 11, 5),
            date(2025, 11, 5),
            ClockStatus.RUNNING,
        )

    def test_an_in_year_meeting_restarts_nothing(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        hold_review(plan, date(2024, 11, 5), ReviewKind.IN_YEAR)
        found = [
            c for c in clocks(plan.collect_events(), date(2025, 3, 2)) if c.name == "csp_review"
        ]
        assert [(c.started_on, c.due_on, c.status) for c in found] == [
            (date(2024, 3, 1), date(2025, 3, 1), ClockStatus.MISSED)
        ]

    def test_a_csp_merely_opened_has_no_review_clock(self):
        assert clocks(a_plan().collect_events(), date(2026, 1, 1)) == []

    def test_a_review_recommending_discontinuance_opens_2_months_to_refer(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        a_statutory_review(plan, date(2025, 1, 6), date(2025, 2, 3), ends=True)
        clock = the_clock(plan, "csp_review", date(2025, 3, 1))
        assert (clock.outcome, clock.reference_by) == (
            "discontinuance_recommended",
            date(2025, 4, 3),
        )


class TestReviewCompletion:
    """A statutory review begun is completed within 12 weeks."""

    def test_begun_20_april_and_completed_15_june_is_in_time(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        begin_review(plan, date(2025, 4, 20))
        hold_review(plan, date(2025, 5, 1), ReviewKind.IN_YEAR)  # touches no clock
        hold_review(plan, date(2025, 6, 15))
        clock = the_clock(plan, "csp_review_completion", date(2025, 12, 1))
        assert (clock.due_on, clock.stopped_on, clock.status) == (
            date(2025, 7, 13),
            date(2025, 6, 15),
            ClockStatus.MET,
        )

    def test_completed_on_the_last_day_of_12_weeks_is_in_time(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        a_statutory_review(plan, date(2024, 9, 2), date(2024, 11, 25))
        assert the_clock(plan, "csp_review_completion", date(2025, 1, 1)).status is (
            ClockStatus.MET
        )

    def test_completed_a_day_later_is_missed(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        a_statutory_review(plan, date(2024, 9, 2), date(2024, 11, 26))
        assert the_clock(plan, "csp_review_completion", date(2025, 1, 1)).status is (
            ClockStatus.MISSED
        )

    def test_an_in_year_meeting_does_not_complete_it(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        begin_review(plan, date(2024, 9, 2))
        hold_review(plan, date(2024, 10, 1), ReviewKind.IN_YEAR)
        events = plan.collect_events()
        assert _status(events, "csp_review_completion", date(2024, 11, 25)) is (ClockStatus.RUNNING)
        assert _status(events, "csp_review_completion", date(2024, 11, 26)) is (ClockStatus.MISSED)


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
            DecideEarlyReview(decision=EarlyReviewAnswer.GRANTED),
            by(OFFICER, date(2024, 5, 29), "Considered"),
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
            DecideEarlyReview(decision=EarlyReviewAnswer.GRANTED),
            by(OFFICER, date(2024, 5, 30), "Considered"),
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
            DecideEarlyReview(decision=EarlyReviewAnswer.REFUSED),
            by(OFFICER, date(2024, 5, 10), "Considered"),
        )
        clock = the_clock(plan, "early_review_answer", date(2024, 12, 1))
        assert (clock.status, clock.reference_by) == (ClockStatus.MET, date(2024, 7, 10))


class TestEhcp:
    """SEND Regulations 2014: 6 weeks to decide to assess (reg 5(1)); 16 weeks to a decision
    not to issue (reg 10(1)); a draft with 15 days to comment (reg 13(1)); 20 weeks to the
    final plan (reg 13(2)); then a review every 12 months (the Act s.44(1)), the decision
    within 4 weeks of its meeting (reg 20(10)) and an amended plan within 8 (reg 22(3))."""

    def requested_on_1_march(self) -> Plan:
        plan = a_plan(PlanType.EHCP)
        plan.receive_ehcp_request(
            ReceiveEhcpRequest(requested_by=Requester.PARENT_CARER), by(OFFICER, date(2024, 3, 1))
        )
        return plan

    def to_draft(self, plan: Plan, assess_on: date, issue_on: date, draft_on: date) -> Plan:
        plan.decide_ehcp_assessment(
            DecideEhcpAssessment(decision=EhcpAssessment.ASSESS), by(OFFICER, assess_on)
        )
        plan.decide_ehcp_issue(DecideEhcpIssue(decision=EhcpIssue.ISSUE), by(OFFICER, issue_on))
        plan.send_ehcp_draft(SendEhcpDraft(), by(OFFICER, draft_on))
        return plan

    def found(self, plan: Plan, today: date = date(2024, 12, 1)) -> dict:
        return {c.name: c for c in clocks(plan.collect_events(), today)}

    def test_every_step_on_its_last_day_is_in_time(self):
        plan = self.to_draft(
            self.requested_on_1_march(), date(2024, 4, 12), date(2024, 6, 21), date(2024, 7, 1)
        )
        plan.issue_ehcp(IssueEhcp(), by(OFFICER, date(2024, 7, 19)))
        found = self.found(plan)
        assert {n: (c.due_on, c.status) for n, c in found.items()} == {
            "ehcp_assessment_decision": (date(2024, 4, 12), ClockStatus.MET),
            "ehcp_draft_representations": (date(2024, 7, 15), ClockStatus.MET),
            "ehcp_final_plan": (date(2024, 7, 19), ClockStatus.MET),
            "ehcp_annual_review": (date(2025, 7, 19), ClockStatus.RUNNING),
        }
        # The plan issued may itself be appealed, within 2 months (the Act s.51(2)(c)).
        assert found["ehcp_final_plan"].reference_by == date(2024, 9, 19)

    def test_a_decision_to_issue_is_not_timed_by_the_16_weeks(self):
        plan = self.to_draft(
            self.requested_on_1_march(), date(2024, 4, 1), date(2024, 7, 1), date(2024, 7, 1)
        )
        assert "ehcp_issue_decision" not in self.found(plan)

    def test_a_decision_not_to_issue_a_day_after_16_weeks_is_missed_and_appealable(self):
        plan = self.requested_on_1_march()
        plan.decide_ehcp_assessment(
            DecideEhcpAssessment(decision=EhcpAssessment.ASSESS), by(OFFICER, date(2024, 4, 1))
        )
        plan.decide_ehcp_issue(
            DecideEhcpIssue(decision=EhcpIssue.DECLINE), by(OFFICER, date(2024, 6, 22))
        )
        found = self.found(plan)
        clock = found["ehcp_issue_decision"]
        assert (clock.status, clock.reference_by) == (ClockStatus.MISSED, date(2024, 8, 22))
        assert "ehcp_final_plan" not in found

    def test_a_final_plan_a_day_after_20_weeks_is_missed(self):
        plan = self.to_draft(
            self.requested_on_1_march(), date(2024, 4, 13), date(2024, 6, 22), date(2024, 7, 2)
        )
        plan.issue_ehcp(IssueEhcp(), by(OFFICER, date(2024, 7, 20)))
        found = self.found(plan)
        assert found["ehcp_final_plan"].status is ClockStatus.MISSED
        assert found["ehcp_assessment_decision"].status is ClockStatus.MISSED

    def test_a_recorded_exception_lifts_the_20_weeks(self):
        plan = self.to_draft(
            self.requested_on_1_march(), date(2024, 4, 1), date(2024, 6, 1), date(2024, 7, 10)
        )
        plan.record_ehcp_exception(
            RecordEhcpException(ground=EhcpExceptionGround.ABSENT_FROM_AREA),
            by(OFFICER, date(2024, 6, 10), "The family were abroad for six weeks"),
        )
        plan.issue_ehcp(IssueEhcp(), by(OFFICER, date(2024, 8, 30)))
        clock = self.found(plan)["ehcp_final_plan"]
        assert (clock.status, clock.excepted) == (ClockStatus.EXCEPTED, "absent_from_area")

    def test_declining_to_assess_ends_the_later_duties_and_may_be_appealed(self):
        plan = self.requested_on_1_march()
        plan.decide_ehcp_assessment(
            DecideEhcpAssessment(decision=EhcpAssessment.DECLINE), by(OFFICER, date(2024, 4, 1))
        )
        found = self.found(plan)
        assert list(found) == ["ehcp_assessment_decision"]
        assert found["ehcp_assessment_decision"].reference_by == date(2024, 6, 1)

    def test_an_annual_review_starts_the_decision_then_the_amended_plan(self):
        plan = self.to_draft(
            self.requested_on_1_march(), date(2024, 4, 1), date(2024, 6, 1), date(2024, 6, 3)
        )
        plan.issue_ehcp(IssueEhcp(), by(OFFICER, date(2024, 7, 1)))
        hold_review(plan, date(2025, 6, 2))
        events = plan.collect_events()
        found = {c.name: c for c in clocks(events, date(2025, 6, 3))}
        assert found["ehcp_review_decision"].due_on == date(2025, 6, 30)
        assert found["ehcp_annual_review"].due_on == date(2026, 6, 2)
        plan.decide_ehcp_review(
            DecideEhcpReview(decision=EhcpReviewDecision.AMEND),
            by(OFFICER, date(2025, 6, 20), "Section F to add OT"),
        )
        plan.issue_ehcp(IssueEhcp(amended=True), by(OFFICER, date(2025, 8, 15)))
        events += plan.collect_events()
        every = [(c.name, c.due_on, c.status) for c in clocks(events, date(2025, 9, 1))]
        assert ("ehcp_review_decision", date(2025, 6, 30), ClockStatus.MET) in every
        assert ("ehcp_amended_plan", date(2025, 8, 15), ClockStatus.MET) in every
        assert ("ehcp_annual_review", date(2025, 7, 1), ClockStatus.MET) in every

    def test_the_review_meetings_report_is_due_in_2_weeks_and_only_after_a_meeting(self):
        plan = self.to_draft(
            self.requested_on_1_march(), date(2024, 4, 1), date(2024, 6, 1), date(2024, 6, 3)
        )
        plan.issue_ehcp(IssueEhcp(), by(OFFICER, date(2024, 7, 1)))
        with pytest.raises(EhcpStepOutOfOrderError):
            plan.send_ehcp_review_report(SendEhcpReviewReport(), by(LEAD, date(2024, 9, 1)))
        hold_review(plan, date(2025, 6, 2))
        events = plan.collect_events()
        report = {c.name: c for c in clocks(events, date(2025, 6, 17))}["ehcp_review_report"]
        assert (report.due_on, report.status) == (date(2025, 6, 16), ClockStatus.MISSED)
        plan.send_ehcp_review_report(
            SendEhcpReviewReport(recommendations="Add OT to section F"), by(LEAD, date(2025, 6, 16))
        )
        events += plan.collect_events()
        report = {c.name: c for c in clocks(events, date(2025, 6, 17))}["ehcp_review_report"]
        assert (report.stopped_on, report.status) == (date(2025, 6, 16), ClockStatus.MET)
        with pytest.raises(EhcpStepOutOfOrderError):  # once per meeting
            plan.send_ehcp_review_report(SendEhcpReviewReport(), by(LEAD, date(2025, 6, 17)))

    def test_the_final_plan_waits_for_the_familys_15_days_on_the_draft(self):
        plan = self.to_draft(
            self.requested_on_1_march(), date(2024, 4, 1), date(2024, 6, 1), date(2024, 6, 3)
        )
        with pytest.raises(DraftRepresentationsOpenError):
            plan.issue_ehcp(IssueEhcp(), by(OFFICER, date(2024, 6, 17)))
        plan.issue_ehcp(IssueEhcp(), by(OFFICER, date(2024, 6, 18)))


def a_plan_with_steps(plan_type: PlanType, *steps: str) -> tuple[Plan, list]:
    plan, day = a_plan(plan_type), date(2024, 3, 1)
    for step in steps:
        if step == "csp request":
            request(plan, day)
        elif step == "ehcp request":
            plan.receive_ehcp_request(
                ReceiveEhcpRequest(requested_by=Requester.PARENT_CARER), by(LEAD, day)
            )
        elif step == "review":
            hold_review(plan, day, ReviewKind.IN_YEAR)
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
