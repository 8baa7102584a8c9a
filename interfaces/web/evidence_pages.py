"""The evidence from the pages: the plan printed, a copy given to the family, the bundle
of the record to a date, and bundles issued for a tribunal, each the same PDF the API
gives (interfaces/documents), with the same access rules and access log."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from domain import access
from domain.actions import Action
from domain.calendar import today
from domain.documents import (
    MAX_BYTES,
    DocumentDestroyedError,
    DocumentTooLargeError,
    UnsupportedDocumentError,
)
from domain.errors import ActionForbiddenError, PlanningError
from domain.events import Command, SharePlan
from domain.plans import Plan
from interfaces.documents.bundle import (
    BundleNotReproducibleError,
    build_bundle,
    issue_command,
    issued_bundle,
)
from interfaces.documents.plan_copy import (
    SharedCopyMismatchError,
    SharedCopyNotFoundError,
    render_plan_pdf,
    shared_copy_pdf,
)
from interfaces.http.deps import pdf_signer_of, planning_of
from interfaces.http.routers.evidence import BundleCreate, SharedCopyCreate
from interfaces.http.schemas import Day, Name, Ref, Short
from interfaces.web.forms import FormInvalid, validate, value
from interfaces.web.guard import (
    PageError,
    forbidden,
    load_plan,
    not_found,
    parse_plan_id,
    record_read,
    signed_in,
)
from interfaces.web.plan_forms import Submission, csrf_checked, refused, write_form
from interfaces.web.plan_view import as_uuid

router = APIRouter(include_in_schema=False)


class DocumentForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Short
    author: Name
    kind: Ref
    occurred_on: Day | None = None


def _pdf(pdf: bytes, name: str) -> Response:
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}.pdf"',
            "Cache-Control": "no-store",
        },
    )


def _evidence_read(request: Request, plan_id: str) -> tuple[UUID, Plan]:
    caller = signed_in(request)
    planning = planning_of(request)
    pid = parse_plan_id(plan_id)
    plan = load_plan(planning, caller, pid, Action.READ_EVIDENCE)
    record_read(request, planning, caller, pid, Action.READ_EVIDENCE)
    return pid, plan


@router.get("/plans/{plan_id}/copy.pdf")
def printed_plan(request: Request, plan_id: str) -> Response:
    """The plan as it stands, printed as the family's copy is."""
    pid, plan = _evidence_read(request, plan_id)
    return _pdf(render_plan_pdf(plan, planning_of(request).stages), f"plan-{pid}")


@router.get("/plans/{plan_id}/shared-copies/{number:int}.pdf")
def shared_copy(request: Request, plan_id: str, number: int) -> Response:
    pid, _ = _evidence_read(request, plan_id)
    try:
        pdf, _copy = shared_copy_pdf(planning_of(request), pid, number)
    except SharedCopyNotFoundError:
        raise not_found() from None
    except SharedCopyMismatchError as e:
        raise PageError(500, "Copy cannot be reproduced", str(e)) from None
    except DocumentDestroyedError as e:
        raise PageError(410, "Destroyed", str(e)) from None
    return _pdf(pdf, f"plan-{pid}-copy-{number}")


@router.get("/plans/{plan_id}/bundle.pdf")
def bundle(request: Request, plan_id: str, to: str | None = None) -> Response:
    caller = signed_in(request)
    pid, _ = _evidence_read(request, plan_id)
    try:
        day = date.fromisoformat(to) if to else today()
    except ValueError:
        raise PageError(422, "Not a date", "The date of the bundle is not a date.") from None
    if day > today():
        raise PageError(422, "A date to come", "A bundle covers the record up to today at most.")
    result = build_bundle(
        planning_of(request),
        pid,
        day,
        with_access_log=access.may_see_access_summary(caller),
        reader=caller,
    )
    return _pdf(result.pdf, f"plan-{pid}-bundle-{day.isoformat()}")


@router.get("/plans/{plan_id}/bundles/{number:int}.pdf")
def issued(request: Request, plan_id: str, number: int) -> Response:
    caller = signed_in(request)
    pid, plan = _evidence_read(request, plan_id)
    if not access.may_read_issued_bundles(caller):
        raise forbidden(
            "An issued bundle holds the whole record; the tribunal gives it to the parties."
        )
    found = next((b for b in plan.bundles if b.number == number), None)  # type: ignore[attr-defined]
    if found is None:
        raise not_found()
    try:
        pdf = issued_bundle(planning_of(request), pid, found)
    except BundleNotReproducibleError as e:
        raise PageError(500, "Bundle cannot be reproduced", str(e)) from None
    except DocumentDestroyedError as e:
        raise PageError(410, "Destroyed", str(e)) from None
    return _pdf(pdf, f"plan-{pid}-bundle-{number}")


@router.get("/plans/{plan_id}/documents/{document_id}")
def document(request: Request, plan_id: str, document_id: str) -> Response:
    caller = signed_in(request)
    planning = planning_of(request)
    pid = parse_plan_id(plan_id)
    plan = load_plan(planning, caller, pid, Action.READ_PLAN)
    found = plan.documents.get(as_uuid(document_id)) if as_uuid(document_id) else None
    if found is None:
        raise not_found()
    record_read(request, planning, caller, pid, Action.READ_PLAN)
    try:
        content = planning.document(pid, found.id)
    except DocumentDestroyedError as e:
        raise PageError(410, "Destroyed", str(e)) from None
    return Response(
        content,
        media_type=found.media_type,
        headers={"Content-Disposition": "inline", "Cache-Control": "no-store"},
    )


@router.post("/plans/{plan_id}/documents")
async def add_document(request: Request, plan_id: str) -> Response:
    caller, form = await csrf_checked(request)
    upload = form.get("file")
    content = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    planning = planning_of(request)

    def added() -> Response:
        pid = parse_plan_id(plan_id)
        try:
            if not content:
                raise FormInvalid("Choose the file to add.")
            body = validate(
                DocumentForm,
                {k: value(form, k) for k in ("title", "author", "kind", "occurred_on")},
            )
            planning.add_document(
                pid,
                caller,
                content,
                title=body.title,
                author=body.author,
                kind=body.kind,
                occurred_on=body.occurred_on,
            )
        except UnsupportedDocumentError as e:
            return refused(request, planning, caller, pid, "document", form, str(e), 415)
        except DocumentTooLargeError as e:
            return refused(request, planning, caller, pid, "document", form, str(e), 413)
        except (FormInvalid, PlanningError) as e:
            return refused(request, planning, caller, pid, "document", form, str(e), 422)
        except ActionForbiddenError as e:
            raise forbidden(str(e)) from None
        return RedirectResponse(f"/plans/{pid}?done=document#documents", status_code=303)

    return await run_in_threadpool(added)


def _share(s: Submission) -> tuple[Command, SharedCopyCreate]:
    recipients = [line.strip() for line in (s.get("recipients") or "").splitlines() if line.strip()]
    body = validate(
        SharedCopyCreate, {"recipients": recipients, "method": s.get("method"), **s.common()}
    )
    return body.to(SharePlan), body


@router.post("/plans/{plan_id}/shared-copies")
async def share(request: Request, plan_id: str) -> Response:
    caller, form = await csrf_checked(request)
    return await run_in_threadpool(write_form, request, caller, form, plan_id, "share", _share)


@router.post("/plans/{plan_id}/bundles")
async def issue(request: Request, plan_id: str) -> Response:
    caller, form = await csrf_checked(request)
    planning = planning_of(request)
    signer = pdf_signer_of(request)

    def handler(s: Submission) -> tuple[Command, BundleCreate]:
        body = validate(BundleCreate, {"to": s.get("to"), "reason": s.get("reason")})
        pid = parse_plan_id(plan_id)
        # Rendered only for a caller who may issue: a refusal costs no PDF.
        load_plan(planning, caller, pid, Action.ISSUE_BUNDLE)
        day = body.to or today()
        if day > today():
            raise FormInvalid("The date of the bundle may not be in the future.")
        return issue_command(planning, pid, day, signer), body

    return await run_in_threadpool(write_form, request, caller, form, plan_id, "bundle", handler)
