"""Whether a review was on time: one rule for the statutory review clock (clocks.py), the
reports' count of CSP reviews and the managers' chart of reviews on time.

A review is on time if it is held on or before the day it falls due: that day itself is
still in time, as for every period in statutory.py. Which day that is depends on the
question: the statutory 12 months (statutory.review_due_on) for a CSP's clock and the
reports; the date the plan itself set for its next review, for the chart.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class ReviewOutcome(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    NOT_HELD = "not_held"
    """Its day passed with no review held, and the plan had not ended before it."""


def review_on_time(due_on: date | None, held_on: date) -> bool:
    """Held on or before the day it fell due. A review held when none was due is not late."""
    return due_on is None or held_on <= due_on


def review_outcome(
    due_on: date | None, held_on: date | None, *, today: date, ended_on: date | None = None
) -> ReviewOutcome | None:
    """How the review due on `due_on` went, as at `today`. None while its day has not
    passed, and when the plan ended (`ended_on`, no review held) on or before that day:
    then it never fell due. A plan that ended after the day, with no review, missed it."""
    if held_on is not None:
        return ReviewOutcome.ON_TIME if review_on_time(due_on, held_on) else ReviewOutcome.LATE
    if due_on is None:
        return None
    if ended_on is not None:
        return ReviewOutcome.NOT_HELD if ended_on > due_on else None
    return ReviewOutcome.NOT_HELD if due_on < today else None


IN_YEAR_MEETINGS = 3
"""SEND Code of Practice 0-25 (2015) 6.65: schools "should meet parents at least three
times each year" to set clear outcomes and review progress."""


def in_year_meetings_due(opened_on: date, held: list[date], today: date) -> tuple[int, int]:
    """(meetings held, meetings due by now) over the twelve months to `today`: one for
    each third of a year the plan has been open in that window, at most three. A SEN
    Support plan with fewer held than due is flagged."""
    start = max(opened_on, date(today.year - 1, today.month, min(today.day, 28)))
    thirds = ((today - start).days * IN_YEAR_MEETINGS) // 365
    due = min(IN_YEAR_MEETINGS, thirds)
    return sum(1 for d in held if start <= d <= today), due
