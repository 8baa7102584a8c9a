"""The rules on recording statutory steps: each refusal is named and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from datetime import UTC, date, datetime

import pytest

from domain import access
from domain.access import Caller, Decision
from domain.actions import Action
from domain.errors import (
    DateOrderError,
    NotAMemberError,
    NoticeNotFoundError,
    ReasonRequiredError,
)
from domain.events import (
    AddMember,
    AnswerCspRequest,
    ClosePlan,
    DecideCspNeed,
    DecideEarlyReview,
    DecideEhcpAssessment,
    DelayCspPreparation,
    DiscontinueCsp,
    ExtendEarlyReviewAnswer,
    GiveNotice,
    IssueEhcp,
    ProposeCsp,
    ReceiveCspRequest,
    ReceiveEhcpRequest,
    RecordNoticeEmailed,
    RecordSection,
    RequestEarlyReview,
)
from domain.notices import owed_notices
from domain.plans import Plan
from domain.sections import UnknownSectionError
from domain.statutory import (
    CspAlreadyInPreparationError,
    CspNeed,
    CspNeedAlreadyDecidedError,
    CspNeedNotDecidedError,
    CspNotInPreparationError,
    CspNotNeededError,
    CspNotPreparedError,
    CspRequestAnswer,
    CspRequestNotPendingError,
    DelayCause,
    DiscontinuanceNotRecommendedError,
    EarlyReviewAlreadyDecidedError,
    EarlyReviewAnswer,
    EarlyReviewDeadlinePassedError,
    EarlyReviewRequesterError,
    EarlyReviewRequestPendingError,
    EhcpAssessment,
    EhcpStepOutOfOrderError,
    NoCspRequestError,
    NoEarlyReviewRequestError,
    NotACspPlanError,
    NotAnEhcpPlanError,
    NotAStatutoryReviewPlanError,
    NothingToSignError,
    NoticeAfterDestructionError,
    NoticeKind,
    PreparationDelayNotLaterError,
    ReferenceWindowOpenError,
    Requester,
    RequestNotYoursError,
    ReviewAlreadyStartedError,
    ReviewKind,
    SignedCspEndsByDiscontinuanceError,
    StatutoryReviewNotBegunError,
    UnknownRequestError,
    add_months,
)
from domain.values import Actor, PlanStatus, PlanType, Role
from tests.domain.test_statutory_clocks import (
    LEAD,
    OFFICER,
    a_csp_in_preparation,
    a_csp_proposed,
    a_plan,
    a_prepared_csp,
    a_statutory_review,
    answer,
    begin_review,
    decide,
    hold_review,
    request,
    sign,
)
from tests.examples import a_parent, by, days_ago


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
    request(plan, on)
    return plan


class TestTheCalendar:
    def test_12_months_from_29_february_ends_on_28_february(self):
        assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)

    def test_2_months_from_31_december_ends_on_the_last_day_of_february(self):
        assert add_months(date(2023, 12, 31), 2) == date(2024, 2, 29)


class TestRequestsAndProposals:
    def test_a_request_answered_then_decided_then_signed_is_recorded_in_order(self):
        plan = requested(a_plan())
        answer(plan, CspRequestAnswer.WILL_ESTABLISH, date(2024, 3, 10))
        decide(plan, CspNeed.NEEDED, date(2024, 5, 1))
        sign(plan, date(2024, 6, 1))
        assert event_types(plan) == [
            "PlanOpened",
            "CspRequestReceived",
            "CspRequestAnswered",
            "CspNeedDecided",
            "CspPrepared",
        ]
        signature = plan.statutory.signed[0]
        assert (signature.signed_on, signature.officer, signature.amended) == (
            date(2024, 6, 1),
            OFFICER.name,
            False,
        )

    def test_only_a_csp_records_csp_steps(self):
        plan = a_plan(PlanType.IEP)
        with refused(plan, NotACspPlanError):
            requested(plan)

    def test_a_request_is_answered_once(self):
        plan = requested(a_plan())
        answer(plan, CspRequestAnswer.REFUSED, date(2024, 3, 10))
        with refused(plan, CspRequestNotPendingError):
            answer(plan, CspRequestAnswer.WILL_ESTABLISH, date(2024, 3, 11))

    def test_an_answer_names_the_request_it_answers(self):
        plan = requested(a_plan())
        with refused(plan, UnknownRequestError):
            plan.answer_csp_request(
                AnswerCspRequest(
                    request_id=OFFICER_REQUEST, answer=CspRequestAnswer.WILL_ESTABLISH
                ),
                by(OFFICER, date(2024, 3, 10), "Agreed"),
            )

    def test_an_answer_gives_its_reason(self):
        plan = requested(a_plan())
        with refused(plan, ReasonRequiredError):
            plan.answer_csp_request(
                AnswerCspRequest(answer=CspRequestAnswer.REFUSED), by(OFFICER, date(2024, 3, 10))
            )

    def test_an_answer_cannot_precede_the_request(self):
        plan = requested(a_plan(), date(2024, 3, 1))
        with refused(plan, DateOrderError):
            answer(plan, CspRequestAnswer.WILL_ESTABLISH, date(2024, 2, 29))

    def test_a_parent_makes_a_request_in_their_own_name_only(self):
        plan = a_plan()
        with refused(plan, RequestNotYoursError):
            plan.receive_csp_request(
                ReceiveCspRequest(requested_by=Requester.SCHOOL), by(a_parent(), date(2024, 3, 1))
            )

    def test_a_proposal_while_establishing_need_is_refused(self):
        plan = a_csp_proposed(date(2024, 3, 1))
        with refused(plan, CspAlreadyInPreparationError):
            plan.propose_csp(ProposeCsp(), by(LEAD, date(2024, 3, 2)))

    def test_a_proposal_waits_for_the_answer_to_a_request(self):
        plan = requested(a_plan())
        with refused(plan, Exception):
            plan.propose_csp(ProposeCsp(), by(LEAD, date(2024, 3, 2)))


OFFICER_REQUEST = __import__("uuid").uuid4()


class TestDecisionAndSigning:
    def test_a_decision_needs_a_proposal_or_an_agreed_request(self):
        plan = requested(a_plan())
        with refused(plan, NoCspRequestError):
            decide(plan, CspNeed.NEEDED, date(2024, 3, 5))

    def test_need_is_decided_once(self):
        plan = a_csp_in_preparation(date(2024, 3, 20))
        with refused(plan, CspNeedAlreadyDecidedError):
            decide(plan, CspNeed.NOT_NEEDED, date(2024, 3, 28))

    def test_a_decision_cannot_precede_the_proposal(self):
        plan = a_csp_proposed(date(2024, 3, 1))
        with refused(plan, DateOrderError):
            decide(plan, CspNeed.NEEDED, date(2024, 2, 29))

    def test_a_decision_gives_its_reason(self):
        plan = a_csp_proposed(date(2024, 3, 1))
        with refused(plan, ReasonRequiredError):
            plan.decide_csp_need(
                DecideCspNeed(decision=CspNeed.NEEDED), by(OFFICER, date(2024, 4, 1))
            )

    def test_a_plan_cannot_be_signed_before_need_is_decided(self):
        plan = a_csp_proposed(date(2024, 3, 1))
        with refused(plan, CspNeedNotDecidedError):
            sign(plan, date(2024, 4, 1))

    def test_a_plan_found_not_needed_cannot_be_signed(self):
        plan = a_csp_proposed(date(2024, 3, 1))
        decide(plan, CspNeed.NOT_NEEDED, date(2024, 3, 5))
        with refused(plan, CspNotNeededError):
            sign(plan, date(2024, 4, 1))

    def test_a_plan_is_signed_again_only_as_amended_after_a_statutory_review(self):
        plan = a_prepared_csp(date(2024, 5, 1))
        with refused(plan, NothingToSignError):
            sign(plan, date(2024, 5, 2))
        a_statutory_review(plan, date(2025, 3, 1), date(2025, 4, 1))
        sign(plan, date(2025, 4, 8))
        assert [s.amended for s in plan.statutory.signed] == [False, True]
        assert plan.statutory.csp_prepared_on == date(2024, 5, 1)

    def test_a_delay_needs_the_16_weeks_running(self):
        plan = a_prepared_csp(date(2024, 5, 1))
        with refused(plan, CspNotInPreparationError):
            plan.delay_csp_preparation(
                DelayCspPreparation(new_due_on=date(2024, 6, 1), cause=DelayCause.OTHER),
                by(LEAD, date(2024, 5, 2), "Late"),
            )

    def test_a_delay_must_give_its_reason(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        with refused(plan, ReasonRequiredError):
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


class TestStatutoryReviews:
    def test_a_review_cannot_begin_before_the_plan_is_signed(self):
        plan = a_csp_in_preparation(date(2024, 3, 1))
        with refused(plan, CspNotPreparedError):
            begin_review(plan, date(2024, 4, 1))

    def test_one_review_at_a_time(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        begin_review(plan, date(2024, 9, 1))
        with refused(plan, ReviewAlreadyStartedError):
            begin_review(plan, date(2024, 9, 2))

    def test_a_statutory_review_completes_one_begun(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        with refused(plan, StatutoryReviewNotBegunError):
            hold_review(plan, date(2024, 9, 1))

    def test_a_statutory_review_cannot_be_held_before_it_began(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        begin_review(plan, date(2024, 9, 10))
        with refused(plan, DateOrderError):
            hold_review(plan, date(2024, 9, 9))

    def test_only_a_csp_has_statutory_reviews(self):
        plan = a_plan(PlanType.IEP)
        with refused(plan, NotAStatutoryReviewPlanError):
            hold_review(plan, date(2024, 9, 1))

    def test_only_a_statutory_review_recommends_discontinuance(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        with refused(plan, DiscontinuanceNotRecommendedError):
            hold_review(plan, date(2024, 9, 1), ReviewKind.IN_YEAR, ends=True)

    def test_the_next_review_may_begin_once_one_is_completed(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        a_statutory_review(plan, date(2024, 9, 1), date(2024, 10, 1))
        begin_review(plan, date(2025, 8, 1))
        assert plan.statutory.review_begun


class TestEarlyReviewSteps:
    def requested(self) -> Plan:
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.request_early_review(
            RequestEarlyReview(requested_by=Requester.YOUNG_PERSON), by(LEAD, date(2024, 5, 1))
        )
        return plan

    def answer(self, plan: Plan, given: EarlyReviewAnswer, on: date) -> None:
        plan.decide_early_review(DecideEarlyReview(decision=given), by(OFFICER, on, "Considered"))

    def test_an_answer_needs_a_request(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        with refused(plan, NoEarlyReviewRequestError):
            self.answer(plan, EarlyReviewAnswer.GRANTED, date(2024, 5, 2))

    def test_a_request_is_answered_once(self):
        plan = self.requested()
        self.answer(plan, EarlyReviewAnswer.REFUSED, date(2024, 5, 2))
        with refused(plan, EarlyReviewAlreadyDecidedError):
            self.answer(plan, EarlyReviewAnswer.GRANTED, date(2024, 5, 3))

    def test_a_new_request_waits_for_the_answer_to_the_last(self):
        plan = self.requested()
        with refused(plan, EarlyReviewRequestPendingError):
            plan.request_early_review(
                RequestEarlyReview(requested_by=Requester.PARENT_CARER), by(LEAD, date(2024, 5, 2))
            )

    def test_only_the_family_asks_for_an_early_review(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        with refused(plan, EarlyReviewRequesterError):
            plan.request_early_review(
                RequestEarlyReview(requested_by=Requester.SCHOOL), by(LEAD, date(2024, 5, 2))
            )

    def test_the_time_cannot_be_extended_once_the_4_weeks_have_passed(self):
        plan = self.requested()
        with refused(plan, EarlyReviewDeadlinePassedError):
            plan.extend_early_review_answer(
                ExtendEarlyReviewAnswer(), by(LEAD, date(2024, 5, 30), "Staff absence")
            )

    def test_an_extension_gives_its_reason(self):
        plan = self.requested()
        with refused(plan, ReasonRequiredError):
            plan.extend_early_review_answer(ExtendEarlyReviewAnswer(), by(LEAD, date(2024, 5, 3)))


class TestEndingACsp:
    """reg 11(2): discontinued after a review recommends it, and not while the decision
    may still be referred; a signed CSP ends no other way."""

    def reviewed(self, held_on: date = date(2025, 2, 3)) -> Plan:
        plan = a_prepared_csp(date(2024, 3, 1))
        a_statutory_review(plan, date(2025, 1, 6), held_on, ends=True)
        return plan

    def discontinue(self, plan: Plan, on: date) -> None:
        plan.discontinue_csp(DiscontinueCsp(), by(OFFICER, on, "Needs now met in school"))

    def test_not_before_a_review_recommends_it(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        a_statutory_review(plan, date(2025, 1, 6), date(2025, 2, 3))
        with refused(plan, DiscontinuanceNotRecommendedError):
            self.discontinue(plan, date(2025, 6, 1))

    def test_not_on_the_last_day_of_the_reference_window(self):
        plan = self.reviewed()
        with refused(plan, ReferenceWindowOpenError):
            self.discontinue(plan, date(2025, 4, 3))

    def test_the_day_after_the_window_it_is_discontinued_and_dated(self):
        plan = self.reviewed()
        self.discontinue(plan, date(2025, 4, 4))
        assert (plan.status, plan.closed_on, plan.statutory.discontinued_on) == (
            PlanStatus.CLOSED,
            date(2025, 4, 4),
            date(2025, 4, 4),
        )

    def test_the_window_runs_from_the_day_the_family_was_told(self):
        plan = self.reviewed()
        plan.give_notice(
            GiveNotice(
                kind=NoticeKind.REVIEW_OUTCOME_AND_RIGHTS, to=("Mrs Cameron",), method="letter"
            ),
            by(LEAD, date(2025, 2, 20)),
        )
        with refused(plan, ReferenceWindowOpenError):
            self.discontinue(plan, date(2025, 4, 20))
        self.discontinue(plan, date(2025, 4, 21))

    def test_a_later_review_that_keeps_the_plan_withdraws_the_recommendation(self):
        plan = self.reviewed()
        a_statutory_review(plan, date(2025, 3, 1), date(2025, 3, 10))
        with refused(plan, DiscontinuanceNotRecommendedError):
            self.discontinue(plan, date(2025, 9, 1))

    def test_a_signed_csp_is_not_simply_closed(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        with refused(plan, SignedCspEndsByDiscontinuanceError):
            plan.close_plan(ClosePlan(), by(LEAD, date(2024, 4, 1), "Moved away"))

    def test_four_days_after_a_refusal_a_csp_may_not_be_closed(self):
        plan = requested(a_plan(), days_ago(30))
        answer(plan, CspRequestAnswer.REFUSED, days_ago(10))
        with refused(plan, ReferenceWindowOpenError):
            plan.close_plan(ClosePlan(), by(LEAD, days_ago(6), "Refused"))

    def test_after_the_window_a_refused_csp_may_be_closed(self):
        plan = requested(a_plan(), date(2024, 3, 1))
        answer(plan, CspRequestAnswer.REFUSED, date(2024, 3, 10))
        plan.close_plan(ClosePlan(), by(LEAD, date(2024, 5, 11), "Not referred"))
        assert plan.status is PlanStatus.CLOSED


MAIL = Actor(id="system:mail", name="Mail sender", role=Role.SYSTEM)


class TestNotices:
    def notice(self, kind: NoticeKind = NoticeKind.PLAN_COPY) -> GiveNotice:
        return GiveNotice(kind=kind, to=("Mrs Cameron", "Isla"), method="recorded delivery")

    def test_a_notice_records_to_whom_how_and_when(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.give_notice(self.notice(), by(LEAD, date(2024, 3, 2)))
        (given,) = plan.notices
        assert (given.kind, given.to, given.method, given.given_on, given.by) == (
            "plan_copy",
            ("Mrs Cameron", "Isla"),
            "recorded delivery",
            date(2024, 3, 2),
            LEAD.name,
        )

    def test_the_discontinuance_is_notified_after_the_plan_ends(self):
        plan = TestEndingACsp().reviewed()
        TestEndingACsp().discontinue(plan, date(2025, 4, 4))
        plan.give_notice(self.notice(NoticeKind.DISCONTINUANCE), by(OFFICER, date(2025, 4, 5)))
        assert [n.kind for n in plan.notices] == ["discontinuance"]

    def test_a_notice_emailed_records_what_the_mail_server_accepted(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        parent = a_parent()
        plan.add_member(
            AddMember(user_id=parent.id, role=parent.role, name="Ann Cameron"),
            by(LEAD, date(2024, 3, 1)),
        )
        notice = self.notice().model_copy(update={"method": "email", "by_email": True})
        plan.give_notice(notice, by(OFFICER, date(2024, 3, 2)))
        accepted = datetime(2024, 3, 2, 9, 30, tzinfo=UTC)
        served = RecordNoticeEmailed(
            notice_id=notice.notice_id,
            recipient=parent.id,
            message_id="<a@b>",
            accepted_at=accepted,
        )
        plan.record_notice_emailed(served, by(MAIL, date(2024, 3, 2)))
        (given,) = plan.notices
        assert given.by_email
        assert [(e.to, e.message_id, e.accepted_at) for e in given.emailed] == [
            ("Ann Cameron", "<a@b>", accepted)
        ]
        with refused(plan, NotAMemberError):
            plan.record_notice_emailed(
                served.model_copy(update={"recipient": "u-nobody"}), by(MAIL, date(2024, 3, 2))
            )

    def test_only_a_notice_given_by_email_records_a_message(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        by_letter = self.notice()
        plan.give_notice(by_letter, by(OFFICER, date(2024, 3, 2)))
        served = RecordNoticeEmailed(
            notice_id=by_letter.notice_id,
            recipient=LEAD.id,
            message_id="<a@b>",
            accepted_at=datetime(2024, 3, 2, 9, 30, tzinfo=UTC),
        )
        with refused(plan, NoticeNotFoundError):
            plan.record_notice_emailed(served, by(MAIL, date(2024, 3, 2)))

    def test_only_the_mail_sender_records_a_notice_emailed(self):
        plan = a_prepared_csp(date(2024, 3, 1))

        def decision(actor: Actor) -> Decision:
            return access.decide(Caller.of(actor), Action.RECORD_NOTICE_EMAILED, plan)

        assert Decision.ALLOW not in {decision(a) for a in (LEAD, OFFICER, a_parent())}
        assert decision(MAIL) is Decision.ALLOW

    def test_once_destroyed_only_the_destruction_is_notified(self):
        from tests.examples import a_destroyed_full_plan

        plan = a_destroyed_full_plan(PlanType.CSP).plan
        with refused(plan, NoticeAfterDestructionError):
            plan.give_notice(self.notice(NoticeKind.PLAN_COPY), by(OFFICER))
        plan.give_notice(self.notice(NoticeKind.DESTRUCTION), by(OFFICER))
        assert [n.kind for n in plan.notices] == ["destruction"]


class TestSections:
    def test_a_section_holds_its_particulars(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.record_section(
            RecordSection(
                name="parents",
                text="Both parents share care.",
                details={"parents": [{"name": "Ann Cameron", "relationship": "mother"}]},
            ),
            by(LEAD, date(2024, 3, 2)),
        )
        section = plan.sections["parents"]
        assert (section.text, section.details["parents"][0]["relationship"]) == (
            "Both parents share care.",
            "mother",
        )

    def test_a_name_the_plan_type_does_not_have_is_refused(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        with refused(plan, UnknownSectionError):
            plan.record_section(RecordSection(name="h1", text="x"), by(LEAD, date(2024, 3, 2)))

    def test_replacing_content_needs_a_reason_and_keeps_the_earlier_in_the_history(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.record_section(RecordSection(name="profile", text="Loves maps"), by(LEAD))
        with refused(plan, ReasonRequiredError):
            plan.record_section(RecordSection(name="profile", text="Loves trains"), by(LEAD))
        plan.record_section(
            RecordSection(name="profile", text="Loves trains"), by(LEAD, None, "After review")
        )
        assert (plan.sections["profile"].text, plan.sections["profile"].reason) == (
            "Loves trains",
            "After review",
        )

    def test_a_field_a_section_does_not_hold_is_refused(self):
        from pydantic import ValidationError

        plan = a_prepared_csp(date(2024, 3, 1))
        with refused(plan, ValidationError):
            plan.record_section(
                RecordSection(name="coordinator", text="x", details={"shoe_size": 9}), by(LEAD)
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
            DecideEhcpAssessment(decision=EhcpAssessment.DECLINE), by(OFFICER, date(2024, 3, 9))
        )
        with refused(plan, EhcpStepOutOfOrderError):
            plan.issue_ehcp(IssueEhcp(), by(OFFICER, date(2024, 4, 1)))


class TestSnapshots:
    def test_a_snapshot_keeps_the_statutory_state_sections_and_notices(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        plan.record_section(RecordSection(name="profile", text="Loves maps"), by(LEAD))
        plan.give_notice(TestNotices().notice(), by(LEAD))
        restored = Plan.Snapshot.take(plan).mutate(None)
        assert (restored.statutory, restored.sections, restored.notices) == (
            plan.statutory,
            plan.sections,
            plan.notices,
        )

    @pytest.mark.parametrize("state_without", ["statutory", "sections", "notices"])
    def test_a_snapshot_taken_before_these_existed_still_loads(self, state_without):
        plan = a_plan(PlanType.IEP)
        state = dict(Plan.Snapshot.take(plan).state)
        state.pop(state_without)
        old = Plan.Snapshot(
            originator_id=plan.id,
            originator_version=plan.version,
            topic=Plan.Snapshot.take(plan).topic,
            state=state,
        )
        restored = old.mutate(None)
        assert (restored.statutory.csp_requested_on, restored.sections, restored.notices) == (
            None,
            {},
            [],
        )


class TestNoticesOwed:
    """Each step makes its notice due (s.11; reg 11(3)); one given since the step pays it."""

    def owed(self, plan: Plan) -> list[tuple[str, date]]:
        return [(o.kind.value, o.since) for o in owed_notices(plan)]

    def tell(self, plan: Plan, kind: NoticeKind, on: date) -> None:
        plan.give_notice(GiveNotice(kind=kind, to=("Mrs Cameron",), method="letter"), by(LEAD, on))

    def test_a_signed_plan_owes_its_copy_and_the_providers_until_they_are_told(self):
        plan = a_prepared_csp(date(2024, 5, 1))
        assert ("plan_copy", date(2024, 5, 1)) in self.owed(plan)
        assert ("providers_informed", date(2024, 5, 1)) in self.owed(plan)
        self.tell(plan, NoticeKind.PLAN_COPY, date(2024, 5, 2))
        assert ("plan_copy", date(2024, 5, 1)) not in self.owed(plan)

    def test_a_notice_given_before_the_step_does_not_count(self):
        plan = a_prepared_csp(date(2024, 5, 1))
        self.tell(plan, NoticeKind.PLAN_COPY, date(2024, 5, 2))
        a_statutory_review(plan, date(2025, 3, 1), date(2025, 4, 1))
        sign(plan, date(2025, 4, 8))  # the amended plan: a new copy is owed
        assert ("plan_copy", date(2025, 4, 8)) in self.owed(plan)
        assert ("review_outcome_and_rights", date(2025, 4, 1)) in self.owed(plan)

    def test_a_review_begun_owes_its_proposal_and_a_refusal_its_rights(self):
        plan = a_prepared_csp(date(2024, 3, 1))
        begin_review(plan, date(2024, 9, 1))
        assert ("review_proposal", date(2024, 3, 1)) in self.owed(plan)
        refused_plan = requested(a_plan(), date(2024, 3, 1))
        answer(refused_plan, CspRequestAnswer.REFUSED, date(2024, 3, 10))
        assert self.owed(refused_plan) == [("decision_and_rights", date(2024, 3, 10))]
