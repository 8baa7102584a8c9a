"""Chart data for the progress pages, and the geometry of their hand-written SVG.

The numbers a chart draws are the numbers its data table shows (and its data-*
attributes carry), so a reader without sight, and a test, reads the same picture.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain import events
from domain.calendar import today
from domain.plans import Plan
from domain.reviews import ReviewOutcome, review_on_time, review_outcome
from domain.values import ChronologyEntry, ChronologyKind, Progress, Wellbeing

LEVELS = {Progress.NOT_ACHIEVED: 0, Progress.PARTIALLY_ACHIEVED: 1, Progress.ACHIEVED: 2}
LEVEL_WORDS = ("Not achieved", "Partly achieved", "Achieved")
# Distinct in hue and lightness, each at least 3:1 against white (WCAG non-text contrast);
# every series also has its own marker shape, so colour is never the only cue.
SERIES_COLOURS = ("#1d4ed8", "#b45309", "#047857", "#9d174d", "#4c1d95", "#374151")
MARKERS = ("circle", "square", "diamond", "triangle")

# The plot area inside the SVG's view box.
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 130, 50, 20, 50


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    on: date
    level: int
    words: str
    review: bool


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    marker: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )


@dataclass(frozen=True)
class OutcomeChart:
    outcome_id: str
    outcome_text: str
    area: str
    dates: list[date]
    review_dates: set[date]
    series: list[Series]
    x_ticks: list[tuple[float, date]]
    y_ticks: list[tuple[float, str]]

    def cell(self, series: Series, on: date) -> str:
        point = next((p for p in series.points if p.on == on), None)
        return point.words if point else ""


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if count == 1 else span * index / (count - 1))


def _y(level: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (2 - level) / 2


def outcome_charts(plan: Plan) -> list[OutcomeChart]:
    """Per outcome: each target's evaluations across the dates they were made."""
    review_dates = {r.held_on for r in plan.reviews}
    charts = []
    numbers = plan.target_numbers()
    for outcome in plan.outcomes.values():
        targets = plan.targets_of(outcome.id)
        dates = sorted({e.occurred_on for t in targets for e in t.evaluations})
        series = []
        for n, target in enumerate(targets):
            latest: dict[date, Any] = {e.occurred_on: e for e in target.evaluations}
            points = [
                Point(
                    x=_x(dates.index(on), len(dates)),
                    y=_y(LEVELS[e.progress]),
                    on=on,
                    level=LEVELS[e.progress],
                    words=LEVEL_WORDS[LEVELS[e.progress]],
                    review=e.review_id is not None,
                )
                for on, e in sorted(latest.items())
            ]
            series.append(
                Series(
                    key=str(target.id),
                    label=f"Target {numbers[target.id]}: {target.text}",
                    colour=SERIES_COLOURS[n % len(SERIES_COLOURS)],
                    marker=MARKERS[n % len(MARKERS)],
                    points=points,
                )
            )
        charts.append(
            OutcomeChart(
                outcome_id=str(outcome.id),
                outcome_text=outcome.text,
                area=outcome.area,
                dates=dates,
                review_dates=review_dates,
                series=series,
                x_ticks=[(_x(i, len(dates)), d) for i, d in enumerate(dates)],
                y_ticks=[(_y(level), words) for level, words in enumerate(LEVEL_WORDS)],
            )
        )
    return charts


# -- reviews on time, by month (managers) --------------------------------------------------


@dataclass(frozen=True)
class MonthBar:
    month: str  # YYYY-MM
    on_time: int
    late: int
    missed: int  # fell due that month, still not held today

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.missed


def review_outcomes(history: list[Any]) -> list[tuple[date, str]]:
    """(month's anchor date, on_time | late | missed) for each review a plan owed.

    Judged by domain.reviews against the date set for the review when it was held (by
    the plan's opening, a scheduling, or the review before). A date that has passed with
    no review held counts as missed, in the month it fell due.
    """
    due: date | None = None
    found: list[tuple[date, str]] = []
    for event in history:  # Planning.review_dates: these four kinds only
        if isinstance(event, events.PlanOpened | events.ReviewScheduled):
            due = event.next_review_on
        elif isinstance(event, events.ReviewHeld):
            on_time = review_on_time(due, event.held_on)
            found.append((event.held_on, "on_time" if on_time else "late"))
            due = event.next_review_on
        elif isinstance(event, events.PlanClosed):
            due = None
    if review_outcome(due, None, today=today()) is ReviewOutcome.NOT_HELD:
        found.append((due, "missed"))
    return found


def months_back(count: int) -> list[str]:
    year, month = today().year, today().month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def reviews_by_month(plans: list[list[Any]], months: int = 12) -> list[MonthBar]:
    """Each plan's review dates (Planning.review_dates), counted by month."""
    window = months_back(months)
    counts: Counter[tuple[str, str]] = Counter()
    for history in plans:
        for on, outcome in review_outcomes(history):
            counts[(on.strftime("%Y-%m"), outcome)] += 1
    return [
        MonthBar(m, counts[(m, "on_time")], counts[(m, "late")], counts[(m, "missed")])
        for m in window
    ]


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    segments: list[tuple[str, float, float, int]]  # (kind, y, height, count)


def bar_geometry(bars: list[MonthBar]) -> tuple[list[Bar], list[tuple[float, int]]]:
    top = max([b.total for b in bars] + [1])
    span_x, span_y = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = span_x / max(len(bars), 1)
    shapes = []
    for i, bar in enumerate(bars):
        y_bottom = TOP + span_y
        segments = []
        for kind, count in (("on_time", bar.on_time), ("late", bar.late), ("missed", bar.missed)):
            height = span_y * count / top
            y_bottom -= height
            segments.append((kind, y_bottom, height, count))
        shapes.append(Bar(x=LEFT + i * slot + slot * 0.15, width=slot * 0.7, segments=segments))
    step = max(1, -(-top // 5))  # at most about five gridlines, whatever the counts
    ticks = [(TOP + span_y * (1 - n / top), n) for n in range(0, top + 1, step)]
    return shapes, ticks


# -- the Wellbeing Wheel --------------------------------------------------------------

WHEEL_SIZE = 320
_CENTRE, _OUTER, _INNER, _LABEL = 160.0, 150.0, 46.0, 100.0
# Lighter to darker as more of the plan touches an indicator; the figures are in each
# segment's words and in the table beside it, so the shade is never the only cue.
WHEEL_SHADES = ("#f3f4f6", "#dbeafe", "#93c5fd", "#60a5fa")


@dataclass(frozen=True)
class WheelSegment:
    indicator: str
    words: str
    path: str
    label_x: float
    label_y: float
    outcomes: tuple[str, ...]
    strengths: int
    concerns: int
    events: int
    need: str | None = None
    """What the assessment found under this indicator (the Child's Plan's assessment)."""

    @property
    def total(self) -> int:
        assessed = 1 if self.need else 0
        return len(self.outcomes) + self.strengths + self.concerns + self.events + assessed

    @property
    def shade(self) -> str:
        return WHEEL_SHADES[min(self.total, len(WHEEL_SHADES) - 1)]


def _on_circle(radius: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return (
        round(_CENTRE + radius * math.cos(angle), 1),
        round(_CENTRE + radius * math.sin(angle), 1),
    )


def wellbeing_wheel(plan: Plan, entries: list[ChronologyEntry]) -> list[WheelSegment]:
    """The plan read by SHANARRI indicator (GIRFEC's Wellbeing Wheel): per indicator, what
    the assessment found, the outcomes that serve it and the chronology's strengths,
    worries and events touching it."""
    assessment = plan.sections.get("assessment")
    needs = assessment.details if assessment is not None else {}
    segments = []
    for n, indicator in enumerate(Wellbeing):
        start, end = -90 + 45 * n, -90 + 45 * (n + 1)
        (x1, y1), (x2, y2) = _on_circle(_OUTER, start), _on_circle(_OUTER, end)
        (x3, y3), (x4, y4) = _on_circle(_INNER, end), _on_circle(_INNER, start)
        label_x, label_y = _on_circle(_LABEL, (start + end) / 2)
        kinds = Counter(e.kind for e in entries if indicator in e.wellbeing)
        segments.append(
            WheelSegment(
                indicator=indicator.value,
                words=indicator.value.capitalize(),
                path=(
                    f"M{x1},{y1} A{_OUTER},{_OUTER} 0 0 1 {x2},{y2} L{x3},{y3} "
                    f"A{_INNER},{_INNER} 0 0 0 {x4},{y4} Z"
                ),
                label_x=label_x,
                label_y=label_y,
                outcomes=tuple(o.text for o in plan.outcomes.values() if indicator in o.wellbeing),
                strengths=kinds[ChronologyKind.STRENGTH],
                concerns=kinds[ChronologyKind.CONCERN],
                events=kinds[ChronologyKind.EVENT],
                need=needs.get(indicator.value),
            )
        )
    return segments


# -- a report's horizontal bars (the analysts' reports) -------------------------------

HBAR_WIDTH = 400
"""The view box's width: 13-unit words in 400 units stay 11 px or more on a 390 px phone
(the drawing shrinks to the screen, not scrolls), so each row's words sit above its bars,
at the left, across the whole width."""
_HB_DIGIT = 7.5  # about the width of a 13-unit figure's character, with room to spare
_HB_LINE = 16  # a line of 13-unit words
_HB_BAR, _HB_GROUPED_BAR, _HB_BAR_GAP = 16.0, 13.0, 3.0
_HB_ROW_GAP = 14
_HB_HEAD = 22  # the line naming what the rows are
_HB_CHARS = 48  # a line of words at most this many characters long
_HB_SEPARATOR = 2.0  # white between a stacked bar's parts, so each meets white at 3:1


@dataclass(frozen=True)
class HBarShape:
    series: int  # which of the chart's measures (its value columns)
    x: float
    y: float
    width: float
    height: float
    value: Any  # as the table shows it; None is drawn zero-length


@dataclass(frozen=True)
class HBarRow:
    label: str
    lines: list[tuple[float, str]]  # (baseline y, words): the label, wrapped
    shapes: list[HBarShape]
    figures: list[tuple[float, float, str]]  # (x, baseline y, words) after the bar(s)


@dataclass(frozen=True)
class HBarChart:
    width: int
    height: float
    head_y: float
    stacked: bool
    rows: list[HBarRow]


def _wrapped(words: str, chars: int = _HB_CHARS) -> list[str]:
    lines: list[str] = []
    for word in words.split():
        while len(word) > chars:  # a code with no spaces in it, cut where it must be
            lines, word = [*lines, word[:chars]], word[chars:]
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _amount(value: Any) -> float:
    return 0.0 if value is None else max(float(value), 0.0)


def hbar_chart(
    labels: list[str],
    values: list[list[Any]],
    *,
    words: Callable[[Any], str],
    stacked: bool = False,
    top: float | None = None,
) -> HBarChart:
    """One row per label, its values as bars from the left: side by side (one under the
    other) or, stacked, end to end. The scale runs to `top` (100 for a percentage) or to
    the largest bar. `words` writes a value (or a stacked row's total) as its figure."""
    ends = [sum(map(_amount, row)) if stacked else max(map(_amount, row)) for row in values]
    figures = [words(end) for end in ends] + [words(v) for row in values for v in row]
    longest = max(map(len, figures), default=0)
    span = HBAR_WIDTH - max(6 + _HB_DIGIT * (longest + 1), 40.0)  # the figure after the bar
    scale = span / (top or max([*ends, 0.0]) or 1.0)
    rows, y = [], float(_HB_HEAD)
    for label, row in zip(labels, values, strict=True):
        lines = _wrapped(label)
        placed = [(y + 13 + _HB_LINE * i, line) for i, line in enumerate(lines)]
        y += _HB_LINE * len(lines) + 4
        shapes, figures = [], []
        if stacked:
            x = 0.0
            for n, value in enumerate(row):
                width = _amount(value) * scale
                gap = _HB_SEPARATOR if x > 0 and width > 0 else 0.0
                shapes.append(HBarShape(n, x + gap, y, max(width - gap, 0.0), _HB_BAR, value))
                x += width
            known = [_amount(v) for v in row if v is not None]
            total = sum(known) if known else None
            figures.append((x + 6, y + _HB_BAR / 2 + 4.5, words(total)))
            y += _HB_BAR
        else:
            height = _HB_BAR if len(row) == 1 else _HB_GROUPED_BAR
            for n, value in enumerate(row):
                width = _amount(value) * scale
                shapes.append(HBarShape(n, 0.0, y, width, height, value))
                figures.append((width + 6, y + height / 2 + 4.5, words(value)))
                y += height + _HB_BAR_GAP
            y -= _HB_BAR_GAP
        rows.append(HBarRow(label, placed, shapes, figures))
        y += _HB_ROW_GAP
    return HBarChart(HBAR_WIDTH, y, 14.0, stacked, rows)
