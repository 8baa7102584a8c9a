"""Sign-in with OpenID Connect against a small but real provider on a local port
(tests/web/fake_idp.py): the browser's redirects are followed by hand, the app's code
exchange and key fetch go over HTTP to the provider."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from interfaces.settings import Settings
from tests.web.fake_idp import FakeIdp
from tests.web.pages import Site


@pytest.fixture
def idp():
    with FakeIdp() as provider:
        yield provider


@pytest.fixture
def oidc_site(site, idp, database_url) -> Site:
    settings = Settings(
        database_url=database_url,
        oidc_issuer=idp.issuer,
        oidc_audience=idp.client_id,
        oidc_client_id=idp.client_id,
        oidc_client_secret=idp.client_secret,
        web_secret="web-secret-for-oidc-tests-0123456789",
    )
    return Site(planning=site.planning, plan_id=site.plan_id, settings=settings)


@contextmanager
def at_the_provider(client, next_path: str):
    """Start signing in; yield the provider's answer (where it sends the browser back)."""
    start = client.get("/sign-in/oidc", params={"next": next_path})
    assert start.status_code == 303
    assert start.headers["location"].startswith("http://127.0.0.1:")
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://localhost/sign-in/callback"]
    yield httpx.get(start.headers["location"], follow_redirects=False, timeout=5)


def back_at_the_app(client, provider_answer):
    back = urlsplit(provider_answer.headers["location"])
    assert back.path == "/sign-in/callback"
    return client.get(f"{back.path}?{back.query}")


def test_signing_in_with_the_organisation_lands_where_the_person_was_going(oidc_site, idp):
    with oidc_site.client() as client:
        page = client.get("/sign-in").text
        assert "Sign in with your organisation" in page
        assert 'name="user"' not in page  # no demo sign-in beside a real issuer
        with at_the_provider(client, f"/plans/{oidc_site.plan_id}") as answer:
            done = back_at_the_app(client, answer)
        assert done.status_code == 303, done.text
        assert done.headers["location"] == f"/plans/{oidc_site.plan_id}"
        plan = client.get(f"/plans/{oidc_site.plan_id}")
        assert plan.status_code == 200
        assert "Signed in as <strong>Fiona MacLeod</strong>" in plan.text
    assert idp.token_requests == 1


def test_the_answer_must_come_back_to_the_browser_that_asked(oidc_site, idp):
    with oidc_site.client() as client, oidc_site.client() as other:
        with at_the_provider(client, "/plans") as answer:
            stolen = back_at_the_app(other, answer)  # no state cookie in this browser
        assert stolen.status_code == 400
        assert "try again" in stolen.text
        assert "planledger_session" not in stolen.headers.get("set-cookie", "")
        with at_the_provider(client, "/plans") as answer:
            location = answer.headers["location"].replace("state=", "state=x")
            tampered = client.get(location.removeprefix("http://localhost"))
        assert tampered.status_code == 400
        assert "does not belong to this browser" in tampered.text


def test_a_code_is_good_once(oidc_site, idp):
    with oidc_site.client() as client, oidc_site.client() as replayer:
        with at_the_provider(client, "/plans") as answer:
            # Someone who also holds the browser's state cookie replays the answer.
            replayer.cookies.set("planledger_oidc", client.cookies["planledger_oidc"])
            assert back_at_the_app(client, answer).status_code == 303
            replay = back_at_the_app(replayer, answer)
        assert replay.status_code == 400
        assert "refused to complete" in replay.text
    assert idp.token_requests == 2


def test_a_token_not_issued_for_this_sign_in_is_refused(oidc_site, idp):
    idp.nonce_override = "a-nonce-from-another-sign-in"
    with oidc_site.client() as client:
        with at_the_provider(client, "/plans") as answer:
            done = back_at_the_app(client, answer)
        assert done.status_code == 400
        assert "not issued for this sign-in" in done.text
        assert client.get("/plans").status_code == 303  # still not signed in


def test_a_person_without_a_role_is_told_why_they_cannot_sign_in(oidc_site, idp):
    idp.user = {"sub": "u-someone", "name": "Someone"}
    with oidc_site.client() as client:
        with at_the_provider(client, "/plans") as answer:
            done = back_at_the_app(client, answer)
        assert done.status_code == 400
        assert "claims are incomplete or invalid" in done.text


def test_the_demo_sign_in_is_off_beside_a_real_issuer(oidc_site):
    with oidc_site.client() as client:
        page = client.get("/sign-in")
        token = (
            page.text.split('name="csrf_token" value="')[1].split('"')[0]
            if ('name="csrf_token"' in page.text)
            else ""
        )
        answer = client.post("/sign-in", data={"csrf_token": token, "user": "lead"})
        assert answer.status_code == 404
        assert "planledger_session" not in answer.headers.get("set-cookie", "")
