"""Reports for a nation: each authority's report tables (from its own read models, in its
own store), summed row by row. Aggregates in, aggregates out: no plan is read here.

Rows with the same key (e.g. plan type and stage) are added column by column; shares are
worked out again from the summed counts, never averaged. With by_authority, each
authority's rows are kept apart under an `authority` column instead (the per-authority
figures s.27A of the ASL Act asks Ministers to publish, DOMAIN.md section 6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from projections.reports.csp_reviews import on_time_share
from projections.reports.table import Table
from projections.reports.view import REPORTS, UnknownReportError

KEYS: dict[str, tuple[str, ...]] = {
    "plans-by-type-and-stage": ("plan_type", "stage"),
    "csp-reviews": ("org", "year"),
    "provision-costs": ("kind",),
    "provision-funding": ("funding_stream",),
    "provision-delivery": ("org", "kind"),
    "target-progress": ("review_number",),
    "stage-changes": ("year",),
}
"""The columns that say what a row counts; every other column is a count or a sum,
except the derived ones below. Every report in REPORTS must be listed."""

DERIVED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "percent_on_time": lambda r: on_time_share(r["held_on_time"], r["held_late"], r["not_held"]),
}


def national(name: str, tables: Mapping[str, Table], *, by_authority: bool = False) -> Table:
    """One table from each authority's table of the same report."""
    if name not in REPORTS or name not in KEYS:
        raise UnknownReportError(name)
    columns = _columns(name, tables)
    if by_authority:
        rows = [
            (authority, *row) for authority, table in sorted(tables.items()) for row in table.rows
        ]
        return Table(name, ("authority", *columns), rows)
    keys = KEYS[name]
    summed: dict[tuple[Any, ...], dict[str, Any]] = {}
    for table in tables.values():
        for row in table.rows:
            values = dict(zip(columns, row, strict=True))
            key = tuple(values[k] for k in keys)
            total = summed.setdefault(key, {k: values[k] for k in keys})
            for column in columns:
                if column not in keys and column not in DERIVED:
                    total[column] = _add(total.get(column), values[column])
    rows = []
    for key in sorted(summed, key=_order):
        total = summed[key]
        for column, derive in DERIVED.items():
            if column in columns:
                total[column] = derive(total)
        rows.append(tuple(total[c] for c in columns))
    return Table(name, columns, rows)


def _columns(name: str, tables: Mapping[str, Table]) -> tuple[str, ...]:
    shapes = {table.columns for table in tables.values()}
    if len(shapes) > 1:  # every tenant runs the same code; a mix means a half-done upgrade
        msg = f"The authorities' '{name}' reports have different columns: {sorted(shapes)}"
        raise ValueError(msg)
    if not shapes:
        msg = f"No authority's '{name}' report to sum"
        raise ValueError(msg)
    return shapes.pop()


def _add(total: Any, value: Any) -> Any:
    if value is None:
        return total
    if total is None:
        return value
    if isinstance(total, Decimal) or isinstance(value, Decimal):
        return Decimal(total) + Decimal(value)  # money stays exact
    return total + value


def _order(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    return tuple((part is None, "" if part is None else part) for part in key)
