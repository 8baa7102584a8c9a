"""The read-model endpoints (issue 5), gathered so the app registers them in one line."""

from __future__ import annotations

from fastapi import APIRouter

from interfaces.http.routers import clocks, plan_lists, reports, review_lists

router = APIRouter()
for module in (plan_lists, review_lists, clocks, reports):
    router.include_router(module.router)
