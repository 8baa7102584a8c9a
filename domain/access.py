"""Who may do what: every access decision of the API, the pages and the CLI is made here.

Deny by default. A plan the caller may not see at all is "not found", so its existence is
not disclosed; a plan the caller may see, but not change in that way, is "forbidden".
Membership, joined agencies and disclosures come from the plan's own events.

The table, from ../shared/API.md:
- lead_professional: open plans; everything on plans they are a member of.
- practitioner: read, and add contributions, targets, provision and evaluations, on plans
  they are a member of or whose joined agencies include their org.
- parent_carer, young_person: read the plans they are members of; record their views.
- reviewer: only while a disclosure to them or their org is in force on that plan, reads
  what a bundle is made of: the plan as it stood at any instant (the plain read is the
  as-of view of now), its history, diff, chronology and clocks as they stood, the
  documents and shared copies the bundle holds, the bundle itself, and the export (so
  the offline verifier can prove the record behind the bundle untampered). A tribunal
  must be able to check every page of the bundle against the record, so this is wider
  than API.md's one line ("history, as-of views, diff and bundle"). Never a write,
  never the access log beyond the bundle's summary, nothing once the disclosure ends.
- analyst: reports only; aggregates with no personal data.
- authority_officer (API.md, "Added in 2026-12"): reads every CSP and EHCP in the store
  (any other plan only as a member) and alone takes the authority's statutory decisions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from domain.actions import Action
from domain.base import Immutable
from domain.calendar import today
from domain.errors import ActionForbiddenError, PlanNotVisibleError
from domain.events import (
    ChronologyEntryAdded,
    Command,
    DisclosureGranted,
    DisclosureRevoked,
    InformationShared,
    RecordViews,
)
from domain.values import (
    EMAIL_ADDRESS,
    FAMILY_ROLES,
    Actor,
    ChronologyEntry,
    Disclosure,
    PlanType,
    Role,
    SharingRecord,
    Whose,
)

if TYPE_CHECKING:
    from domain.plans import Plan


def _address_or_none(claim: object) -> str | None:
    # An address is optional to a sign-in: one that is not an address is left unused
    # rather than refusing the person entry.
    if isinstance(claim, str) and len(claim) <= 254 and re.fullmatch(EMAIL_ADDRESS, claim):
        return claim
    return None


def _printable(text: str) -> str:
    # A claim goes into events and read models: a NUL cannot be stored in PostgreSQL
    # text (the projector would stop at it, and every list with it), and no control
    # character belongs in an id or a name.
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise ValueError("may not contain control characters")
    return text


Claim = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_printable)]


class Caller(Immutable):
    """The person (or process) asking, as their sign-in says. Its claims are checked like
    any input before a caller exists."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    sub: Claim
    name: Claim
    role: Role
    org: Claim | None = None
    manager: bool = False
    """A lead professional who may see their organisation's review lists."""
    authority: Annotated[str, Field(max_length=64), AfterValidator(_printable)] | None = None
    """The local authority whose plans the caller works on (the `authority` claim). With
    PLANLEDGER_TENANTS set it picks the store; without, it is not used."""
    national: bool = False
    """An analyst who may read reports summed over every authority (the `national` claim)."""
    email: Annotated[str | None, BeforeValidator(_address_or_none)] = None
    """The `email` claim (OpenID Connect Core 5.1), where the sign-in gives one: where the
    person is emailed until they give another address on their Email page."""

    def actor(self) -> Actor:
        return Actor(id=self.sub, name=self.name, role=self.role, org=self.org)

    @classmethod
    def of(cls, actor: Actor) -> Caller:
        """The caller an actor stands for: a process, a demo user, an example."""
        return cls(sub=actor.id, name=actor.name, role=actor.role, org=actor.org)


READS = frozenset({Action.READ_PLAN, Action.READ_HISTORY, Action.READ_EVIDENCE, Action.READ_CLOCKS})

STATUTORY_PLANS = frozenset({PlanType.CSP, PlanType.EHCP})
"""The plans an authority officer sees without being a member: the authority's own."""

ALLOWED: dict[Role, frozenset[Action]] = {
    # The authority's decisions are taken by its authorised officer (CSP Regulations
    # reg 3(1)(c): "signed by a duly authorised officer"), never by the school.
    Role.LEAD_PROFESSIONAL: frozenset(Action)
    - {Action.DESTROY_PLAN, Action.TAKE_STATUTORY_DECISION, Action.RECORD_NOTICE_EMAILED},
    Role.AUTHORITY_OFFICER: READS
    | {
        Action.TAKE_STATUTORY_DECISION,
        Action.RECORD_STATUTORY_STEP,
        Action.MAKE_STATUTORY_REQUEST,
        Action.GIVE_NOTICE,
        Action.RECORD_SECTION,
        Action.HOLD_REVIEW,
        Action.SHARE_PLAN,
        Action.RECORD_INFORMATION_SHARING,
        Action.ISSUE_BUNDLE,
        Action.ASSIGN_LEAD_PROFESSIONAL,
    },
    Role.PRACTITIONER: READS
    | {
        Action.APPEND_CONTRIBUTION,
        Action.ADD_CHRONOLOGY_ENTRY,
        # Each agency records what it shares about the child (GIRFEC PG4 §12).
        Action.RECORD_INFORMATION_SHARING,
        Action.ADD_DOCUMENT,
        Action.SET_TARGET,
        Action.PLAN_PROVISION,
        # The therapist or teacher who delivers a session records it.
        Action.RECORD_DELIVERY,
        Action.EVALUATE_TARGET,
    },
    # A family may ask for a CSP, or for an early review, themselves (the Act s.6, s.10(3)).
    Role.PARENT_CARER: READS | {Action.RECORD_VIEWS, Action.MAKE_STATUTORY_REQUEST},
    Role.YOUNG_PERSON: READS | {Action.RECORD_VIEWS, Action.MAKE_STATUTORY_REQUEST},
    Role.REVIEWER: READS,
    # Statutory destruction runs under the authority's retention policy, not a person;
    # the mail sender records what the mail server accepted of a notice it emailed.
    Role.SYSTEM: frozenset({Action.DESTROY_PLAN, Action.RECORD_NOTICE_EMAILED}),
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
    if caller.role is Role.AUTHORITY_OFFICER:
        return plan.plan_type in STATUTORY_PLANS or plan.member(caller.sub) is not None
    return caller.role is Role.SYSTEM


def disclosures_to(caller: Caller, plan: Plan) -> list[Disclosure]:
    """The disclosures in force today to the caller or to the caller's organisation."""
    grantees = {caller.sub, *([caller.org] if caller.org else [])}
    return [d for d in plan.disclosures_in_force(today()) if d.grantee in grantees]


def has_disclosure(caller: Caller, plan: Plan) -> bool:
    return bool(disclosures_to(caller, plan))


def decide(caller: Caller, action: Action, plan: Plan, command: Command | None = None) -> Decision:
    if not can_see(caller, plan):
        return Decision.NOT_FOUND
    if action not in ALLOWED.get(caller.role, frozenset()):
        return Decision.FORBIDDEN
    if isinstance(command, RecordViews) and not may_record_views(caller, command.whose):
        return Decision.FORBIDDEN
    return Decision.ALLOW


def authorise(caller: Caller, action: Action, plan: Plan, command: Command | None = None) -> None:
    """Refuse unless the caller may do this to the plan: a plan they may not see is not
    found; one they may see but not change so is forbidden."""
    decision = decide(caller, action, plan, command)
    if decision is Decision.NOT_FOUND:
        raise PlanNotVisibleError
    if decision is Decision.FORBIDDEN:
        if isinstance(command, RecordViews) and action in ALLOWED.get(caller.role, ()):
            raise ActionForbiddenError("You may not record these views.")
        raise ActionForbiddenError


def authorise_opening(caller: Caller, org: str) -> None:
    """A lead professional opens plans under their own organisation only: its managers'
    lists and reports count them, so a plan under another school would be theirs."""
    if not may_open_plans(caller):
        raise ActionForbiddenError("Only a lead professional may open a plan.")
    if org != caller.org:
        raise ActionForbiddenError(
            "A plan is opened under your own organisation (your sign-in's org)."
        )


def may_record_views(caller: Caller, whose: Whose) -> bool:
    return whose in VIEWS_BY_ROLE.get(caller.role, frozenset())


def may_open_plans(caller: Caller) -> bool:
    return caller.role is Role.LEAD_PROFESSIONAL


def may_list_plans(caller: Caller) -> bool:
    return caller.role is not Role.ANALYST


def may_see_provision_map(caller: Caller) -> bool:
    """The map of provision across pupils: for those who plan and run it (lead
    professionals, practitioners, authority officers), over the plans they may read; a
    manager's also counts the rest of their school's, unnamed (may_see_org_reviews).
    Families and reviewers read single plans; analysts have the aggregate reports."""
    return caller.role in (Role.LEAD_PROFESSIONAL, Role.PRACTITIONER, Role.AUTHORITY_OFFICER)


def may_search_directory(caller: Caller) -> bool:
    """Staff who add colleagues and agencies to plans look them up by name."""
    return caller.role in (Role.LEAD_PROFESSIONAL, Role.PRACTITIONER, Role.AUTHORITY_OFFICER)


def may_edit_directory(caller: Caller) -> bool:
    """Who records an organisation's name or invites a colleague before their first
    sign-in: those who open plans and those who run the authority's statutory work."""
    return caller.role in (Role.LEAD_PROFESSIONAL, Role.AUTHORITY_OFFICER)


def may_read_reports(caller: Caller) -> bool:
    return caller.role is Role.ANALYST


def may_read_national_reports(caller: Caller) -> bool:
    """Reports summed over every authority: aggregates only, for a national analyst."""
    return caller.role is Role.ANALYST and caller.national


def may_see_who_has_access(caller: Caller) -> bool:
    """Who is a member, and to whom a plan is disclosed, is for the lead professional:
    a family need not learn that a tribunal or a social worker has been given access."""
    return caller.role is Role.LEAD_PROFESSIONAL


WHO_HAS_ACCESS = frozenset(c.__name__ for c in (DisclosureGranted, DisclosureRevoked))
"""The events that say to whom a plan has been disclosed."""

KEPT_FROM_FAMILY = {
    ChronologyEntryAdded.__name__: "family_may_see",
    # A sharing the family was not told of stays untold here too (GIRFEC PG4 §12).
    InformationShared.__name__: "family_informed",
}
"""The events one of whose fields, when false, keeps them from the family."""


def may_see_event(
    caller: Caller | None, event_type: str, data: Mapping[str, Any] | None = None
) -> bool:
    """Whether a reader's history, diff, export or bundle shows an event (its type, and
    its fields where they decide it). Disclosures say who has been given access, so they
    follow may_see_who_has_access in every way of reading a plan, as in the plan lists; a
    chronology entry kept from the family is kept from them in every reading too. None:
    the system itself (the CLI run by the authority, a rebuild), which sees everything."""
    if caller is None:
        return True
    if event_type in KEPT_FROM_FAMILY and caller.role in FAMILY_ROLES:
        return data is not None and data.get(KEPT_FROM_FAMILY[event_type], True) is not False
    return may_see_who_has_access(caller) or event_type not in WHO_HAS_ACCESS


def chronology_for(
    caller: Caller | None, plan: Plan, agency: str | None = None, *, family: bool = False
) -> list[ChronologyEntry]:
    """The chronology this reader may read, in the order things happened: the
    multi-agency chronology (every agency's entries, merged), or one agency's alone.
    `family`: what a family may read whoever asks (the copy of the plan given to them)."""
    family = family or (caller is not None and caller.role in FAMILY_ROLES)
    return [
        e
        for e in plan.chronology_in_order()
        if (agency is None or e.agency == agency) and (e.family_may_see or not family)
    ]


def sharing_for(caller: Caller | None, plan: Plan, *, family: bool = False) -> list[SharingRecord]:
    """The record of information shared that this reader may read, in the order it was
    shared; a family reads what they were told of."""
    family = family or (caller is not None and caller.role in FAMILY_ROLES)
    return sorted(
        (r for r in plan.information_sharing if r.family_informed or not family),
        key=lambda r: r.occurred_on,
    )


def may_see_access_summary(caller: Caller) -> bool:
    """Who read a plan is shown to its lead professional and to a dispute reviewer (DOMAIN.md,
    "Record-level access log ... shown to DPO and reviewer"), never to a family or a
    practitioner: a read by social work may itself be something a family must not learn."""
    return caller.role in (Role.LEAD_PROFESSIONAL, Role.REVIEWER)


def may_read_issued_bundles(caller: Caller) -> bool:
    """An issued bundle is the whole record as the tribunal holds it, the same for every
    reader (who has access and who read it included), so it is for those who may see all
    of that: the lead professional, the authority's officer and a dispute reviewer. A
    family receives it from the tribunal with the rest of the papers."""
    return caller.role in (Role.LEAD_PROFESSIONAL, Role.AUTHORITY_OFFICER, Role.REVIEWER)


def may_see_org_reviews(caller: Caller) -> bool:
    """A manager (a lead professional whose token says so) sees their organisation's
    review lists and on-time figures, which carry no names."""
    return caller.role is Role.LEAD_PROFESSIONAL and caller.manager and caller.org is not None


def is_personal_read(action: Action) -> bool:
    """Reads of a plan's personal data are written to its access log."""
    return action in (
        Action.READ_PLAN,
        Action.READ_HISTORY,
        Action.READ_EVIDENCE,
        Action.READ_ACCESS_LOG,
    )


@dataclass(frozen=True)
class Visibility:
    """Whose plans a caller may list: any plan matching one of these (OR-ed). Empty means
    none, never all; `everyone` is for the system itself (rebuild checks, tests)."""

    member_id: str | None = None
    agency_orgs: tuple[str, ...] = ()
    grantees: tuple[str, ...] = ()
    org: str | None = None
    plan_types: tuple[str, ...] = ()
    everyone: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.member_id
            or self.agency_orgs
            or self.grantees
            or self.org
            or self.plan_types
            or self.everyone
        )


def visibility(caller: Caller, *, org_wide: bool = False) -> Visibility:
    """The plans a caller may see (can_see, as read model filters). `org_wide` adds the
    caller's whole org for a manager (review lists only: no names in them)."""
    org = caller.org if org_wide and may_see_org_reviews(caller) else None
    if caller.role in (Role.LEAD_PROFESSIONAL, *FAMILY_ROLES):
        return Visibility(member_id=caller.sub, org=org)
    if caller.role is Role.PRACTITIONER:
        return Visibility(member_id=caller.sub, agency_orgs=(caller.org,) if caller.org else ())
    if caller.role is Role.REVIEWER:
        return Visibility(grantees=(caller.sub, *([caller.org] if caller.org else [])))
    if caller.role is Role.AUTHORITY_OFFICER:
        return Visibility(
            member_id=caller.sub, plan_types=tuple(sorted(t.value for t in STATUTORY_PLANS))
        )
    return Visibility()
