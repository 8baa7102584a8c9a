"""Who may do what: every access decision of the API and the web pages is made here.

Deny by default. A plan the caller may not see at all is "not found" (404), so its
existence is not disclosed; a plan the caller may see, but not change in that way,
is "forbidden" (403). Membership, joined agencies and disclosures come from the
plan's own events.

The table, from ../shared/API.md:
- lead_professional: open plans; everything on plans they are a member of.
- practitioner: read, and add contributions, targets, provision and evaluations, on plans
  they are a member of or whose joined agencies include their org.
- parent_carer, young_person: read the plans they are members of; record their views.
- reviewer: read a plan's history, as-of views, diff and bundle (the evidence) only while
  a disclosure to them or their org is in force on that plan.
- analyst: reports only; aggregates with no personal data.
"""

from __future__ import annotations

from enum import Enum, StrEnum

from domain.calendar import today
from domain.plans import Plan
from domain.values import FAMILY_ROLES, Role, Whose
from interfaces.http.auth import Caller
from projections.summaries import Visibility


class Action(StrEnum):
    READ_PLAN = "read_plan"
    READ_HISTORY = "read_history"
    READ_EVIDENCE = "read_evidence"  # diff, export, bundle, shared copies
    READ_CLOCKS = "read_clocks"
    READ_ACCESS_LOG = "read_access_log"
    ADD_MEMBER = "add_member"
    REMOVE_MEMBER = "remove_member"
    JOIN_AGENCY = "join_agency"
    LEAVE_AGENCY = "leave_agency"
    AGREE_OUTCOME = "agree_outcome"
    SET_TARGET = "set_target"
    REVISE_TARGET = "revise_target"
    PLAN_PROVISION = "plan_provision"
    HOLD_REVIEW = "hold_review"
    EVALUATE_TARGET = "evaluate_target"
    CHANGE_STAGE = "change_stage"
    APPEND_CONTRIBUTION = "append_contribution"
    RECORD_VIEWS = "record_views"
    SHARE_PLAN = "share_plan"
    GRANT_DISCLOSURE = "grant_disclosure"
    REVOKE_DISCLOSURE = "revoke_disclosure"
    CLOSE_PLAN = "close_plan"


READS = frozenset({Action.READ_PLAN, Action.READ_HISTORY, Action.READ_EVIDENCE, Action.READ_CLOCKS})

ALLOWED: dict[Role, frozenset[Action]] = {
    Role.LEAD_PROFESSIONAL: frozenset(Action),
    Role.PRACTITIONER: READS | {
        Action.APPEND_CONTRIBUTION, Action.SET_TARGET, Action.PLAN_PROVISION,
        Action.EVALUATE_TARGET,
    },
    Role.PARENT_CARER: READS | {Action.RECORD_VIEWS},
    Role.YOUNG_PERSON: READS | {Action.RECORD_VIEWS},
    Role.REVIEWER: READS,
}

# Whose views each family role may record: a parent may give their own views and
# relay a young child's; a young person gives their own.
VIEWS_BY_ROLE: dict[Role, frozenset[Whose]] = {
    Role.PARENT_CARER: frozenset({Whose.PARENT_CARER, Whose.CHILD}),
    Role.YOUNG_PERSON: frozenset({Whose.CHILD}),
    Role.LEAD_PROFESSIONAL: frozenset(Whose),
}


class Decision(Enum):
    ALLOW = "allow"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"


def can_see(caller: Caller, plan: Plan) -> bool:
    if caller.role in (Role.LEAD_PROFESSIONAL, *FAMILY_ROLES):
        return plan.member(caller.sub) is not None
    if caller.role is Role.PRACTITIONER:
        return plan.member(caller.sub) is not None or (
            caller.org is not None and caller.org in plan.agencies
        )
    if caller.role is Role.REVIEWER:
        return has_disclosure(caller, plan)
    return False


def has_disclosure(caller: Caller, plan: Plan) -> bool:
    grantees = {caller.sub, *([caller.org] if caller.org else [])}
    return any(d.grantee in grantees for d in plan.disclosures_in_force(today()))


def decide(caller: Caller, action: Action, plan: Plan) -> Decision:
    if not can_see(caller, plan):
        return Decision.NOT_FOUND
    if action in ALLOWED.get(caller.role, frozenset()):
        return Decision.ALLOW
    return Decision.FORBIDDEN


def may_record_views(caller: Caller, whose: Whose) -> bool:
    return whose in VIEWS_BY_ROLE.get(caller.role, frozenset())


def may_open_plans(caller: Caller) -> bool:
    return caller.role is Role.LEAD_PROFESSIONAL


def may_read_stages(caller: Caller) -> bool:
    return True


def may_list_plans(caller: Caller) -> bool:
    return caller.role is not Role.ANALYST


def may_read_reports(caller: Caller) -> bool:
    return caller.role is Role.ANALYST


def may_see_who_has_access(caller: Caller) -> bool:
    """Who is a member, and to whom a plan is disclosed, is for the lead professional:
    a family need not learn that a tribunal or a social worker has been given access."""
    return caller.role is Role.LEAD_PROFESSIONAL


def may_see_access_summary(caller: Caller) -> bool:
    """Who read a plan is shown to its lead professional and to a dispute reviewer (DOMAIN.md,
    "Record-level access log ... shown to DPO and reviewer"), never to a family or a
    practitioner: a read by social work may itself be something a family must not learn."""
    return caller.role in (Role.LEAD_PROFESSIONAL, Role.REVIEWER)


def may_see_org_reviews(caller: Caller) -> bool:
    """A manager (a lead professional whose token says so) sees their organisation's
    review lists and on-time figures, which carry no names."""
    return caller.role is Role.LEAD_PROFESSIONAL and caller.manager and caller.org is not None


def visibility(caller: Caller, *, org_wide: bool = False) -> Visibility:
    """The plans a caller may see (access.can_see, as read model filters). `org_wide`
    adds the caller's whole org for a manager (review lists only: no names in them)."""
    org = caller.org if org_wide and may_see_org_reviews(caller) else None
    if caller.role in (Role.LEAD_PROFESSIONAL, *FAMILY_ROLES):
        return Visibility(member_id=caller.sub, org=org)
    if caller.role is Role.PRACTITIONER:
        return Visibility(member_id=caller.sub, agency_orgs=(caller.org,) if caller.org else ())
    if caller.role is Role.REVIEWER:
        return Visibility(grantees=(caller.sub, *([caller.org] if caller.org else [])))
    return Visibility()


def is_personal_read(action: Action) -> bool:
    """Reads of a plan's personal data are written to its access log."""
    return action in (Action.READ_PLAN, Action.READ_HISTORY, Action.READ_EVIDENCE,
                      Action.READ_ACCESS_LOG)
