from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from domain.events import EndProvision, PlanProvision, RecordDelivery
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import DeliveryCreate, ProvisionCreate, RemovalRequest, Written

router = APIRouter(prefix="/api/plans/{plan_id}/provisions", tags=["provision"])


@router.post("", status_code=201, response_model=Written)
def plan_provision(plan_id: UUID, body: ProvisionCreate, write: WriterDep) -> dict:
    """Plan a strategy, intervention, equipment or curriculum change (event
    ProvisionPlanned); answers {provision_id, version}."""
    return write(plan_id, body.to(PlanProvision), body)


@router.post("/{provision_id}/deliveries", status_code=201, response_model=Written)
def record_delivery(
    plan_id: UUID, provision_id: UUID, body: DeliveryCreate, write: WriterDep
) -> dict:
    """What was delivered in a period, against what was planned (event ProvisionDelivered);
    it happened on `period_to` unless `occurred_on` says otherwise."""
    return write(plan_id, *delivery_command(provision_id, body))


def delivery_command(
    provision_id: UUID | None, body: DeliveryCreate
) -> tuple[RecordDelivery, DeliveryCreate]:
    """The delivery's command, and when it happened: on `period_to` unless `occurred_on`
    says otherwise."""
    command = RecordDelivery(
        provision_id=provision_id,
        sessions=body.sessions_delivered,
        sessions_missed=body.sessions_missed,
        period_from=body.period_from,
        note=body.note,
    )
    when = body if body.occurred_on else body.model_copy(update={"occurred_on": body.period_to})
    return command, when


@router.post("/{provision_id}/end", status_code=201, response_model=Written)
def end_provision(
    plan_id: UUID, provision_id: UUID, body: RemovalRequest, write: WriterDep
) -> dict:
    """The provision ends, with the reason (event ProvisionEnded)."""
    return write(plan_id, EndProvision(provision_id=provision_id), body)
