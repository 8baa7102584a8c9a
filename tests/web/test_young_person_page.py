"""The young person's own page: their plan in the first person and plain words, with the
plan's terms explained, everything the family page lets them do, and no cost; a parent
still reads the family page."""

from __future__ import annotations

from html import unescape

from domain.access import Caller
from domain.events import AddMember
from domain.values import Role, Whose
from interfaces.demo import DEMO_USERS
from interfaces.web.glossary import GLOSSARY, terms_in
from tests.web.pages import csrf_token, event_count, forms_on, sign_in
from tests.web.test_csp_pages import demo_csps

HEADINGS = (
    "<h1>My plan</h1>",
    "What I am good at, and what is going well",
    "What we are working on",
    "Who helps me and how",
    "When we next meet to talk about my plan",
    "What I said",
    "Words in my plan",
)


def page_for(site, user: str, plan_id=None) -> str:
    with site.client() as client:
        sign_in(client, user)
        answer = client.get(f"/plans/{plan_id or site.plan_id}")
    assert answer.status_code == 200, answer.text
    return answer.text


def words(page: str) -> str:
    """The page's text as read, entities and all: "Child's", not "Child&#39;s"."""
    return unescape(page)


def test_a_young_person_reads_their_plan_in_the_first_person(site):
    plan = site.planning.get_plan(site.plan_id)
    page = words(page_for(site, "young_person"))
    for heading in HEADINGS:
        assert heading in page
    assert "Isla Campbell's plan" not in page
    assert "This is my Individualised educational programme (IEP)." in page
    # Every target, in its own words, and whether it is done.
    for target in plan.targets.values():
        assert target.text in page
    achieved = [t for t in plan.targets.values() if t.status.value == "achieved"]
    assert achieved and "Done!" in page
    assert f"I did it: {achieved[0].text}" in page
    # The help in plain words: what, how often, who gives it.
    assert "Colourful semantics programme</strong>, 3 x 20 min per week. Who helps:" in page
    assert "The main person to talk to about my plan (my lead professional)" in page


def test_the_young_person_page_explains_the_words_its_plan_uses_and_only_those(site):
    page = words(page_for(site, "young_person"))
    words_part = page[page.index('id="words"') :]
    # The demo's help was suggested by the EP and the SALT, given by an HLTA, for P7.
    for term in ("EP", "SALT", "HLTA", "P7", "P1", "IEP", "NHS"):
        assert f"<dt>{term}</dt><dd>{GLOSSARY[term]}</dd>" in words_part, term
    assert "Educational psychologist: someone who finds out how you learn best" in words_part
    for term in ("Review", "Target", "Lead professional"):
        assert f"<dt>{term}</dt>" in words_part
    # Terms the plan does not use are not listed.
    for term in ("CAMHS", "GIRFEC", "EHCP", "SENCO", "OT", "S1", "Year 6"):
        assert f"<dt>{term}</dt>" not in words_part, term


def test_the_young_person_is_not_shown_what_the_help_costs(site):
    page = page_for(site, "young_person")
    assert "640.00" not in page and "900.00" not in page
    assert "School ASN budget" not in page and "Cost a year" not in page


def test_a_young_person_records_their_views_through_the_page_and_then_sees_them(site):
    text = "I like being a Buddy. The dining hall is still too loud."
    before = event_count(site.planning, site.plan_id)
    with site.client() as client:
        sign_in(client, "young_person")
        page = client.get(f"/plans/{site.plan_id}").text
        assert forms_on(page).panels == {"views"}
        assert 'type="hidden" name="whose" value="child"' in page
        answer = client.post(
            f"/plans/{site.plan_id}/views",
            data={"csrf_token": csrf_token(page), "whose": "child", "text": text},
        )
        assert answer.status_code == 303, answer.text
        after = client.get(answer.headers["location"]).text
    assert event_count(site.planning, site.plan_id) == before + 1
    views = site.planning.get_plan(site.plan_id).views
    assert views[-1].whose is Whose.CHILD and views[-1].text == text
    mine = words(after)[words(after).index('id="views-list"') :]
    assert text in mine[: mine.index("</ul>")]
    assert "Thank you: your views have been added to the plan." in words(after)


def test_a_young_person_keeps_their_rights_and_requests_on_a_csp(site):
    calum = demo_csps(site)["Calum Reid"]
    young = DEMO_USERS["young_person"]
    site.planning.change(
        calum,
        AddMember(user_id=young.id, role=Role.YOUNG_PERSON, name=young.name),
        Caller.of(DEMO_USERS["lead"]),
    )
    with site.client() as client:
        sign_in(client, "young_person")
        page = client.get(f"/plans/{calum}").text
        asked = client.post(
            f"/plans/{calum}/early-review-requests",
            data={"csrf_token": csrf_token(page), "requested_by": "young_person"},
        )
        assert asked.status_code == 303, asked.text
        after = client.get(f"/plans/{calum}").text
    assert "<h1>My plan</h1>" in page
    assert "Health and Education Chamber" in page
    assert 'data-notice="plan_copy"' in page
    assert "early_review_request" in forms_on(page).panels
    assert "early_review_request" not in forms_on(after).panels
    assert f"<dt>CSP</dt><dd>{GLOSSARY['CSP']}</dd>" in words(page)


def test_a_parent_still_reads_the_family_page(site):
    page = words(page_for(site, "parent"))
    assert "<h1>Isla Campbell's plan</h1>" in page
    assert "What we are working towards" in page and "Next review meeting" in page
    assert "Cost a year: £640.00, paid by School ASN budget." in page
    assert "Words in my plan" not in page and "<h1>My plan</h1>" not in page


def test_a_professional_still_reads_the_full_plan_page(site):
    page = words(page_for(site, "lead"))
    assert "Words in my plan" not in page and "<h1>My plan</h1>" not in page
    assert 'id="form-outcome"' in page


def test_terms_are_found_as_whole_words_abbreviations_only_as_written():
    def found(*texts: str) -> list[str]:
        return [term for term, _ in terms_in(texts)]

    assert found("Suggested by: EP.") == ["EP"]
    assert found("STEP", "ep", "step by step", "a deep breath") == []
    assert found("salt and pepper") == []
    assert found("Two EPs and the SALT") == ["EP", "SALT"]
    assert found("In P10", "Year 10") == ["Year 10"]
    assert found("by the end of P7") == ["P7"]
    assert found("Reviews are held", "the Lead Professional") == ["lead professional", "review"]
    assert found("Isla\u2019s child\u2019s plan") == ["Child's Plan"]
    assert found("", None) == []
