"""A certified OpenID Connect provider for the sign-in tests: panva's `oidc-provider`
(OpenID Certified), run with Node.js from tests/web/oidc_provider/provider.mjs on a
loopback port the system picks. The package comes from the npm registry, installed on
first use into tests/web/oidc_provider/node_modules (git-ignored) exactly as axe-core is.

Nothing here skips: no node, a failed install or a provider that does not start in time
fails the test with what went wrong.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import queue
import re
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlencode, urljoin, urlsplit

import httpx
import pytest

from tests.web.browser import npm_installed

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
INSTALLED = PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json"
START_TIMEOUT = 30.0  # seconds for node to say it is listening
STOP_TIMEOUT = 10.0


@dataclass
class CertifiedIdp:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    alg: str
    api_audience: str
    requests: list[str] = field(default_factory=list)  # "METHOD /path", as the provider saw them

    def metadata(self) -> dict[str, Any]:
        answer = httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=10)
        answer.raise_for_status()
        return answer.json()

    def sign_in(self, authorize_url: str, account: str) -> str:
        """Be a browser at the provider: open `authorize_url`, sign in as `account` on its
        login form, follow it until it sends the browser away; answer where to."""
        with httpx.Client(timeout=10, follow_redirects=False) as browser:
            answer = browser.get(authorize_url)
            for _ in range(10):
                if answer.is_redirect:
                    location = urljoin(str(answer.url), answer.headers["location"])
                    if not location.startswith(f"{self.issuer}/"):
                        return location
                    answer = browser.get(location)
                elif answer.status_code == 200 and 'name="login"' in answer.text:
                    action = re.search(r'action="([^"]+)"', answer.text)
                    assert action, answer.text
                    answer = browser.post(
                        urljoin(str(answer.url), html.unescape(action[1])), data={"login": account}
                    )
                else:
                    raise AssertionError(
                        f"the provider answered {answer.status_code}: {answer.text[:500]}"
                    )
        raise AssertionError("the provider kept redirecting")

    def tokens(self, account: str, *, resource: str | None = None) -> dict[str, Any]:
        """Be the client ourselves: the code flow with PKCE, as `account`; the token response."""
        metadata = self.metadata()
        verifier = secrets.token_urlsafe(48)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid profile planledger",
            "state": secrets.token_urlsafe(16),
            "nonce": secrets.token_urlsafe(16),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        form = {
            "grant_type": "authorization_code",
            "redirect_uri": self.redirect_uri,
            "code_verifier": verifier,
        }
        if resource:
            query["resource"] = form["resource"] = resource
            query["scope"] += " api:read"
        back = self.sign_in(f"{metadata['authorization_endpoint']}?{urlencode(query)}", account)
        form["code"] = parse_qs(urlsplit(back).query)["code"][0]
        # RFC 6749 2.3.1: both halves of client_secret_basic are form-urlencoded first.
        answer = httpx.post(
            metadata["token_endpoint"],
            data=form,
            timeout=10,
            auth=(quote_plus(self.client_id), quote_plus(self.client_secret)),
        )
        assert answer.status_code == 200, answer.text
        return answer.json()


@contextmanager
def certified_idp(
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    alg: str,
    api_audience: str,
    accounts: dict[str, dict[str, str]],
) -> Iterator[CertifiedIdp]:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "Node.js is needed to run oidc-provider for the sign-in tests: "
            "`apt-get install -y nodejs npm` (scripts/test installs them).",
            pytrace=False,
        )
    npm_installed(PROVIDER_DIR, INSTALLED, "oidc-provider for the sign-in tests")
    config = {
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": redirect_uri,
        "alg": alg,
        "api_audience": api_audience,
        "accounts": accounts,
    }
    process = subprocess.Popen(
        [node, "provider.mjs", json.dumps(config)],
        cwd=PROVIDER_DIR,
        text=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    errors: list[str] = []

    def read(stream, into) -> None:
        for line in stream:
            into(line.rstrip("\n"))
        into(None)

    threading.Thread(target=read, args=(process.stdout, lines.put), daemon=True).start()
    stderr = threading.Thread(target=read, args=(process.stderr, errors.append), daemon=True)
    stderr.start()
    try:
        issuer = _wait_until_listening(process, lines, errors, stderr)
        idp = CertifiedIdp(
            issuer=issuer,
            client_id=client_id,
            client_secret=client_secret,
            redirect_uri=redirect_uri,
            alg=alg,
            api_audience=api_audience,
        )

        def log() -> None:
            while (line := lines.get()) is not None:
                idp.requests.append(line)

        threading.Thread(target=log, daemon=True).start()
        yield idp
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def _wait_until_listening(
    process: subprocess.Popen, lines: queue.Queue, errors: list[str], reader: threading.Thread
) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:  # node ended before listening
            process.wait(timeout=STOP_TIMEOUT)
            reader.join(timeout=STOP_TIMEOUT)  # everything it said on stderr
            stderr = "\n".join(e for e in errors if e)
            pytest.fail(
                f"oidc-provider exited ({process.returncode}) before listening:\n{stderr}",
                pytrace=False,
            )
        if line.startswith("listening http://127.0.0.1:"):
            return line.removeprefix("listening ")
    stderr = "\n".join(e for e in errors if e)
    pytest.fail(
        f"oidc-provider did not start within {START_TIMEOUT:.0f} s:\n{stderr}", pytrace=False
    )
