"""Exports in the format before v2, made from a v2 export, to check that both verifiers
still accept what was handed out before (and still catch tampering in it)."""

from __future__ import annotations

import json
from typing import Any


def as_v1(document: dict[str, Any]) -> dict[str, Any]:
    """The same export as v1 wrote it: each event's fields, and its recorded time beside
    them (v1 took it from the chain's recorded_at; it equals the state's timestamp)."""
    events = []
    for event in document["events"]:
        if event.get("destroyed"):
            events.append(dict(event))
            continue
        record = json.loads(event["record"])
        proof = {"digest": event["digest"], "link": event["link"]}
        events.append({**record, "recorded_at": record["state"]["timestamp"], **proof})
    return {**document, "format": "planledger-export-v1", "events": events}
