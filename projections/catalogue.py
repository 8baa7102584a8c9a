"""The read models: each one's projection and its view class on each store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from projections.reports import ReportsProjection
from projections.reports_postgres import PostgresReportsView
from projections.reports_sqlite import SQLiteReportsView
from projections.summaries import PlanSummaryProjection
from projections.summaries_postgres import PostgresPlanSummaryView
from projections.summaries_sqlite import SQLitePlanSummaryView
from projections.views import ReadModelProjection, ReadModelView, versioned


class UnknownReadModelError(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"No read model '{name}'; there are: {', '.join(MODELS)}.")


@dataclass(frozen=True)
class ReadModel:
    projection: type[ReadModelProjection]
    postgres_view: type[ReadModelView]
    sqlite_view: type[ReadModelView]

    @property
    def name(self) -> str:
        return self.projection.name

    def projection_at(self, version: int) -> type[ReadModelProjection]:
        return versioned(self.projection, version)

    def view_class(self, datastore: Any) -> type[ReadModelView]:
        return self.postgres_view if isinstance(datastore, PostgresDatastore) else self.sqlite_view

    def open_view(self, datastore: PostgresDatastore | SQLiteDatastore, version: int) -> ReadModelView:
        """The view of one version on a datastore (its tables made if missing)."""
        view_class: Any = self.view_class(datastore)
        view = view_class(datastore, tracking_table_name=f"{self.name}_v{version}_tracking")
        view.create_table()
        return view


MODELS: dict[str, ReadModel] = {
    model.name: model
    for model in (
        ReadModel(PlanSummaryProjection, PostgresPlanSummaryView, SQLitePlanSummaryView),
        ReadModel(ReportsProjection, PostgresReportsView, SQLiteReportsView),
    )
}


def model(name: str) -> ReadModel:
    try:
        return MODELS[name]
    except KeyError:
        raise UnknownReadModelError(name) from None
