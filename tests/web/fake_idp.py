"""A tiny OpenID Connect provider on a real local port, for testing the sign-in flow
end to end: discovery, an authorisation page, the token endpoint (client secret, code,
redirect URI and PKCE all checked) and a JWKS with an RSA key. Not a mock: the app
talks to it over HTTP exactly as it would to a real issuer."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class FakeIdp:
    client_id: str = "planledger-web"
    client_secret: str = "s3cret-of-the-client"
    user: dict[str, Any] = field(
        default_factory=lambda: {
            "sub": "u-fiona",
            "name": "Fiona MacLeod",
            "role": "lead_professional",
            "org": "school:st-ninians-primary",
        }
    )
    auto_approve: bool = True  # False: the authorisation page asks for a click
    nonce_override: str | None = None  # answer with another nonce (a replayed token)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: int = 0

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeIdp:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            **self.user,
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            "nonce": self.nonce_override or nonce,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def approve(self, query: dict[str, str]) -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"


def _handler(idp: FakeIdp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.end_headers()

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(
                    200,
                    {
                        "issuer": idp.issuer,
                        "authorization_endpoint": f"{idp.issuer}/authorize",
                        "token_endpoint": f"{idp.issuer}/token",
                        "jwks_uri": f"{idp.issuer}/jwks",
                        "response_types_supported": ["code"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                    },
                )
            elif url.path == "/jwks":
                self._json(200, idp.jwks())
            elif url.path == "/authorize":
                if query.get("client_id") != idp.client_id or query.get("response_type") != "code":
                    self._json(400, {"error": "invalid_request"})
                elif idp.auto_approve:
                    self._redirect(idp.approve(query))
                else:
                    self._page(query)
            elif url.path == "/approve":
                self._redirect(idp.approve(query))
            else:
                self._json(404, {"error": "not_found"})

        def _page(self, query: dict[str, str]) -> None:
            target = html.escape(f"/approve?{urlencode(query)}")
            body = (
                f"<!doctype html><html lang='en'><head><title>Fake IdP</title></head><body>"
                f"<main><h1>Fake organisation sign-in</h1>"
                f"<p><a href='{target}'>Continue as {html.escape(idp.user['name'])}</a></p>"
                f"</main></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            idp.token_requests += 1
            if urlsplit(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            # RFC 6749 2.3.1: client_secret_basic form-urlencodes both halves first.
            pair = f"{quote_plus(idp.client_id)}:{quote_plus(idp.client_secret)}"
            expected = base64.b64encode(pair.encode()).decode()
            if self.headers.get("Authorization") != f"Basic {expected}":
                self._json(401, {"error": "invalid_client"})
                return
            pending = idp.codes.pop(form.get("code", ""), None)
            if pending is None or form.get("grant_type") != "authorization_code":
                self._json(400, {"error": "invalid_grant"})
                return
            challenge = (
                base64.urlsafe_b64encode(
                    hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                )
                .rstrip(b"=")
                .decode()
            )
            if (
                form.get("redirect_uri") != pending["redirect_uri"]
                or pending.get("code_challenge_method") != "S256"
                or challenge != pending.get("code_challenge")
            ):
                self._json(400, {"error": "invalid_grant"})
                return
            self._json(
                200,
                {
                    "access_token": secrets.token_urlsafe(24),
                    "token_type": "Bearer",
                    "expires_in": 600,
                    "id_token": idp.id_token(pending["nonce"]),
                },
            )

    return Handler
