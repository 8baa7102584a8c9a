"""The directory on a page: find colleagues and organisations by name, record an
organisation's name, invite a colleague before their first sign-in (domain/directory.py,
application/directory.py). The plan forms offer the same people and agencies by name."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from application.directory import DirectoryBusyError
from domain import access
from domain.access import Caller
from domain.directory import LISTED_ROLES, ORGANISATION_KINDS
from domain.values import EmailAddress
from interfaces import wording
from interfaces.http.deps import planning_of
from interfaces.web.forms import explain
from interfaces.web.guard import forbidden, signed_in
from interfaces.web.plan_forms import csrf_checked
from interfaces.web.rendering import render

router = APIRouter(include_in_schema=False)

DONE = {
    "invited": "Invited: colleagues can add them to a plan by name once they sign in.",
    "organisation": "Organisation saved: pages now show it by name.",
}


class Invitation(BaseModel):
    email: EmailAddress
    name: str = Field(min_length=1, max_length=200)
    role: str = Field(pattern="^(" + "|".join(LISTED_ROLES) + ")$")
    org: str | None = Field(default=None, max_length=200)


class OrganisationBody(BaseModel):
    org: str = Field(min_length=3, max_length=200, pattern=r"^[a-z0-9_]+:[a-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(pattern="^(" + "|".join(ORGANISATION_KINDS) + ")$")
    contact: str | None = Field(default=None, max_length=200)


def _page(
    request: Request,
    caller: Caller,
    q: str = "",
    *,
    done: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> Response:
    if not access.may_search_directory(caller):
        raise forbidden("The directory is for staff who plan support.")
    directory = planning_of(request).people.directory()
    return render(
        request,
        "directory.html",
        {
            "caller": caller,
            "q": q,
            "people": directory.find_people(q),
            "organisations": directory.find_organisations(q),
            "org_name": directory.name_of,
            "may_edit": access.may_edit_directory(caller),
            "role_options": [(r, wording.ROLES[r]) for r in LISTED_ROLES],
            "kind_options": list(ORGANISATION_KINDS.items()),
            "kinds": ORGANISATION_KINDS,
            "notice": DONE.get(done or ""),
            "errors": errors or {},
            "values": values or {},
            "form_key": lambda: uuid4().hex,
        },
        422 if errors else 200,
    )


@router.get("/directory")
def directory_page(request: Request, q: str = "", done: str | None = None) -> Response:
    return _page(request, signed_in(request), q.strip()[:200], done=done)


def _fields(form: FormData, names: tuple[str, ...]) -> dict[str, str | None]:
    return {n: (v.strip() or None) if isinstance(v := form.get(n), str) else None for n in names}


async def _write(request: Request, name: str, model: type[BaseModel], change: Any) -> Response:
    caller, form = await csrf_checked(request)
    if not access.may_edit_directory(caller):
        raise forbidden("Lead professionals and authority officers keep the directory.")
    typed = _fields(form, tuple(model.model_fields))
    try:
        body = model.model_validate(typed)
    except ValidationError as e:
        return _page(request, caller, errors={name: explain(e)}, values={name: typed})
    people = planning_of(request).people
    try:
        await run_in_threadpool(change, people, body)
    except DirectoryBusyError:
        busy = "Others were saving to the directory at the same moment: try again."
        return _page(request, caller, errors={name: busy}, values={name: typed})
    return RedirectResponse(f"/directory?done={name}", status_code=303)


@router.post("/directory/people")
async def invite(request: Request) -> Response:
    return await _write(
        request,
        "invited",
        Invitation,
        lambda people, b: people.invite(str(b.email), b.name, b.role, b.org),
    )


@router.post("/directory/organisations")
async def record_organisation(request: Request) -> Response:
    return await _write(
        request,
        "organisation",
        OrganisationBody,
        lambda people, b: people.record_organisation(b.org, b.name, b.kind, b.contact),
    )
