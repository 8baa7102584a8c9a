"""Checking an export: the chain, its head, and the signed checkpoint.

The same rules as tools/verify_export.py (which restates them with the standard library
only, for experts who will not install Planledger); tests run both on the same files.
Both accept v2 exports (each event's record as the text that was hashed) and v1 ones
(each event's fields, re-serialised to be hashed), so that exports already handed out
stay verifiable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from application.evidence.checkpoints import signature_is_valid
from application.evidence.export import EXPORT_FORMAT, EXPORT_V1
from application.persistence.chain import (
    CHAIN_VERSION,
    canonical_bytes,
    digest,
    event_record,
    genesis,
    next_link,
)


@dataclass(frozen=True)
class Verification:
    intact: bool
    events: int
    head_link: str | None = None
    bad_position: int | None = None
    problem: str | None = None
    checkpoint: str = "absent"
    """absent, verified, not checked (no public key given), or a reason it failed."""

    def describe(self) -> str:
        if not self.intact:
            where = f"position {self.bad_position}: " if self.bad_position else ""
            return f"NOT INTACT at {where}{self.problem}"
        return f"intact: {self.events} events, head {self.head_link}; checkpoint {self.checkpoint}"


class _Broken(Exception):
    def __init__(self, position: int | None, problem: str) -> None:
        super().__init__(problem)
        self.position, self.problem = position, problem


def verify_export(document: dict[str, Any], public_key: bytes | None = None) -> Verification:
    count = len(document.get("events") or [])
    try:
        head = _verify_chain(document)
        checkpoint = _verify_checkpoint(document, public_key)
    except (AttributeError, KeyError, TypeError) as e:
        return Verification(False, count, problem=f"not a readable export ({e!r})")
    except _Broken as broken:
        return Verification(False, count, bad_position=broken.position, problem=broken.problem)
    return Verification(True, count, head_link=head, checkpoint=checkpoint)


def _verify_chain(document: dict[str, Any]) -> str:
    version = document.get("format")
    if version not in (EXPORT_FORMAT, EXPORT_V1) or document.get("chain") != CHAIN_VERSION:
        raise _Broken(None, f"not a {EXPORT_FORMAT} (or v1) document over {CHAIN_VERSION}")
    plan_id = document["plan_id"]
    if not isinstance(plan_id, str):
        raise _Broken(None, "the plan id is not a string")
    previous = genesis(plan_id)
    events = document["events"]
    check = _verify_event if version == EXPORT_FORMAT else _verify_event_v1
    for expected, event in enumerate(events, start=1):
        try:
            previous = check(plan_id, expected, event, previous)
        except (AttributeError, KeyError, TypeError, ValueError):
            raise _Broken(expected, "the event is malformed") from None
    head = document.get("head") or {}
    if head.get("position") != len(events):
        raise _Broken(
            len(events) + 1,
            f"the head is at position {head.get('position')}, "
            f"but the export ends at {len(events)}: events are missing",
        )
    if head.get("link") != previous.hex():
        raise _Broken(len(events), "the head's link is not the last event's link")
    return previous.hex()


def _verify_event(plan_id: str, expected: int, event: dict[str, Any], previous: bytes) -> bytes:
    """v2: the record is the text that was hashed; as canonical JSON (sorted keys) it
    begins with its plan and position, which is all that needs reading of it here."""
    _check_position(expected, event)
    if event.get("destroyed") is True or event.get("withheld") is True:
        event_digest = bytes.fromhex(event["digest"])
    else:
        record: str = event["record"]
        plan_prefix = _record_prefix(plan_id)
        if not record.startswith(f'{plan_prefix}{expected},"state":'):
            if not record.startswith(plan_prefix):
                raise _Broken(
                    expected,
                    "the event belongs to another plan (or its record is not a chain record)",
                )
            raise _Broken(expected, "the event's record names another position")
        event_digest = hashlib.sha256(record.encode()).digest()
        if event_digest.hex() != event["digest"]:
            raise _Broken(expected, "the event's content does not match its digest")
    return _next(expected, event, previous, event_digest)


@cache
def _record_prefix(plan_id: str) -> str:
    """How a chain record of this plan begins, up to its position (sorted keys)."""
    return '{"plan_id":' + canonical_bytes(plan_id).decode() + ',"position":'


def _check_position(expected: int, event: dict[str, Any]) -> None:
    if event.get("position") != expected:
        raise _Broken(
            expected,
            f"expected position {expected}, found {event.get('position')}"
            " (an event is missing or out of order)",
        )


def _next(expected: int, event: dict[str, Any], previous: bytes, event_digest: bytes) -> bytes:
    link = next_link(previous, event_digest)
    if link.hex() != event.get("link"):
        raise _Broken(expected, "the link does not follow from the previous link and digest")
    return link


def _verify_event_v1(plan_id: str, expected: int, event: dict[str, Any], previous: bytes) -> bytes:
    """v1: the record is rebuilt from the event's fields and re-serialised."""
    _check_position(expected, event)
    if event.get("destroyed") is True or event.get("withheld") is True:
        event_digest = bytes.fromhex(event["digest"])
    else:
        if event.get("plan_id") != plan_id:
            raise _Broken(expected, "the event belongs to another plan")
        record = event_record(plan_id, expected, event["type"], event["state"])
        event_digest = digest(record)
        if event_digest.hex() != event.get("digest"):
            raise _Broken(expected, "the event's content does not match its digest")
        recorded_at, timestamp = event.get("recorded_at"), event["state"].get("timestamp")
        if recorded_at != timestamp and not _same_instant(recorded_at, timestamp):
            raise _Broken(expected, "recorded_at differs from the event's recorded timestamp")
    return _next(expected, event, previous, event_digest)


def _same_instant(a: Any, b: Any) -> bool:
    try:
        return datetime.fromisoformat(a) == datetime.fromisoformat(b)
    except (TypeError, ValueError):
        return False


def _verify_checkpoint(document: dict[str, Any], public_key: bytes | None) -> str:
    checkpoint = document.get("checkpoint")
    if checkpoint is None:
        return "absent"
    events = document["events"]
    for head in checkpoint.get("payload", {}).get("heads", []):
        if head.get("plan_id") != document["plan_id"]:
            continue
        position = head.get("position")
        if not isinstance(position, int) or not 1 <= position <= len(events):
            raise _Broken(position, "the signed checkpoint names a position the export lacks")
        if events[position - 1].get("link") != head.get("link"):
            raise _Broken(position, "the link differs from the signed checkpoint's")
    if public_key is None:
        return "not checked (no public key given)"
    if not signature_is_valid(checkpoint, public_key):
        raise _Broken(None, "the checkpoint's signature is not valid for the given public key")
    return "verified"
