"""The fold: who each event's change is to be told to (domain/notifications.py), and the
plan's members as the events leave them. Pure; the stores apply it in batches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from domain.notifications import CHANGES, Notification, message_id, recipients
from domain.values import Role

MEMBERSHIP = frozenset(
    {"PlanOpened", "MemberAdded", "LeadProfessionalAssigned", "MemberRemoved", "PlanDestroyed"}
)
FOLDED = MEMBERSHIP | frozenset(CHANGES)


def fold(
    members: dict[UUID, dict[str, Role]], batch: Iterable[Any]
) -> tuple[set[UUID], list[Notification]]:
    """Apply events to the plans' members (a plan this view never saw opened has none) and
    make their notifications; returns the plans whose members changed, and those."""
    changed: set[UUID] = set()
    notes: list[Notification] = []
    for event in batch:
        kind = type(event).__name__
        if kind not in FOLDED:
            continue
        plan_id = event.originator_id
        people = members.setdefault(plan_id, {})
        if kind in MEMBERSHIP:
            _apply(kind, event, people)
            changed.add(plan_id)
        for user_id in recipients(kind, vars(event), people):
            notes.append(
                Notification(
                    message_id=message_id(plan_id, event.originator_version, user_id),
                    plan_id=plan_id,
                    version=event.originator_version,
                    recipient=user_id,
                    event_type=kind,
                    recorded_at=event.timestamp,
                )
            )
    return changed, notes


def _apply(kind: str, event: Any, people: dict[str, Role]) -> None:
    if kind == "PlanOpened":
        # The opener is unsealed for read models (engine/decoding.py); a plan destroyed
        # before a rebuild reads its id as "".
        if event.actor.id:
            people[event.actor.id] = event.actor.role
    elif kind == "MemberAdded":
        people[event.user_id] = event.role
    elif kind == "LeadProfessionalAssigned":
        people.setdefault(event.user_id, Role.LEAD_PROFESSIONAL)
    elif kind == "MemberRemoved":
        people.pop(event.user_id, None)
    elif kind == "PlanDestroyed":
        people.clear()
