"""The pages in-process: sign-in, CSRF, what each role is shown, refusals, the access log."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from uuid import UUID

from domain.access import Caller
from domain.calendar import today
from domain.events import AppendContribution, ClosePlan, GrantDisclosure, PrepareCsp, SetTarget
from interfaces.demo import DEMO_USERS
from tests.examples import an_officer
from tests.web.pages import csrf_token, event_count, forms_on, sign_in

LEAD_FORMS = {
    "outcome",
    "target",
    "revision",
    "evaluation",
    "provision",
    "review",
    "stage",
    "agency",
    "contribution",
    "views",
    "member",
    "member_removal",
    "agency_leaving",
    "disclosure",
    "close",
    "chronology",
    "sharing",
    "delivery",
    "provision_end",
    "share",
    "bundle",
    "document",
}
PRACTITIONER_FORMS = {
    "target",
    "evaluation",
    "provision",
    "contribution",
    "chronology",
    "sharing",
    "delivery",
    "document",
}


def test_the_front_door_leads_to_sign_in_then_to_my_plans(site):
    with site.client() as client:
        assert client.get("/").headers["location"] == "/sign-in"
        sign_in(client, "lead")
        assert client.get("/").headers["location"] == "/plans"
        page = client.get("/plans")
        assert page.status_code == 200
        assert "Isla Campbell" in page.text
        assert f'data-plan-id="{site.plan_id}"' in page.text


def test_a_page_without_a_session_asks_to_sign_in_and_comes_back(site):
    with site.client() as client:
        answer = client.get(f"/plans/{site.plan_id}/timeline")
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/sign-in?next=%2Fplans%2F{site.plan_id}%2Ftimeline"


def test_a_form_sent_without_a_session_writes_nothing_and_asks_to_sign_in(site):
    before = event_count(site.planning, site.plan_id)
    with site.client() as client:
        answer = client.post(
            f"/plans/{site.plan_id}/views", data={"whose": "parent_carer", "text": "Hello"}
        )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?next=%2Fplans"
    assert event_count(site.planning, site.plan_id) == before


def test_a_bad_session_cookie_is_not_a_session(site):
    with site.client() as client:
        client.cookies.set("planledger_session", "not-a-token")
        answer = client.get("/plans")
        assert answer.status_code == 303
        assert "message=ended" in answer.headers["location"]


def test_the_session_cookie_is_httponly_lax_and_secure_except_on_local_http(site):
    with site.client() as client:
        sign_in(client, "lead")
    with site.client() as client:
        page = client.get("/sign-in")
        answer = client.post("/sign-in", data={"csrf_token": csrf_token(page.text), "user": "lead"})
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    with site.client(base_url="https://plans.example.org") as client:
        page = client.get("/sign-in")
        answer = client.post("/sign-in", data={"csrf_token": csrf_token(page.text), "user": "lead"})
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_sign_in_refuses_a_form_without_its_csrf_token(site):
    with site.client() as client:
        client.get("/sign-in")
        answer = client.post("/sign-in", data={"user": "lead"})
        assert answer.status_code == 403
        assert "security token" in answer.text
        assert "planledger_session" not in answer.headers.get("set-cookie", "")


def test_sign_in_never_redirects_off_the_site(site):
    with site.client() as client:
        page = client.get("/sign-in")
        answer = client.post(
            "/sign-in",
            data={"csrf_token": csrf_token(page.text), "user": "lead", "next": "//evil.example/x"},
        )
        assert answer.headers["location"] == "/plans"


def test_a_write_without_a_csrf_token_is_refused_and_writes_nothing(site):
    before = event_count(site.planning, site.plan_id)
    with site.client() as client:
        sign_in(client, "lead")
        answer = client.post(
            f"/plans/{site.plan_id}/contributions", data={"kind": "observation", "text": "Forged"}
        )
        assert answer.status_code == 403
        assert "Nothing was saved" in answer.text
    assert event_count(site.planning, site.plan_id) == before


def test_a_csrf_token_from_another_session_or_browser_is_refused(site):
    before = event_count(site.planning, site.plan_id)
    form = {"kind": "observation", "text": "Sent with the wrong token"}
    with site.client() as first, site.client() as second:
        sign_in(first, "lead")
        first_token = csrf_token(first.get(f"/plans/{site.plan_id}").text)
        # The same browser, after signing in again: the old token was for the old session.
        sign_in(first, "practitioner")
        answer = first.post(
            f"/plans/{site.plan_id}/contributions", data={**form, "csrf_token": first_token}
        )
        assert answer.status_code == 403
        assert "before you signed in or out" in answer.text
        # Another browser, signed in as the same person: its nonce cookie differs.
        sign_in(second, "practitioner")
        answer = second.post(
            f"/plans/{site.plan_id}/contributions", data={**form, "csrf_token": first_token}
        )
        assert answer.status_code == 403
        # A token altered by hand.
        answer = second.post(
            f"/plans/{site.plan_id}/contributions",
            data={**form, "csrf_token": first_token[:-2] + "xx"},
        )
        assert answer.status_code == 403
    assert event_count(site.planning, site.plan_id) == before


def test_each_role_is_shown_only_the_forms_its_role_allows(site):
    shown = {}
    with site.client() as client:
        for user in ("lead", "practitioner", "parent", "young_person"):
            sign_in(client, user)
            page = client.get(f"/plans/{site.plan_id}")
            assert page.status_code == 200, user
            shown[user] = forms_on(page.text).panels
    assert shown["lead"] == LEAD_FORMS
    assert shown["practitioner"] == PRACTITIONER_FORMS
    assert shown["parent"] == {"views"}
    assert shown["young_person"] == {"views"}


def test_families_see_the_plain_language_page_and_only_their_own_kinds_of_views(site):
    with site.client() as client:
        sign_in(client, "parent")
        page = client.get(f"/plans/{site.plan_id}").text
        assert "What we are working towards" in page
        assert "Next review meeting" in page
        # What the support costs, and who pays, is the parent's to know; not the child's.
        assert "Cost a year: £640.00, paid by School ASN budget." in page
        assert "(2 times a week, 30 minutes each)" in page
        provisions = site.planning.get_plan(site.plan_id).provisions.values()
        in_place = sum(p.cost or 0 for p in provisions if p.ended_on is None)
        assert f"All of this costs £{in_place:.2f} a year." in page
        assert 'id="views-whose-parent_carer"' in page and 'id="views-whose-child"' in page
        sign_in(client, "young_person")
        page = client.get(f"/plans/{site.plan_id}").text
        assert 'type="hidden" name="whose" value="child"' in page
        assert "views-whose-parent_carer" not in page
        assert "640.00" not in page and "School ASN budget" not in page


def test_a_family_member_cannot_write_what_their_role_does_not_allow(site):
    before = event_count(site.planning, site.plan_id)
    with site.client() as client:
        sign_in(client, "parent")
        token = csrf_token(client.get(f"/plans/{site.plan_id}").text)
        outcome_id = next(iter(site.planning.get_plan(site.plan_id).outcomes))
        answer = client.post(
            f"/plans/{site.plan_id}/targets",
            data={
                "csrf_token": token,
                "outcome_id": str(outcome_id),
                "text": "A target",
                "due_on": (today() + timedelta(days=30)).isoformat(),
            },
        )
        assert answer.status_code == 403
        assert "does not allow" in answer.text
        sign_in(client, "young_person")
        token = csrf_token(client.get(f"/plans/{site.plan_id}").text)
        answer = client.post(
            f"/plans/{site.plan_id}/views",
            data={"csrf_token": token, "whose": "parent_carer", "text": "Posing as mum"},
        )
        assert answer.status_code == 403
    assert event_count(site.planning, site.plan_id) == before


def test_a_practitioner_whose_agency_has_not_joined_sees_no_plan(site):
    with site.client() as client:
        sign_in(client, "outsider")
        page = client.get("/plans")
        assert "Isla Campbell" not in page.text
        assert 'id="no-plans"' in page.text
        for path in ("", "/timeline", "/progress"):
            answer = client.get(f"/plans/{site.plan_id}{path}")
            assert answer.status_code == 404
            assert "Isla" not in answer.text


def test_a_refused_rule_is_shown_in_plain_words_and_the_typed_text_is_kept(site):
    before = event_count(site.planning, site.plan_id)
    text = "Say 'hello' to a new child <b>every</b> morning for a week"
    yesterday = (today() - timedelta(days=1)).isoformat()
    with site.client() as client:
        sign_in(client, "lead")
        token = csrf_token(client.get(f"/plans/{site.plan_id}").text)
        outcome_id = next(iter(site.planning.get_plan(site.plan_id).outcomes))
        answer = client.post(
            f"/plans/{site.plan_id}/targets",
            data={
                "csrf_token": token,
                "outcome_id": str(outcome_id),
                "text": text,
                "due_on": yesterday,
                "success_criteria": "Seen by the class teacher",
            },
        )
    assert answer.status_code == 409
    assert "The due date must be after the date it happened." in answer.text
    fields = forms_on(answer.text).fields
    assert fields["target-text"] == text  # kept exactly, and escaped in the page
    assert "<b>every</b>" not in answer.text
    assert fields["target-due_on"] == yesterday
    assert fields["target-success_criteria"] == "Seen by the class teacher"
    assert 'id="form-target" open' in answer.text
    assert event_count(site.planning, site.plan_id) == before


def test_invalid_input_names_the_field_and_keeps_the_rest(site):
    with site.client() as client:
        sign_in(client, "lead")
        token = csrf_token(client.get(f"/plans/{site.plan_id}").text)
        answer = client.post(
            f"/plans/{site.plan_id}/outcomes",
            data={"csrf_token": token, "text": "I will join a lunchtime club", "area": "  "},
        )
    assert answer.status_code == 422
    assert "The area of need is needed." in answer.text
    assert forms_on(answer.text).fields["outcome-text"] == "I will join a lunchtime club"


def test_a_double_submitted_form_writes_once(site):
    before = event_count(site.planning, site.plan_id)
    with site.client() as client:
        sign_in(client, "practitioner")
        token = csrf_token(client.get(f"/plans/{site.plan_id}").text)
        form = {
            "csrf_token": token,
            "idempotency_key": "k-123",
            "kind": "observation",
            "text": "Used the now/next board without prompting",
        }
        first = client.post(f"/plans/{site.plan_id}/contributions", data=form)
        second = client.post(f"/plans/{site.plan_id}/contributions", data=form)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert event_count(site.planning, site.plan_id) == before + 1


def test_a_review_records_one_evaluation_per_target_given(site):
    plan = site.planning.get_plan(site.plan_id)
    evaluated, skipped = plan.open_targets()[:2]
    with site.client() as client:
        sign_in(client, "lead")
        token = csrf_token(client.get(f"/plans/{site.plan_id}").text)
        answer = client.post(
            f"/plans/{site.plan_id}/reviews",
            data={
                "csrf_token": token,
                "held_on": today().isoformat(),
                "attendees": "Fiona MacLeod\nMorag Campbell (mum)\n",
                "summary": "Going well",
                f"progress:{evaluated.id}": "achieved",
                f"impact:{evaluated.id}": "Every day",
                f"progress:{skipped.id}": "",
                f"impact:{skipped.id}": "",
                "next_review_on": (today() + timedelta(days=90)).isoformat(),
            },
        )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/plans/{site.plan_id}?done=review#review-")
    after = site.planning.get_plan(site.plan_id)
    assert after.reviews[-1].attendees == ("Fiona MacLeod", "Morag Campbell (mum)")
    assert after.targets[evaluated.id].evaluations[-1].impact == "Every day"
    assert after.targets[skipped.id].evaluations == skipped.evaluations


def test_reading_pages_is_written_to_the_plans_access_log(site):
    with site.client() as client:
        sign_in(client, "practitioner")
        client.get(f"/plans/{site.plan_id}")
        client.get(f"/plans/{site.plan_id}/timeline")
    actions = {(e.user_id, e.action) for e in site.planning.access_log(site.plan_id)}
    assert ("u-priya", "GET /plans/{plan_id}") in actions
    assert ("u-priya", "GET /plans/{plan_id}/timeline") in actions


def test_the_timeline_is_newest_first_and_marks_entries_made_late(site):
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get(f"/plans/{site.plan_id}/timeline").text
    positions = [int(p) for p in re.findall(r'data-position="(\d+)"', page)]
    assert positions == sorted(positions, reverse=True)
    assert len(positions) == event_count(site.planning, site.plan_id)
    assert 'data-backdated="true"' in page  # the demo was entered today about the past year
    assert "Fiona MacLeod (Lead professional)" in page


def test_a_long_timeline_comes_in_pages_that_add_up_to_every_entry(site):
    lead = Caller.of(DEMO_USERS["lead"])
    for n in range(120):
        site.planning.change(
            site.plan_id, AppendContribution(kind="observation", text=f"Note {n}"), lead
        )
    version = event_count(site.planning, site.plan_id)
    seen: list[int] = []
    pages: list[str] = []
    with site.client() as client:
        sign_in(client, "lead")
        path = f"/plans/{site.plan_id}/timeline"
        while path:
            page = client.get(path).text
            pages.append(page)
            shown = [int(p) for p in re.findall(r'data-position="(\d+)"', page)]
            assert 0 < len(shown) <= 100
            seen += shown
            older = re.search(r'href="(/plans/[^"]+/timeline\?before=\d+)"', page)
            path = unescape(older.group(1)) if older else ""
    assert seen == list(range(version, 0, -1))
    assert f"Entries {version} to {version - 99} of {version}" in pages[0]


def test_the_plan_as_it_stood_at_an_instant_leaves_out_later_entries(site):
    # The demo was recorded moments ago (about a past year), so "as it stood" is taken at
    # an instant between that recording and a new target.
    between = datetime.now(UTC)
    new_text = "Ask to join a game at break twice a week"
    outcome_id = next(iter(site.planning.get_plan(site.plan_id).outcomes))
    site.planning.change(
        site.plan_id,
        SetTarget(
            outcome_id=outcome_id,
            text=new_text,
            due_on=today() + timedelta(days=60),
        ),
        Caller.of(DEMO_USERS["lead"]),
    )
    with site.client() as client:
        sign_in(client, "lead")
        now = client.get(f"/plans/{site.plan_id}").text
        then = client.get(f"/plans/{site.plan_id}", params={"as_of": between.isoformat()}).text
        a_day_ago = client.get(
            f"/plans/{site.plan_id}", params={"as_of": (today() - timedelta(days=1)).isoformat()}
        )
    assert new_text in now
    assert "As it stood at" in then and "Isla Campbell" in then
    assert new_text not in then
    assert 'id="form-' not in then  # a past state is read-only
    # Nothing of this plan had been recorded yesterday: the page says so, and shows it as
    # we know today it stood then, never a dead end.
    assert a_day_ago.status_code == 200
    assert "Nothing of this plan had been recorded by" in unescape(a_day_ago.text)
    assert 'id="as-known"' in a_day_ago.text


def test_a_csp_opened_has_no_review_clock_until_an_officer_signs_it(site):
    with site.client() as client:
        sign_in(client, "lead")
        token = csrf_token(client.get("/plans").text)
        answer = client.post(
            "/plans",
            data={
                "csrf_token": token,
                "child_name": "Calum Reid",
                "date_of_birth": "2015-06-02",
                "plan_type": "csp",
                "stage": "specialist",
                "org": "school:st-ninians-primary",
            },
        )
        assert answer.status_code == 303
        location = answer.headers["location"]
        assert location.endswith("?done=open")
        unsigned = client.get(location).text
        plan_id = UUID(location.split("/")[2].split("?")[0])
        site.planning.change(plan_id, PrepareCsp(), Caller.of(an_officer()))
        plan_page = client.get(location).text
        mine = client.get("/plans").text
    assert "The plan is open." in unsigned
    assert 'data-clock="csp_review"' not in unsigned  # a draft is not yet a CSP (s.9)
    assert 'data-clock="csp_review" data-status="running"' in plan_page
    assert "ASL (Scotland) Act 2004 s.10(2)" in plan_page
    row = re.search(
        r'<tr data-plan-id="[^"]+" data-next-review="">\s*<th scope="row">'
        r'<a href="[^"]+">Calum Reid</a>.*?</tr>',
        mine,
        re.S,
    ).group(0)
    assert 'data-clock="csp_review"' in row


def test_opening_a_plan_is_for_lead_professionals_and_refusals_keep_the_form(site):
    with site.client() as client:
        sign_in(client, "lead")
        token = csrf_token(client.get("/plans").text)
        answer = client.post(
            "/plans",
            data={
                "csrf_token": token,
                "child_name": "Calum Reid",
                "date_of_birth": "2015-06-02",
                "plan_type": "iep",
                "stage": "no-such-stage",
                "org": DEMO_USERS["lead"].org,
            },
        )
        assert answer.status_code == 409
        assert "Stage 'no-such-stage' is not one the authority defines." in unescape(answer.text)
        assert forms_on(answer.text).fields["open-child_name"] == "Calum Reid"
        sign_in(client, "practitioner")
        page = client.get("/plans").text
        assert 'id="form-open"' not in page
        answer = client.post(
            "/plans",
            data={
                "csrf_token": csrf_token(page),
                "child_name": "Calum Reid",
                "date_of_birth": "2015-06-02",
                "plan_type": "iep",
                "stage": "additional",
                "org": "school:x",
            },
        )
        assert answer.status_code == 403


def test_a_reviewer_sees_a_plan_only_while_it_is_disclosed_to_them_and_may_not_change_it(site):
    with site.client() as client:
        sign_in(client, "reviewer")
        assert client.get(f"/plans/{site.plan_id}").status_code == 404
        site.planning.change(
            site.plan_id,
            GrantDisclosure(grantee="u-alasdair", purpose="Tribunal reference"),
            Caller.of(DEMO_USERS["lead"]),
        )
        page = client.get(f"/plans/{site.plan_id}")
        assert page.status_code == 200
        assert forms_on(page.text).panels == set()
        assert client.get(f"/plans/{site.plan_id}/timeline").status_code == 200
        assert "Isla Campbell" in client.get("/plans").text


def test_a_closed_plan_is_shown_without_forms(site):
    site.planning.change(
        site.plan_id, ClosePlan(), Caller.of(DEMO_USERS["lead"]), reason="Moved away"
    )
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get(f"/plans/{site.plan_id}")
        mine = client.get("/plans").text
    assert page.status_code == 200
    assert "This plan is closed: nothing more can be written to it." in page.text
    assert forms_on(page.text).panels == set()
    assert 'id="overdue"' not in mine and 'id="due"' not in mine  # no review is owed
    assert "Isla Campbell" in mine


def test_a_date_at_the_edge_of_the_calendar_is_not_a_date(site):
    with site.client() as client:
        sign_in(client, "lead")
        for as_of in ("9999-12-31", "0001-01-01T00:00:00+01:00", "2026-02-30"):
            answer = client.get(f"/plans/{site.plan_id}", params={"as_of": as_of})
            assert answer.status_code == 400, as_of
            assert "Not a date" in answer.text


def target_labels(page: str) -> dict[str, str]:
    """Each target's text -> its number, as the plan page heads it."""
    heads = r'<h4>(Target \d+)</h4>\s*<p class="target-text">(.*?)</p>'
    return {unescape(text): label for label, text in re.findall(heads, page, re.S)}


def test_targets_keep_their_numbers_when_one_is_added_earlier_and_late_ones_are_flagged(site):
    plan = site.planning.get_plan(site.plan_id)
    first_outcome = next(iter(plan.outcomes))
    with site.client() as client:
        sign_in(client, "lead")
        before = target_labels(client.get(f"/plans/{site.plan_id}").text)
        site.planning.change(
            site.plan_id,
            SetTarget(
                outcome_id=first_outcome,
                text="Say hello to the lollipop lady each morning",
                due_on=today() - timedelta(days=5),
            ),
            Caller.of(DEMO_USERS["lead"]),
            occurred_on=today() - timedelta(days=30),
        )
        page = client.get(f"/plans/{site.plan_id}").text
        mine = client.get("/plans").text
    after = target_labels(page)
    assert {text: after[text] for text in before} == before
    assert after["Say hello to the lollipop lady each morning"] == f"Target {len(before) + 1}"
    late = page[page.index("Say hello to the lollipop lady") :]
    late = late[late.index('<p class="meta">') :]  # the target's line under its text
    assert 'data-target-overdue="yes"' in late[: late.index("</p>")]
    row = mine[mine.index(f'data-plan-id="{site.plan_id}"') :]
    row = row[: row.index("</tr>")]
    overdue = len(site.planning.get_plan(site.plan_id).overdue_targets(today()))
    assert f'data-overdue-targets="{overdue}"' in row
    assert re.search(rf"{overdue} targets? overdue", row)


def test_the_plan_as_it_stood_says_what_was_entered_later_and_where_to_find_it(site):
    between = datetime.now(UTC)
    outcome_id = next(iter(site.planning.get_plan(site.plan_id).outcomes))
    site.planning.change(
        site.plan_id,
        SetTarget(outcome_id=outcome_id, text="Walk to class with a friend", due_on=today()),
        Caller.of(DEMO_USERS["lead"]),
        occurred_on=today() - timedelta(days=1),
    )
    with site.client() as client:
        sign_in(client, "lead")
        then = client.get(f"/plans/{site.plan_id}", params={"as_of": between.isoformat()}).text
        before = client.get(
            f"/plans/{site.plan_id}", params={"as_of": (today() - timedelta(days=1)).isoformat()}
        ).text
    note = then[then.index('id="entered-late"') :]
    assert "1 change dated on or before that day was entered later" in note
    assert "/timeline" in note[: note.index("</p>")]
    assert "Walk to class with a friend" not in then
    assert "it was first recorded on" in before and "timeline" in before


def test_the_plan_as_known_today_on_a_past_day_holds_what_happened_by_then_however_late(site):
    # The demo's year was all entered today: as recorded, 200 days ago there was nothing.
    plan = site.planning.get_plan(site.plan_id)
    day = today() - timedelta(days=200)
    held_by_then = [r for r in plan.reviews if r.held_on <= day]
    later_target = "Act as a Buddy to a P1 pupil at one break time each week"
    with site.client() as client:
        sign_in(client, "lead")
        known = client.get(f"/plans/{site.plan_id}", params={"on": day.isoformat()})
        recorded = client.get(f"/plans/{site.plan_id}", params={"as_of": day.isoformat()})
        chosen = client.get(
            f"/plans/{site.plan_id}", params={"as_of": day.isoformat(), "view": "on"}
        )
        timeline = client.get(f"/plans/{site.plan_id}/timeline").text
    assert known.status_code == 200
    banner = unescape(known.text[known.text.index('id="as-known"') :])
    assert "As we know today it stood on" in banner
    assert f"?as_of={day.isoformat()}" in banner  # the other reading, one click away
    assert later_target not in known.text
    assert held_by_then and all(unescape(r.summary) in unescape(known.text) for r in held_by_then)
    assert len(re.findall('class="target"', known.text)) < len(
        re.findall('class="target"', client_page(site))
    )
    # As recorded, nothing existed then: the page says so and shows the other reading.
    assert recorded.status_code == 200
    assert "Nothing of this plan had been recorded by" in unescape(recorded.text)
    assert 'id="as-known"' in recorded.text and later_target not in recorded.text
    assert chosen.status_code == 200 and 'id="as-known"' in chosen.text
    assert 'name="view" value="on"' in timeline


def test_a_day_before_the_plan_was_opened_is_explained(site):
    opened = site.planning.get_plan(site.plan_id).opened_on
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get(
            f"/plans/{site.plan_id}", params={"on": (opened - timedelta(days=1)).isoformat()}
        )
    assert page.status_code == 404 and "there was no plan on that day" in page.text


def client_page(site) -> str:
    with site.client() as client:
        sign_in(client, "lead")
        return client.get(f"/plans/{site.plan_id}").text


def test_a_parent_reads_what_was_agreed_at_each_review(site):
    plan = site.planning.get_plan(site.plan_id)
    with site.client() as client:
        sign_in(client, "parent")
        page = client.get(f"/plans/{site.plan_id}").text
    section = page[page.index('id="family-reviews"') :]
    for review in plan.reviews:
        assert unescape(review.summary) in unescape(section)


def test_a_browser_gets_a_page_for_an_address_that_is_none_and_the_api_a_problem(site):
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get("/no-such-page", headers={"Accept": "text/html"})
        api = client.get("/api/no-such-thing", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")


def test_opening_a_second_plan_for_a_child_warns_first_and_opens_when_meant(site):
    child = site.planning.get_plan(site.plan_id).child
    form = {
        "child_name": f"  {child.name.upper()} ",
        "date_of_birth": child.date_of_birth.isoformat(),
        "plan_type": "childs_plan",
        "stage": "targeted",
        "org": "school:st-ninians-primary",
    }
    with site.client() as client:
        sign_in(client, "lead")
        before = event_count(site.planning, site.plan_id)
        warned = client.post(
            "/plans", data={"csrf_token": csrf_token(client.get("/plans").text), **form}
        )
        assert warned.status_code == 409
        assert "already open" in warned.text
        assert f'href="/plans/{site.plan_id}"' in warned.text
        assert 'name="another_plan"' in warned.text
        meant = client.post(
            "/plans",
            data={"csrf_token": csrf_token(warned.text), **form, "another_plan": "yes"},
        )
        assert meant.status_code == 303, meant.text[:300]
    assert event_count(site.planning, site.plan_id) == before
