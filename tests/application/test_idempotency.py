"""Idempotency-Key: a retried request writes once and gets the first answer again."""

from __future__ import annotations

import pytest

from application.errors import IdempotencyKeyReusedError
from application.persistence.records import IdempotencyClaim
from application.planning import Conditions
from domain.values import PlanType
from tests.examples import SCHOOL, a_child, a_lead_professional, a_plan_in

LEAD = a_lead_professional()


def claim(key="key-1", fingerprint="sha256:aaaa", scope="u-lead-1"):
    return Conditions(idempotency=IdempotencyClaim(scope, key, fingerprint))


def contribute(planning, plan_id, conditions, text="Calm week"):
    return planning.append_contribution(plan_id, kind="note", text=text, actor=LEAD,
                                        conditions=conditions)


def test_a_retried_write_lands_once_and_gets_the_same_answer(make_planning):
    planning, retrying = make_planning(), make_planning()
    plan_id = a_plan_in(planning)
    first = contribute(planning, plan_id, claim())
    assert contribute(retrying, plan_id, claim()) == first
    assert first.version == len(planning.history(plan_id)) == 2


def test_a_retried_opening_opens_one_plan(planning):
    def open_plan():
        return planning.open_plan(plan_type=PlanType.IEP, stage="additional", child=a_child(),
                                  org=SCHOOL, actor=LEAD, conditions=claim())

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
    planning, first_attempt = make_planning(), make_planning()
    plan_id = a_plan_in(planning)
    answers = []

    def render(plan):
        if not answers:  # the first attempt commits while the retry is deciding
            answers.append(first_attempt.share_plan(plan_id, recipients=["Morag"],
                                                    method="email", actor=LEAD,
                                                    conditions=claim()))
        return "ab" * 32

    planning.shared_copy_digest = render
    first_attempt.shared_copy_digest = lambda plan: "ab" * 32
    retry = planning.share_plan(plan_id, recipients=["Morag"], method="email", actor=LEAD,
                                conditions=claim())
    assert retry == answers[0]
    assert [e.type for e in planning.history(plan_id)] == ["PlanOpened", "PlanShared"]
