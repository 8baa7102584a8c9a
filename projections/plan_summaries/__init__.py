"""Plan summaries: one row per plan, for lists and for reviews due and overdue.

rows.py is the row, fold.py what each event changes in it, view.py what the view answers,
postgres.py and sqlite.py the view on each store.
"""

from __future__ import annotations

from projections.engine.store import Store
from projections.engine.views import ReadModel
from projections.plan_summaries.postgres import PostgresPlanSummaryView
from projections.plan_summaries.sqlite import SQLitePlanSummaryView
from projections.plan_summaries.view import PlanSummaryProjection

MODEL = ReadModel(
    PlanSummaryProjection,
    {Store.POSTGRES: PostgresPlanSummaryView, Store.SQLITE: SQLitePlanSummaryView},
)
