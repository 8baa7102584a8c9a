"""What each person chooses to be told by email."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from domain.notifications import Delivery
from interfaces.web.guard import PageError, signed_in
from interfaces.web.mail_record import outbox_of
from interfaces.web.plan_forms import csrf_checked
from interfaces.web.rendering import render

router = APIRouter(include_in_schema=False)

CHOICES = {
    Delivery.IMMEDIATELY: "Each change as it happens",
    Delivery.DAILY: "One message a day, with every change since the last",
    Delivery.NEVER: "Nothing (you will still be sent statutory notices)",
}


@router.get("/settings/notifications")
def notifications(request: Request, saved: bool = False) -> Response:
    caller = signed_in(request)
    choice, last = outbox_of(request).preference(caller.sub)
    return render(
        request,
        "notifications.html",
        {"caller": caller, "choices": CHOICES, "choice": choice, "saved": saved, "last": last},
    )


@router.post("/settings/notifications")
async def choose(request: Request) -> Response:
    caller, form = await csrf_checked(request)
    raw = form.get("delivery")
    try:
        delivery = Delivery(raw if isinstance(raw, str) else "")
    except ValueError:
        raise PageError(
            422, "Not saved", "Choose what you would like to receive, then save."
        ) from None
    await run_in_threadpool(outbox_of(request).set_preference, caller.sub, delivery)
    return RedirectResponse("/settings/notifications?saved=true", status_code=303)
