"""What people add to a plan: agencies' contributions, and the views of the child and family."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from pydantic import Field

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import Contribution, Personal, Views, Whose

if TYPE_CHECKING:
    from domain.plans import Plan


class AppendContribution(Command):
    action = Action.APPEND_CONTRIBUTION
    creates = "contribution_id"
    contribution_id: UUID = Field(default_factory=uuid4)
    kind: str
    text: Personal[str]


class ContributionAppended(PlanEvent, AppendContribution):
    def apply(self, plan: Plan) -> None:
        plan.contributions.append(
            Contribution(
                id=self.contribution_id,
                kind=self.kind,
                text=self.text,
                occurred_on=self.occurred_on,
                actor=self.actor,
            )
        )


class RecordViews(Command):
    """Views of the child and parent are statutory content of a plan, not comments."""

    action = Action.RECORD_VIEWS
    creates = "views_id"
    views_id: UUID = Field(default_factory=uuid4)
    whose: Whose
    text: Personal[str]


class ViewsRecorded(PlanEvent, RecordViews):
    def apply(self, plan: Plan) -> None:
        plan.views.append(
            Views(
                id=self.views_id,
                whose=self.whose,
                text=self.text,
                occurred_on=self.occurred_on,
                recorded_by=self.actor.name,
            )
        )
