"""What was sent by email about a plan, for its page (interfaces/web/mail_pages.py: what
each person chooses)."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from domain import access
from domain.access import Caller
from domain.notifications import CHANGES, Skipped, State
from domain.plans import Plan
from interfaces.http.read_models import get_read_models
from projections.outbox.view import OutboxView

STATES = {
    State.SENT: "Sent",
    State.RETRY: "Not yet sent: the mail server will be tried again",
    State.FAILED: "Not sent: the mail server refused it",
    State.HELD: "Waiting for their daily message",
    State.SKIPPED: "Not sent",
}
SHOWN = 20
"""Messages listed on a plan's page, newest first."""


def outbox_of(request: Request) -> OutboxView:
    # The view as it stands, without waiting for it to catch up: the list says what was
    # sent, which a change a moment old has not been yet anyway.
    return get_read_models(request).view("outbox")  # type: ignore[return-value]


def mail_record(request: Request, caller: Caller, plan: Plan) -> list[dict[str, Any]]:
    """The plan's latest messages, for whoever may see who is on the plan."""
    if not access.may_see_who_has_access(caller):
        return []
    rows = []
    for note, record in outbox_of(request).deliveries(plan.id)[:SHOWN]:
        member = plan.members.get(note.recipient)
        why = Skipped[record.outcome].value if record.state is State.SKIPPED else record.outcome
        rows.append(
            {
                "to": member.name if member else "someone no longer on the plan",
                "what": CHANGES[note.event_type][1],
                "on": note.recorded_at.date(),
                "state": record.state.value,
                "words": STATES[record.state],
                "why": why,
            }
        )
    return rows
