"""What each person chooses to be told by email."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from domain.access import Caller
from domain.notifications import Delivery, Preference
from domain.values import EMAIL_ADDRESS
from interfaces.web.guard import signed_in
from interfaces.web.mail_record import outbox_of
from interfaces.web.plan_forms import csrf_checked
from interfaces.web.rendering import render

router = APIRouter(include_in_schema=False)

CHOICES = {
    Delivery.IMMEDIATELY: "Each change as it happens",
    Delivery.DAILY: "One message a day, with every change since the last",
    Delivery.NEVER: "Nothing (you will still be sent statutory notices)",
}


def _page(
    request: Request,
    caller: Caller,
    chosen: Preference,
    *,
    saved: bool = False,
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "notifications.html",
        {
            "caller": caller,
            "choices": CHOICES,
            "chosen": chosen,
            "saved": saved,
            "errors": errors or {},
        },
        422 if errors else 200,
    )


@router.get("/settings/notifications")
def notifications(request: Request, saved: bool = False) -> Response:
    caller = signed_in(request)
    return _page(request, caller, outbox_of(request).preference(caller.sub), saved=saved)


@router.post("/settings/notifications")
async def choose(request: Request) -> Response:
    caller, form = await csrf_checked(request)
    raw, typed = form.get("delivery"), form.get("address")
    address = typed.strip() if isinstance(typed, str) and typed.strip() else None
    errors = {}
    try:
        delivery = Delivery(raw if isinstance(raw, str) else "")
    except ValueError:
        delivery = Delivery.IMMEDIATELY
        errors["delivery"] = "Choose what you would like to receive."
    if address is not None and (len(address) > 254 or not re.fullmatch(EMAIL_ADDRESS, address)):
        errors["address"] = "Your email address must look like name@example.org."
    if errors:
        return _page(request, caller, Preference(delivery, address), errors=errors)
    await run_in_threadpool(outbox_of(request).set_preference, caller.sub, delivery, address)
    return RedirectResponse("/settings/notifications?saved=true", status_code=303)
