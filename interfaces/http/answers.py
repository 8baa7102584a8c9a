"""Shaping answers: what every write returns, and a plan with its ETag."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Response

from application.planning import Planning, Written
from domain.plans import Plan
from interfaces.plan_text import plan_as_dict


class FastJSON(Response):
    """JSON for bodies already made JSON-safe (plan_as_dict): skips re-validation, which
    costs more than the read itself. The response_model still documents the shape."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def written(response: Response, result: Written) -> dict[str, Any]:
    """The plan's version after the write and the id of what it created."""
    response.headers["ETag"] = f'"{result.version}"'
    if result.position is not None:
        # Lets a client (or a test) wait for read models to include this write.
        response.headers["Planledger-Position"] = str(result.position)
    return {"version": result.version, "plan_id": str(result.plan_id), **result.created}


def plan_body(
    plan: Plan, planning: Planning, status_code: int = 200, headers: dict[str, str] | None = None
) -> FastJSON:
    return FastJSON(
        plan_as_dict(plan, planning.stages),
        status_code=status_code,
        headers={"ETag": f'"{plan.version}"', **(headers or {})},
    )
