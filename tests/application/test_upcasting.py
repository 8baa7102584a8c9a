"""Events stored under an older schema are upcast when read (the mapper's class_version)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import uuid4

import orjson
from eventsourcing.domain import event
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.base import Aggregate


class Referral(Aggregate):
    """A tiny aggregate whose creation event gained a field in its second version."""

    class Made(Aggregate.Created):
        class_version: ClassVar[int] = 2
        service: str
        urgency: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["urgency"] = "routine"

    @event(Made)
    def __init__(self, service: str, urgency: str) -> None:
        self.service = service
        self.urgency = urgency


def test_an_event_stored_before_a_field_existed_reads_with_the_upcast_default(planning):
    referral_id = uuid4()
    version_1 = {
        "timestamp": datetime.now(UTC).isoformat(),
        "originator_topic": get_topic(Referral),
        "service": "SALT",
    }
    planning.recorder.insert_events(
        [
            StoredEvent(
                originator_id=referral_id,
                originator_version=1,
                topic=get_topic(Referral.Made),
                state=orjson.dumps(version_1),
            )
        ]
    )
    referral = planning.repository.get(referral_id)
    assert (referral.service, referral.urgency) == ("SALT", "routine")


def test_an_event_stored_at_the_current_version_is_read_as_written(make_planning):
    writer, reader = make_planning(), make_planning()
    referral = Referral(service="CAMHS", urgency="urgent")
    writer.save(referral)
    [stored] = reader.recorder.select_events(referral.id)
    assert orjson.loads(stored.state)["class_version"] == 2
    assert reader.repository.get(referral.id).urgency == "urgent"
