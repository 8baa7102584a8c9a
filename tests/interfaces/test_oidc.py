"""Production sign-in: RS256 tokens verified against an OIDC issuer's JWKS, served here
by a small local HTTP server with a key made for the test."""

from __future__ import annotations

import base64
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi.testclient import TestClient
from jwt.algorithms import RSAAlgorithm

from interfaces.http.app import create_app
from interfaces.settings import Settings
from tests.interfaces.people import LEAD, SECRET

ISSUER = "https://sso.example-council.gov.uk/realms/education"
AUDIENCE = "planledger-api"
KID = "council-key-1"


def an_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY, OTHER_KEY = an_rsa_key(), an_rsa_key()


def jwks_of(key: rsa.RSAPrivateKey) -> bytes:
    public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return json.dumps({"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}).encode()


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    body = jwks_of(KEY)

    class JWKS(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), JWKS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/protocol/openid-connect/certs"
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(postgres_url, master_key, jwks_url) -> Iterator[TestClient]:
    settings = Settings(
        database_url=postgres_url,
        encryption_key=master_key,
        jwt_secret=None,
        jwt_secret_file=None,
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_jwks_url=jwks_url,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def claims(**changes) -> dict:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": LEAD.sub,
        "name": LEAD.name,
        "role": "lead_professional",
        "org": LEAD.org,
        "iat": now,
        "exp": now + 300,
    }
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


def a_token(key=KEY, algorithm="RS256", kid=KID, **changes) -> str:
    return jwt.encode(claims(**changes), key, algorithm=algorithm, headers={"kid": kid})


def hs256_keyed_with_the_public_key() -> str:
    """The algorithm-confusion attack: the issuer's public key used as an HMAC secret."""
    pem = KEY.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=")  # noqa: E731
    signed = part({"alg": "HS256", "typ": "JWT", "kid": KID}) + b"." + part(claims())
    signature = base64.urlsafe_b64encode(hmac.digest(pem, signed, "sha256")).rstrip(b"=")
    return (signed + b"." + signature).decode()


def stages(client: TestClient, token: str) -> int:
    return client.get("/api/stages", headers={"Authorization": f"Bearer {token}"}).status_code


def test_an_rs256_token_from_the_issuer_for_this_audience_is_accepted(client):
    assert stages(client, a_token()) == 200


def test_the_caller_is_the_tokens_subject(client):
    response = client.post(
        "/api/plans",
        headers={"Authorization": f"Bearer {a_token()}"},
        json={
            "plan_type": "iep",
            "stage": "additional",
            "org": LEAD.org,
            "child": {"name": "Isla Campbell", "date_of_birth": "2016-03-14"},
        },
    )
    assert response.status_code == 201
    assert response.json()["members"][0]["user_id"] == LEAD.sub


REFUSED = {
    "for another audience": lambda: a_token(aud="another-api"),
    "from another issuer": lambda: a_token(iss="https://sso.elsewhere.example/realms/x"),
    "signed with another key": lambda: a_token(key=OTHER_KEY),
    "naming a key the issuer does not have": lambda: a_token(kid="unknown-key"),
    "with no audience": lambda: a_token(aud=None),
    "with no issuer": lambda: a_token(iss=None),
    "that has expired": lambda: a_token(exp=int(time.time()) - 60),
    "signed HS256 when no secret is set": lambda: a_token(key=SECRET, algorithm="HS256"),
    "unsigned (alg none)": lambda: a_token(key=None, algorithm="none"),
    "signed HS256 with the issuer's public key": hs256_keyed_with_the_public_key,
}


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_a_token_is_refused(client, case):
    assert stages(client, REFUSED[case]()) == 401
