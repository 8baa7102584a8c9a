"""A SEN Support plan's three in-year meetings a year (SEND Code of Practice 6.65)."""

from __future__ import annotations

from datetime import date, timedelta

from domain.reviews import in_year_meetings_due

TODAY = date(2026, 12, 3)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def test_a_plan_open_a_year_owes_three_meetings():
    assert in_year_meetings_due(ago(400), [ago(300), ago(200), ago(60)], TODAY) == (3, 3)
    assert in_year_meetings_due(ago(400), [ago(200)], TODAY) == (1, 3)


def test_a_new_plan_owes_one_meeting_for_each_third_of_a_year_it_has_been_open():
    assert in_year_meetings_due(ago(100), [], TODAY) == (0, 0)
    assert in_year_meetings_due(ago(130), [], TODAY) == (0, 1)
    assert in_year_meetings_due(ago(250), [ago(10)], TODAY) == (1, 2)


def test_meetings_older_than_a_year_do_not_count():
    assert in_year_meetings_due(ago(800), [ago(500), ago(400), ago(370)], TODAY) == (0, 3)
