"""Report CSVs are opened in spreadsheets: no cell may run as a formula."""

from __future__ import annotations

from projections.reports.table import Table


def test_text_that_looks_like_a_formula_is_written_as_text():
    table = Table(
        name="t",
        columns=("org", "plans"),
        rows=[('=HYPERLINK("http://evil.example","x")', 1), ("school:st-ninians", 2)],
    )
    lines = table.as_csv().splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(")
    assert lines[2] == "school:st-ninians,2"
