"""Dates as the people who use plans see them: the UK civil date."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def today() -> date:
    return datetime.now(UK).date()


def local_date(instant: datetime) -> date:
    return instant.astimezone(UK).date()
