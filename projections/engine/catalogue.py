"""The read models, by name."""

from __future__ import annotations

from projections import outbox, plan_summaries, reports
from projections.engine.views import ReadModel


class UnknownReadModelError(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"No read model '{name}'; there are: {', '.join(MODELS)}.")


MODELS: dict[str, ReadModel] = {
    m.name: m for m in (plan_summaries.MODEL, reports.MODEL, outbox.MODEL)
}


def model(name: str) -> ReadModel:
    try:
        return MODELS[name]
    except KeyError:
        raise UnknownReadModelError(name) from None
