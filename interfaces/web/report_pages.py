"""The analysts' reports on pages: each report's table, in words, for the analyst's own
authority or one school or service, and its CSV. The same read models as the API
(GET /api/reports): aggregates only, never a name or a date of birth."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from domain import access
from domain.calendar import today
from interfaces import wording
from interfaces.http.deps import planning_of
from interfaces.http.read_models import get_read_models
from interfaces.plan_text import FUNDING_STREAMS
from interfaces.web.charts import SERIES_COLOURS, HBarChart, hbar_chart
from interfaces.web.guard import PageError, forbidden, signed_in
from interfaces.web.rendering import render
from projections.engine.consistency import ReadModelBehindError
from projections.reports.table import Table
from projections.reports.view import REPORTS

router = APIRouter(include_in_schema=False)

COLUMNS = {
    "plan_type": "Plan",
    "stage": "Stage",
    "open": "Open",
    "closed": "Closed",
    "org": "School or service",
    "year": "Year due",
    "held_on_time": "Held on time",
    "held_late": "Held late",
    "not_held": "Not held",
    "percent_on_time": "% on time",
    "kind": "Kind of provision",
    "funding_stream": "Funding stream",
    "provisions": "Provisions",
    "costed": "With a cost",
    "total_cost": "Cost a year (£)",
    "sessions_planned": "Sessions planned",
    "sessions_delivered": "Delivered",
    "sessions_missed": "Missed",
    "review_number": "Review",
    "achieved": "Achieved",
    "partially_achieved": "Partly achieved",
    "not_achieved": "Not achieved",
    "evaluations": "Targets evaluated",
    "stage_changes": "Stage changes",
    "plans": "Plans",
}

VALUES: dict[str, dict[str, str]] = {
    "plan_type": wording.PLAN_TYPES,
    "kind": wording.PROVISION_KINDS,
    "funding_stream": {**FUNDING_STREAMS, "not_given": "Not stated"},
    "review_number": {"None": "Between reviews"},
}
"""The words for the codes a report's rows hold."""


@dataclass(frozen=True)
class ChartOf:
    """What a report's chart draws: a row of bars for each of the table's rows, named by
    its label columns, one bar for each value column (side by side, or end to end when
    `stacked`), in `colours`. `unit` writes the figures: "£" money, "%" a percentage,
    which also fixes the scale at 100; otherwise a count. `head` names what the rows are,
    if the label columns' own names do not."""

    says: str
    labels: tuple[str, ...]
    values: tuple[str, ...]
    stacked: bool = False
    unit: str = ""
    colours: tuple[str, ...] = SERIES_COLOURS
    head: str = ""

    def figure(self, value: Any) -> str:
        if value is None:
            return "none"
        if self.unit == "£":
            return f"£{Decimal(str(value)):,.2f}"
        number = float(value)
        written = f"{number:,.0f}" if number.is_integer() else f"{number:,}"
        return written + ("%" if self.unit == "%" else "")


# Each at least 3:1 against white (WCAG 1.4.11), and a stacked bar's parts are parted by
# white; the legend and the table say which is which, so colour is never the only cue.
PROGRESS_COLOURS = ("#047857", "#b45309", "#b91c1c")
DELIVERY_COLOURS = ("#6b7280", "#1d4ed8")

CHARTS: dict[str, ChartOf] = {
    "plans-by-type-and-stage": ChartOf(
        "Open plans, by plan and stage", ("plan_type", "stage"), ("open",)
    ),
    "csp-reviews": ChartOf(
        "Per cent of reviews held on time, by school or service and the year they fell due",
        ("org", "year"),
        ("percent_on_time",),
        unit="%",
    ),
    "provision-costs": ChartOf(
        "Planned cost a year, by kind of provision", ("kind",), ("total_cost",), unit="£"
    ),
    "provision-funding": ChartOf(
        "Planned cost a year, by funding stream", ("funding_stream",), ("total_cost",), unit="£"
    ),
    "provision-delivery": ChartOf(
        "Sessions planned and delivered, by school or service and kind",
        ("org", "kind"),
        ("sessions_planned", "sessions_delivered"),
        colours=DELIVERY_COLOURS,
    ),
    "target-progress": ChartOf(
        "Targets achieved, partly achieved and not achieved at each review",
        ("review_number",),
        ("achieved", "partially_achieved", "not_achieved"),
        stacked=True,
        colours=PROGRESS_COLOURS,
    ),
    "stage-changes": ChartOf("Stage changes, by year", ("year",), ("stage_changes",), head="Year"),
}
"""The measure each report's chart draws; the table beside it holds the same figures."""


def _words(column: str, value: Any) -> Any:
    return VALUES.get(column, {}).get(str(value), value)


def _chart(name: str, items: list[dict[str, Any]]) -> dict[str, Any] | None:
    choice = CHARTS.get(name)
    if choice is None or not items:
        return None
    labels = [
        ", ".join(
            "none" if _words(c, item[c]) is None else str(_words(c, item[c])) for c in choice.labels
        )
        for item in items
    ]
    drawing: HBarChart = hbar_chart(
        labels,
        [[item[c] for c in choice.values] for item in items],
        words=choice.figure,
        stacked=choice.stacked,
        top=100.0 if choice.unit == "%" else None,
    )
    return {
        "name": "report",
        "says": choice.says,
        "head": choice.head or ", ".join(COLUMNS.get(c, c) for c in choice.labels),
        "series": [
            {"column": COLUMNS.get(c, c), "colour": choice.colours[n % len(choice.colours)]}
            for n, c in enumerate(choice.values)
        ],
        "drawing": drawing,
    }


def _readable(name: str) -> None:
    if name not in REPORTS:
        raise PageError(404, "Not found", "There is no such report.")


def _table(request: Request, name: str, org: str | None) -> Table:
    caller = signed_in(request)
    if not access.may_read_reports(caller):
        raise forbidden("Reports are for analysts.")
    _readable(name)
    try:
        return get_read_models(request).report(name, today=today(), org=org or None)
    except ReadModelBehindError:
        raise PageError(
            503, "Catching up", "The reports are catching up: reload the page in a moment."
        ) from None


@router.get("/reports")
def reports(request: Request) -> Response:
    caller = signed_in(request)
    if not access.may_read_reports(caller):
        raise forbidden("Reports are for analysts.")
    return render(
        request,
        "reports.html",
        {
            "caller": caller,
            "reports": REPORTS,
            "name": None,
            "title": None,
            "table": None,
            "chart": None,
        },
    )


@router.get("/reports/{name}.csv")
def report_csv(request: Request, name: str, org: str | None = None) -> Response:
    table = _table(request, name, org)
    return Response(
        table.as_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/reports/{name}")
def report(request: Request, name: str, org: str | None = None) -> Response:
    table = _table(request, name, org)
    directory = planning_of(request).people.directory()
    # Schools and services by name (the directory's): organisations are no one's personal data.
    items = [
        {**item, "org": directory.name_of(item["org"]) or item["org"]} if "org" in item else item
        for item in table.items()
    ]
    rows: list[list[Any]] = [
        [_words(column, value) for column, value in item.items()] for item in items
    ]
    return render(
        request,
        "reports.html",
        {
            "caller": signed_in(request),
            "reports": REPORTS,
            "name": name,
            "title": REPORTS[name],
            "org": org or "",
            "org_options": [(o.org, o.name) for o in directory.find_organisations()],
            "table": {"columns": [COLUMNS.get(c, c) for c in table.columns], "rows": rows},
            "chart": _chart(name, items),
        },
    )
