"""The csp-reviews report: each review cycle judged by domain.reviews, counted by org and
the year the review fell due. Both stores hand their cycles over alike, so that the rule
is applied here, once, and not restated in each store's SQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from domain.reviews import ReviewOutcome, review_outcome
from projections.reports.table import Table

COLUMNS = ("org", "year", "held_on_time", "held_late", "not_held", "percent_on_time")

Cycles = Iterable[tuple[str, date, date | None, date | None, int]]
"""(org, due_on, held_on, closed_on, how many such cycles), ordered by org then due_on."""


def csp_reviews(cycles: Cycles, today: date) -> Table:
    """One row per org and year with a review that fell due, in the cycles' order."""
    counted: dict[tuple[str, int], Counter[ReviewOutcome]] = {}
    for org, due_on, held_on, closed_on, n in cycles:
        outcome = review_outcome(due_on, held_on, today=today, ended_on=closed_on)
        if outcome is not None:
            counted.setdefault((org, due_on.year), Counter())[outcome] += n
    rows = []
    for (org, year), outcomes in counted.items():
        numbers = (
            outcomes[ReviewOutcome.ON_TIME],
            outcomes[ReviewOutcome.LATE],
            outcomes[ReviewOutcome.NOT_HELD],
        )
        rows.append((org, year, *numbers, on_time_share(*numbers)))
    return Table("csp-reviews", COLUMNS, rows)


def on_time_share(on_time: int, late: int, not_held: int) -> float | None:
    """Per cent of reviews that fell due which were held by their due date."""
    fell_due = on_time + late + not_held
    return round(100 * on_time / fell_due, 1) if fell_due else None
