"""Sending the outbox: each message due is checked again against the plan as it is now,
worded from its event (unsealed here, never stored in the outbox), handed to the mail
server, and recorded. What was done is recorded after each message, so a sender killed
at any moment loses nothing; the one message in flight may go again, under the same
Message-ID, if it died between the server's acceptance and the record.

One sender per store at a time (`planledger mail send-pending`, or the projector's
mail worker): two would each send what the other is sending.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from hashlib import sha256
from typing import Any, Protocol

from application.errors import PlanNotFoundError
from application.persistence.records import IdempotencyClaim
from application.planning import Conditions, Planning
from domain.access import Caller
from domain.calendar import UK
from domain.events import NoticeGiven, RecordNoticeEmailed
from domain.notifications import (
    FIRST_SIGHT_LIMIT,
    Change,
    Delivery,
    DeliveryRecord,
    Notification,
    Skipped,
    State,
    body,
    daily_due,
    digest_body,
    digest_id,
    line,
    next_attempt,
    notice_body,
    notice_subject,
    plan_reference,
    recipients,
    subject,
)
from domain.plans import Plan
from domain.values import FAMILY_ROLES, Actor, PlanStatus, Role
from projections.outbox.reminders import reminders
from projections.outbox.view import OutboxView
from projections.plan_summaries.view import PlanSummaryView

log = logging.getLogger("planledger.mail")

BATCH = 200
"""Messages read from the outbox at a time."""

MAIL_ACTOR = Actor(id="system:mail", name="Planledger's mail sender", role=Role.SYSTEM)
"""Who records that a notice emailed was accepted by the mail server."""


class Refused(Exception):
    """The mail server or the network did not take a message. `temporary`: try again
    later (SMTP 4xx, a dropped connection); else it will never take it (5xx)."""

    def __init__(self, outcome: str, *, temporary: bool) -> None:
        super().__init__(outcome)
        self.outcome = outcome
        self.temporary = temporary


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand one message to the mail server; raises Refused."""


@dataclass(frozen=True)
class MailSettings:
    sender: str
    """The From address."""
    base_url: str
    """Where links in messages point, e.g. https://planledger.example.gov.uk"""
    domain: str = "planledger.invalid"
    """The right-hand side of Message-IDs."""


@dataclass
class Sent:
    """What one run did, by state (for the log and the counter: no personal data)."""

    states: Counter[str]

    def __str__(self) -> str:
        return ", ".join(f"{n} {state}" for state, n in sorted(self.states.items())) or "nothing"


def send_pending(
    planning: Planning,
    outbox: OutboxView,
    transport: Transport,
    settings: MailSettings,
    *,
    now: Callable[[], datetime],
    summaries: PlanSummaryView | None = None,
) -> Sent:
    """Send every message due, then the daily messages due, then (given the plan
    summaries) the reminders due; returns what was done."""
    done: Counter[str] = Counter()
    plans: dict[Any, Plan | None] = {}
    while True:
        due = outbox.due(now(), BATCH)
        if not due:
            break
        for note, record in due:
            result = _one(planning, outbox, transport, settings, note, record, now(), plans)
            outbox.record([result])
            done[result.state.value] += 1
            if result.state in (State.RETRY, State.FAILED):
                log.warning(
                    "mail %s not sent: %s (%s)",
                    result.message_id,
                    result.outcome,
                    result.state.value,
                    extra={"message_id": result.message_id, "state": result.state.value},
                )
        if len(due) < BATCH:
            break
    _digests(planning, outbox, transport, settings, now(), plans, done)
    if summaries is not None:
        _reminders(planning, summaries, outbox, transport, settings, now(), done)
    return Sent(done)


def _reminders(
    planning: Planning,
    summaries: PlanSummaryView,
    outbox: OutboxView,
    transport: Transport,
    settings: MailSettings,
    at: datetime,
    done: Counter[str],
) -> None:
    """Each reminder due, once: one refused is tried again at the next run."""
    for reminder in reminders(planning, summaries, outbox, at, at.astimezone(UK).date()):
        text = "\n".join(
            [
                *reminder.lines,
                "",
                f"Sign in to see them: {settings.base_url.rstrip('/')}/plans",
            ]
        )
        message = _message(
            settings, reminder.message_id, reminder.address, reminder.subject, text, at
        )
        try:
            transport.send(message)
        except Refused as refusal:
            log.warning("reminder %s not sent: %s", reminder.message_id, refusal.outcome)
            done[State.RETRY.value] += 1
            continue
        outbox.record(
            [
                DeliveryRecord(
                    reminder.message_id,
                    reminder.plan_id,
                    reminder.recipient,
                    State.SENT,
                    attempts=1,
                    accepted_at=at,
                    outcome="reminder",
                )
            ]
        )
        done["reminders sent"] += 1


def _plan(planning: Planning, note: Notification, plans: dict[Any, Plan | None]) -> Plan | None:
    if note.plan_id not in plans:
        try:
            plans[note.plan_id] = planning.get_plan(note.plan_id)
        except PlanNotFoundError:
            plans[note.plan_id] = None
    return plans[note.plan_id]


def _change(planning: Planning, note: Notification) -> tuple[Any, Change]:
    event: Any = next(
        iter(planning.events.get(note.plan_id, gt=note.version - 1, lte=note.version))
    )
    actor = event.actor
    return event, Change(actor.name, actor.role, event.occurred_on)


def _skip(note: Notification, why: Skipped) -> DeliveryRecord:
    return DeliveryRecord(
        note.message_id, note.plan_id, note.recipient, State.SKIPPED, outcome=why.name
    )


def _one(
    planning: Planning,
    outbox: OutboxView,
    transport: Transport,
    settings: MailSettings,
    note: Notification,
    record: DeliveryRecord | None,
    at: datetime,
    plans: dict[Any, Plan | None],
) -> DeliveryRecord:
    if record is None and at - note.recorded_at > FIRST_SIGHT_LIMIT:
        return _skip(note, Skipped.TOO_OLD)
    plan = _plan(planning, note, plans)
    if plan is None or plan.status is PlanStatus.DESTROYED:
        return _skip(note, Skipped.PLAN_GONE)
    event, change = _change(planning, note)
    members = {u: m.role for u, m in plan.members.items()}
    if note.recipient not in recipients(note.event_type, vars(event), members, event.actor.id):
        return _skip(note, Skipped.NOT_FOR_THEM)
    chosen = outbox.preference(note.recipient)
    address = plan.members[note.recipient].email or chosen.address
    if not address:
        return _skip(note, Skipped.NO_ADDRESS)
    if not note.statutory and chosen.delivery is Delivery.NEVER:
        return _skip(note, Skipped.NOT_WANTED)
    if not note.statutory and chosen.delivery is Delivery.DAILY:
        return DeliveryRecord(note.message_id, note.plan_id, note.recipient, State.HELD)
    if _is_emailed_notice(event, members[note.recipient]):
        message = _message(
            settings,
            note.message_id,
            address,
            notice_subject(event.kind.value, plan.org, note.plan_id),
            notice_body(event.kind.value, change, _link(settings, note)),
            at,
        )
        result = _attempt(transport, message, note.message_id, note, record, at)
        if result.accepted_at is None:
            return result
        return _record_service(planning, event, message, result, result.accepted_at)
    message = _message(
        settings,
        note.message_id,
        address,
        subject(note, change, plan.org),
        body(note, change, _link(settings, note), _settings_link(settings)),
        at,
    )
    return _attempt(transport, message, note.message_id, note, record, at)


def _is_emailed_notice(event: Any, role: Role) -> bool:
    """A notice given by email: to each of the family, the message is the notice itself."""
    return isinstance(event, NoticeGiven) and event.by_email and role in FAMILY_ROLES


def _record_service(
    planning: Planning,
    notice: NoticeGiven,
    message: EmailMessage,
    sent: DeliveryRecord,
    accepted_at: datetime,
) -> DeliveryRecord:
    """Record on the plan that the mail server accepted the notice: its proof of service.
    Keyed by the Message-ID, so a message sent again after a crash is recorded once; if
    the plan cannot take it now, the message is retried (under the same Message-ID) so
    that its acceptance is recorded in the end."""
    served = RecordNoticeEmailed(
        notice_id=notice.notice_id,
        recipient=sent.recipient,
        message_id=str(message["Message-ID"]).strip(),
        accepted_at=accepted_at,
    )
    key = served.message_id
    claim = IdempotencyClaim(
        scope=MAIL_ACTOR.id, key=key, fingerprint=sha256(key.encode()).hexdigest()
    )
    try:
        planning.change(
            notice.originator_id,
            served,
            Caller.of(MAIL_ACTOR),
            conditions=Conditions(idempotency=claim),
        )
    except Exception as error:
        log.error("notice %s accepted but not recorded: %s", sent.message_id, type(error).__name__)
        return replace(
            sent,
            state=State.RETRY,
            next_attempt_at=next_attempt(sent.attempts, accepted_at),
            accepted_at=None,
            outcome="accepted; its record on the plan failed",
        )
    return sent


def _attempt(
    transport: Transport,
    message: EmailMessage,
    message_id: str,
    note: Notification,
    record: DeliveryRecord | None,
    at: datetime,
) -> DeliveryRecord:
    attempts = (record.attempts if record else 0) + 1
    try:
        transport.send(message)
    except Refused as refusal:
        retry_at = next_attempt(attempts, at) if refusal.temporary else None
        return DeliveryRecord(
            message_id,
            note.plan_id,
            note.recipient,
            State.RETRY if retry_at else State.FAILED,
            attempts=attempts,
            next_attempt_at=retry_at,
            outcome=refusal.outcome,
        )
    return DeliveryRecord(
        message_id, note.plan_id, note.recipient, State.SENT, attempts=attempts, accepted_at=at
    )


def _digests(
    planning: Planning,
    outbox: OutboxView,
    transport: Transport,
    settings: MailSettings,
    at: datetime,
    plans: dict[Any, Plan | None],
    done: Counter[str],
) -> None:
    """One message a day to each person who chose it, with everything held for them."""
    for recipient, notes in outbox.held().items():
        chosen = outbox.preference(recipient)
        if not daily_due(chosen.last_daily_at, at):
            continue
        lines: list[str] = []
        address = chosen.address
        for note in notes:
            plan = _plan(planning, note, plans)
            if plan is None or recipient not in plan.members:
                continue
            address = plan.members[recipient].email or address
            _, change = _change(planning, note)
            lines.append(f"Plan {plan_reference(note.plan_id)} ({plan.org}): {line(note, change)}")
            lines.append(f"  {_link(settings, note)}")
        if not address or not lines:
            outbox.record([_skip(n, Skipped.NOT_FOR_THEM) for n in notes])
            done[State.SKIPPED.value] += len(notes)
            continue
        mid = digest_id(recipient, at.date())
        message = _message(
            settings,
            mid,
            address,
            f"Planledger: {len(notes)} change{'s' if len(notes) != 1 else ''} to your plans",
            digest_body(lines, _settings_link(settings)),
            at,
        )
        result = _attempt(transport, message, mid, notes[0], None, at)
        if result.state is State.SENT:
            outbox.record(
                [
                    DeliveryRecord(
                        n.message_id,
                        n.plan_id,
                        recipient,
                        State.SENT,
                        attempts=1,
                        accepted_at=at,
                        outcome=f"in the daily message {mid}",
                    )
                    for n in notes
                ]
            )
            outbox.daily_sent(recipient, at)
            done[State.SENT.value] += len(notes)
        else:
            log.warning("daily mail %s not sent: %s", mid, result.outcome)


def _link(settings: MailSettings, note: Notification) -> str:
    return f"{settings.base_url.rstrip('/')}/plans/{note.plan_id}#{note.part}"


def _settings_link(settings: MailSettings) -> str:
    return f"{settings.base_url.rstrip('/')}/settings/notifications"


def _message(
    settings: MailSettings, message_id: str, to: str, subject_line: str, text: str, at: datetime
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject_line
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{message_id}@{settings.domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(text)
    return message
