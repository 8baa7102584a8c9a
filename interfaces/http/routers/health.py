from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from interfaces.http.deps import PlanningDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(planning: PlanningDep) -> JSONResponse:
    """The database answers."""
    try:
        planning.recorder.max_notification_id()
    except Exception:  # noqa: BLE001 - any failure means not ready; the type is logged upstream
        return JSONResponse({"status": "unavailable"}, status_code=503,
                            headers={"Retry-After": "1"})
    return JSONResponse({"status": "ready"})
