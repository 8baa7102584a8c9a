"""tools/verify_export.py on a large export: it must still name the first bad position,
in the current format (one pass) and in v1 (whose per-event checks it spreads over every
core past 20,000 events, whichever part of the work finds the problem)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from application.evidence.export import EXPORT_FORMAT, exported_event
from application.persistence.chain import CHAIN_VERSION, digest, event_record, genesis, next_link
from tests.evidence.formats import as_v1
from tests.evidence.verifiers import stdlib_verify

EVENTS = 24_000  # over the tool's threshold for working in parallel on v1 (20,000)


@pytest.fixture(scope="module")
def large_v2() -> str:
    plan_id = str(uuid.uuid4())
    previous, at, events = genesis(plan_id), datetime(2025, 1, 1, tzinfo=UTC), []
    topic = "domain.plans:Plan.ProvisionDelivered"
    for position in range(1, EVENTS + 1):
        at += timedelta(seconds=7)
        state = {
            "timestamp": at.isoformat(),
            "sessions": 1,
            "note": f"Session {position}",
            "occurred_on": at.date().isoformat(),
            "reason": None,
        }
        d = digest(event_record(plan_id, position, topic, state))
        previous = next_link(previous, d)
        events.append(exported_event(plan_id, position, topic, state, d, previous))
    return json.dumps(
        {
            "format": EXPORT_FORMAT,
            "chain": CHAIN_VERSION,
            "plan_id": plan_id,
            "events": events,
            "head": {"position": EVENTS, "link": previous.hex()},
        }
    )


@pytest.fixture(params=["v2", "v1"])
def large_export(request, large_v2) -> dict:
    document = json.loads(large_v2)
    return document if request.param == "v2" else as_v1(document)


def change_note(event: dict, note: str) -> None:
    if "record" in event:  # v2: the text that was hashed
        record = json.loads(event["record"])
        record["state"]["note"] = note
        event["record"] = json.dumps(record, sort_keys=True, separators=(",", ":"))
    else:
        event["state"]["note"] = note


def verify(tmp_path, document: dict) -> tuple[int, str]:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    return stdlib_verify(path)


def test_a_large_intact_export_verifies(large_export, tmp_path):
    code, out = verify(tmp_path, large_export)
    assert code == 0 and f"intact: {EVENTS} events" in out, out


def test_a_change_deep_in_a_large_export_is_named(large_export, tmp_path):
    change_note(large_export["events"][17_499], "Session missed")
    code, out = verify(tmp_path, large_export)
    assert (code, "position 17500:" in out) == (1, True), out


def test_the_earlier_of_a_bad_link_and_a_later_bad_content_is_named(large_export, tmp_path):
    large_export["events"][12_000]["link"] = "00" * 32  # position 12001
    change_note(large_export["events"][12_001], "Changed")  # position 12002, same chunk
    large_export["events"][20_000]["position"] = 1  # and a later one, in another chunk
    code, out = verify(tmp_path, large_export)
    assert (code, "position 12001:" in out) == (1, True), out
