"""GET /metrics for Prometheus: counts only, never a name, an id or a plan's text.

The mail counters are read from the outbox at each scrape rather than kept in this
process: the sender runs in another (the projector, or `planledger mail send-pending`),
and a message's delivery record, once sent or failed, never goes back, so the counts only
rise as a Prometheus counter must.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import CollectorRegistry

from domain.notifications import State
from projections.engine.reading import ReadModels

router = APIRouter(tags=["health"], include_in_schema=False)

FINAL = (State.SENT, State.FAILED)
"""The states a message ends in: counted as counters. The others come and go: gauges."""


class OutboxCollector:
    def __init__(self, stores: Iterable[tuple[str, ReadModels]]) -> None:
        self.stores = list(stores)

    def collect(self) -> Iterator[Metric]:
        done = CounterMetricFamily(
            "planledger_mail_messages",
            "Messages sent or failed for good",
            labels=["authority", "state"],
        )
        waiting = GaugeMetricFamily(
            "planledger_mail_waiting",
            "Messages not yet sent: never tried, held for a daily message, or to retry",
            labels=["authority", "state"],
        )
        for authority, read_models in self.stores:
            counts = read_models.view("outbox").counts()  # type: ignore[attr-defined]
            for state in FINAL:
                done.add_metric([authority, state.value], counts.get(state.value, 0))
            for state in ("pending", State.HELD.value, State.RETRY.value):
                waiting.add_metric([authority, state], counts.get(state, 0))
        yield done
        yield waiting


@router.get("/metrics")
def metrics(request: Request) -> Response:
    tenants = request.app.state.tenants
    if tenants is None:
        stores = [("", request.app.state.services.store.read_models)]
    else:
        stores = [(t.authority, t.read_models) for t in tenants]
    registry = CollectorRegistry(auto_describe=False)
    registry.register(OutboxCollector(stores))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
