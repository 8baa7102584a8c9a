"""The notices a CSP's steps make due, and those not yet given: the Act s.11(2) (told of a
proposal before the authority proceeds, told the outcome with the right to refer it),
s.11(5) (a copy of the plan or amended plan; providers told what they need to know), and
reg 11(3) of SSI 2005/518 (told of the discontinuance). A tribunal asks for the date
each was given, so a step whose notice is missing is shown, never silently taken as done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from domain.statutory import CspRequestAnswer, NoticeKind

if TYPE_CHECKING:
    from domain.plans import Plan


@dataclass(frozen=True)
class OwedNotice:
    kind: NoticeKind
    since: date
    """The day of the step that made it due: a notice of this kind on or after it counts."""


def owed_notices(plan: Plan) -> list[OwedNotice]:
    """Each notice a step of the plan made due that has not been given since that step."""
    state = plan.statutory
    due: list[OwedNotice] = []

    def needs(kind: NoticeKind, since: date | None) -> None:
        if since is not None:
            due.append(OwedNotice(kind, since))

    needs(NoticeKind.PROPOSAL, state.csp_preparation_started_on)
    if state.csp_request_answer is CspRequestAnswer.REFUSED:
        needs(NoticeKind.DECISION_AND_RIGHTS, state.csp_request_answered_on)
    if state.csp_need is not None:
        needs(NoticeKind.DECISION_AND_RIGHTS, state.csp_need_decided_on)
    if state.signed:
        latest = state.signed[-1].signed_on
        needs(NoticeKind.PLAN_COPY, latest)
        needs(NoticeKind.PROVIDERS_INFORMED, latest)
    if state.review_begun:
        # Told before the review proceeds: since the plan was last signed or reviewed.
        last = max(
            (d for d in (state.last_statutory_review_on, state.csp_prepared_on) if d),
            default=state.review_started_on,
        )
        needs(NoticeKind.REVIEW_PROPOSAL, last)
    needs(NoticeKind.REVIEW_OUTCOME_AND_RIGHTS, state.last_statutory_review_on)
    needs(NoticeKind.DISCONTINUANCE, state.discontinued_on)
    given = [(n.kind, n.given_on) for n in plan.notices]
    return [
        owed
        for owed in due
        if not any(kind == owed.kind.value and on >= owed.since for kind, on in given)
    ]
