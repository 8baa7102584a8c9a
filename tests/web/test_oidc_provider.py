"""Sign-in against a certified OpenID Connect provider (panva's oidc-provider, run with
Node.js by tests/web/certified_idp.py), not only our own tests/web/fake_idp.py: the
authorisation-code flow with PKCE, state and nonce end to end, then the API verifying the
provider's tokens against its JWKS, with both of the algorithms it accepts.

The browser is played by hand: the app's answers come from a TestClient, the provider's
pages from httpx. The app's code exchange and key fetches go over HTTP to the provider.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from interfaces.demo import DEMO_USERS
from interfaces.settings import Settings
from tests.web.certified_idp import CertifiedIdp, certified_idp
from tests.web.pages import Site

FIONA = DEMO_USERS["lead"]
FIONA_MAIL = "fiona.macleod@school.example"
ACCOUNTS = {
    FIONA.id: {
        "name": FIONA.name,
        "role": FIONA.role.value,
        "org": FIONA.org or "",
        "email": FIONA_MAIL,
    },
    "u-someone": {"name": "Someone Without A Role"},
}
CLIENT_ID = "planledger-web"
CLIENT_SECRET = "a-secret-of-the-planledger-client"
REDIRECT_URI = "http://localhost/sign-in/callback"
OTHER_API = "urn:planledger-tests:another-api"
SCOPES = "openid profile email planledger"  # the provider puts role and org under "planledger"


def provider(alg: str, *, client_secret: str = CLIENT_SECRET):
    return certified_idp(
        client_id=CLIENT_ID,
        client_secret=client_secret,
        redirect_uri=REDIRECT_URI,
        alg=alg,
        api_audience=OTHER_API,
        accounts=ACCOUNTS,
    )


@pytest.fixture(scope="module", params=["RS256", "ES256"])
def idp(request) -> Iterator[CertifiedIdp]:
    with provider(request.param) as started:
        yield started


@pytest.fixture
def database_url(sqlite_url) -> str:
    return sqlite_url  # the store plays no part in signing in: SQLite alone


def site_for(site: Site, idp: CertifiedIdp, **changes: object) -> Site:
    settings = Settings(
        **{
            "database_url": site.settings.database_url,
            "oidc_issuer": idp.issuer,
            "oidc_audience": idp.client_id,
            "oidc_client_id": idp.client_id,
            "oidc_client_secret": idp.client_secret,
            "oidc_scopes": SCOPES,
            "web_secret": "web-secret-for-oidc-provider-tests-0123456789",
            **changes,
        }
    )
    return Site(planning=site.planning, plan_id=site.plan_id, settings=settings)


@pytest.fixture
def oidc_site(site, idp) -> Site:
    return site_for(site, idp)


def sign_in(client, idp: CertifiedIdp, next_path: str, account: str = FIONA.id):
    """Start at the app, sign in at the provider, come back; the app's last answer and
    what the app asked the provider for."""
    start = client.get("/sign-in/oidc", params={"next": next_path})
    assert start.status_code == 303, start.text
    asked = parse_qs(urlsplit(start.headers["location"]).query)
    assert start.headers["location"].startswith(f"{idp.issuer}/")
    back = urlsplit(idp.sign_in(start.headers["location"], account))
    assert f"http://localhost{back.path}" == REDIRECT_URI
    answer = parse_qs(back.query)
    assert answer["state"] == asked["state"]
    assert answer["iss"] == [idp.issuer]  # RFC 9207: the provider names itself
    return client.get(f"{back.path}?{back.query}"), asked


def api_status(site: Site, token: str) -> int:
    with site.client() as api:  # a fresh app: nothing remembered, the keys fetched anew
        return api.get(
            f"/api/plans/{site.plan_id}", headers={"Authorization": f"Bearer {token}"}
        ).status_code


def test_a_person_signs_in_at_the_provider_and_lands_where_they_were_going(oidc_site, idp):
    with oidc_site.client() as client:
        done, asked = sign_in(client, idp, f"/plans/{oidc_site.plan_id}")
        assert done.status_code == 303, done.text
        assert done.headers["location"] == f"/plans/{oidc_site.plan_id}"
        plan = client.get(f"/plans/{oidc_site.plan_id}")
        assert plan.status_code == 200
        assert f"Signed in as <strong>{FIONA.name}</strong>" in plan.text
        token = client.cookies["planledger_session"]
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["redirect_uri"] == [REDIRECT_URI]
    assert asked["scope"] == [SCOPES]
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == idp.alg
    assert claims["iss"] == idp.issuer
    assert claims["aud"] == CLIENT_ID
    assert claims["nonce"] == asked["nonce"][0]
    assert (claims["sub"], claims["role"], claims["org"]) == (FIONA.id, FIONA.role.value, FIONA.org)
    assert "POST /token" in idp.requests
    assert "GET /jwks" in idp.requests


def test_the_address_the_provider_gives_is_where_the_person_is_emailed(oidc_site, idp):
    with oidc_site.client() as client:
        sign_in(client, idp, "/plans")
        page = client.get("/settings/notifications").text
    assert f'value="{FIONA_MAIL}"' in page


def test_the_api_accepts_the_id_token_the_provider_issued(oidc_site, idp):
    with oidc_site.client() as client:
        done, _ = sign_in(client, idp, "/plans")
        assert done.status_code == 303, done.text
        token = client.cookies["planledger_session"]
    fetched = idp.requests.count("GET /jwks")
    assert api_status(oidc_site, token) == 200
    assert idp.requests.count("GET /jwks") == fetched + 1


def test_a_token_the_provider_issued_for_another_api_is_refused(site, oidc_site, idp):
    token = idp.tokens(FIONA.id, resource=OTHER_API)["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["iss"], claims["aud"], claims["sub"]) == (idp.issuer, OTHER_API, FIONA.id)
    assert claims["role"] == FIONA.role.value  # a person's token in all but its audience
    assert api_status(oidc_site, token) == 401
    # ...and refused for its audience alone: an API that is that audience accepts it.
    assert api_status(site_for(site, idp, oidc_audience=OTHER_API), token) == 200


def _part(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unpart(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def another_subject(token: str) -> str:
    header, payload, signature = token.split(".")
    return ".".join([header, _part({**_unpart(payload), "sub": "u-priya"}), signature])


def another_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    flipped = "A" if signature[0] != "A" else "B"
    return ".".join([header, payload, flipped + signature[1:]])


def the_other_algorithm(token: str) -> str:
    header, payload, signature = token.split(".")
    other = {"RS256": "ES256", "ES256": "RS256"}[_unpart(header)["alg"]]
    return ".".join([_part({**_unpart(header), "alg": other}), payload, signature])


TAMPERED = {
    "a claim changed": another_subject,
    "its signature changed": another_signature,
    "its header naming the other algorithm": the_other_algorithm,
}


@pytest.mark.parametrize("tamper", TAMPERED, ids=str)
def test_a_tampered_token_from_the_provider_is_refused(oidc_site, idp, tamper):
    token = idp.tokens(FIONA.id)["id_token"]
    assert api_status(oidc_site, token) == 200
    assert api_status(oidc_site, TAMPERED[tamper](token)) == 401


def test_a_person_the_provider_gives_no_role_is_told_why(oidc_site, idp):
    with oidc_site.client() as client:
        done, _ = sign_in(client, idp, "/plans", account="u-someone")
        assert done.status_code == 400
        assert "claims are incomplete or invalid" in done.text
        assert "planledger_session" not in client.cookies


def test_a_client_secret_with_characters_to_encode_is_sent_as_rfc_6749_says(site):
    # client_secret_basic form-urlencodes the id and secret before base64 (RFC 6749 2.3.1).
    with provider("RS256", client_secret="s3cret+with/odd:chars%20=") as idp:
        with site_for(site, idp).client() as client:
            done, _ = sign_in(client, idp, "/plans")
        assert done.status_code == 303, done.text
