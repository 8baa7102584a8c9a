"""The timeline in words: no entry shows a raw code (a notice kind, a decision, a ground,
a section's name, a role) where the pages elsewhere give the words for it, neither as
stored (snake_case) nor with its underscores turned into spaces."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from html import unescape
from types import SimpleNamespace

import pytest

from application.history import HistoryEntry
from domain.sections import SECTIONS
from domain.statutory import (
    DelayCause,
    EarlyReviewAnswer,
    EhcpExceptionGround,
    EhcpReviewDecision,
    NoticeKind,
)
from domain.values import PlanType
from interfaces import wording
from interfaces.plan_text import NOTICE_WORDS
from tests.examples import a_lead_professional
from tests.web.pages import sign_in

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
ENTRY = re.compile(
    r'<p class="entry-what">(?P<what>.*?)</p>.*?<span class="who">(?P<who>.*?)</span>', re.S
)
PLAN_LINK = re.compile(r'data-plan-id="([0-9a-f-]{36})"')
# Codes once shown with spaces for underscores; not the roles or the delay causes, whose
# codes spaced out are also plain words ("young person", "school closed").
CODED: list[type[StrEnum]] = [NoticeKind, EhcpExceptionGround]
CODES = {c.value for e in CODED for c in e if "_" in c.value} | {
    n for s in SECTIONS.values() for n in s if "_" in n
}
# As the whole of a bracket or a quotation: “review timetable”, (plan copy).
SPACED = re.compile(r"[(“](" + "|".join(re.escape(c.replace("_", " ")) for c in CODES) + r")[)”]")


def raw_codes(text: str) -> list[str]:
    return SNAKE.findall(text) + SPACED.findall(text)


def test_no_timeline_entry_shows_a_raw_code(site):
    offenders: list[str] = []
    with site.client() as client:
        sign_in(client, "lead")
        # The demo plan, and every other plan the lead has (the demo's CSPs, with their
        # notices, sections and an officer's decisions).
        listed = PLAN_LINK.findall(client.get("/plans").text)
        plans = [str(site.plan_id), *(p for p in dict.fromkeys(listed) if p != str(site.plan_id))]
        assert len(plans) > 1, "the lead has only the demo plan: the CSPs are not listed"
        for plan_id in plans:
            page = client.get(f"/plans/{plan_id}/timeline")
            assert page.status_code == 200, page.text
            entries = [
                unescape(re.sub(r"<[^>]+>", "", f"{m['what']} / {m['who']}"))
                for m in ENTRY.finditer(page.text)
            ]
            assert entries, f"the timeline of {plan_id} shows no entries"
            offenders += [f"{e!r}: {raw_codes(e)}" for e in entries if raw_codes(e)]
    assert not offenders, "raw codes in the timeline:\n" + "\n".join(offenders)


def entry(type_name: str, **data: object) -> HistoryEntry:
    return HistoryEntry(
        position=2,
        type=type_name,
        recorded_at=datetime(2026, 3, 2, 10, tzinfo=UTC),
        occurred_on=date(2026, 3, 2),
        actor=a_lead_professional(),
        reason=None,
        data=dict(data),
    )


# Every coded value of the steps the demo does not take, with words each must show.
CASES = [
    *((entry("NoticeGiven", kind=k.value), NOTICE_WORDS[k.value]) for k in NoticeKind),
    *(
        (entry("CspPreparationDelayed", cause=c.value, new_due_on="2026-05-01"), "new date")
        for c in DelayCause
    ),
    *(
        (entry("EhcpTimescaleExcepted", ground=g.value), "could not be kept")
        for g in EhcpExceptionGround
    ),
    (entry("EarlyReviewDecided", decision=EarlyReviewAnswer.GRANTED.value), "Granted the request"),
    (entry("EarlyReviewDecided", decision=EarlyReviewAnswer.REFUSED.value), "Refused the request"),
    (entry("EhcpReviewDecided", decision=EhcpReviewDecision.MAINTAIN.value), "as it is"),
    (entry("EhcpReviewDecided", decision=EhcpReviewDecision.AMEND.value), "amend the plan"),
    (entry("EhcpReviewDecided", decision=EhcpReviewDecision.CEASE.value), "cease to maintain"),
    (entry("SectionRecorded", name="child_details"), "Child or young person's details"),
    (entry("MemberAdded", name="Douglas Reid", role="authority_officer"), "Authority officer"),
]


@pytest.mark.parametrize(
    "history, words", CASES, ids=[f"{c[0].type}-{i}" for i, c in enumerate(CASES)]
)
def test_each_coded_step_is_described_in_words(history, words):
    plan = SimpleNamespace(plan_type=PlanType.CSP, targets={})
    described = wording.describe(history, plan, None)  # type: ignore[arg-type]
    assert words in described
    assert not raw_codes(described), described
    assert not re.search(r": (granted|refused|maintain|amend|cease)\.", described), described
