"""Statutory clocks for one plan, read off its own events. Pure: no I/O, no "now".

`clocks(events, today)` takes the plan's events in order (as the event store returns
them) and the date to judge running clocks against, and says for each statutory duty
when its clock started, when it is due, when (and by which event) it stopped, and its
status. The periods and the rules behind them are in domain/statutory.py; every date
here is a calendar date the event says the thing happened (occurred_on).

Status:
- `running`: not stopped, and today is on or before the due date;
- `met`: stopped on or before the due date;
- `missed`: stopped after the due date, or still running after it;
- `deemed_refusal`: an early review request with no answer by its due date. The Act treats
  silence as a refusal (CSP Regulations reg 5A), which the family may refer to the
  tribunal: `reference_by` is the end of that window;
- `excepted`: past its due date, where a recorded exception lifts the time limit (SEND
  Regulations 2014 reg 10(4), reg 13(3)); the duty is then "as soon as practicable".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from domain.reviews import ReviewOutcome, review_outcome
from domain.statutory import (
    CSP_PREPARATION_CEILING_WEEKS,
    CSP_PREPARATION_WEEKS,
    CSP_REQUEST_ANSWER_WEEKS,
    CSP_REVIEW_COMPLETION_WEEKS,
    EARLY_REVIEW_ANSWER_EXTENDED_WEEKS,
    EARLY_REVIEW_ANSWER_WEEKS,
    EHCP_AMENDED_PLAN_WEEKS,
    EHCP_ASSESSMENT_DECISION_WEEKS,
    EHCP_FINAL_PLAN_WEEKS,
    EHCP_ISSUE_DECISION_WEEKS,
    EHCP_REVIEW_DECISION_WEEKS,
    EHCP_REVIEW_REPORT_WEEKS,
    CspNeed,
    CspRequestAnswer,
    EarlyReviewAnswer,
    EhcpAssessment,
    EhcpIssue,
    EhcpReviewDecision,
    ReviewKind,
    StatutoryState,
    add_weeks,
    completes_statutory_review,
    draft_representations_end,
    ehcp_review_due_on,
    reference_by,
    review_due_on,
)
from domain.values import PlanType


class ClockStatus(StrEnum):
    RUNNING = "running"
    MET = "met"
    MISSED = "missed"
    DEEMED_REFUSAL = "deemed_refusal"
    EXCEPTED = "excepted"


STATUTES = {
    "csp_request_answer": "CSP Regulations reg 4A (SSI 2010/149): 8 weeks to answer a request",
    "csp_preparation": "CSP Regulations reg 4: 16 weeks from the proposal, never beyond 24",
    "csp_review": "ASL (Scotland) Act 2004 s.10(2): 12 months",
    "csp_review_completion": "CSP Regulations reg 4: 12 weeks from the review proposal",
    "early_review_answer": "CSP Regulations reg 5A (SSI 2010/149): 4 weeks, or 12",
    "ehcp_assessment_decision": "SEND Regulations 2014 reg 5(1): 6 weeks",
    "ehcp_issue_decision": "SEND Regulations 2014 reg 10(1): 16 weeks",
    "ehcp_final_plan": "SEND Regulations 2014 reg 13(2): 20 weeks",
    "ehcp_draft_representations": "SEND Regulations 2014 reg 13(1): 15 days on the draft",
    "ehcp_annual_review": "Children and Families Act 2014 s.44(1): 12 months",
    "ehcp_review_report": "SEND Regulations 2014 reg 20(8): the meeting's report in 2 weeks",
    "ehcp_review_decision": "SEND Regulations 2014 reg 20(10): 4 weeks from the meeting",
    "ehcp_amended_plan": "SEND Regulations 2014 reg 22(3): 8 weeks",
}

DUTIES = {
    "csp_request_answer": "Answer the request to establish whether a CSP is needed",
    "csp_preparation": "Establish need and prepare the CSP",
    "csp_review": "Review the CSP",
    "csp_review_completion": "Complete the review begun",
    "early_review_answer": "Answer the request for an early review",
    "ehcp_assessment_decision": "Decide whether to assess (EHC)",
    "ehcp_issue_decision": "Decide whether to issue an EHC plan",
    "ehcp_final_plan": "Issue the final EHC plan",
    "ehcp_draft_representations": "The family's 15 days to comment on the draft",
    "ehcp_annual_review": "Review the EHC plan",
    "ehcp_review_report": "Send the annual review meeting's report",
    "ehcp_review_decision": "Decide after the annual review: maintain, amend or cease",
    "ehcp_amended_plan": "Issue the amended EHC plan",
}
"""Each statutory clock, as the duty it times: for pages, documents and reminders."""

EXCEPTABLE = frozenset({"ehcp_assessment_decision", "ehcp_issue_decision", "ehcp_final_plan"})
"""The clocks a recorded reg 10(4) exception lifts (reg 5(4), 10(4), 13(3))."""


@dataclass(frozen=True)
class Source:
    """An event a clock came from: its position in the plan and its type."""

    position: int
    type: str


@dataclass(frozen=True)
class Clock:
    name: str
    started_on: date
    due_on: date
    stopped_on: date | None = None
    status: ClockStatus = ClockStatus.RUNNING
    sources: tuple[Source, ...] = ()
    outcome: str | None = None
    """What stopped it: a decision's value, 'prepared', 'held', 'plan_closed', ..."""
    ceiling_on: date | None = None
    """CSP preparation only: the 24-week limit that no recorded exception may pass."""
    deemed_refusal_on: date | None = None
    reference_by: date | None = None
    """Last day to refer the decision (or deemed refusal) to the tribunal: 2 months."""
    excepted: str | None = None
    """The recorded ground on which its time limit does not apply (EXCEPTABLE only)."""

    @property
    def statute(self) -> str:
        return STATUTES[self.name]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Clock:
        """A clock as as_dict wrote it (a read model keeps its running clocks so)."""

        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        return cls(
            name=d["name"],
            started_on=date.fromisoformat(d["started_on"]),
            due_on=date.fromisoformat(d["due_on"]),
            stopped_on=day(d.get("stopped_on")),
            sources=tuple(Source(s["position"], s["type"]) for s in d.get("sources", ())),
            outcome=d.get("outcome"),
            ceiling_on=day(d.get("ceiling_on")),
            reference_by=day(d.get("reference_by")),
            excepted=d.get("excepted"),
        )

    def as_dict(self) -> dict[str, Any]:
        def iso(day: date | None) -> str | None:
            return day.isoformat() if day else None

        return {
            "name": self.name,
            "statute": self.statute,
            "status": self.status.value,
            "started_on": iso(self.started_on),
            "due_on": iso(self.due_on),
            "stopped_on": iso(self.stopped_on),
            "outcome": self.outcome,
            "ceiling_on": iso(self.ceiling_on),
            "deemed_refusal_on": iso(self.deemed_refusal_on),
            "reference_by": iso(self.reference_by),
            "excepted": self.excepted,
            "sources": [{"position": s.position, "type": s.type} for s in self.sources],
        }


def may_have_clocks(plan_type: PlanType, statutory: StatutoryState) -> bool:
    """False when `clocks` would find none: no statutory step was ever recorded on the
    plan (every clock starts at a step). Lets a list of many plans skip reading the
    events of those that have none."""
    return statutory != StatutoryState()


def clocks(events: Iterable[Any], today: date) -> list[Clock]:
    """Every statutory clock of the plan, earliest first, judged as at `today`."""
    book = ClockBook()
    for event in events:
        book.fold(event)
    return book.judged(today)


def clocks_as_of(events: Iterable[Any], day: date) -> list[Clock]:
    """The clocks as they stood at the end of `day`: from the steps that had happened by
    then (by their occurred_on, not when they were recorded), judged on that day."""
    return clocks((e for e in events if getattr(e, "occurred_on", day) <= day), day)


# -- building the clocks -----------------------------------------------------------------


@dataclass
class ClockBook:
    """Clocks so far: the finished ones, and the one running per name. Events are folded
    in one at a time, so a read model can keep a book per plan (its running clocks are
    all a list of what falls due needs: `running` and `from_running`)."""

    done: list[Clock] = field(default_factory=list)
    open: dict[str, Clock] = field(default_factory=dict)

    def fold(self, event: Any) -> None:
        handler = _HANDLERS.get(type(event).__name__)
        if handler is not None and hasattr(event, "occurred_on"):
            handler(self, event, _source(event))

    def judged(self, today: date) -> list[Clock]:
        return sorted(
            (_judge(c, today) for c in [*self.done, *self.open.values()]),
            key=lambda c: (c.started_on, c.name),
        )

    def next_due_on(self) -> date | None:
        """The earliest day a running clock falls due (or fell due, if it is late)."""
        return min((c.due_on for c in self.open.values() if not c.excepted), default=None)

    def running(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self.open.values()]

    @classmethod
    def from_running(cls, running: Iterable[dict[str, Any]]) -> ClockBook:
        return cls(open={c["name"]: Clock.from_dict(c) for c in running})

    def start(self, name: str, started_on: date, due_on: date, src: Source, **extra: Any) -> None:
        self.open[name] = Clock(name, started_on, due_on, sources=(src,), **extra)

    def touch(self, name: str, src: Source, **changes: Any) -> Clock | None:
        clock = self.open.get(name)
        if clock is not None:
            clock = replace(clock, sources=(*clock.sources, src), **changes)
            self.open[name] = clock
        return clock

    def stop(self, name: str, on: date, src: Source, outcome: str, **extra: Any) -> None:
        if self.touch(name, src, stopped_on=on, outcome=outcome, **extra) is not None:
            self.done.append(self.open.pop(name))

    def drop(self, name: str) -> None:
        self.open.pop(name, None)


def _source(event: Any) -> Source:
    return Source(position=event.originator_version, type=type(event).__name__)


def _start_preparation(book: ClockBook, day: date, src: Source) -> None:
    # reg 4(1): 16 weeks from the proposal, or from agreeing to a request, to establish
    # need and prepare the plan; 24 weeks whatever the exceptions (Enquire).
    book.start(
        "csp_preparation",
        day,
        add_weeks(day, CSP_PREPARATION_WEEKS),
        src,
        ceiling_on=add_weeks(day, CSP_PREPARATION_CEILING_WEEKS),
    )


def _csp_request_received(book: ClockBook, event: Any, src: Source) -> None:
    day = event.occurred_on
    book.start("csp_request_answer", day, add_weeks(day, CSP_REQUEST_ANSWER_WEEKS), src)


def _csp_request_answered(book: ClockBook, event: Any, src: Source) -> None:
    day, refused = event.occurred_on, event.answer == CspRequestAnswer.REFUSED
    book.stop(
        "csp_request_answer",
        day,
        src,
        event.answer.value,
        reference_by=reference_by(day) if refused else None,
    )
    if not refused:
        _start_preparation(book, day, src)


def _csp_proposed(book: ClockBook, event: Any, src: Source) -> None:
    _start_preparation(book, event.occurred_on, src)


def _csp_need_decided(book: ClockBook, event: Any, src: Source) -> None:
    day, needed = event.occurred_on, event.decision == CspNeed.NEEDED
    if "csp_request_answer" in book.open:
        # Recorded by an earlier release, where the decision answered the request.
        book.stop("csp_request_answer", day, src, event.decision.value)
        if needed:
            _start_preparation(book, day, src)
    if needed:
        book.touch("csp_preparation", src)
    else:
        book.stop("csp_preparation", day, src, event.decision.value, reference_by=reference_by(day))


def _csp_preparation_delayed(book: ClockBook, event: Any, src: Source) -> None:
    book.touch("csp_preparation", src, due_on=event.new_due_on)


def _csp_prepared(book: ClockBook, event: Any, src: Source) -> None:
    if getattr(event, "amended", False):
        return  # the amended plan signed after a review: no clock starts or stops
    day = event.occurred_on
    book.stop("csp_preparation", day, src, "prepared")
    book.start("csp_review", day, review_due_on(day), src)


def _review_started(book: ClockBook, event: Any, src: Source) -> None:
    day = event.occurred_on
    book.start("csp_review_completion", day, add_weeks(day, CSP_REVIEW_COMPLETION_WEEKS), src)


def _review_held(book: ClockBook, event: Any, src: Source) -> None:
    if "ehcp_annual_review" in book.open:
        _ehcp_review_held(book, event, src)
        return
    # Only a statutory review completes the review begun and restarts the 12 months,
    # from its completion (s.10(2)); an in-year meeting touches neither.
    if not completes_statutory_review(event.kind, "csp_review_completion" in book.open):
        return
    held_on = event.held_on
    book.stop("csp_review_completion", held_on, src, "held")
    if "csp_review" in book.open:
        ended = event.recommends_discontinuance
        book.stop(
            "csp_review",
            held_on,
            src,
            "discontinuance_recommended" if ended else "held",
            reference_by=reference_by(held_on) if ended else None,
        )
        book.start("csp_review", held_on, review_due_on(held_on), src)


def _ehcp_review_held(book: ClockBook, event: Any, src: Source) -> None:
    # An EHC plan's annual review meeting: the next is due 12 months on (s.44(1)), its
    # report goes out within 2 weeks (reg 20(8)), and the authority decides within 4
    # weeks of it (reg 20(10)).
    if event.kind is not ReviewKind.STATUTORY:
        return
    held_on = event.held_on
    book.stop("ehcp_annual_review", held_on, src, "held")
    book.start("ehcp_annual_review", held_on, ehcp_review_due_on(held_on), src)
    book.start("ehcp_review_report", held_on, add_weeks(held_on, EHCP_REVIEW_REPORT_WEEKS), src)
    book.start("ehcp_review_decision", held_on, add_weeks(held_on, EHCP_REVIEW_DECISION_WEEKS), src)


def _early_review_requested(book: ClockBook, event: Any, src: Source) -> None:
    day = event.occurred_on
    book.start("early_review_answer", day, add_weeks(day, EARLY_REVIEW_ANSWER_WEEKS), src)


def _early_review_deadline_extended(book: ClockBook, event: Any, src: Source) -> None:
    clock = book.open.get("early_review_answer")
    if clock is not None:
        due_on = add_weeks(clock.started_on, EARLY_REVIEW_ANSWER_EXTENDED_WEEKS)
        book.touch("early_review_answer", src, due_on=due_on)


def _early_review_decided(book: ClockBook, event: Any, src: Source) -> None:
    day, refused = event.occurred_on, event.decision == EarlyReviewAnswer.REFUSED
    book.stop(
        "early_review_answer",
        day,
        src,
        event.decision.value,
        reference_by=reference_by(day) if refused else None,
    )


def _ehcp_assessment_requested(book: ClockBook, event: Any, src: Source) -> None:
    day = event.occurred_on
    book.start("ehcp_assessment_decision", day, add_weeks(day, EHCP_ASSESSMENT_DECISION_WEEKS), src)
    book.start("ehcp_issue_decision", day, add_weeks(day, EHCP_ISSUE_DECISION_WEEKS), src)
    book.start("ehcp_final_plan", day, add_weeks(day, EHCP_FINAL_PLAN_WEEKS), src)


def appeal_open_until(found: Iterable[Clock], day: date) -> date | None:
    """The last day to appeal (or refer) any decision whose window is still open on `day`."""
    return max(
        (c.reference_by for c in found if c.reference_by and c.reference_by >= day), default=None
    )


def _appeal_by(day: date) -> date:
    # A refusal to assess, to issue, or a decision after review may be appealed (the
    # Children and Families Act 2014 s.51(2)) within 2 months of the notice of it
    # (Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008 r.20(1)(a)).
    return reference_by(day)


def _ehcp_assessment_decided(book: ClockBook, event: Any, src: Source) -> None:
    day, declined = event.occurred_on, event.decision == EhcpAssessment.DECLINE
    book.stop(
        "ehcp_assessment_decision",
        day,
        src,
        event.decision.value,
        reference_by=_appeal_by(day) if declined else None,
    )
    if declined:
        # No assessment, so the later duties never arose.
        book.drop("ehcp_issue_decision")
        book.drop("ehcp_final_plan")


def _ehcp_issue_decided(book: ClockBook, event: Any, src: Source) -> None:
    day = event.occurred_on
    if event.decision == EhcpIssue.ISSUE:
        # reg 10(1) times a decision not to issue; a plan is timed by the 20 weeks.
        book.drop("ehcp_issue_decision")
        return
    book.stop("ehcp_issue_decision", day, src, "decline", reference_by=_appeal_by(day))
    book.drop("ehcp_final_plan")


def _ehcp_draft_sent(book: ClockBook, event: Any, src: Source) -> None:
    day = event.occurred_on
    book.start("ehcp_draft_representations", day, draft_representations_end(day), src)


def _ehcp_timescale_excepted(book: ClockBook, event: Any, src: Source) -> None:
    for name in EXCEPTABLE & set(book.open):
        book.touch(name, src, excepted=event.ground.value)


def _ehcp_issued(book: ClockBook, event: Any, src: Source) -> None:
    # The plan as issued, or as amended, may itself be appealed: the school or type of
    # school it names, its needs and provision (the Act s.51(2)(c), (e)).
    day = event.occurred_on
    if getattr(event, "amended", False):
        book.stop("ehcp_amended_plan", day, src, "issued", reference_by=_appeal_by(day))
        return
    book.stop("ehcp_final_plan", day, src, "issued", reference_by=_appeal_by(day))
    book.stop("ehcp_draft_representations", day, src, "issued")
    book.start("ehcp_annual_review", day, ehcp_review_due_on(day), src)


def _ehcp_review_report_sent(book: ClockBook, event: Any, src: Source) -> None:
    book.stop("ehcp_review_report", event.occurred_on, src, "sent")


def _ehcp_review_decided(book: ClockBook, event: Any, src: Source) -> None:
    day, amend = event.occurred_on, event.decision == EhcpReviewDecision.AMEND
    book.stop(
        "ehcp_review_decision",
        day,
        src,
        event.decision.value,
        reference_by=None if amend else _appeal_by(day),
    )
    if amend:
        book.start("ehcp_amended_plan", day, add_weeks(day, EHCP_AMENDED_PLAN_WEEKS), src)


def _plan_ended(outcome: str) -> Any:
    def handler(book: ClockBook, event: Any, src: Source) -> None:
        # The plan's end ends every duty still running (CSP Regulations reg 11).
        for name in list(book.open):
            book.stop(name, event.occurred_on, src, outcome)

    return handler


_HANDLERS = {
    "CspRequestReceived": _csp_request_received,
    "CspRequestAnswered": _csp_request_answered,
    "CspProposed": _csp_proposed,
    "CspNeedDecided": _csp_need_decided,
    "CspPreparationDelayed": _csp_preparation_delayed,
    "CspPrepared": _csp_prepared,
    "ReviewStarted": _review_started,
    "ReviewHeld": _review_held,
    "EarlyReviewRequested": _early_review_requested,
    "EarlyReviewDeadlineExtended": _early_review_deadline_extended,
    "EarlyReviewDecided": _early_review_decided,
    "EhcpAssessmentRequested": _ehcp_assessment_requested,
    "EhcpAssessmentDecided": _ehcp_assessment_decided,
    "EhcpIssueDecided": _ehcp_issue_decided,
    "EhcpIssued": _ehcp_issued,
    "EhcpDraftSent": _ehcp_draft_sent,
    "EhcpTimescaleExcepted": _ehcp_timescale_excepted,
    "EhcpReviewDecided": _ehcp_review_decided,
    "EhcpReviewReportSent": _ehcp_review_report_sent,
    "PlanClosed": _plan_ended("plan_closed"),
    "CspDiscontinued": _plan_ended("discontinued"),
}


STEPS = frozenset(_HANDLERS)
"""The events that start, move or stop a clock."""


# -- judging them as at today ------------------------------------------------------------


def _judge(clock: Clock, today: date) -> Clock:
    if clock.name == "early_review_answer":
        return _judge_early_review(clock, today)
    if clock.name in ("csp_review", "ehcp_annual_review"):
        return _judge_review(clock, today)
    if clock.name == "ehcp_draft_representations":
        # The family's window, not the authority's deadline: given once it has run.
        given = clock.stopped_on is not None or today > clock.due_on
        return replace(clock, status=ClockStatus.MET if given else ClockStatus.RUNNING)
    judged = _judge_by_due_date(clock, today)
    if clock.excepted and judged.status is ClockStatus.MISSED:
        return replace(judged, status=ClockStatus.EXCEPTED)
    return judged


def _judge_by_due_date(clock: Clock, today: date) -> Clock:
    if clock.stopped_on is not None:
        met = clock.stopped_on <= clock.due_on
        return replace(clock, status=ClockStatus.MET if met else ClockStatus.MISSED)
    late = today > clock.due_on
    return replace(clock, status=ClockStatus.MISSED if late else ClockStatus.RUNNING)


def _judge_review(clock: Clock, today: date) -> Clock:
    """By the rule every count of reviews on time uses (domain/reviews.py). Closing the
    plan before the review fell due ends the duty in time."""
    held = clock.outcome in ("held", "discontinuance_recommended")
    held_on = clock.stopped_on if held else None
    ended_on = clock.stopped_on if clock.outcome in ("plan_closed", "discontinued") else None
    outcome = review_outcome(clock.due_on, held_on, today=today, ended_on=ended_on)
    if outcome is None:
        status = ClockStatus.RUNNING if clock.stopped_on is None else ClockStatus.MET
    else:
        status = ClockStatus.MET if outcome is ReviewOutcome.ON_TIME else ClockStatus.MISSED
    return replace(clock, status=status)


def _judge_early_review(clock: Clock, today: date) -> Clock:
    """Silence past the due date is a deemed refusal from the next day, with 2 months to
    refer it. A late answer ends the silence: the clock is then `missed`, and still shows
    when the deemed refusal arose and its reference window."""
    answered_in_time = clock.stopped_on is not None and clock.stopped_on <= clock.due_on
    if answered_in_time:
        return replace(clock, status=ClockStatus.MET)
    if clock.stopped_on is None and today <= clock.due_on:
        return replace(clock, status=ClockStatus.RUNNING)
    refused_on = clock.due_on + timedelta(days=1)
    deemed = replace(clock, deemed_refusal_on=refused_on, reference_by=reference_by(refused_on))
    if clock.stopped_on is None:
        return replace(deemed, status=ClockStatus.DEEMED_REFUSAL)
    # Answered late: if refused, the later refusal opens its own (later) window.
    windows = [d for d in (deemed.reference_by, clock.reference_by) if d is not None]
    return replace(deemed, status=ClockStatus.MISSED, reference_by=max(windows))
