"""What every command and every event of a plan has in common.

A command is what a writer asks of a plan (its fields are the values to record); its
event is the same values once the plan accepted them, with who, when and why
(`Attribution`) declared once, here, for every event. Where an event records more than
was asked (a number, the stage it left), it declares those fields itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from domain.actions import Action
from domain.base import Aggregate, Immutable
from domain.values import Attribution

if TYPE_CHECKING:
    from domain.plans import Plan

STORED_AS = "domain.plans:Plan."
"""Every event is stored under the name it had when events were declared on the Plan
class: stored topics never change, so that every store written since still loads."""


class Command(Immutable):
    """A change a writer asks of a plan. `action` is what access is checked against; the
    Plan method named like the class (SetTarget: Plan.set_target) carries it out."""

    action: ClassVar[Action]
    handler: ClassVar[str]
    creates: ClassVar[str | None] = None
    """The field holding the id of what the command creates, answered to the writer."""
    needs_reason: ClassVar[bool] = False
    """A change a family or a tribunal will ask "why?" about is refused without a reason."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handler = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()

    def created(self, plan: Plan) -> dict[str, Any]:
        """What the command created, for the writer's answer (plan: after it)."""
        return {self.creates: str(getattr(self, self.creates))} if self.creates else {}


class PlanEvent(Aggregate.Event, Attribution):
    """An event of a plan: its own fields, and who, when and why."""

    TOPIC: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.TOPIC = STORED_AS + cls.__name__

    def apply(self, plan: Plan) -> None:
        """Change the plan's state: run again on every replay, so no checks or choices."""

    def by(self) -> Attribution:
        return Attribution(actor=self.actor, occurred_on=self.occurred_on, reason=self.reason)
