"""Access to a plan can be withdrawn: a person removed, an agency gone; the history
keeps that they were there."""

from __future__ import annotations

import pytest

from domain.errors import AgencyNotJoinedError, LeadProfessionalRemovalError, NotAMemberError
from tests.domain.refusals import refused
from tests.examples import SALT, a_full_plan, a_lead_professional, days_ago

LEAD = a_lead_professional()


def test_a_removed_member_is_no_longer_a_member():
    full = a_full_plan()
    full.plan.collect_events()
    full.plan.remove_member(user_id=full.colleague_id, actor=LEAD, occurred_on=days_ago(0),
                            reason="Moved to another school")
    assert full.plan.member(full.colleague_id) is None
    [removed] = full.plan.collect_events()
    assert type(removed).__name__ == "MemberRemoved"
    assert (removed.user_id, removed.reason) == (full.colleague_id, "Moved to another school")


def test_only_a_member_can_be_removed():
    plan = a_full_plan().plan
    with refused(plan, NotAMemberError):
        plan.remove_member(user_id="u-nobody", actor=LEAD, occurred_on=days_ago(0))


def test_the_lead_professional_cannot_be_removed_without_a_successor():
    plan = a_full_plan().plan
    with refused(plan, LeadProfessionalRemovalError):
        plan.remove_member(user_id=plan.lead_professional, actor=LEAD, occurred_on=days_ago(0))


def test_an_agency_that_leaves_is_no_longer_joined():
    full = a_full_plan()
    full.plan.leave_agency(org=SALT, actor=LEAD, occurred_on=days_ago(0))
    assert SALT not in full.plan.agencies


@pytest.mark.parametrize("org", ["nhs:nobody", "school:elsewhere"])
def test_only_a_joined_agency_can_leave(org):
    plan = a_full_plan().plan
    with refused(plan, AgencyNotJoinedError):
        plan.leave_agency(org=org, actor=LEAD, occurred_on=days_ago(0))
