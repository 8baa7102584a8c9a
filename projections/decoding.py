"""Decoding stored events for read models: fast, and unsealing as little as possible.

Read models need none of an event's personal data except who opened the plan (the first
member, and the lead professional), so only PlanOpened is unsealed; every other event's
sealed fields read as the placeholders a destroyed plan's do. Events are rebuilt with
pydantic's model_construct, each field converted to its declared type, instead of being
validated again: they were validated when they were written, and validating them costs
more than everything else a rebuild does. Upcasting (class_version) is applied exactly
as the application's mapper applies it.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic
from pydantic import BaseModel

from application.persistence.keys import cipher
from application.persistence.mapping import SEALED, PlanMapper, personal_fields
from domain.plans import Plan
from domain.values import destroyed_value

Convert = Callable[[Any], Any]


class ProjectionMapper(PlanMapper):
    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls = resolve_topic(stored_event.topic)
        if cls is Plan.PlanOpened:
            state, destroyed = self.plain_state(stored_event)
        else:
            state = self.transcoder.decode(stored_event.state)
            destroyed = state.pop(SEALED, None) is not None
        from_version = state.pop("class_version", 1)
        while from_version < _class_version(cls):
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        converters = _converters(cls)
        for name, value in state.items():
            if value is not None and (convert := converters.get(name)) is not None:
                state[name] = convert(value)
        if destroyed:
            state.update(_placeholders(cls))
        state["originator_id"] = _uuid(stored_event.originator_id)
        state["originator_version"] = stored_event.originator_version
        return _construct(cls, state)

    def preload_keys(self, recorder: Any, plan_ids: Iterable[UUID]) -> None:
        """Fetch the data keys of many plans in one query (a rebuild meets each plan's
        key once, at its PlanOpened; one query per plan would dominate the rebuild)."""
        keyring = self.keyring
        wanted = list(plan_ids)
        if keyring is None or not wanted:
            return
        for plan_id, wrapped in _wrapped_keys(recorder, wanted):
            data_cipher = cipher(keyring._master.decrypt(wrapped).decode()) if wrapped else None  # noqa: SLF001
            keyring._remember(plan_id, data_cipher)  # noqa: SLF001 - the KeyRing's own cache


def _construct(cls: type[BaseModel], values: dict[str, Any]) -> Any:
    """What pydantic's model_construct does, without its per-call bookkeeping: an instance
    of the event class (so singledispatch and isinstance work) holding trusted values."""
    for name, default in _defaults(cls).items():
        values.setdefault(name, default)
    event = cls.__new__(cls)
    object.__setattr__(event, "__dict__", values)
    object.__setattr__(event, "__pydantic_fields_set__", set(values))
    object.__setattr__(event, "__pydantic_extra__", None)
    object.__setattr__(event, "__pydantic_private__", None)
    return event


@cache
def _class_version(cls: type[BaseModel]) -> int:
    return getattr(cls, "class_version", 1)


@cache
def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    return {name: field.default for name, field in cls.model_fields.items()
            if not field.is_required() and field.default_factory is None}


@cache
def _placeholders(cls: type[BaseModel]) -> dict[str, Any]:
    return {name: destroyed_value(cls.model_fields[name].annotation)
            for name in personal_fields(cls)}


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _wrapped_keys(recorder: Any, plan_ids: list[UUID]) -> list[tuple[UUID, bytes | None]]:
    if hasattr(recorder, "identifiers"):  # PostgreSQL: Planledger's keys table
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(recorder._sql(  # noqa: SLF001 - the recorder's own table names
                "SELECT plan_id, wrapped_key FROM {schema}.{keys} WHERE plan_id = ANY(%s)"),
                (plan_ids,))
            return [(r["plan_id"], _bytes(r["wrapped_key"])) for r in curs.fetchall()]
    marks = ", ".join("?" * len(plan_ids))
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(f"SELECT plan_id, wrapped_key FROM planledger_keys WHERE plan_id IN ({marks})",
                  [p.hex for p in plan_ids])
        return [(UUID(r[0]), _bytes(r[1])) for r in c.fetchall()]


def _bytes(value: Any) -> bytes | None:
    return bytes(value) if value is not None else None


@cache
def _converters(cls: type[BaseModel]) -> dict[str, Convert]:
    found = {}
    for name, field in cls.model_fields.items():
        convert = _converter(field.annotation)
        if convert is not None:
            found[name] = convert
    return found


def _converter(annotation: Any) -> Convert | None:  # noqa: PLR0911 - one case per kind
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return _converter(inner[0]) if len(inner) == 1 else None
    if origin is tuple:
        args = get_args(annotation)
        item = _converter(args[0]) if args else None
        return (lambda v: tuple(map(item, v))) if item else tuple
    if origin is not None or not isinstance(annotation, type):
        return None
    if annotation is datetime:
        return datetime.fromisoformat
    if annotation is date:
        return date.fromisoformat
    if issubclass(annotation, Enum):
        return annotation._value2member_map_.__getitem__  # an enum's own lookup, minus its call
    if annotation in (UUID, Decimal):
        return annotation
    if issubclass(annotation, BaseModel):
        model = annotation
        return lambda v: v if isinstance(v, model) else model.model_validate(v)
    return None
