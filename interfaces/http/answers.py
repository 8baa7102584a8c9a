"""Shaping answers: what every write returns, and a plan with its ETag."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from application.planning import Planning, Written
from domain.plans import Plan
from interfaces.plan_text import plan_as_dict


def written(response: Response, result: Written) -> dict[str, Any]:
    """The plan's version after the write and the id of what it created."""
    response.headers["ETag"] = f'"{result.version}"'
    if result.position is not None:
        # Lets a client (or a test) wait for read models to include this write.
        response.headers["Planledger-Position"] = str(result.position)
    return {"version": result.version, "plan_id": str(result.plan_id), **result.created}


def plan_body(response: Response, plan: Plan, planning: Planning) -> dict[str, Any]:
    response.headers["ETag"] = f'"{plan.version}"'
    return plan_as_dict(plan, planning.stages)
