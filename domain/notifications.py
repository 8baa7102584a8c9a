"""Who is told of a change to a plan, and in what words: the rules of the outbox.

A message names the part of the plan that changed, who changed it (name and role), when,
and links to that part. It never carries the child's name or date of birth, nor the text
of the plan: a mailbox is not a place for special-category data (UK GDPR art. 9), and a
message forwarded or misaddressed must say nothing about the child. The plan is named by
its own short reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from hashlib import sha256
from typing import Any
from uuid import UUID

from domain.access import Caller, may_see_event
from domain.calendar import UK
from domain.values import FAMILY_ROLES, Role


class Delivery(StrEnum):
    """What a person chooses to receive."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    """One message a day with everything since the last."""
    NEVER = "never"
    """Nothing, except statutory notices: those are the authority's duty to give."""


@dataclass(frozen=True)
class Preference:
    """What a person chose, on their Email page."""

    delivery: Delivery = Delivery.IMMEDIATELY
    address: str | None = None
    """Their own address, for plans whose record holds none for them (a lead professional
    who opened the plan, an officer)."""
    last_daily_at: datetime | None = None


CHANGES: dict[str, tuple[str, str]] = {
    # event type: (the part of the plan, as the plan page's anchor; what happened)
    "PlanOpened": ("people", "opened the plan"),
    "StageChanged": ("people", "changed the plan's stage"),
    "PlanClosed": ("people", "closed the plan"),
    "MemberAdded": ("people", "added someone to the plan"),
    "LeadProfessionalAssigned": ("people", "handed the plan to a new lead professional"),
    "AgencyJoined": ("people", "recorded that an agency joined the plan"),
    "AgencyLeft": ("people", "recorded that an agency left the plan"),
    "OutcomeAgreed": ("outcomes", "recorded an agreed outcome"),
    "TargetSet": ("outcomes", "set a target"),
    "TargetRevised": ("outcomes", "revised a target"),
    "TargetClosed": ("outcomes", "closed a target"),
    "TargetEvaluated": ("outcomes", "evaluated a target"),
    "ProvisionPlanned": ("provision", "planned provision"),
    "ProvisionDelivered": ("provision", "recorded provision delivered"),
    "ProvisionEnded": ("provision", "ended a provision"),
    "ReviewScheduled": ("reviews", "booked a review"),
    "ReviewHeld": ("reviews", "recorded a review"),
    "ChronologyEntryAdded": ("chronology", "added to the chronology"),
    "InformationShared": ("sharing", "recorded a sharing of information"),
    "DocumentAdded": ("documents", "added a document"),
    "ContributionAppended": ("voices", "added a contribution"),
    "ViewsRecorded": ("voices", "recorded views"),
    "SectionRecorded": ("schedule", "recorded part of the plan"),
    "PlanShared": ("evidence", "gave a copy of the plan"),
    "BundleIssued": ("evidence", "issued a bundle"),
    "CspRequestReceived": ("csp", "recorded a request for a co-ordinated support plan"),
    "CspRequestAnswered": ("csp", "answered the request for a co-ordinated support plan"),
    "CspProposed": ("csp", "proposed to establish whether a plan is needed"),
    "CspNeedDecided": ("csp", "decided whether a co-ordinated support plan is needed"),
    "CspPreparationDelayed": ("csp", "recorded a delay in preparing the plan"),
    "CspPrepared": ("csp", "signed the co-ordinated support plan"),
    "ReviewStarted": ("csp", "began a statutory review"),
    "EarlyReviewRequested": ("csp", "recorded a request for an early review"),
    "EarlyReviewDeadlineExtended": ("csp", "extended the time to answer an early review"),
    "EarlyReviewDecided": ("csp", "answered the request for an early review"),
    "NoticeGiven": ("notices", "gave a notice"),
    "EhcpAssessmentRequested": ("ehcp", "recorded a request for an EHC needs assessment"),
    "EhcpAssessmentDecided": ("ehcp", "decided whether to carry out an EHC needs assessment"),
    "EhcpIssueDecided": ("ehcp", "decided whether to issue an EHC plan"),
    "EhcpDraftSent": ("ehcp", "sent the draft EHC plan"),
    "EhcpReviewReportSent": ("ehcp", "sent the annual review report"),
    "EhcpTimescaleExcepted": ("ehcp", "recorded an exception to a time limit"),
    "EhcpIssued": ("ehcp", "issued the EHC plan"),
    "EhcpReviewDecided": ("ehcp", "decided on the annual review"),
}
"""Every change people are told of. Not here, so never mailed: disclosures (who has been
given access is for the lead professional only, access.may_see_who_has_access), a member's
removal (the person removed no longer has the plan), corrections to the child's details
and destruction (personal data, and the family is told of destruction by letter)."""

FAMILY_HEARS_OF = frozenset(
    {
        "MemberAdded",
        "PlanShared",
        "ReviewScheduled",
        "ReviewHeld",
        "CspRequestAnswered",
        "CspNeedDecided",
        "CspPreparationDelayed",
        "CspPrepared",
        "EarlyReviewDecided",
        "NoticeGiven",
        "EhcpAssessmentDecided",
        "EhcpIssueDecided",
        "EhcpDraftSent",
        "EhcpIssued",
        "EhcpReviewDecided",
    }
)
"""A family hears of a new copy of the plan, a review booked or held, a decision and its
rights, a notice: what they must act on or may dispute. The daily working of the plan
they read when they sign in."""

STATUTORY = frozenset({"NoticeGiven"})
"""Sent whatever the person chose: a notice is a duty the authority owes them."""

FIRST_SIGHT_LIMIT = timedelta(days=14)
"""A message first seen by the sender more than this long after its change is not sent:
when mail is first switched on, or the outbox is rebuilt from an old log, years of
changes must not flood everyone's mailbox. Once tried, a message is retried however late."""


@dataclass(frozen=True)
class Notification:
    """One person to be told of one change: ids only, never names or text. Who made the
    change, and when, the sender reads from the event itself (its sealed fields are
    unsealed only there)."""

    message_id: str
    plan_id: UUID
    version: int
    recipient: str
    event_type: str
    recorded_at: datetime

    @property
    def part(self) -> str:
        return CHANGES[self.event_type][0]

    @property
    def statutory(self) -> bool:
        return self.event_type in STATUTORY


@dataclass(frozen=True)
class Change:
    """What the sender read of the change from its event."""

    actor_name: str
    actor_role: Role
    occurred_on: date


def message_id(plan_id: UUID, version: int, recipient: str) -> str:
    """The same for a change and a person however often the outbox is rebuilt or the
    message retried, so that a repeat after a crash folds into the first in mail clients
    (RFC 5322 3.6.4). A person is named by a digest of their id, not the id itself."""
    return f"{plan_id.hex}.{version}.{_person(recipient)}"


def digest_id(recipient: str, day: date) -> str:
    return f"digest.{day.isoformat()}.{_person(recipient)}"


def _person(user_id: str) -> str:
    return sha256(user_id.encode()).hexdigest()[:16]


def recipients(
    event_type: str,
    data: Mapping[str, Any],
    members: Mapping[str, Role],
    actor_id: str = "",
) -> list[str]:
    """Who is told of one change: the plan's members, after it, who may see it in the
    plan's history (access.may_see_event, the rule every reading follows), the family only
    of what they hear of, and nobody of their own action. The outbox asks as it folds the
    event (whose sealed fields, the actor among them, it cannot read); the sender asks
    again with the event unsealed and the plan's members as they are when it sends."""
    if event_type not in CHANGES:
        return []
    told = []
    for user_id, role in members.items():
        if user_id == actor_id or not user_id:
            continue
        if role in FAMILY_ROLES and event_type not in FAMILY_HEARS_OF:
            continue
        if event_type == "MemberAdded" and role in FAMILY_ROLES and data.get("user_id") != user_id:
            continue  # a family hears of its own joining, not of each professional's
        reader = Caller(sub=user_id, name="-", role=role)
        if may_see_event(reader, event_type, data):
            told.append(user_id)
    return sorted(told)


def plan_reference(plan_id: UUID) -> str:
    """The plan's own short reference: its id's first eight characters, as on its pages."""
    return plan_id.hex[:8].upper()


def _role(role: Role) -> str:
    return role.value.replace("_", " ")


def subject(note: Notification, change: Change, place: str) -> str:
    """E.g. "Plan 3F2A91C0 (school-a): the lead professional booked a review"."""
    what = CHANGES[note.event_type][1]
    return f"Plan {plan_reference(note.plan_id)} ({place}): the {_role(change.actor_role)} {what}"


def line(note: Notification, change: Change) -> str:
    what = CHANGES[note.event_type][1]
    role = _role(change.actor_role)
    return f"{change.actor_name} ({role}) {what} on {change.occurred_on:%-d %B %Y}."


def body(note: Notification, change: Change, link: str, settings_link: str) -> str:
    lines = [
        line(note, change),
        "",
        f"See it in the plan: {link}",
        "",
        "This message says only what changed: the plan itself is kept in Planledger,",
        "where you sign in to read it.",
        "",
        (
            "You receive this because the authority must give you notice of it."
            if note.statutory
            else "You receive this because you are part of this plan."
            f" Choose what you receive: {settings_link}"
        ),
    ]
    return "\n".join(lines)


NOTICES = {
    "proposal": "the authority proposes to establish whether a co-ordinated support plan is needed",
    "decision_and_rights": "the authority's decision, and your right to refer it to the tribunal",
    "plan_copy": "a copy of the plan is ready for you to read",
    "providers_informed": "those providing support have been told what they need to know",
    "review_proposal": "the authority proposes to review the plan",
    "review_outcome_and_rights": (
        "the outcome of the review, and your right to refer it to the tribunal"
    ),
    "discontinuance": "the plan is discontinued",
    "destruction": "the plan's record has been destroyed",
}
"""Each kind of notice (domain.statutory.NoticeKind), as the family reads it by email."""


def notice_subject(kind: str, place: str, plan_id: UUID) -> str:
    """E.g. "Notice from school-a about plan 3F2A91C0: the authority proposes to review
    the plan"."""
    return f"Notice from {place} about plan {plan_reference(plan_id)}: {NOTICES[kind]}"


def notice_body(kind: str, change: Change, link: str) -> str:
    """The notice itself, given by email: what it is, who gave it and when, and where to
    read the decision and what may be done about it. Like every message it holds nothing
    of the plan's content (the module's docstring says why): the family signs in to read
    it, as they would open a letter."""
    return "\n".join(
        [
            f"This is a notice to you: {NOTICES[kind]}.",
            "",
            f"Given by {change.actor_name} ({_role(change.actor_role)}) on"
            f" {change.occurred_on:%-d %B %Y}.",
            "",
            f"Read the notice, the dates that apply and what you may do: {link}",
            "",
            "You receive this because the authority must give you notice of it. Keep this",
            "message: it is part of the record of when you were told.",
        ]
    )


def digest_body(lines: list[str], settings_link: str) -> str:
    return "\n".join(
        [
            "Changes to the plans you are part of, since the last message:",
            "",
            *lines,
            "",
            "This message says only what changed: sign in to Planledger to read the plans.",
            "",
            f"Choose what you receive: {settings_link}",
        ]
    )


class State(StrEnum):
    """Where a message stands with the sender."""

    SENT = "sent"
    """The mail server accepted it."""
    RETRY = "retry"
    """The server or the network refused it for now: tried again after a wait."""
    FAILED = "failed"
    """Refused for good, or still refused after MAX_ATTEMPTS: shown to the lead professional."""
    HELD = "held"
    """Waiting for the person's daily message."""
    SKIPPED = "skipped"
    """Not to be sent; `outcome` says why."""


class Skipped(StrEnum):
    NOT_WANTED = "they chose to receive nothing"
    NO_ADDRESS = "no email address is recorded for them"
    NOT_FOR_THEM = "they are no longer told of it (left the plan, or their own change)"
    TOO_OLD = "the change was older than 14 days when mail first saw it"
    PLAN_GONE = "the plan's personal data has been destroyed"


DAILY_FROM_HOUR = 7
"""The daily message goes with the first run of the sender from 07:00, UK time."""


def daily_due(last: datetime | None, at: datetime) -> bool:
    """Whether a person's daily message is due: from DAILY_FROM_HOUR, once a UK day."""
    local = at.astimezone(UK)
    if local.hour < DAILY_FROM_HOUR:
        return False
    return last is None or last.astimezone(UK).date() < local.date()


MAX_ATTEMPTS = 12
"""With the waits below, about 29 hours of a refusing server before a message is failed."""


def next_attempt(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` refusals: 1, 2, 4 ... minutes, at most 12 hours;
    None once MAX_ATTEMPTS have been made."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=12))


@dataclass(frozen=True)
class DeliveryRecord:
    """What the sender did with one message."""

    message_id: str
    plan_id: UUID | None
    recipient: str
    state: State
    attempts: int = 0
    next_attempt_at: datetime | None = None
    accepted_at: datetime | None = None
    outcome: str = ""
    """Why it was skipped, or the kind of refusal (an SMTP code and class, no address)."""


# -- reminders: what falls due, to those who must see it done ------------------------------

REMINDED = frozenset({Role.LEAD_PROFESSIONAL, Role.AUTHORITY_OFFICER})
"""Who is reminded of a plan's reviews and statutory clocks: its lead professional, and
the authority's officers on it, whose duty the statutory dates are."""

REMIND_WITHIN = timedelta(weeks=4)
"""The weekly reminder lists what falls due within four weeks, and what is overdue."""

WARN_BEFORE = timedelta(days=7)
"""A statutory clock about to be missed is told of a week before its date."""


class Alert(StrEnum):
    """Told of once each, for one plan's date: a clock about to be missed, then missed."""

    DUE_SOON = "due-soon"
    MISSED = "missed"


def alert_for(due_on: date, today: date) -> Alert | None:
    if due_on < today:
        return Alert.MISSED
    if due_on - today <= WARN_BEFORE:
        return Alert.DUE_SOON
    return None


def weekly_due(at: datetime) -> str | None:
    """The ISO week whose reminder is due at this moment (Mondays, from 07:00 UK time),
    or None: reminders go once a week, on the first run of the sender from then."""
    local = at.astimezone(UK)
    if local.hour < DAILY_FROM_HOUR and local.isoweekday() == 1:
        return None
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def reminder_id(week: str, recipient: str) -> str:
    return f"reminder.{week}.{_person(recipient)}"


def alert_id(alert: Alert, plan_id: UUID, due: str, due_on: date, recipient: str) -> str:
    return f"{alert.value}.{plan_id.hex}.{due}.{due_on.isoformat()}.{_person(recipient)}"


def due_line(plan_id: UUID, place: str, duty: str, due_on: date, today: date) -> str:
    when = f"overdue since {due_on:%-d %B %Y}" if due_on < today else f"due {due_on:%-d %B %Y}"
    return f"Plan {plan_reference(plan_id)} ({place}): {duty}, {when}."
