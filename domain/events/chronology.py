"""A chronology: the significant events in a child's life, each as one source told it
(GIRFEC practice guidance 3, "Using the National Practice Model": a chronology records
the date, the source, what happened and its impact, and what was done)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from pydantic import Field

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import ChronologyEntry, ChronologyKind, Personal, Wellbeing

if TYPE_CHECKING:
    from domain.plans import Plan


class AddChronologyEntry(Command):
    """Something that happened on `occurred_on` (the attribution's), or over a period from
    it to `period_to`."""

    action = Action.ADD_CHRONOLOGY_ENTRY
    creates = "entry_id"
    entry_id: UUID = Field(default_factory=uuid4)
    period_to: date | None = None
    date_uncertain: bool = False
    """The day is approximate ("about March 2019"): shown as such, never as exact."""
    source: Personal[str]
    kind: ChronologyKind
    text: Personal[str]
    impact: Personal[str | None] = None
    next_step: Personal[str | None] = None
    """What was done, or is to be done (the API's `action`)."""
    wellbeing: tuple[Wellbeing, ...] = ()
    agency: str | None = None
    """The org the entry came from; by default the writer's, when it is on the plan."""
    family_may_see: bool = True
    """False for what the family must not read (a third party's information, a concern
    whose telling would put the child at risk): kept from the family in every reading."""


class ChronologyEntryAdded(PlanEvent, AddChronologyEntry):
    def apply(self, plan: Plan) -> None:
        plan.chronology.append(
            ChronologyEntry(
                id=self.entry_id,
                occurred_on=self.occurred_on,
                period_to=self.period_to,
                date_uncertain=self.date_uncertain,
                source=self.source,
                kind=self.kind,
                text=self.text,
                impact=self.impact,
                action=self.next_step,
                wellbeing=self.wellbeing,
                agency=self.agency,
                family_may_see=self.family_may_see,
                recorded_at=self.timestamp,
                actor=self.actor,
            )
        )
