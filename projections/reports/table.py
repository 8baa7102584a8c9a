"""A report as a table: named columns and rows of plain values, as JSON or CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def items(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, map(_plain, row), strict=True)) for row in self.rows]

    def as_json(self) -> dict[str, Any]:
        return {"report": self.name, "columns": list(self.columns), "items": self.items()}

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if v is None else _cell(_plain(v)) for v in row])
        return out.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    # A spreadsheet runs a cell that starts like a formula; text written by users (an org
    # id, say) must never run on an analyst's machine (OWASP "CSV injection").
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    # Money stays exact: a decimal string, never a float.
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value
