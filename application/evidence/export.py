"""A plan's history as one self-contained JSON document that a third party can verify
offline: every event as the exact chain record that was hashed, with its digest and link.

    {"format": "planledger-export-v2", "chain": "planledger-chain-v1", "plan_id": ...,
     "events": [{"position", "record", "digest", "link"}
                | {"position", "type", "digest", "link", "destroyed": true}],
     "head": {"position", "link"},
     "checkpoint": {"payload", "algorithm", "signature"}}   (when a signing key is set)

"record" is the event's canonical JSON (chain.py) as a string: the very text whose SHA-256
is the digest, so a verifier hashes it as it stands instead of rebuilding it from parsed
fields (v1 did that: three times the work on a large export, and a verifier's JSON encoder
had to agree with ours byte for byte). Read an event with json.loads(event["record"]):
{"plan_id", "position", "state", "type"}; its recorded time is the state's "timestamp".
v1 exports remain verifiable by both verifiers.

An event whose personal data was destroyed is exported without content: its digest and
link still prove that it existed, where, and that nothing around it changed. So is an
event this reader may not see ("withheld": true, without even its type: a disclosure).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from application.errors import PlanNotFoundError
from application.evidence.checkpoints import CheckpointSigner, Head
from application.persistence.chain import CHAIN_VERSION, canonical_bytes, event_record
from application.persistence.mapping import PlanMapper
from domain import access
from domain.access import Caller

EXPORT_FORMAT = "planledger-export-v2"
EXPORT_V1 = "planledger-export-v1"


def exported_event(
    plan_id: UUID | str,
    position: int,
    topic: str,
    state: dict[str, Any],
    digest: bytes,
    link: bytes,
) -> dict[str, Any]:
    """One event of a v2 export, with its content."""
    record = canonical_bytes(event_record(plan_id, position, topic, state)).decode()
    return {"position": position, "record": record, "digest": digest.hex(), "link": link.hex()}


def build_export(
    planning: Any,
    plan_id: UUID,
    *,
    reader: Caller | None = None,
    signer: CheckpointSigner | None = None,
    issued_at: datetime | None = None,
) -> dict[str, Any]:
    """The export of a plan's whole history, signed when a signer is given (or installed
    on the application as `checkpoint_signer`)."""
    mapper: PlanMapper = planning.mapper
    stored = planning.recorder.select_events(plan_id)
    if not stored:
        raise PlanNotFoundError(plan_id)
    # Links are written in the events' transaction, so every event read has one.
    links = {link.position: link for link in planning.chain(plan_id)}
    events = []
    for stored_event in stored:
        position = stored_event.originator_version
        link = links[position]
        state, destroyed = mapper.plain_state(stored_event)
        if not access.may_see_event(reader, stored_event.topic.rpartition(".")[2], state):
            # Withheld from this reader (domain/access.py): its digest and link still
            # prove that an event stood there and that nothing around it changed.
            events.append(
                {
                    "position": position,
                    "digest": link.digest.hex(),
                    "link": link.link.hex(),
                    "withheld": True,
                }
            )
            continue
        if destroyed:
            events.append(
                {
                    "position": position,
                    "type": stored_event.topic,
                    "digest": link.digest.hex(),
                    "link": link.link.hex(),
                    "destroyed": True,
                }
            )
        else:
            events.append(
                exported_event(plan_id, position, stored_event.topic, state, link.digest, link.link)
            )
    last = links[stored[-1].originator_version]
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "chain": CHAIN_VERSION,
        "plan_id": str(plan_id),
        "events": events,
        "head": {"position": last.position, "link": last.link.hex()},
    }
    signer = signer or getattr(planning, "checkpoint_signer", None)
    if signer is not None:
        document["checkpoint"] = signer.sign(
            [Head(plan_id=plan_id, position=last.position, link=last.link)],
            issued_at or datetime.now().astimezone(),
            log_position=planning.recorder.max_notification_id(),
        )
    return document
