"""Field limits and refusals on the pages (issue 15): each field says its limit and counts
toward it, the server refuses a longer value by the field's own name and the limit, and a
refused field is marked and has its message beside it, as well as in the summary."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from interfaces.http.schemas import OutcomeCreate, TargetCreate
from tests.web.pages import csrf_token, event_count, forms_on, sign_in

LONG_TEXT = TargetCreate.model_json_schema()["properties"]["text"]["maxLength"]
SHORT_TEXT = OutcomeCreate.model_json_schema()["properties"]["area"]["maxLength"]


class _Elements(HTMLParser):
    """Each element with an id: its attributes, and the text inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, dict[str, str]] = {}
        self.text: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.attrs[a["id"]] = a
            self.text[a["id"]] = ""
        if tag not in ("input", "br", "meta", "link", "img"):
            self._open.append((tag, a.get("id")))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element_id in self._open:
            if element_id:
                self.text[element_id] += data


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def described_by(element: dict[str, str]) -> list[str]:
    return element.get("aria-describedby", "").split()


def post_target(client, site, **fields: str):
    token = csrf_token(client.get(f"/plans/{site.plan_id}").text)
    outcome_id = next(iter(site.planning.get_plan(site.plan_id).outcomes))
    return client.post(
        f"/plans/{site.plan_id}/targets",
        data={"csrf_token": token, "outcome_id": str(outcome_id), "due_on": "", **fields},
    )


def test_a_textarea_and_a_line_of_text_carry_the_apis_limit_and_a_counter(site):
    assert (LONG_TEXT, SHORT_TEXT) == (20_000, 500)  # the macros' defaults follow these
    with site.client() as client:
        sign_in(client, "lead")
        page = elements(client.get(f"/plans/{site.plan_id}").text)
    for field, limit, words in (
        ("target-text", LONG_TEXT, "Up to 20,000 characters"),
        ("outcome-area", SHORT_TEXT, "Up to 500 characters"),
    ):
        assert page.attrs[field]["maxlength"] == str(limit)
        counter = page.attrs[f"{field}-count"]
        assert counter["class"] == "counter"
        assert counter["aria-live"] == "polite"
        assert counter["data-counts"] == field
        assert f"{field}-count" in described_by(page.attrs[field])
        assert page.text[f"{field}-count"] == words  # what it says without pages.js
    assert "target-text-hint" in described_by(page.attrs["target-text"])  # still there
    assert "maxlength" not in page.attrs["target-due_on"]  # a date has no length
    assert "aria-invalid" not in page.attrs["target-text"]


def test_a_value_over_the_limit_is_refused_by_the_fields_name_and_the_limit(site):
    before = event_count(site.planning, site.plan_id)
    with site.client() as client:
        sign_in(client, "lead")
        # Sent without a browser, so maxlength did not stop it.
        target = post_target(client, site, text="x" * 20_012, due_on="2099-01-01")
        token = csrf_token(client.get(f"/plans/{site.plan_id}").text)
        outcome = client.post(
            f"/plans/{site.plan_id}/outcomes",
            data={"csrf_token": token, "text": "I will join a club", "area": "a" * 5_012},
        )
    assert target.status_code == outcome.status_code == 422
    too_long = "is too long: at most {:,} characters (it has {:,})."
    assert f"The target {too_long.format(20_000, 20_012)}" in unescape(target.text)
    assert f"The area of need {too_long.format(500, 5_012)}" in unescape(outcome.text)
    assert forms_on(outcome.text).fields["outcome-text"] == "I will join a club"
    assert event_count(site.planning, site.plan_id) == before


def test_an_empty_field_is_named_by_its_label_on_that_form(site):
    before = event_count(site.planning, site.plan_id)
    with site.client() as client:
        sign_in(client, "lead")
        target = post_target(client, site, text="  ", due_on="2099-01-01")
        token = csrf_token(client.get(f"/plans/{site.plan_id}").text)
        views = client.post(
            f"/plans/{site.plan_id}/views",
            data={"csrf_token": token, "whose": "parent_carer", "text": ""},
        )
        contribution = client.post(
            f"/plans/{site.plan_id}/contributions",
            data={"csrf_token": token, "kind": "observation", "text": ""},
        )
    for answer, sentence in (
        (target, "The target is needed."),
        (views, "What was said is needed."),
        (contribution, "The contribution is needed."),
    ):
        assert answer.status_code == 422
        assert sentence in unescape(answer.text)
        assert "The text is needed" not in answer.text
    assert event_count(site.planning, site.plan_id) == before


def test_a_refused_field_is_marked_and_has_its_message_beside_it(site):
    with site.client() as client:
        sign_in(client, "lead")
        answer = post_target(client, site, text="", due_on="2099-01-01", success_criteria="ok")
    page = elements(answer.text)
    text = page.attrs["target-text"]
    assert text["aria-invalid"] == "true"
    assert described_by(text) == ["target-text-hint", "target-text-error", "target-text-count"]
    assert page.text["target-text-error"].strip() == "Error: The target is needed."
    summary = re.search(r'<div class="error-summary".*?</div>', answer.text, re.S)
    assert summary and "The target is needed." in summary.group(0)  # and at the top
    for fine in ("target-due_on", "target-success_criteria", "target-outcome_id"):
        assert "aria-invalid" not in page.attrs[fine]
        assert f"{fine}-error" not in page.attrs


def test_opening_a_plan_marks_the_childs_name_by_its_input(site):
    with site.client() as client:
        sign_in(client, "lead")
        token = csrf_token(client.get("/plans").text)
        answer = client.post(
            "/plans",
            data={
                "csrf_token": token,
                "child_name": "",
                "date_of_birth": "2015-06-02",
                "plan_type": "iep",
                "stage": "additional",
            },
        )
    assert answer.status_code == 422
    page = elements(answer.text)
    assert page.attrs["open-child_name"]["aria-invalid"] == "true"
    assert "open-child_name-error" in described_by(page.attrs["open-child_name"])
    assert "The child's name is needed." in unescape(page.text["open-child_name-error"])
