"""The pupil as the school's MIS holds them: number, class, year group, ASN or SEN flags and
contacts, recorded whole from an import (domain/pupil_import.py). A re-import records them
again only where they changed, and the earlier stay in the history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import (
    AsnFlags,
    ClassName,
    Contacts,
    Personal,
    PupilDetails,
    PupilNumber,
    PupilNumberKind,
    Source,
    YearGroup,
)

if TYPE_CHECKING:
    from domain.plans import Plan


class RecordPupilDetails(Command):
    action = Action.RECORD_PUPIL_DETAILS
    pupil_number: Personal[PupilNumber]
    number_kind: PupilNumberKind
    # Class and year group name no child, and are kept readable so that read models can
    # count by them; the number, the needs and the family are sealed with the plan's key.
    class_name: ClassName | None = None
    year_group: YearGroup | None = None
    asn_flags: Personal[AsnFlags] = ()
    contacts: Personal[Contacts] = ()
    source: Source

    @classmethod
    def of(cls, details: PupilDetails) -> RecordPupilDetails:
        return cls(**dict(details))

    def details(self) -> PupilDetails:
        return PupilDetails(**{name: getattr(self, name) for name in PupilDetails.model_fields})


class PupilDetailsRecorded(PlanEvent, RecordPupilDetails):
    def apply(self, plan: Plan) -> None:
        plan.pupil = self.details()
