"""tools/verify_export.py on an export large enough for it to check events on several
cores: it must still name the first bad position, whichever part of the work finds it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from application.persistence.chain import CHAIN_VERSION, digest, event_record, genesis, next_link
from tests.evidence.verifiers import stdlib_verify

EVENTS = 24_000  # over the tool's threshold for working in parallel (20,000)


@pytest.fixture(scope="module")
def large_export() -> str:
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
        record = event_record(plan_id, position, topic, state)
        d = digest(record)
        previous = next_link(previous, d)
        events.append(
            {**record, "recorded_at": at.isoformat(), "digest": d.hex(), "link": previous.hex()}
        )
    return json.dumps(
        {
            "format": "planledger-export-v1",
            "chain": CHAIN_VERSION,
            "plan_id": plan_id,
            "events": events,
            "head": {"position": EVENTS, "link": previous.hex()},
        }
    )


def verify(tmp_path, document: dict) -> tuple[int, str]:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    return stdlib_verify(path)


def test_a_large_intact_export_verifies(large_export, tmp_path):
    code, out = verify(tmp_path, json.loads(large_export))
    assert code == 0 and f"intact: {EVENTS} events" in out, out


def test_a_change_deep_in_a_large_export_is_named(large_export, tmp_path):
    document = json.loads(large_export)
    document["events"][17_499]["state"]["note"] = "Session missed"
    code, out = verify(tmp_path, document)
    assert (code, "position 17500:" in out) == (1, True), out


def test_the_earlier_of_a_bad_link_and_a_later_bad_content_is_named(large_export, tmp_path):
    document = json.loads(large_export)
    document["events"][12_000]["link"] = "00" * 32  # position 12001
    document["events"][12_001]["state"]["note"] = "Changed"  # position 12002, same chunk
    document["events"][20_000]["position"] = 1  # and a later one, in another chunk
    code, out = verify(tmp_path, document)
    assert (code, "position 12001:" in out) == (1, True), out
