"""The chronology (API.md, "Chronology"): significant events in the child's life, each
from a named source, read in the order they happened."""

from __future__ import annotations

from typing import Annotated, Any, Self
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from domain import access
from domain.actions import Action
from domain.events import AddChronologyEntry
from domain.plans import Plan
from domain.values import ChronologyKind, Wellbeing
from interfaces.http.deps import CallerDep, WriterDep, authorise
from interfaces.http.schemas import (
    ActorOut,
    Attributed,
    Day,
    Ref,
    Short,
    Text,
    Written,
    not_in_the_future,
)
from interfaces.plan_text import chronology_as_dicts

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["chronology"])


class ChronologyCreate(Attributed):
    """A day (`occurred_on`) or a period (`period_from` and `period_to`), never both."""

    period_from: Day | None = None
    period_to: Annotated[Day, AfterValidator(not_in_the_future)] | None = None
    date_uncertain: bool = Field(default=False, description='The date is approximate ("?")')
    source: Short = Field(description="Who the information came from")
    kind: ChronologyKind
    text: Text
    impact: Text | None = None
    action: Text | None = Field(default=None, description="What was done, or is to be done")
    wellbeing: list[Wellbeing] = Field(default_factory=list, max_length=8)
    agency: Ref | None = Field(
        default=None,
        description="The org it came from: the plan's own or a joined agency's "
        "(default: the writer's own, when it is on the plan)",
    )
    family_may_see: bool = Field(
        default=True,
        description="false keeps the entry from the parents and the young person in every "
        "reading of the plan (a third party's information, or a risk in the telling)",
    )

    @model_validator(mode="after")
    def _one_date(self) -> Self:
        if (self.period_from is None) != (self.period_to is None):
            raise ValueError("A period needs both period_from and period_to.")
        if self.period_from is not None and self.occurred_on not in (None, self.period_from):
            raise ValueError("Give occurred_on or a period (period_from, period_to), not both.")
        return self

    def command(self) -> AddChronologyEntry:
        return AddChronologyEntry(
            period_to=self.period_to,
            date_uncertain=self.date_uncertain,
            source=self.source,
            kind=self.kind,
            text=self.text,
            impact=self.impact,
            next_step=self.action,
            wellbeing=tuple(dict.fromkeys(self.wellbeing)),
            agency=self.agency,
            family_may_see=self.family_may_see,
        )

    def when(self) -> Attributed:
        """The entry happened on its day, or on the first day of its period."""
        return Attributed(occurred_on=self.period_from or self.occurred_on, reason=self.reason)


class ChronologyItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    entry_id: UUID
    occurred_on: str
    period_from: str | None
    period_to: str | None
    date_uncertain: bool
    source: str
    kind: ChronologyKind
    text: str
    impact: str | None
    action: str | None
    wellbeing: list[Wellbeing]
    agency: str | None
    agency_name: str | None
    family_may_see: bool
    recorded_at: str
    actor: ActorOut


class Chronology(BaseModel):
    items: list[ChronologyItem]


@router.post("/chronology", status_code=201, response_model=Written)
def add_chronology_entry(plan_id: UUID, body: ChronologyCreate, write: WriterDep) -> dict:
    """A significant event, strength or concern, from a named source (event
    ChronologyEntryAdded); `{entry_id, version}`."""
    return write(plan_id, body.command(), body.when())


@router.get("/chronology", response_model=Chronology)
def read_chronology(
    plan: Annotated[Plan, authorise(Action.READ_PLAN)],
    caller: CallerDep,
    agency: Annotated[
        str | None,
        Query(max_length=200, description="One agency's entries alone (a single-agency view)"),
    ] = None,
) -> dict[str, Any]:
    """The chronology in the order things happened (by `occurred_on`, then the order
    recorded): every agency's entries merged, or one agency's; what the reader may see."""
    return {"items": chronology_as_dicts(plan, access.chronology_for(caller, plan, agency))}
