"""Email from the outbox, sent to a real SMTP server (aiosmtpd) on each store: who is
told of what, what a message never holds, and that nothing is lost or sent twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.calendar import UK
from domain.events import AddMember, AgreeOutcome, RemoveMember, ScheduleReview, SetTarget
from domain.notifications import Delivery
from interfaces.mail import SMTPTransport
from projections.engine.reading import ReadModels
from projections.engine.rebuild import rebuild
from projections.outbox.sender import MailSettings, send_pending
from tests.examples import a_child, a_parent, a_plan_in, a_practitioner, as_caller, tomorrow

SETTINGS = MailSettings(sender="planledger@council.example", base_url="https://pl.example")
PARENT_MAIL = "morag@family.example"
SALT_MAIL = "priya@nhs.example"


@pytest.fixture
def plan(planning):
    """A plan with a parent and a speech and language therapist, both with addresses."""
    plan_id = a_plan_in(planning, a_child("Isla Campbell"))
    lead = as_caller()
    for actor, address in ((a_parent(), PARENT_MAIL), (a_practitioner(), SALT_MAIL)):
        joining = AddMember(user_id=actor.id, role=actor.role, name=actor.name, email=address)
        planning.change(plan_id, joining, lead)
    return plan_id


def _send(planning, inbox, at: datetime | None = None):
    outbox = ReadModels(planning).outbox()
    with SMTPTransport(inbox.url) as smtp:
        return send_pending(planning, outbox, smtp, SETTINGS, now=lambda: at or datetime.now(UTC))


def test_each_change_tells_who_it_concerns_and_never_the_child(planning, plan, inbox):
    _send(planning, inbox)  # the joining messages
    inbox.messages.clear()
    outcome = AgreeOutcome(text="Isla talks with her friends", area="Communication")
    planning.change(plan, outcome, as_caller())
    target = SetTarget(outcome_id=outcome.outcome_id, text="Isla says hello", due_on=tomorrow())
    planning.change(plan, target, as_caller())
    planning.change(plan, ScheduleReview(next_review_on=tomorrow()), as_caller())
    _send(planning, inbox)

    therapist = [m["Subject"] for m in inbox.to(SALT_MAIL)]
    family = [m["Subject"] for m in inbox.to(PARENT_MAIL)]
    assert any("set a target" in s for s in therapist)
    assert any("booked a review" in s for s in therapist)
    # The family hears of the review, not of each target; the lead of nothing they did.
    assert family and all("booked a review" in s for s in family)
    assert {m["To"] for m in inbox.messages} == {SALT_MAIL, PARENT_MAIL}
    for message in inbox.messages:
        text = message["Subject"] + message.get_payload(decode=True).decode()
        assert "Isla" not in text and "Campbell" not in text and "2016" not in text
        assert "Fiona MacLeod (lead professional)" in text
        assert f"https://pl.example/plans/{plan}#" in text


def test_a_refusing_server_delays_messages_and_loses_none(planning, plan, inbox):
    inbox.refusing = True
    first = _send(planning, inbox)
    assert first.states["retry"] == 2 and not inbox.messages
    # Not before its wait: then both go, each once.
    inbox.refusing = False
    assert not _send(planning, inbox).states
    later = datetime.now(UTC) + timedelta(minutes=5)
    assert _send(planning, inbox, later).states["sent"] == 2
    assert sorted(m["To"] for m in inbox.messages) == [PARENT_MAIL, SALT_MAIL]
    assert not _send(planning, inbox, later + timedelta(hours=1)).states


def test_a_rebuilt_outbox_sends_nothing_again(planning, plan, inbox, database_url):
    _send(planning, inbox)
    sent = len(inbox.messages)
    assert sent == 2
    rebuild(planning.env, "outbox")
    assert _send(planning, inbox).states.get("sent", 0) == 0
    assert len(inbox.messages) == sent


def test_what_a_person_chooses_is_what_they_get(planning, plan, inbox):
    outbox = ReadModels(planning).outbox()
    outbox.set_preference(a_practitioner().id, Delivery.NEVER)
    outbox.set_preference(a_parent().id, Delivery.DAILY)
    early = datetime.now(UK).replace(hour=6, minute=0)
    done = _send(planning, inbox, early)
    assert not inbox.messages  # the parent's joining waits for the day's message
    assert done.states["held"] == 1 and "sent" not in done.states
    skipped = {
        note.recipient: record.outcome
        for note, record in outbox.deliveries(plan)
        if note.recipient != as_caller().sub  # the lead is never told of their own changes
    }
    assert skipped[a_practitioner().id] == "NOT_WANTED"
    planning.change(plan, ScheduleReview(next_review_on=tomorrow()), as_caller())
    _send(planning, inbox, early + timedelta(minutes=30))
    assert not inbox.messages
    morning = early + timedelta(hours=2)
    _send(planning, inbox, morning)
    (daily,) = inbox.messages
    assert daily["To"] == PARENT_MAIL and "2 changes" in daily["Subject"]
    assert "booked a review" in daily.get_payload(decode=True).decode()
    assert not _send(planning, inbox, morning + timedelta(hours=3)).states
    assert len(inbox.messages) == 1


def test_a_repeat_carries_the_same_message_id(planning, plan, inbox):
    """The id depends on the change and the person only: a message sent again after the
    sender died before recording it folds into the first in a mail client."""
    _send(planning, inbox)
    ids = sorted(m["Message-ID"] for m in inbox.messages)
    view = ReadModels(planning).outbox()
    with view.datastore.transaction(commit=True) as c:
        c.execute(f"DELETE FROM {_deliveries(view)}")
    _send(planning, inbox)
    again = sorted(m["Message-ID"] for m in inbox.messages[len(ids) :])
    assert again == ids


def _deliveries(view) -> str:
    shared = getattr(view, "shared", None)
    if shared:
        return shared["deliveries"]
    return f'"{view.datastore.schema}".outbox_deliveries'


def test_someone_who_left_the_plan_is_not_told(planning, plan, inbox):
    leaving = RemoveMember(user_id=a_practitioner().id)
    planning.change(plan, leaving, as_caller(), reason="Moved to another health board")
    _send(planning, inbox)
    assert [m["To"] for m in inbox.messages] == [PARENT_MAIL]
