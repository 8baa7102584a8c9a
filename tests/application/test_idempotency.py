"""Idempotency-Key: a retried request writes once and gets the first answer again."""

from __future__ import annotations

import pytest

from application.errors import IdempotencyKeyReusedError
from application.persistence.records import IdempotencyClaim
from application.planning import Conditions
from domain.events import AppendContribution, SharePlan
from tests.examples import a_plan_in, an_opening, as_caller

LEAD = as_caller()


SHARE = SharePlan(recipients=("Morag",), method="email")


def claim(key="key-1", fingerprint="sha256:aaaa", scope="u-lead-1"):
    return Conditions(idempotency=IdempotencyClaim(scope, key, fingerprint))


def contribute(planning, plan_id, conditions, text="Calm week"):
    return planning.change(
        plan_id, AppendContribution(kind="note", text=text), LEAD, conditions=conditions
    )


def test_a_retried_write_lands_once_and_gets_the_same_answer(make_planning):
    planning, retrying = make_planning(), make_planning()
    plan_id = a_plan_in(planning)
    first = contribute(planning, plan_id, claim())
    assert contribute(retrying, plan_id, claim()) == first
    assert first.version == len(planning.history(plan_id)) == 2


def test_a_retried_opening_opens_one_plan(planning):
    def open_plan():
        return planning.open_plan(an_opening(), LEAD, conditions=claim())

    first = open_plan()
    last_position = planning.recorder.max_notification_id()
    assert open_plan() == first
    assert planning.recorder.max_notification_id() == last_position == first.position


def test_a_key_reused_for_a_different_request_is_refused_and_writes_nothing(planning):
    plan_id = a_plan_in(planning)
    contribute(planning, plan_id, claim(fingerprint="sha256:aaaa"))
    with pytest.raises(IdempotencyKeyReusedError):
        contribute(planning, plan_id, claim(fingerprint="sha256:bbbb"), text="Other")
    assert len(planning.history(plan_id)) == 2


def test_the_same_key_from_another_caller_is_another_request(planning):
    plan_id = a_plan_in(planning)
    contribute(planning, plan_id, claim(scope="u-lead-1"))
    contribute(planning, plan_id, claim(scope="u-salt-1"))
    assert len(planning.history(plan_id)) == 3


def test_a_retry_that_races_its_first_attempt_gets_the_first_answer(make_planning):
    first_attempt = make_planning(shared_copy=lambda plan: b"%PDF copy")
    plan_id = a_plan_in(first_attempt)
    answers = []

    def render(plan):
        if not answers:  # the first attempt commits while the retry is deciding
            answers.append(first_attempt.change(plan_id, SHARE, LEAD, conditions=claim()))
        return b"%PDF copy"

    planning = make_planning(shared_copy=render)
    retry = planning.change(plan_id, SHARE, LEAD, conditions=claim())
    assert retry == answers[0]
    assert [e.type for e in planning.history(plan_id)] == ["PlanOpened", "PlanShared"]
