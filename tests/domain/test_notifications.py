"""Who is told of a change, and when a message is tried again (domain/notifications.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from uuid import uuid4

import pytest

from domain.access import Caller
from domain.calendar import UK
from domain.notifications import (
    CHANGES,
    MAX_ATTEMPTS,
    Alert,
    alert_for,
    daily_due,
    message_id,
    next_attempt,
    recipients,
    weekly_due,
)
from domain.values import Role

MEMBERS = {
    "u-lead": Role.LEAD_PROFESSIONAL,
    "u-salt": Role.PRACTITIONER,
    "u-mum": Role.PARENT_CARER,
    "u-isla": Role.YOUNG_PERSON,
}


def test_nobody_is_told_of_their_own_change():
    assert recipients("TargetSet", {}, MEMBERS, "u-salt") == ["u-lead"]


def test_the_family_hears_of_reviews_and_copies_not_of_each_working_change():
    assert recipients("ReviewScheduled", {}, MEMBERS, "u-lead") == ["u-isla", "u-mum", "u-salt"]
    assert recipients("PlanShared", {}, MEMBERS, "u-lead") == ["u-isla", "u-mum", "u-salt"]
    assert recipients("TargetEvaluated", {}, MEMBERS, "u-lead") == ["u-salt"]


def test_a_family_hears_of_its_own_joining_only():
    assert recipients("MemberAdded", {"user_id": "u-mum"}, MEMBERS, "u-lead") == [
        "u-mum",
        "u-salt",
    ]


def test_who_has_been_given_access_is_never_mailed():
    for kind in ("DisclosureGranted", "DisclosureRevoked", "MemberRemoved", "PlanDestroyed"):
        assert kind not in CHANGES
        assert recipients(kind, {}, MEMBERS, "u-lead") == []


def test_a_chronology_entry_kept_from_the_family_is_not_mailed_to_them():
    kept = {"family_may_see": False}
    assert recipients("ChronologyEntryAdded", kept, MEMBERS, "u-salt") == ["u-lead"]


def test_a_message_keeps_its_id_and_names_nobody():
    plan_id = uuid4()
    first = message_id(plan_id, 7, "u-mum")
    assert first == message_id(plan_id, 7, "u-mum")
    assert first != message_id(plan_id, 7, "u-salt") != message_id(plan_id, 8, "u-mum")
    assert "u-mum" not in first


def test_refused_messages_wait_longer_each_time_then_fail():
    now = datetime(2026, 12, 4, 9, tzinfo=UTC)
    waits = [next_attempt(n, now) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits[0] == now + timedelta(minutes=1)
    assert waits[1] == now + timedelta(minutes=2)
    assert all(a <= b for a, b in pairwise(waits[:-1]))
    assert waits[-2] == now + timedelta(hours=12)
    assert waits[-1] is None


def test_the_daily_message_goes_once_a_day_from_seven_uk_time():
    six = datetime(2026, 7, 1, 6, 59, tzinfo=UK)  # summer time: 05:59 UTC
    assert not daily_due(None, six)
    seven = six + timedelta(minutes=1)
    assert daily_due(None, seven)
    assert not daily_due(seven, seven + timedelta(hours=10))
    assert daily_due(seven, seven + timedelta(days=1))


def test_a_statutory_date_is_warned_of_a_week_before_then_told_missed():
    day = datetime(2026, 12, 4, tzinfo=UTC).date()
    assert alert_for(day + timedelta(days=8), day) is None
    assert alert_for(day + timedelta(days=7), day) is Alert.DUE_SOON
    assert alert_for(day, day) is Alert.DUE_SOON
    assert alert_for(day - timedelta(days=1), day) is Alert.MISSED


def test_the_weekly_reminder_waits_for_monday_morning():
    monday_early = datetime(2026, 12, 7, 6, 30, tzinfo=UK)
    assert weekly_due(monday_early) is None
    assert weekly_due(monday_early + timedelta(hours=1)) == "2026-W50"
    assert weekly_due(monday_early + timedelta(days=4)) == "2026-W50"
    assert weekly_due(monday_early + timedelta(days=7, hours=1)) == "2026-W51"


@pytest.mark.parametrize(
    ("claim", "kept"),
    [
        ("fiona@school.example", "fiona@school.example"),
        ("not an address", None),
        ("a@b.c" + "x" * 260, None),
        (42, None),
    ],
)
def test_a_sign_ins_email_claim_is_kept_only_when_it_is_an_address(claim, kept):
    caller = Caller.model_validate(
        {"sub": "u-fiona", "name": "Fiona", "role": "lead_professional", "email": claim}
    )
    assert caller.email == kept
