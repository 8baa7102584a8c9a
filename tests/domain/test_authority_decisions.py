"""Only an authorised officer of the authority takes its statutory decisions, and sees
every CSP and EHCP of the authority (API.md, "A new role"). Decided in domain/access.py,
whatever the door: the API, the pages, the CLI."""

from __future__ import annotations

import pytest

from domain.access import Caller, Decision, decide
from domain.actions import Action
from domain.events import (
    AddMember,
    AnswerCspRequest,
    DecideCspNeed,
    DecideEarlyReview,
    DiscontinueCsp,
    PrepareCsp,
)
from domain.statutory import CspNeed, CspRequestAnswer, EarlyReviewAnswer
from domain.values import PlanType, Role
from tests.examples import a_full_plan, a_lead_professional, a_practitioner, an_officer, by

DECISIONS = [
    AnswerCspRequest(answer=CspRequestAnswer.WILL_ESTABLISH),
    DecideCspNeed(decision=CspNeed.NEEDED),
    PrepareCsp(),
    DecideEarlyReview(decision=EarlyReviewAnswer.GRANTED),
    DiscontinueCsp(),
]
OFFICER = Caller.of(an_officer())


def a_member(full, role: Role) -> Caller:
    """A member of the plan in that role (a practitioner: of a joined agency)."""
    if role is Role.PRACTITIONER:
        return Caller.of(a_practitioner())
    if role is Role.LEAD_PROFESSIONAL:
        return Caller.of(a_lead_professional())
    user_id = f"u-{role.value}"
    full.plan.add_member(AddMember(user_id=user_id, role=role, name="Member"), by())
    return Caller(sub=user_id, name="Member", role=role)


def test_every_statutory_decision_is_an_authority_decision():
    assert {c.action for c in DECISIONS} == {Action.TAKE_STATUTORY_DECISION}


@pytest.mark.parametrize("command", DECISIONS, ids=lambda c: type(c).__name__)
@pytest.mark.parametrize(
    "role",
    [Role.LEAD_PROFESSIONAL, Role.PRACTITIONER, Role.PARENT_CARER, Role.YOUNG_PERSON],
    ids=lambda r: r.value,
)
def test_no_other_member_takes_them(role, command):
    full = a_full_plan(PlanType.CSP)
    caller = a_member(full, role)
    assert decide(caller, Action.READ_PLAN, full.plan) is Decision.ALLOW
    assert decide(caller, command.action, full.plan, command) is Decision.FORBIDDEN


@pytest.mark.parametrize("command", DECISIONS, ids=lambda c: type(c).__name__)
def test_the_officer_takes_them_without_being_a_member(command):
    full = a_full_plan(PlanType.CSP)
    assert OFFICER.sub not in full.plan.members
    assert decide(OFFICER, command.action, full.plan, command) is Decision.ALLOW


@pytest.mark.parametrize("plan_type", [PlanType.CSP, PlanType.EHCP])
def test_the_officer_reads_every_statutory_plan(plan_type):
    assert decide(OFFICER, Action.READ_PLAN, a_full_plan(plan_type).plan) is Decision.ALLOW


@pytest.mark.parametrize("plan_type", [PlanType.IEP, PlanType.PLP, PlanType.CHILDS_PLAN])
def test_the_officer_sees_no_other_plan_unless_a_member(plan_type):
    assert decide(OFFICER, Action.READ_PLAN, a_full_plan(plan_type).plan) is Decision.NOT_FOUND


def test_the_officer_changes_no_targets_or_disclosures():
    full = a_full_plan(PlanType.CSP)
    for action in (Action.SET_TARGET, Action.GRANT_DISCLOSURE, Action.CLOSE_PLAN):
        assert decide(OFFICER, action, full.plan) is Decision.FORBIDDEN
