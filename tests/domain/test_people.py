"""Members, the lead professional, agencies and the child's details."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import (
    AgencyAlreadyJoinedError,
    InvalidMemberRoleError,
    MemberAlreadyAddedError,
    NotALeadProfessionalError,
    NotAMemberError,
    OccurredInFutureError,
)
from domain.events import AddMember, AssignLeadProfessional, CorrectChildDetails, JoinAgency
from domain.values import Child, Member, Role
from tests.domain.refusals import event_types, refused
from tests.examples import (
    SALT,
    a_child,
    a_lead_professional,
    an_open_plan,
    by,
    days_ago,
    tomorrow,
)

LEAD = a_lead_professional()


def add_member(plan, user_id="u-salt-1", role=Role.PRACTITIONER):
    plan.add_member(AddMember(user_id=user_id, role=role, name="Priya Shah"), by(LEAD, days_ago(5)))


class TestAddingAMember:
    def test_a_practitioner_added_to_a_plan_is_one_of_its_members(self):
        plan = an_open_plan()
        plan.collect_events()
        add_member(plan)
        [added] = plan.collect_events()
        assert (type(added).__name__, added.user_id, added.role) == (
            "MemberAdded",
            "u-salt-1",
            Role.PRACTITIONER,
        )
        assert plan.member("u-salt-1") == Member(
            user_id="u-salt-1", role=Role.PRACTITIONER, name="Priya Shah"
        )

    @pytest.mark.parametrize("role", [Role.REVIEWER, Role.ANALYST, Role.SYSTEM])
    def test_reviewers_analysts_and_the_system_cannot_be_members(self, role):
        plan = an_open_plan()
        with refused(plan, InvalidMemberRoleError):
            add_member(plan, role=role)

    def test_a_user_cannot_be_added_twice(self):
        plan = an_open_plan()
        with refused(plan, MemberAlreadyAddedError):
            add_member(plan, user_id=LEAD.id, role=Role.PRACTITIONER)


class TestAssigningTheLeadProfessional:
    def test_a_lead_professional_member_can_take_over_as_lead(self):
        plan = an_open_plan()
        add_member(plan, user_id="u-lead-2", role=Role.LEAD_PROFESSIONAL)
        plan.collect_events()
        plan.assign_lead_professional(
            AssignLeadProfessional(user_id="u-lead-2"), by(LEAD, days_ago(1))
        )
        assert event_types(plan) == ["LeadProfessionalAssigned"]
        assert plan.lead_professional == "u-lead-2"

    def test_someone_who_is_not_a_member_is_named_to_be_made_lead(self):
        plan = an_open_plan()
        with refused(plan, NotAMemberError):
            plan.assign_lead_professional(
                AssignLeadProfessional(user_id="u-lead-2"), by(LEAD, days_ago(1))
            )

    def test_a_handover_to_a_new_colleague_makes_them_a_member_and_lead(self):
        plan = an_open_plan()
        plan.assign_lead_professional(
            AssignLeadProfessional(user_id="u-lead-2", name="Euan Ross"), by(LEAD, days_ago(1))
        )
        new = plan.members["u-lead-2"]
        assert (new.role, new.name, plan.lead_professional) == (
            Role.LEAD_PROFESSIONAL,
            "Euan Ross",
            "u-lead-2",
        )
        assert LEAD.id in plan.members  # the former lead stays a member

    def test_a_member_who_is_not_a_lead_professional_cannot_be_lead(self):
        plan = an_open_plan()
        add_member(plan, user_id="u-salt-1", role=Role.PRACTITIONER)
        with refused(plan, NotALeadProfessionalError):
            plan.assign_lead_professional(
                AssignLeadProfessional(user_id="u-salt-1"), by(LEAD, days_ago(1))
            )


class TestJoiningAnAgency:
    def test_an_agency_joins_on_the_day_it_happened(self):
        plan = an_open_plan()
        plan.collect_events()
        plan.join_agency(JoinAgency(org=SALT, name="SALT", kind="salt"), by(LEAD, days_ago(3)))
        assert event_types(plan) == ["AgencyJoined"]
        assert plan.agencies[SALT].joined_on == days_ago(3)

    def test_an_agency_cannot_join_twice(self):
        plan = an_open_plan()
        plan.join_agency(JoinAgency(org=SALT, name="SALT", kind="salt"), by(LEAD, days_ago(3)))
        with refused(plan, AgencyAlreadyJoinedError):
            plan.join_agency(
                JoinAgency(org=SALT, name="SALT again", kind="salt"), by(LEAD, days_ago(2))
            )


def test_correcting_the_childs_details_keeps_the_original_in_the_history():
    plan = an_open_plan()
    corrected = Child(name="Isla Cameron", date_of_birth=date(2016, 3, 14))
    plan.correct_child_details(
        CorrectChildDetails(child=corrected), by(LEAD, days_ago(1), "Surname misspelt")
    )
    opened, correction = plan.collect_events()
    assert (opened.child, correction.child, correction.reason) == (
        a_child(),
        corrected,
        "Surname misspelt",
    )
    assert plan.child == corrected


@pytest.mark.parametrize(
    "born_on", [tomorrow(), date(tomorrow().year + 1, 1, 1)], ids=["tomorrow", "next year"]
)
def test_a_child_cannot_be_corrected_to_a_date_of_birth_in_the_future(born_on):
    plan = an_open_plan()
    with refused(plan, OccurredInFutureError) as raised:
        plan.correct_child_details(
            CorrectChildDetails(child=Child(name="Isla Campbell", date_of_birth=born_on)),
            by(LEAD, days_ago(0), "Date of birth mistyped"),
        )
    assert "date_of_birth" in str(raised.value)
