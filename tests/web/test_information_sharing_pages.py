"""Information shared, on the pages: recorded from a form by the lead professional and by
an agency's practitioner, refused in words when a rule is broken, and read by the family
without what they were not told; in the printed copy too."""

from __future__ import annotations

from datetime import date, timedelta

from tests.evidence.pdf_text import pages_text
from tests.web.pages import csrf_token, event_count, sign_in


def record(client, plan_id, **fields):
    page = client.get(f"/plans/{plan_id}").text
    form = {
        "csrf_token": csrf_token(page),
        "information": "Attendance record for the term",
        "shared_with": "Ms Kerr, school nurse",
        "reason": "To plan support for her mornings",
        "necessary_because": "The nurse runs the morning check-in",
        "lawful_basis": "public_task",
        **fields,
    }
    return client.post(f"/plans/{plan_id}/information-sharing", data=form)


def test_the_demo_sharing_is_on_the_plan_with_its_basis_and_what_was_withheld(site):
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get(f"/plans/{site.plan_id}").text
    assert "Information shared" in page
    assert "summer playscheme co-ordinator" in page
    assert "Allowed by:</strong> Consent" in page
    assert "The GP&#39;s letter: not needed" in page


def test_a_practitioner_records_an_emergency_sharing_after_it_happened(site):
    with site.client() as client:
        sign_in(client, "practitioner")
        before = event_count(site.planning, site.plan_id)
        answer = record(
            client,
            site.plan_id,
            shared_with="Duty social worker, Edinburgh",
            lawful_basis="vital_interests",
            emergency="yes",
            occurred_on=(date.today() - timedelta(days=1)).isoformat(),
        )
        assert answer.status_code == 303, answer.text
        assert event_count(site.planning, site.plan_id) == before + 1
        page = client.get(answer.headers["location"]).text
    assert "Shared in an emergency" in page
    assert "Duty social worker, Edinburgh" in page


def test_consent_in_an_emergency_is_refused_in_words_and_nothing_is_written(site):
    with site.client() as client:
        sign_in(client, "lead")
        before = event_count(site.planning, site.plan_id)
        answer = record(client, site.plan_id, lawful_basis="consent", emergency="yes")
        assert answer.status_code == 422
        assert "shared without consent" in answer.text
        assert "Ms Kerr, school nurse" in answer.text  # what was typed is kept
        missing = record(client, site.plan_id, shared_with="")
        assert missing.status_code == 422
        assert "Who it was shared with is needed" in missing.text
    assert event_count(site.planning, site.plan_id) == before


def test_the_family_reads_what_they_were_told_of_and_no_form(site):
    with site.client() as client:
        sign_in(client, "lead")
        answer = record(
            client,
            site.plan_id,
            shared_with="Police Scotland concern hub",
            not_informed="yes",
            not_informed_because="Telling them could put her at risk",
        )
        assert answer.status_code == 303, answer.text
        assert "The family was not told" in client.get(f"/plans/{site.plan_id}").text
    for family in ("parent", "young_person"):
        with site.client() as client:
            sign_in(client, family)
            page = client.get(f"/plans/{site.plan_id}").text
            timeline = client.get(f"/plans/{site.plan_id}/timeline").text
            copy = " ".join(pages_text(client.get(f"/plans/{site.plan_id}/copy.pdf").content))
        assert "Who your information was shared with" in page
        assert "summer playscheme co-ordinator" in page
        assert "Police Scotland" not in page and "Police Scotland" not in timeline
        assert "Police Scotland" not in copy
        assert "playscheme" in copy
        assert 'id="form-sharing"' not in page
