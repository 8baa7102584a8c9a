"""Reports for analysts: aggregates only, never a name, a date of birth or free text.

The view keeps a small state row per plan (type, org, stage, status, review count) and
facts that the reports count: review cycles, planned provision, target evaluations made
at reviews, stage changes. All come from the pure fold in fold.py; view.py names the
reports, postgres.py and sqlite.py answer them, csp_reviews.py judges review cycles,
table.py is a report's shape and national.py sums authorities' reports.
"""

from __future__ import annotations

from projections.engine.store import Store
from projections.engine.views import ReadModel
from projections.reports.postgres import PostgresReportsView
from projections.reports.sqlite import SQLiteReportsView
from projections.reports.view import ReportsProjection

MODEL = ReadModel(
    ReportsProjection, {Store.POSTGRES: PostgresReportsView, Store.SQLITE: SQLiteReportsView}
)
