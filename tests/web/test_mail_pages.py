"""Email on the pages: each person chooses what they receive, and the lead professional
sees what was sent about a plan and what could not be."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from domain.access import Caller
from domain.calendar import today
from domain.events import ScheduleReview
from interfaces.demo import DEMO_USERS, demo_mail
from interfaces.mail import SMTPTransport
from projections.engine.reading import ReadModels
from projections.outbox.sender import MailSettings, send_pending
from tests.web.pages import csrf_token, sign_in

SETTINGS = MailSettings(sender="planledger@council.example", base_url="http://localhost")


def _send(site, inbox) -> None:
    with SMTPTransport(inbox.url) as smtp:
        send_pending(
            site.planning,
            ReadModels(site.planning).outbox(),
            smtp,
            SETTINGS,
            now=lambda: datetime.now(UTC),
        )


def test_a_parent_chooses_nothing_and_is_sent_nothing(site, inbox):
    parent = DEMO_USERS["parent"]
    with site.client() as client:
        sign_in(client, "parent")
        page = client.get("/settings/notifications")
        assert 'value="immediately" checked' in page.text
        saved = client.post(
            "/settings/notifications",
            data={"csrf_token": csrf_token(page.text), "delivery": "never"},
        )
        assert saved.status_code == 303
        again = client.get(saved.headers["location"]).text
        assert 'value="never" checked' in again and 'id="saved"' in again
        refused = client.post(
            "/settings/notifications",
            data={"csrf_token": csrf_token(again), "delivery": "hourly"},
        )
        assert refused.status_code == 422
    site.planning.change(
        site.plan_id,
        ScheduleReview(next_review_on=today() + timedelta(days=14)),
        Caller.of(DEMO_USERS["lead"]),
    )
    _send(site, inbox)
    assert inbox.messages, "the others on the plan are told"
    assert not inbox.to(demo_mail(parent))


def test_the_lead_professional_sees_what_was_sent_and_the_family_does_not(site, inbox):
    site.planning.change(
        site.plan_id,
        ScheduleReview(next_review_on=today() + timedelta(days=14)),
        Caller.of(DEMO_USERS["lead"]),
    )
    _send(site, inbox)
    assert inbox.to(demo_mail(DEMO_USERS["parent"]))
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get(f"/plans/{site.plan_id}").text
        listed = page[page.index('id="mail-list"') :]
        listed = listed[: listed.index("</table>")]
        assert DEMO_USERS["parent"].name in listed
        assert 'data-mail-state="sent"' in listed and "Someone booked a review" in listed
    with site.client() as client:
        sign_in(client, "parent")
        assert 'id="mail-list"' not in client.get(f"/plans/{site.plan_id}").text


def test_metrics_count_the_mail_sent_and_waiting(site, inbox):
    with site.client() as client:
        before = client.get("/metrics")
        assert before.status_code == 200
        assert 'planledger_mail_messages_total{authority="",state="sent"} 0.0' in before.text
        _send(site, inbox)
        after = client.get("/metrics").text
    sent = re.search(r'planledger_mail_messages_total\{authority="",state="sent"\} (\S+)', after)
    assert sent and float(sent.group(1)) == len(inbox.messages) > 0
    assert 'planledger_mail_waiting{authority="",state="pending"} 0.0' in after
    assert "u-" not in after and "@" not in after  # counts only: no person, no address


def test_a_person_gives_their_own_address_and_a_bad_one_is_named(site):
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get("/settings/notifications").text
        bad = client.post(
            "/settings/notifications",
            data={"csrf_token": csrf_token(page), "delivery": "daily", "address": "fiona@"},
        )
        assert bad.status_code == 422
        assert "Your email address must look like" in bad.text and 'value="fiona@"' in bad.text
        good = client.post(
            "/settings/notifications",
            data={
                "csrf_token": csrf_token(bad.text),
                "delivery": "daily",
                "address": "fiona@school.example",
            },
        )
        assert good.status_code == 303
        shown = client.get("/settings/notifications").text
    assert 'value="fiona@school.example"' in shown and 'value="daily" checked' in shown
    chosen = ReadModels(site.planning).outbox().preference(DEMO_USERS["lead"].id)
    assert chosen.address == "fiona@school.example"
