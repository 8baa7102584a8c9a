"""The provision map on a page and as CSV: domain.provision_map over the plans the caller
may map (queries.plans_for_map). The children named on it are reads of their plans, and
written to each plan's access log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from domain import access
from domain.calendar import today
from domain.provision_map import MapFilter, MapRow, ProvisionMap, provision_map
from domain.values import FundingStream, Progress, ProvisionKind
from interfaces import wording
from interfaces.http.deps import planning_of
from interfaces.plan_text import FUNDING_STREAMS
from interfaces.web import queries
from interfaces.web.charts import hbar_chart
from interfaces.web.guard import PageError, endpoint, forbidden, signed_in
from interfaces.web.rendering import render
from interfaces.web.report_pages import PROGRESS_COLOURS
from projections.reports.table import Table

router = APIRouter(include_in_schema=False)

SORTS = {
    "school": lambda r: (r.org, -r.cost, r.description.casefold()),
    "cost": lambda r: (-r.cost, r.description.casefold()),
    "pupils": lambda r: (-len(r.pupils), r.description.casefold()),
    "name": lambda r: (r.description.casefold(), r.org),
}


def _choice(enum: Any, raw: str | None, field: str) -> Any:
    if not raw:
        return None
    try:
        return enum(raw)
    except ValueError:
        raise PageError(
            400, "Not a choice", f"The {field} chosen is not one of the list."
        ) from None


def _map(request: Request, school: str | None, kind: str | None, stream: str | None) -> Any:
    caller = signed_in(request)
    if not access.may_see_provision_map(caller):
        raise forbidden("The provision map is for those who plan and run the provision.")
    keep = MapFilter(
        org=school or None,
        kind=_choice(ProvisionKind, kind, "kind"),
        funding_stream=_choice(FundingStream, stream, "funding stream"),
    )
    plans = queries.plans_for_map(request, caller)
    mapped = provision_map(plans, today(), keep)
    named = {p.plan_id for row in mapped.rows for p in row.named}
    planning_of(request).record_reads(named, caller.actor(), endpoint(request))
    schools = sorted({plan.org for plan, _ in plans})
    return caller, mapped, schools


@router.get("/provision-map")
def map_page(
    request: Request,
    school: str | None = None,
    kind: str | None = None,
    funding_stream: str | None = None,
    sort: str = "school",
) -> Response:
    caller, mapped, schools = _map(request, school, kind, funding_stream)
    rows = sorted(mapped.rows, key=SORTS.get(sort, SORTS["school"]))
    impact = impact_by_intervention(mapped)
    return render(
        request,
        "provision_map.html",
        {
            "caller": caller,
            "map": mapped,
            "rows": rows,
            "schools": schools,
            "kinds": wording.PROVISION_KINDS,
            "impact": impact,
            "impact_by_term": impact_by_term(mapped),
            "impact_chart": _impact_chart(impact) if impact else None,
            "streams": FUNDING_STREAMS,
            "filters": {
                "school": school or "",
                "kind": kind or "",
                "funding_stream": funding_stream or "",
                "sort": sort,
            },
        },
    )


OUTCOMES = (Progress.ACHIEVED, Progress.PARTIALLY_ACHIEVED, Progress.NOT_ACHIEVED)


def impact_by_term(mapped: ProvisionMap) -> list[tuple[str, str, list[int]]]:
    """Each intervention's evaluations of the targets it serves, term by term: achieved,
    partly, not yet."""
    found: dict[tuple[str, str], tuple[str, list[int]]] = {}
    for row in mapped.rows:
        key = " ".join(row.description.casefold().split())
        for term, counts in row.by_term.items():
            name, sums = found.get((key, term), (row.description, [0, 0, 0]))
            found[(key, term)] = (
                name,
                [t + counts[p] for t, p in zip(sums, OUTCOMES, strict=True)],
            )
    return [(name, term, sums) for (_, term), (name, sums) in sorted(found.items())]


def impact_by_intervention(mapped: ProvisionMap) -> list[tuple[str, int, list[int]]]:
    """Each intervention (by its description, across schools) with the pupils who have it
    and the latest evaluation of the targets it serves: achieved, partly, not yet."""
    found: dict[str, tuple[str, int, list[int]]] = {}
    for row in mapped.rows:
        key = " ".join(row.description.casefold().split())
        name, pupils, counts = found.get(key, (row.description, 0, [0, 0, 0]))
        found[key] = (
            name,
            pupils + len(row.pupils),
            [c + row.outcomes[p] for c, p in zip(counts, OUTCOMES, strict=True)],
        )
    evaluated = [entry for entry in found.values() if sum(entry[2])]
    return sorted(evaluated, key=lambda e: (-sum(e[2]), e[0].casefold()))


def _impact_chart(impact: list[tuple[str, int, list[int]]]) -> dict[str, Any]:
    return {
        "name": "impact",
        "says": "For each intervention, its pupils' targets by their latest evaluation",
        "head": "Targets: achieved, partly, not yet",
        "series": [
            {"column": wording.PROGRESS[p.value], "colour": colour}
            for p, colour in zip(OUTCOMES, PROGRESS_COLOURS, strict=True)
        ],
        "drawing": hbar_chart(
            [name for name, _, _ in impact],
            [counts for _, _, counts in impact],
            words=lambda n: f"{n:g}",
            stacked=True,
        ),
    }


COLUMNS = (
    "School or service",
    "Kind",
    "Provision",
    "Staff",
    "Funding stream",
    "Pupils",
    "Named pupils",
    "Pupil hours a week",
    "Cost a year (£)",
    "Cost per pupil (£)",
    "Sessions delivered",
    "Sessions planned",
    "Targets achieved",
    "Partly achieved",
    "Not achieved",
)


def _csv_row(row: MapRow) -> list[Any]:
    return [
        row.org,
        wording.PROVISION_KINDS.get(row.kind.value, row.kind.value),
        row.description,
        row.staff or "",
        FUNDING_STREAMS.get(row.funding_stream.value, "") if row.funding_stream else "",
        len(row.pupils),
        "; ".join(p.name or "" for p in row.named),
        row.pupil_hours_per_week,
        row.cost,
        row.cost_per_pupil if row.cost_per_pupil is not None else "",
        row.sessions_delivered,
        row.sessions_planned,
        *(row.outcomes[p] for p in OUTCOMES),
    ]


def map_table(mapped: ProvisionMap) -> Table:
    """The map as a report table: its CSV quotes what a spreadsheet would run."""
    return Table("provision-map", COLUMNS, [tuple(_csv_row(row)) for row in mapped.rows])


@router.get("/provision-map.csv")
def map_csv(
    request: Request,
    school: str | None = None,
    kind: str | None = None,
    funding_stream: str | None = None,
) -> Response:
    _, mapped, _ = _map(request, school, kind, funding_stream)
    return Response(
        map_table(mapped).as_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="provision-map.csv"'},
    )
