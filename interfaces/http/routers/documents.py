"""Documents kept with a plan (API.md, "Documents"): reports, assessments, letters and
minutes, uploaded as PDF, PNG or JPEG, read by whoever may read the plan."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, File, Form, Response, UploadFile
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from domain.actions import Action
from domain.documents import MAX_BYTES, DocumentTooLargeError
from domain.plans import Plan
from interfaces.http.answers import written
from interfaces.http.deps import CallerDep, ConditionsDep, PlanningDep, authorise
from interfaces.http.problems import documented, not_found
from interfaces.http.schemas import Attributed, Name, Ref, Short

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["documents"])


class DocumentCreated(BaseModel):
    plan_id: UUID
    document_id: UUID
    sha256: str
    version: int


class DocumentOut(BaseModel):
    document_id: UUID
    title: str
    author: str
    kind: str
    media_type: str
    sha256: str
    bytes: int
    occurred_on: str
    added_by: str


class Documents(BaseModel):
    items: list[DocumentOut]


@router.post(
    "/documents",
    status_code=201,
    response_model=DocumentCreated,
    responses={
        413: documented("The file is larger than the limit"),
        415: documented("The file is not a PDF, PNG or JPEG"),
    },
)
async def add_document(
    plan_id: UUID,
    file: Annotated[UploadFile, File(description=f"PDF, PNG or JPEG, at most {MAX_BYTES} bytes")],
    title: Annotated[Short, Form()],
    author: Annotated[Name, Form()],
    kind: Annotated[Ref, Form(max_length=60, description="report, assessment, letter, minutes")],
    planning: PlanningDep,
    caller: CallerDep,
    conditions: ConditionsDep,
    response: Response,
    occurred_on: Annotated[str | None, Form()] = None,
    reason: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """Keep a document with the plan (event DocumentAdded): its type is judged from its
    content (another type is 415), its size is limited (413), and it is sealed with the
    plan's own key. Answers `{document_id, sha256, version}`."""
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise DocumentTooLargeError
    when = Attributed.model_validate({"occurred_on": occurred_on, "reason": reason})
    result = await run_in_threadpool(
        planning.add_document,
        plan_id,
        caller,
        content,
        title=title,
        author=author,
        kind=kind,
        occurred_on=when.occurred_on,
        reason=when.reason,
        conditions=conditions,
    )
    return written(response, result)


@router.get("/documents", response_model=Documents)
def list_documents(plan: Annotated[Plan, authorise(Action.READ_PLAN)]) -> dict[str, Any]:
    """The documents kept with the plan, in the order added."""
    return {
        "items": [
            {
                **d.model_dump(mode="json", exclude={"id"}),
                "document_id": str(d.id),
            }
            for d in plan.documents.values()
        ]
    }


@router.get(
    "/documents/{document_id}",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}},
        410: documented("Destroyed with the plan's personal data"),
    },
)
def read_document(
    plan_id: UUID,
    document_id: UUID,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.READ_PLAN)],
) -> Response:
    """The file as added: its SHA-256 is the recorded `sha256`."""
    document = plan.documents.get(document_id)
    if document is None:
        raise not_found("document")
    content = planning.document(plan_id, document_id)
    return Response(
        content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": f'inline; filename="document-{document_id}"',
            "Planledger-SHA256": document.sha256,
        },
    )
