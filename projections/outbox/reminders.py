"""Reminders of what falls due: a weekly message to each lead professional and authority
officer on a plan with a review or a statutory clock due within four weeks or overdue,
and a message when a clock is a week from its date and when it is missed
(domain/notifications.py). Worked out from the plan summaries at each run, and sent once
each: what was sent is recorded under an id made of the week or the date, with the outbox's
own deliveries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from application.planning import Planning
from domain.access import Visibility
from domain.clocks import DUTIES
from domain.notifications import (
    REMIND_WITHIN,
    REMINDED,
    Alert,
    Delivery,
    alert_for,
    alert_id,
    due_line,
    reminder_id,
    weekly_due,
)
from domain.plans import Plan
from projections.outbox.view import OutboxView
from projections.plan_summaries.view import PlanSummaryView

PAGE = 200

ALERTS = {
    Alert.DUE_SOON: "A statutory date is a week away or less",
    Alert.MISSED: "A statutory date has been missed",
}


@dataclass(frozen=True)
class Due:
    plan_id: UUID
    place: str
    due: str
    """"review", or the statutory clock's name."""
    due_on: date

    def duty(self) -> str:
        return "the review" if self.due == "review" else DUTIES.get(self.due, self.due)


@dataclass(frozen=True)
class Reminder:
    """One message to send: its id, to whom, and what it says."""

    message_id: str
    recipient: str
    address: str
    plan_id: UUID | None
    subject: str
    lines: tuple[str, ...]


def reminders(
    planning: Planning, summaries: PlanSummaryView, outbox: OutboxView, at: datetime, today: date
) -> list[Reminder]:
    """The reminders due at this moment that have not been sent."""
    due: list[Due] = []
    after = None
    while True:
        page = summaries.reviews_due(
            today + REMIND_WITHIN, Visibility(everyone=True), today=today, limit=PAGE, after=after
        )
        due += [
            Due(s.plan_id, s.org, s.due, s.due_on)
            for s in page.items
            if s.due is not None and s.due_on is not None
        ]
        after = page.next
        if after is None:
            break
    plans = planning.get_plans([d.plan_id for d in due])
    week = weekly_due(at)
    weekly: dict[str, tuple[str, list[str]]] = {}  # user id: (address, lines)
    wanted: list[Reminder] = []
    for item in due:
        plan = plans.get(item.plan_id)
        if plan is None:
            continue
        line = due_line(item.plan_id, item.place, item.duty(), item.due_on, today)
        alert = alert_for(item.due_on, today) if item.due != "review" else None
        for user_id, address in _reminded(plan, outbox):
            if week is not None:
                weekly.setdefault(user_id, (address, []))[1].append(line)
            if alert is not None:
                wanted.append(
                    Reminder(
                        alert_id(alert, item.plan_id, item.due, item.due_on, user_id),
                        user_id,
                        address,
                        item.plan_id,
                        f"Planledger: {ALERTS[alert].lower()}",
                        (ALERTS[alert] + ":", "", line),
                    )
                )
    for user_id, (address, lines) in weekly.items():
        assert week is not None  # only a due week collects lines
        wanted.append(
            Reminder(
                reminder_id(week, user_id),
                user_id,
                address,
                None,
                f"Planledger: {len(lines)} date{'s' if len(lines) != 1 else ''} due within"
                " four weeks or overdue",
                ("Due within four weeks, or overdue, on the plans you lead:", "", *lines),
            )
        )
    done = outbox.sent([r.message_id for r in wanted]) if wanted else set()
    return [r for r in wanted if r.message_id not in done]


def _reminded(plan: Plan, outbox: OutboxView) -> list[tuple[str, str]]:
    """The plan's lead professional and officers, with the address the plan holds for
    them or the one they gave on their Email page (unless they chose to receive nothing)."""
    people = []
    for user_id, member in plan.members.items():
        if member.role not in REMINDED:
            continue
        chosen = outbox.preference(user_id)
        address = member.email or chosen.address
        if address and chosen.delivery is not Delivery.NEVER:
            people.append((user_id, address))
    return people
