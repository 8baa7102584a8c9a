"""Evidence for disputes and tribunals: copies given to the family, the diff between two
instants, the verifiable export, and the tribunal bundle (API.md, "Read models and
evidence"). Every read here is a read of personal data, so `authorise` logs it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from application.evidence.diff import plan_diff
from application.evidence.export import build_export
from domain import access
from domain.actions import Action
from domain.calendar import today
from domain.events import SharePlan
from domain.plans import Plan
from interfaces.documents.bundle import (
    BundleNotReproducibleError,
    KeptBundleAlteredError,
    build_bundle,
    issue_command,
    issued_bundle,
)
from interfaces.documents.plan_copy import (
    SharedCopyMismatchError,
    SharedCopyNotFoundError,
    shared_copy_pdf,
)
from interfaces.http.answers import FastJSON
from interfaces.http.deps import CallerDep, PdfSignerDep, PlanningDep, WriterDep, authorise
from interfaces.http.problems import Problem, forbidden, not_found
from interfaces.http.schemas import Day, Name, Short, WriteBody

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["evidence"])

PDF = {200: {"content": {"application/pdf": {}}, "description": "A PDF"}}


class SharedCopyCreate(WriteBody):
    recipients: list[Name] = Field(min_length=1, max_length=20)
    method: Short = Field(description="How the copy was given, e.g. email, post, by hand")


class SharedCopyCreated(BaseModel):
    plan_id: UUID
    number: int
    sha256: str | None
    version: int


class SharedCopyOut(BaseModel):
    number: int
    sha256: str | None
    version: int
    recipients: list[str]
    method: str
    occurred_on: date


class SharedCopies(BaseModel):
    items: list[SharedCopyOut]


@router.post("/shared-copies", status_code=201, response_model=SharedCopyCreated)
def share_plan(plan_id: UUID, body: SharedCopyCreate, write: WriterDep) -> dict:
    """Record that the plan as it stands was given to the family (event PlanShared), with
    the SHA-256 of the PDF they received; `version` is the plan's version after the write
    (the copy shows the version before it)."""
    return write(plan_id, body.to(SharePlan), body)


@router.get("/shared-copies", response_model=SharedCopies)
def list_shared_copies(
    plan_id: UUID, plan: Annotated[Plan, authorise(Action.READ_EVIDENCE)]
) -> dict:
    """The copies given to the family: number, SHA-256, the plan version shown, to whom,
    how and when."""
    return {"items": [c.model_dump(mode="json") for c in plan.shared_copies]}


@router.get("/shared-copies/{number:int}.pdf", response_class=Response, responses=PDF)
def shared_copy(
    plan_id: UUID,
    number: int,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.READ_EVIDENCE)],
) -> Response:
    """The copy the family received, as kept when it was given (or, given before copies
    were kept, rendered again from the plan at that version); its SHA-256 is the recorded
    one (or the answer is an error, never a different PDF)."""
    try:
        pdf, copy = shared_copy_pdf(planning, plan_id, number)
    except SharedCopyNotFoundError:
        raise not_found("shared copy") from None
    except SharedCopyMismatchError as e:
        raise Problem(500, "copy-not-reproducible", "Copy cannot be reproduced", str(e)) from None
    headers = {"Content-Disposition": f'inline; filename="plan-{plan_id}-copy-{number}.pdf"'}
    if copy.sha256:
        headers["Planledger-SHA256"] = copy.sha256
    return Response(pdf, media_type="application/pdf", headers=headers)


def _not_future(to: date) -> date:
    if to > today():
        raise Problem(422, "invalid-input", "Invalid input", "'to' may not be in the future.")
    return to


class BundleCreate(WriteBody):
    to: Day | None = Field(default=None, description="The record up to this date (default today)")


class BundleIssuedOut(BaseModel):
    plan_id: UUID
    number: int
    sha256: str
    pages: int
    version: int


class IssuedBundleOut(BaseModel):
    number: int
    sha256: str
    pages: int
    to: date
    cutoff: datetime
    occurred_on: date


class IssuedBundles(BaseModel):
    items: list[IssuedBundleOut]


@router.post("/bundles", status_code=201, response_model=BundleIssuedOut)
def issue_bundle(
    plan_id: UUID,
    body: BundleCreate,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.ISSUE_BUNDLE)],
    write: WriterDep,
    signer: PdfSignerDep,
) -> dict:
    """Issue the bundle of the record up to `to` (event BundleIssued), signed by the
    authority when it signs PDFs: its number, page count and SHA-256 are recorded, and
    every later download of it is that PDF."""
    command = issue_command(planning, plan_id, _not_future(body.to or today()), signer)
    return write(plan_id, command, body)


@router.get("/bundles", response_model=IssuedBundles)
def list_bundles(plan: Annotated[Plan, authorise(Action.READ_EVIDENCE)]) -> dict:
    """The bundles issued: number, SHA-256, pages, the date and instant their record ends."""
    return {
        "items": [
            {**b.model_dump(mode="json"), "occurred_on": b.issued_on.isoformat()}
            for b in plan.bundles
        ]
    }


@router.get("/bundles/{number:int}.pdf", response_class=Response, responses=PDF)
def read_issued_bundle(
    plan_id: UUID,
    number: int,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.READ_EVIDENCE)],
    caller: CallerDep,
) -> Response:
    """Bundle `number`, byte for byte as issued: the PDF kept sealed at issue, checked
    against the recorded SHA-256 (410 once the plan's personal data is destroyed)."""
    if not access.may_read_issued_bundles(caller):
        raise forbidden(
            "An issued bundle holds the whole record; the tribunal gives the parties theirs."
        )
    issued = next((b for b in plan.bundles if b.number == number), None)
    if issued is None:
        raise not_found("bundle")
    try:
        pdf = issued_bundle(planning, plan_id, issued)
    except KeptBundleAlteredError as e:
        raise Problem(500, "bundle-altered", "Bundle altered", str(e)) from None
    except BundleNotReproducibleError as e:
        raise Problem(
            500, "bundle-not-reproducible", "Bundle cannot be reproduced", str(e)
        ) from None
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="plan-{plan_id}-bundle-{number}.pdf"',
            "Planledger-SHA256": issued.sha256,
            "Planledger-Pages": str(issued.pages),
        },
    )


@router.get("/diff")
def diff(
    plan_id: UUID,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.READ_EVIDENCE)],
    caller: CallerDep,
    from_: Annotated[datetime, Query(alias="from", description="Instant, ISO 8601 with offset")],
    to: Annotated[datetime | None, Query(description="Instant (default now)")] = None,
) -> FastJSON:
    """Changes recorded between two instants, by plan section (outcomes, targets,
    provision, stage, agencies, members, views, reviews, disclosures, status, ...): each
    added, revised or closed, with actor, occurred_on, recorded_at and reason."""
    to = to or datetime.now().astimezone()
    for name, value in (("from", from_), ("to", to)):
        if value.tzinfo is None:
            raise Problem(
                422,
                "invalid-input",
                "Invalid input",
                f"'{name}' must be an instant with an offset, e.g. 2026-03-01T09:00:00Z",
            )
    return FastJSON(plan_diff(planning, plan_id, from_, to, reader=caller))


@router.get("/export")
def export(
    plan_id: UUID,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.READ_EVIDENCE)],
    caller: CallerDep,
) -> FastJSON:
    """The plan's events and the hash chain over them, with a signed checkpoint of the
    head; verify offline with `python3 tools/verify_export.py FILE --public-key KEY`."""
    document: dict[str, Any] = build_export(planning, plan_id, reader=caller)
    return FastJSON(
        document,
        headers={
            "Content-Disposition": f'attachment; filename="plan-{plan_id}-export.json"',
        },
    )


@router.get("/bundle.pdf", response_class=Response, responses=PDF)
def bundle(
    plan_id: UUID,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.READ_EVIDENCE)],
    caller: CallerDep,
    to: Annotated[
        Day | None, Query(description="Records up to and including this date (UK; default today)")
    ] = None,
) -> Response:
    """The tribunal bundle: cover, index with page ranges, the plan at each review and
    each shared copy, chronology, access log summary, verification head. It covers the
    record up to its last event recorded by the end of `to`, and reads up to that same
    event, so reads alone never change it."""
    to = _not_future(to or today())
    result = build_bundle(
        planning,
        plan_id,
        to,
        with_access_log=access.may_see_access_summary(caller),
        reader=caller,
    )
    return Response(
        result.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="plan-{plan_id}-bundle-{to.isoformat()}.pdf"',
            "Planledger-Pages": str(result.pages),
        },
    )
