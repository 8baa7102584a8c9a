"""The hash chain over each plan's events: the format a tribunal's expert verifies.

link(0) = SHA-256("planledger-chain-v1:" + plan id)
digest(n) = SHA-256(canonical JSON of event n's record)
link(n) = SHA-256(link(n-1) bytes + digest(n) bytes)

A record is {"plan_id", "position", "type", "state"}, where "type" is the stored topic and
"state" the event's fields as stored in plain form (before any sealing; a sealed event's
plain form includes a random "$nonce", destroyed with its personal data, so that a kept
digest cannot be used to test guesses of what was destroyed). Canonical JSON is
sorted keys, no spaces, UTF-8. tools/verify_export.py restates this with the standard
library only, so that it can be checked without Planledger.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID

CHAIN_VERSION = "planledger-chain-v1"


def canonical_bytes(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_record(plan_id: UUID | str, position: int, topic: str, state: dict[str, Any]) -> dict:
    return {"plan_id": str(plan_id), "position": position, "type": topic, "state": state}


def digest(record: dict[str, Any]) -> bytes:
    return hashlib.sha256(canonical_bytes(record)).digest()


def genesis(plan_id: UUID | str) -> bytes:
    return hashlib.sha256(f"{CHAIN_VERSION}:{plan_id}".encode()).digest()


def next_link(previous: bytes, event_digest: bytes) -> bytes:
    return hashlib.sha256(previous + event_digest).digest()
