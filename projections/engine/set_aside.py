"""Events a read model cannot take: set aside, so that no single event stalls a view.

An event that fails its batch for a reason of its own (a NUL that PostgreSQL's text
refuses, a field that does not decode, a fold that trips over it) fails again every time
it is tried: left alone, the projector restarts in a loop and every read waiting for the
view waits for good. Instead the view finds the event (views.py: halves of the batch,
each applied on its own, down to the one event), records it in `<view>_set_aside` in
place of folding it, moves its position past it and carries on; a warning names the view,
the position and the error's type, and `planledger read-models` counts them.

Only the error's type is kept, never its message: a message may quote the event, and so
personal data. A store that is down or busy is no fault of an event: those errors are
raised as before, and the projector retries. A rebuild makes a new version with a table
of its own, empty, and so tries every set-aside event again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import psycopg
from eventsourcing.persistence import DataError, IntegrityError, InterfaceError, OperationalError
from eventsourcing.utils import TopicError

from application.persistence.postgres import StoreBusyError

UNAVAILABLE: tuple[type[BaseException], ...] = (
    InterfaceError,
    OperationalError,
    StoreBusyError,
    psycopg.InterfaceError,
    psycopg.OperationalError,
    sqlite3.InterfaceError,
    sqlite3.OperationalError,
)
"""The store is down, busy or locked: retried, never blamed on an event."""

EVENT_FAULTS: tuple[type[BaseException], ...] = (
    # What one event's content can cause in decoding (orjson, pydantic's ValidationError,
    # base64, a topic no class answers to), in a fold, or in the store refusing a value.
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    ArithmeticError,
    AssertionError,
    TopicError,
    DataError,
    IntegrityError,
    psycopg.DataError,
    psycopg.IntegrityError,
    sqlite3.DataError,
    sqlite3.IntegrityError,
)
"""Anything else (a RuntimeError, a ProgrammingError: the code or the configuration, not
the event) is raised as before."""


def is_event_fault(error: BaseException) -> bool:
    """Whether `error`, met applying a batch, may be the fault of an event in it."""
    return isinstance(error, EVENT_FAULTS) and not isinstance(error, UNAVAILABLE)


@dataclass(frozen=True)
class Unreadable:
    """A stored event that did not decode (engine/decoding.py): the view it reaches sets it
    aside. Nothing of the event is kept beyond where it is and what it claims to be."""

    originator_id: UUID
    originator_version: int
    topic: str
    error_type: str


@dataclass(frozen=True)
class SetAside:
    """One event a version of a read model did not take."""

    notification_id: int
    plan_id: UUID
    topic: str
    error_type: str
    at: datetime
