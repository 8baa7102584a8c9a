"""POST /api/plans/{id}/sections/{name}: a named section of a statutory plan (a CSP's
parts of the Schedule's form, an EHCP's sections A-K; domain/sections.py)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Path
from pydantic import ConfigDict

from domain.events import RecordSection
from domain.sections import SECTIONS
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import Text, WriteBody, Written

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["sections"])


class SectionBody(WriteBody):
    """`text`, and the section's own fields (checked against the section once the plan's
    type is known: an unknown field is 422, naming it)."""

    model_config = ConfigDict(extra="allow")

    text: Text

    def details(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


def _described() -> str:
    lines = []
    for plan_type, sections in SECTIONS.items():
        for name, heading in sections.items():
            fields = [f for f in heading.content.model_fields if f != "text"]
            more = f" (also: {', '.join(fields)})" if fields else ""
            lines.append(f"- {plan_type.value} `{name}`: {heading.title}{more}")
    return "\n".join(lines)


@router.post(
    "/sections/{name}",
    status_code=201,
    response_model=Written,
    description="Record a section (event SectionRecorded). `reason` is required when the "
    "section already has content; a name the plan's type does not have is 404.\n\n" + _described(),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            heading.content.model_json_schema()
                            for sections in SECTIONS.values()
                            for heading in {h.content: h for h in sections.values()}.values()
                        ]
                    }
                }
            }
        }
    },
)
def record_section(
    plan_id: UUID,
    name: Annotated[str, Path(max_length=40)],
    body: Annotated[SectionBody, Body()],
    write: WriterDep,
) -> dict:
    return write(plan_id, RecordSection(name=name, text=body.text, details=body.details()), body)
