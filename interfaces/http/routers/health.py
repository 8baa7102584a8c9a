from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """The database answers (with tenants: every authority's)."""
    # Not PlanningDep: with tenants that needs a caller, and a health check has none.
    tenants = request.app.state.tenants
    stores = [request.app.state.planning] if tenants is None else [t.planning for t in tenants]
    try:
        for planning in stores:
            planning.recorder.max_notification_id()
    except Exception:
        return JSONResponse(
            {"status": "unavailable"}, status_code=503, headers={"Retry-After": "1"}
        )
    return JSONResponse({"status": "ready"})
