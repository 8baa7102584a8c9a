"""Access to a plan can be withdrawn: a person removed, an agency gone; the history
keeps that they were there."""

from __future__ import annotations

import pytest

from domain.errors import AgencyNotJoinedError, LeadProfessionalRemovalError, NotAMemberError
from domain.events import LeaveAgency, RemoveMember
from tests.domain.refusals import refused
from tests.examples import SALT, a_full_plan, a_lead_professional, by, days_ago

LEAD = a_lead_professional()


def test_a_removed_member_is_no_longer_a_member():
    full = a_full_plan()
    full.plan.collect_events()
    full.plan.remove_member(
        RemoveMember(user_id=full.colleague_id), by(LEAD, days_ago(0), "Moved to another school")
    )
    assert full.plan.member(full.colleague_id) is None
    [removed] = full.plan.collect_events()
    assert type(removed).__name__ == "MemberRemoved"
    assert (removed.user_id, removed.reason) == (full.colleague_id, "Moved to another school")


def test_only_a_member_can_be_removed():
    plan = a_full_plan().plan
    with refused(plan, NotAMemberError):
        plan.remove_member(
            RemoveMember(user_id="u-nobody"), by(LEAD, days_ago(0), "Left the service")
        )


def test_the_lead_professional_cannot_be_removed_without_a_successor():
    plan = a_full_plan().plan
    with refused(plan, LeadProfessionalRemovalError):
        plan.remove_member(
            RemoveMember(user_id=plan.lead_professional), by(LEAD, days_ago(0), "Left the service")
        )


def test_an_agency_that_leaves_is_no_longer_joined():
    full = a_full_plan()
    full.plan.leave_agency(LeaveAgency(org=SALT), by(LEAD, days_ago(0), "Therapy finished"))
    assert SALT not in full.plan.agencies


@pytest.mark.parametrize("org", ["nhs:nobody", "school:elsewhere"])
def test_only_a_joined_agency_can_leave(org):
    plan = a_full_plan().plan
    with refused(plan, AgencyNotJoinedError):
        plan.leave_agency(LeaveAgency(org=org), by(LEAD, days_ago(0), "Therapy finished"))
