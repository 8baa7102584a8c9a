"""Plan summaries: events in, rows out, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain import access
from domain.access import Caller, Visibility
from domain.calendar import today
from domain.events import AnswerCspRequest, ReceiveCspRequest
from domain.statutory import CspRequestAnswer, Requester
from projections.engine.catch_up import catch_up
from projections.engine.paging import InvalidCursorError
from projections.plan_summaries.view import PlanFilters
from tests.examples import an_officer
from tests.projections.scenario import (
    AS_LEAD,
    LEAD,
    OTHER_SCHOOL,
    SALT,
    build,
    child,
    opening,
)

EVERYONE = Visibility(everyone=True)


@pytest.fixture
def summaries(planning, open_view):
    scenario = build(planning)
    view = open_view("plan_summaries")
    catch_up(planning, view, batch_size=7)  # batches that split plans and reviews
    return scenario, view


def test_each_row_agrees_with_the_plan_it_summarises(planning, summaries):
    scenario, view = summaries
    for plan_id in (scenario.iep, scenario.csp, scenario.prepared_csp, scenario.closed):
        plan, row = planning.get_plan(plan_id), view.get_summary(plan_id)
        assert (row.plan_type, row.stage, row.status, row.org) == (
            plan.plan_type.value,
            plan.stage,
            plan.status.value,
            plan.org,
        )
        assert (row.opened_on, row.closed_on, row.next_review_on, row.version) == (
            plan.opened_on,
            plan.closed_on,
            plan.next_review_on,
            plan.version,
        )
        assert row.lead_professional == plan.lead_professional
        assert row.member_ids == list(plan.members)
        assert row.agency_orgs == list(plan.agencies)
        assert row.open_targets == len(plan.open_targets())
        in_force = {(d.grantee, d.until) for d in plan.disclosures_in_force(today())}
        assert {(g.grantee, g.until) for g in row.disclosed_to(today())} == in_force


def test_the_iep_row_in_detail(summaries):
    scenario, view = summaries
    row = view.get_summary(scenario.iep)
    assert row.member_ids == [LEAD.id, "u-morag"]
    assert row.agency_orgs == [SALT]
    assert row.stage == "targeted"
    assert row.open_targets == 1  # one achieved at review, one closed, one open
    assert [g.grantee for g in row.disclosed_to(today())] == ["u-alasdair", "u-revoked"]


def test_a_row_holds_no_personal_data(summaries):
    scenario, view = summaries
    text = repr(view.get_summary(scenario.iep).as_dict(today()))
    assert child().name not in text
    assert child().date_of_birth.isoformat() not in text
    assert LEAD.name not in text


class TestVisibility:
    def listed(self, view, **visibility):
        page = view.list_plans(PlanFilters(), Visibility(**visibility), today=today())
        return {row.plan_id for row in page.items}

    def test_members_see_their_plans(self, summaries):
        scenario, view = summaries
        assert self.listed(view, member_id="u-morag") == {scenario.iep}
        assert self.listed(view, member_id=LEAD.id) == {scenario.iep, scenario.csp}

    def test_an_authority_officer_sees_every_csp_and_no_other_plan(self, summaries):
        scenario, view = summaries
        officer = access.visibility(Caller.of(an_officer()))
        assert self.listed(view, **vars(officer)) == {scenario.csp, scenario.prepared_csp}
        page = view.reviews_due(today(), officer, today=today(), overdue_only=True)
        assert {r.plan_id for r in page.items} == {scenario.csp, scenario.prepared_csp}

    def test_a_joined_agency_sees_the_plan(self, summaries):
        scenario, view = summaries
        assert self.listed(view, agency_orgs=(SALT,)) == {scenario.iep}

    def test_a_disclosure_shows_the_plan_until_it_expires_or_is_revoked(self, summaries):
        scenario, view = summaries
        assert self.listed(view, grantees=("u-alasdair",)) == {scenario.iep}
        assert self.listed(view, grantees=("tribunal:hec",)) == set()  # revoked
        assert self.listed(view, grantees=("u-nobody",)) == set()

    def test_a_manager_sees_the_org(self, summaries):
        scenario, view = summaries
        assert self.listed(view, org=OTHER_SCHOOL) == {scenario.prepared_csp, scenario.closed}

    def test_the_grounds_are_or_ed(self, summaries):
        scenario, view = summaries
        assert self.listed(view, member_id="u-morag", org=OTHER_SCHOOL) == {
            scenario.iep,
            scenario.prepared_csp,
            scenario.closed,
        }

    def test_no_grounds_show_nothing(self, summaries):
        assert self.listed(summaries[1]) == set()


class TestFilters:
    def listed(self, view, **filters):
        return {
            r.plan_id
            for r in view.list_plans(PlanFilters(**filters), EVERYONE, today=today()).items
        }

    def test_by_type_stage_and_status(self, summaries):
        scenario, view = summaries
        assert self.listed(view, plan_type="csp") == {scenario.csp, scenario.prepared_csp}
        assert self.listed(view, stage="targeted") == {scenario.iep}
        assert self.listed(view, status="closed") == {scenario.closed}

    def test_review_due_on_or_before_a_date(self, planning, summaries):
        scenario, view = summaries
        due = planning.get_plan(scenario.iep).next_review_on
        assert self.listed(view, review_due_before=due) == {scenario.iep}
        assert self.listed(view, review_due_before=due - timedelta(days=1)) == set()


class TestReviews:
    def test_due_lists_open_plans_due_on_or_before_the_date_soonest_first(
        self, planning, summaries
    ):
        scenario, view = summaries
        later = today() + timedelta(days=30)
        page = view.reviews_due(later, EVERYONE, today=today())
        # Both CSPs' statutory reviews fell due long before either plan's own date.
        assert [(r.plan_id, r.due, r.due_on) for r in page.items] == [
            (scenario.prepared_csp, "csp_review", date(2025, 5, 1)),
            (scenario.csp, "csp_review", date(2026, 3, 1)),
            (scenario.iep, "review", page.items[2].next_review_on),
        ]

    def test_overdue_lists_open_plans_whose_review_date_or_statutory_clock_has_passed(
        self, summaries
    ):
        scenario, view = summaries
        page = view.reviews_due(today(), EVERYONE, today=today(), overdue_only=True)
        assert [r.plan_id for r in page.items] == [
            scenario.prepared_csp,
            scenario.csp,
            scenario.iep,
        ]

    def test_a_statutory_clock_due_within_the_window_is_listed_and_not_before(
        self, planning, open_view
    ):
        plan_id = planning.open_plan(opening("csp", "specialist"), AS_LEAD).plan_id
        planning.change(
            plan_id,
            ReceiveCspRequest(requested_by=Requester.PARENT_CARER),
            AS_LEAD,
            occurred_on=today() - timedelta(weeks=8) + timedelta(days=10),
        )
        view = open_view("plan_summaries")
        catch_up(planning, view)
        listed = view.reviews_due(today() + timedelta(days=14), EVERYONE, today=today()).items
        assert [(r.plan_id, r.due, r.due_on) for r in listed] == [
            (plan_id, "csp_request_answer", today() + timedelta(days=10))
        ]
        assert view.reviews_due(today() + timedelta(days=5), EVERYONE, today=today()).items == []
        overdue = view.reviews_due(today(), EVERYONE, today=today(), overdue_only=True).items
        assert overdue == []
        planning.change(
            plan_id,
            AnswerCspRequest(answer=CspRequestAnswer.REFUSED),
            Caller.of(an_officer()),
            reason="Needs met in school",
        )
        catch_up(planning, view)
        assert view.reviews_due(today() + timedelta(days=14), EVERYONE, today=today()).items == []


class TestPaging:
    def test_pages_cover_every_plan_once(self, planning, open_view):
        for n in range(7):
            planning.open_plan(
                opening("iep", "universal"), AS_LEAD, occurred_on=today() - timedelta(days=n % 3)
            )
        view = open_view("plan_summaries")
        catch_up(planning, view)
        seen, after, pages = [], None, 0
        while True:
            page = view.list_plans(PlanFilters(), EVERYONE, today=today(), limit=3, after=after)
            seen += [r.plan_id for r in page.items]
            pages += 1
            if page.next is None:
                break
            after = page.next
        assert pages == 3 and len(seen) == 7 == len(set(seen))
        days = [view.get_summary(i).opened_on for i in seen]
        assert days == sorted(days, reverse=True)

    def test_a_cursor_from_another_list_is_refused(self, summaries):
        view = summaries[1]
        page = view.list_plans(PlanFilters(), EVERYONE, today=today(), limit=1)
        with pytest.raises(InvalidCursorError):
            view.reviews_due(today(), EVERYONE, today=today(), after=page.next)
        with pytest.raises(InvalidCursorError):
            view.list_plans(PlanFilters(), EVERYONE, today=today(), after="not-a-cursor")
