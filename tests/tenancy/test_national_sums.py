"""Summing report tables (projections/reports/national.py), without a database: every report is
covered, counts and money add up exactly, shares are worked out again, not averaged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projections.reports.national import KEYS, national
from projections.reports.table import Table
from projections.reports.view import REPORTS, UnknownReportError

CSP = ("org", "year", "held_on_time", "held_late", "not_held", "percent_on_time")


def test_every_report_says_which_columns_are_its_keys():
    assert set(KEYS) == set(REPORTS)


def test_rows_with_the_same_key_are_added_and_others_kept_in_order():
    columns = ("review_number", "achieved", "partially_achieved", "not_achieved", "evaluations")
    a = Table("target-progress", columns, [(1, 2, 3, 4, 9), (2, 1, 0, 0, 1)])
    b = Table("target-progress", a.columns, [(1, 10, 0, 1, 11), (3, 0, 0, 1, 1)])
    assert national("target-progress", {"x": a, "y": b}).rows == [
        (1, 12, 3, 5, 20),
        (2, 1, 0, 0, 1),
        (3, 0, 0, 1, 1),
    ]


def test_money_stays_exact():
    cols = ("kind", "provisions", "costed", "total_cost")
    a = Table("provision-costs", cols, [("equipment", 1, 1, Decimal("0.10"))])
    b = Table("provision-costs", cols, [("equipment", 2, 1, Decimal("0.20"))])
    summed = national("provision-costs", {"x": a, "y": b})
    assert summed.rows == [("equipment", 3, 2, Decimal("0.30"))]
    assert summed.items()[0]["total_cost"] == "0.30"


def test_a_share_is_worked_out_again_from_the_summed_counts():
    # 1 of 1 on time (100%) and 1 of 3 (33.3%): together 2 of 4, 50%, not the mean 66.7%.
    a = Table("csp-reviews", CSP, [("school:a", 2026, 1, 0, 0, 100.0)])
    b = Table("csp-reviews", CSP, [("school:a", 2026, 1, 1, 1, 33.3)])
    assert national("csp-reviews", {"x": a, "y": b}).rows == [("school:a", 2026, 2, 1, 1, 50.0)]


def test_by_authority_keeps_each_authoritys_rows_apart():
    a = Table("stage-changes", ("year", "stage_changes", "plans"), [(2025, 4, 2)])
    b = Table("stage-changes", a.columns, [(2025, 1, 1)])
    split = national("stage-changes", {"fife": b, "highland": a}, by_authority=True)
    assert split.columns == ("authority", "year", "stage_changes", "plans")
    assert split.rows == [("fife", 2025, 1, 1), ("highland", 2025, 4, 2)]


def test_an_authority_with_no_rows_adds_nothing():
    a = Table("stage-changes", ("year", "stage_changes", "plans"), [(2025, 4, 2)])
    empty = Table("stage-changes", a.columns, [])
    assert national("stage-changes", {"x": a, "y": empty}).rows == [(2025, 4, 2)]


def test_reports_of_different_shapes_are_not_summed():
    a = Table("stage-changes", ("year", "stage_changes", "plans"), [])
    b = Table("stage-changes", ("year", "stage_changes"), [])
    with pytest.raises(ValueError, match="different columns"):
        national("stage-changes", {"x": a, "y": b})
    with pytest.raises(UnknownReportError):
        national("no-such-report", {"x": a})
