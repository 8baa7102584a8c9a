"""The provision map's own rules: the school term an evaluation falls in."""

from __future__ import annotations

from datetime import date

from domain.provision_map import term_of


def test_school_terms_begin_in_august_and_sort_as_they_come():
    days = [date(2026, 1, 5), date(2025, 8, 20), date(2026, 6, 30), date(2026, 3, 31)]
    terms = [term_of(d) for d in days]
    assert terms == ["2025-26 spring", "2025-26 autumn", "2025-26 summer", "2025-26 spring"]
    assert sorted(set(terms)) == ["2025-26 autumn", "2025-26 spring", "2025-26 summer"]
