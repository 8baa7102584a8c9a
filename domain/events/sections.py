"""The named sections of a statutory plan (domain/sections.py), each recorded whole: a
new recording replaces the section's current content, and the earlier stays in the
history, so an amendment after review keeps whatever it does not change (reg 3(2))."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import Personal, Section

if TYPE_CHECKING:
    from domain.plans import Plan


class RecordSection(Command):
    """Record a section's content; a reason is required when it replaces content."""

    action = Action.RECORD_SECTION
    name: str = Field(max_length=40)
    text: Personal[str]
    details: Personal[dict[str, Any]] = Field(default_factory=dict)
    """The section's particulars beyond its text (an address, each parent, a contact)."""


class SectionRecorded(PlanEvent, RecordSection):
    def apply(self, plan: Plan) -> None:
        plan.sections[self.name] = Section(
            name=self.name,
            text=self.text,
            details=self.details,
            occurred_on=self.occurred_on,
            recorded_at=self.timestamp,
            actor=self.actor,
            reason=self.reason,
        )
