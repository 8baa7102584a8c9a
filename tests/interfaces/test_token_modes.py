"""With an identity provider configured, tokens come from it alone."""

from __future__ import annotations

import pytest

from domain.values import Role
from interfaces.http.auth import NotAuthenticatedError, TokenVerifier, issue_token
from interfaces.settings import Settings

SECRET = "a-development-secret-that-is-long-enough-for-hs256"


def oidc_settings(**extra) -> Settings:
    return Settings(
        database_url="sqlite:///:memory:",
        jwt_secret=SECRET,
        oidc_issuer="https://idp.example.org",
        oidc_audience="planledger",
        **extra,
    )


def a_development_token() -> str:
    return issue_token(SECRET, sub="u-1", name="Anyone", role=Role.LEAD_PROFESSIONAL)


def test_a_token_signed_with_the_shared_secret_is_refused_when_an_issuer_is_set():
    with pytest.raises(NotAuthenticatedError):
        TokenVerifier(oidc_settings()).verify(a_development_token())


def test_development_tokens_beside_an_issuer_need_an_explicit_opt_in():
    caller = TokenVerifier(oidc_settings(allow_development_tokens=True)).verify(
        a_development_token()
    )
    assert caller.role is Role.LEAD_PROFESSIONAL


def test_an_issuer_without_an_audience_is_a_configuration_error():
    with pytest.raises(ValueError, match="AUDIENCE"):
        TokenVerifier(
            Settings(database_url="sqlite:///:memory:", oidc_issuer="https://idp.example.org")
        )


def test_demo_sign_in_is_offered_only_to_this_machine_by_default():
    embedded = "sqlite:///:memory:"
    assert Settings(database_url=embedded, host="127.0.0.1").demo_signin_enabled()
    assert not Settings(database_url=embedded, host="0.0.0.0").demo_signin_enabled()
    assert Settings(
        database_url=embedded, host="0.0.0.0", web_demo_signin=True
    ).demo_signin_enabled()
