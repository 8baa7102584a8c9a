"""The plan as it is known today to have stood on a day: every event that happened on or
before it, however late it was recorded.

The other reading, the plan exactly as it was recorded at an instant, is the store's own
(a version of the aggregate). The two differ by what was entered late: a review held in
March and typed up in May is in this reading of March, and not in the recorded one. A
tribunal needs both: what the authority knew at the time, and what had in fact happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from domain.events.base import PlanEvent
from domain.plans import Plan


@dataclass
class KnownOn:
    plan: Plan | None
    """None when the plan had not been opened by the day."""
    left_out: list[PlanEvent] = field(default_factory=list)
    """Events dated on or before the day that rest on something dated after it (a target
    evaluated on a day before the target itself is dated), so could not be placed."""


def known_on(events: Iterable[PlanEvent], day: date) -> KnownOn:
    """Replays, in the order recorded, the events that happened by the end of `day`."""
    plan: Plan | None = None
    left_out: list[PlanEvent] = []
    for event in events:
        if event.occurred_on > day:
            continue
        if plan is None:
            if event.originator_version == 1:  # the opening
                plan = event.mutate(None)
            else:  # the plan was opened after the day: nothing can rest on it
                left_out.append(event)
            continue
        before = plan.version
        plan.version = event.originator_version - 1  # events dated later are skipped
        try:
            event.mutate(plan)
        except LookupError:
            # apply() found no record of what the event is about: it came later.
            plan.version = before
            left_out.append(event)
    return KnownOn(plan, left_out)
