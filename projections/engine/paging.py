"""Keyset paging: a page of rows and an opaque cursor to the next one."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

import orjson

T = TypeVar("T")

MAX_LIMIT = 500


class InvalidCursorError(ValueError):
    """The `after` cursor was not one this service gave out (or is from another list)."""

    def __init__(self) -> None:
        super().__init__("The cursor is not valid for this list.")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next: str | None
    """The cursor for the following page; None on the last page."""


def encode_cursor(kind: str, key: tuple[date | str | None, str]) -> str:
    """Opaque to clients: the list's kind and the sort key of the last row given."""
    day, plan_id = key
    payload = [kind, day.isoformat() if isinstance(day, date) else day, plan_id]
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str) -> tuple[date | None, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found, day, plan_id = orjson.loads(raw)
        if found != kind or not isinstance(plan_id, str):
            raise InvalidCursorError
        return (date.fromisoformat(day) if day else None), plan_id
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise InvalidCursorError from None


def check_limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))
