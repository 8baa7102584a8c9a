"""Import pupils from the school's MIS: a lead professional uploads the CSV, sees what would
change (a dry run, or every bad row), and confirms. The confirming form carries the file's
text back in a hidden field, and the import checks it all again before writing anything:
what is written is decided then, never by the page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from application.pupil_import import ImportReport, decode, import_pupils
from domain import access
from domain.access import Caller
from domain.pupil_import import COLUMNS, Format
from interfaces.http.deps import planning_of
from interfaces.http.read_models import get_read_models
from interfaces.pupils import FORMATS, line_words, school_plans, summary_words
from interfaces.web.forms import Refusal
from interfaces.web.guard import PageError, endpoint, forbidden, signed_in
from interfaces.web.plan_forms import csrf_checked
from interfaces.web.rendering import render
from projections.engine.consistency import ReadModelBehindError

router = APIRouter(include_in_schema=False)

MAX_BYTES = 600_000
"""About 3,000 pupils with two contacts each, more than the largest secondary's roll, and
well inside the app's request limit when sent back to confirm (Settings.max_body_bytes)."""


def _lead(caller: Caller) -> str:
    if not access.may_open_plans(caller) or caller.org is None:
        raise forbidden("Importing pupils is for a lead professional, under their own school.")
    return caller.org


def _page(
    request: Request,
    caller: Caller,
    *,
    fmt: str = "",
    report: ImportReport | None = None,
    text: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "import.html",
        {
            "caller": caller,
            "formats": list(FORMATS.items()),
            "columns": {FORMATS[f]: c for f, c in COLUMNS.items()},
            "fmt": fmt,
            "report": report,
            "summary": summary_words(report) if report and report.ok else "",
            "lines": [(line, line_words(line, dry_run=report.dry_run)) for line in report.lines]
            if report
            else [],
            "text": text,
            "max_characters": MAX_BYTES,
            "errors": {"import": Refusal(" ".join(errors.values()), errors)} if errors else {},
            "values": {"import": {"format": fmt}},
        },
        status_code,
    )


@router.get("/import")
def import_page(request: Request) -> Response:
    caller = signed_in(request)
    _lead(caller)
    return _page(request, caller)


@router.post("/import")
async def import_file(request: Request) -> Response:
    """Check the file uploaded (a dry run), or, confirmed, import the text it carried."""
    caller, form = await csrf_checked(request)
    _lead(caller)
    raw_format = form.get("format")
    fmt = raw_format if isinstance(raw_format, str) else ""
    applying = form.get("step") == "apply"
    problems: dict[str, str] = {}
    if fmt not in FORMATS:
        problems["format"] = "Choose the MIS the file came from."
    text = await _text(form, applying, problems)
    if problems or text is None:
        return _page(request, caller, fmt=fmt, errors=problems, status_code=422)
    report = await run_in_threadpool(_import, request, caller, text, Format(fmt), applying)
    status = 200 if report.ok else 422
    return _page(request, caller, fmt=fmt, report=report, text=text, status_code=status)


async def _text(form: FormData, applying: bool, problems: dict[str, str]) -> str | None:
    """The file's text: uploaded, or carried back by the confirming form."""
    text: str | None = None
    if applying:
        carried = form.get("csv")
        if isinstance(carried, str) and carried.strip():
            # A browser sends a textarea's lines ended CRLF, whatever the file had.
            text = carried.replace("\r\n", "\n")
    else:
        upload = form.get("file")
        content = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
        if len(content) > MAX_BYTES:
            problems["file"] = (
                f"The file is larger than {MAX_BYTES // 1000:,} kB: export the school in "
                "parts (a few year groups at a time) and import each."
            )
            return None
        text = decode(content) if content else None
        if content and text is None:
            problems["file"] = "The file is not UTF-8 text: save it from the MIS as CSV (UTF-8)."
            return None
    if text is None:
        problems["file"] = "Choose the CSV file exported from the MIS."
    elif len(text) > MAX_BYTES:
        problems["file"] = f"The file is larger than {MAX_BYTES // 1000:,} kB."
        return None
    return text


def _import(request: Request, caller: Caller, text: str, fmt: Format, applying: bool) -> Any:
    planning = planning_of(request)
    org = _lead(caller)
    try:
        existing = school_plans(planning, get_read_models(request).summaries(), caller, org)
    except ReadModelBehindError:
        raise PageError(
            503, "Catching up", "The plan lists are catching up: send the file again in a moment."
        ) from None
    return import_pupils(
        planning,
        caller,
        text,
        fmt,
        org,
        existing=existing,
        dry_run=not applying,
        via=endpoint(request),
    )
