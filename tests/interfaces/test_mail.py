"""Email from the outbox, sent to a real SMTP server (aiosmtpd) on each store: who is
told of what, what a message never holds, and that nothing is lost or sent twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from application.planning import ENCRYPTION_KEY
from domain.calendar import UK, today
from domain.events import (
    AddMember,
    AgreeOutcome,
    GiveNotice,
    NoticeGiven,
    OpenPlan,
    ReceiveCspRequest,
    RemoveMember,
    ScheduleReview,
    SetTarget,
)
from domain.notifications import Delivery
from domain.statutory import NoticeKind, Requester
from interfaces.documents.bundle import build_bundle
from interfaces.documents.plan_copy import render_plan_pdf
from interfaces.mail import SMTPTransport
from projections.engine.reading import ReadModels
from projections.engine.rebuild import rebuild
from projections.outbox.sender import MailSettings, _record_service, send_pending
from tests.evidence.pdf_text import pages_text
from tests.examples import (
    a_child,
    a_parent,
    a_plan_in,
    a_practitioner,
    an_officer,
    an_opening,
    as_caller,
    tomorrow,
)
from tests.interfaces.api import a_member, open_plan
from tests.interfaces.people import LEAD, PARENT

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
    outbox.set_preference(a_practitioner().id, Delivery.NEVER, None)
    outbox.set_preference(a_parent().id, Delivery.DAILY, None)
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


def test_a_sender_killed_while_sending_loses_nothing(
    make_planning, database_url, master_key, inbox
):
    """kill -9 mid-run, then a second run: every message arrives, and the only repeat
    possible (the one the server took just before the kill) has the same Message-ID."""
    planning = make_planning(**{ENCRYPTION_KEY: master_key})
    plan_id = a_plan_in(planning)
    lead = as_caller()
    therapists = [a_practitioner(user_id=f"u-salt-{n}") for n in range(3)]
    for person in therapists:
        joining = AddMember(
            user_id=person.id, role=person.role, name=person.name, email=f"{person.id}@nhs.example"
        )
        planning.change(plan_id, joining, lead)
    for days in range(30):
        planning.change(plan_id, ScheduleReview(next_review_on=tomorrow() + timedelta(days)), lead)
    ReadModels(planning).outbox()  # caught up: every message is in the outbox
    inbox.delay = 0.05
    env = {
        **os.environ,
        "PLANLEDGER_DATABASE_URL": database_url,
        "PLANLEDGER_ENCRYPTION_KEY": master_key,
        "PLANLEDGER_SMTP_URL": inbox.url,
    }
    command = [
        sys.executable,
        "-c",
        "from interfaces.cli import main; main()",
        "mail",
        "send-pending",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while len(inbox.messages) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(inbox.messages) >= 10, process.stderr.read() if process.poll() else "slow"
        process.kill()  # SIGKILL: no handler, no clean-up
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert len(inbox.messages) < 3 * 30, "killed before it finished"
    inbox.delay = 0.0
    rest = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert rest.returncode == 0, rest.stderr
    ids = [m["Message-ID"].strip() for m in inbox.messages]
    # 30 reviews booked for each of the 3, and the joinings each was on the plan for (3+2+1)
    assert len(set(ids)) == 3 * 30 + 6
    assert len(ids) - len(set(ids)) <= 1


def test_the_projector_sends_the_mail_as_it_projects(
    make_planning, database_url, master_key, inbox
):
    planning = make_planning(**{ENCRYPTION_KEY: master_key})
    plan_id = a_plan_in(planning)
    therapist = a_practitioner()
    joining = AddMember(
        user_id=therapist.id, role=therapist.role, name=therapist.name, email=SALT_MAIL
    )
    planning.change(plan_id, joining, as_caller())
    env = {
        **os.environ,
        "PLANLEDGER_DATABASE_URL": database_url,
        "PLANLEDGER_ENCRYPTION_KEY": master_key,
        "PLANLEDGER_SMTP_URL": inbox.url,
    }
    cli = "from interfaces.cli import main; main()"
    command = [sys.executable, "-c", cli, "project", "--poll", "0.1", "--mail-every", "0.2"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not inbox.to(SALT_MAIL) and time.monotonic() < deadline:
            time.sleep(0.05)
        process.terminate()
        out, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert inbox.to(SALT_MAIL), errors
    assert process.returncode == 0, errors
    assert b"Stopped." in out


def test_the_lead_is_reminded_weekly_and_warned_of_a_statutory_date(planning, inbox):
    lead = as_caller()
    plan_id = planning.open_plan(
        OpenPlan(**{**vars(an_opening()), "plan_type": "csp"}), lead
    ).plan_id
    planning.change(
        plan_id,
        ReceiveCspRequest(requested_by=Requester.PARENT_CARER),
        lead,
        occurred_on=today() - timedelta(weeks=8) + timedelta(days=5),
    )
    outbox = ReadModels(planning).outbox()
    lead_mail = "fiona@school.example"
    outbox.set_preference(lead.sub, Delivery.IMMEDIATELY, lead_mail)
    morning = datetime.now(UK).replace(hour=8, minute=0)  # any day's, after Monday 07:00

    def run(at):
        read_models = ReadModels(planning)
        with SMTPTransport(inbox.url) as smtp:
            return send_pending(
                planning,
                read_models.outbox(),
                smtp,
                SETTINGS,
                now=lambda: at,
                summaries=read_models.summaries(),
            )

    run(morning)
    mine = inbox.to(lead_mail)
    subjects = sorted(m["Subject"] for m in mine)
    assert len(mine) == 2, subjects
    weekly = next(m for m in mine if "within four weeks" in m["Subject"])
    text = weekly.get_payload(decode=True).decode()
    due_on = today() + timedelta(days=5)
    assert (
        f"Answer the request to establish whether a CSP is needed, due {due_on:%-d %B %Y}" in text
    )
    warning = next(m for m in mine if "a week away" in m["Subject"])
    assert "Isla" not in warning.as_string() + text
    # Once each: the same week's runs send neither again.
    run(morning + timedelta(hours=3))
    assert len(inbox.to(lead_mail)) == 2


def test_an_address_is_given_with_a_member_checked_and_kept_off_the_plan(client):
    plan_id = open_plan(client)
    url = f"/api/plans/{plan_id}"
    bad = client.post(
        f"{url}/members", json={**a_member(PARENT), "email": "morag"}, headers=LEAD.headers()
    )
    assert bad.status_code == 422
    assert any(e["loc"][-1] == "email" for e in bad.json()["errors"]), bad.json()
    good = {**a_member(PARENT), "email": PARENT_MAIL}
    assert client.post(f"{url}/members", json=good, headers=LEAD.headers()).status_code == 201
    for reader in (LEAD, PARENT):
        body = client.get(url, headers=reader.headers()).text
        assert PARENT_MAIL not in body


def test_a_notice_given_by_email_reaches_the_family_and_its_acceptance_is_recorded(planning, inbox):
    lead = as_caller()
    plan_id = planning.open_plan(
        OpenPlan(**{**vars(an_opening()), "plan_type": "csp"}), lead
    ).plan_id
    for actor, address in ((a_parent(), PARENT_MAIL), (a_practitioner(), SALT_MAIL)):
        joining = AddMember(user_id=actor.id, role=actor.role, name=actor.name, email=address)
        planning.change(plan_id, joining, lead)
    # A notice is a duty owed to the family: it goes to a parent who chose nothing.
    ReadModels(planning).outbox().set_preference(a_parent().id, Delivery.NEVER, None)
    _send(planning, inbox)
    inbox.messages.clear()
    notice = GiveNotice(
        kind=NoticeKind.REVIEW_PROPOSAL, to=("Morag Campbell",), method="email", by_email=True
    )
    planning.change(plan_id, notice, as_caller(an_officer()))
    _send(planning, inbox)

    (served,) = inbox.to(PARENT_MAIL)
    text = served.get_payload(decode=True).decode()
    subject = " ".join(served["Subject"].split())  # unfolded
    assert subject.startswith("Notice from ")
    assert subject.endswith("the authority proposes to review the plan")
    assert "This is a notice to you" in text and "Isla" not in served.as_string()
    # The therapist is told a notice was given, not sent the notice.
    (told,) = inbox.to(SALT_MAIL)
    assert " ".join(told["Subject"].split()).endswith("the authority officer gave a notice")

    (given,) = planning.get_plan(plan_id).notices
    (emailed,) = given.emailed
    assert emailed.message_id == served["Message-ID"].strip()
    assert emailed.to == a_parent().name and emailed.accepted_at is not None

    # Sent again after a crash before the outbox recorded it: the same Message-ID, recorded once.
    _, record = next(
        (n, r)
        for n, r in ReadModels(planning).outbox().deliveries(plan_id)
        if n.recipient == a_parent().id and n.event_type == "NoticeGiven"
    )
    again = _record_service(
        planning,
        next(e for e in planning.events.get(plan_id) if isinstance(e, NoticeGiven)),
        served,
        record,
        emailed.accepted_at,
    )
    assert again.state.value == "sent"
    assert len(planning.get_plan(plan_id).notices[0].emailed) == 1
    assert not _send(planning, inbox).states

    # The proof of service is in the printed plan and the tribunal's bundle.
    plan = planning.get_plan(plan_id)
    copy = " ".join(pages_text(render_plan_pdf(plan, planning.stages)))
    bundle = " ".join(pages_text(build_bundle(planning, plan_id, today()).pdf))
    for document in (copy, bundle):
        assert "accepted by the mail server" in document
        assert emailed.message_id in document.replace(" ", "")
