"""PLANLEDGER_TENANTS: what is accepted, and the mistakes that stop the service at start."""

from __future__ import annotations

import json

import jwt
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from application.config import ConfigurationError
from application.tenancy import parse_tenants, store_identity
from domain.values import Role
from interfaces.cli import app as cli
from interfaces.http.auth import caller_from_claims, issue_token
from interfaces.settings import Settings
from interfaces.tenancy import each_store
from tests.interfaces.people import SECRET

A = "postgresql://planledger@db-east:5432/highland?pool_size=4"
B = "postgresql://planledger@db-east:5432/fife"


def test_an_authority_is_a_database_url_or_an_object_with_its_own_settings(tmp_path):
    tenants = parse_tenants(
        {
            "highland": A,
            "fife": {"database_url": B, "stages_file": "fife.toml", "encryption_key_file": "f.key"},
        }
    )
    assert tenants["highland"].database_url == A
    assert tenants["highland"].stages_file is None
    assert str(tenants["fife"].stages_file) == "fife.toml"
    assert str(tenants["fife"].encryption_key_file) == "f.key"


@pytest.mark.parametrize(
    "raw, words",
    [
        ({}, "at least one authority"),
        ([A], "JSON object"),
        ({"Highland": A}, "'Highland'"),
        ({"high land": A}, "'high land'"),
        ({"": A}, "authority id ''"),
        ({"highland": 42}, "'highland' needs a database URL"),
        ({"highland": {"url": A}}, "database_url"),
        ({"highland": {"database_url": A, "pool": 3}}, "pool"),
        ({"highland": "mysql://x/y"}, "Unsupported database URL scheme"),
        ({"highland": A, "fife": A.replace("?pool_size=4", "")}, "name the same store"),
        ({"highland": B, "fife": B + "?schema=public"}, "name the same store"),
        ({"highland": B, "fife": B.replace("db-east", "DB-EAST")}, "name the same store"),
    ],
)
def test_a_mistake_is_refused_by_name(raw, words):
    with pytest.raises(ConfigurationError, match=words):
        parse_tenants(raw)


def test_the_same_database_in_other_schemas_or_servers_is_another_store():
    assert store_identity(B) != store_identity(B + "?schema=fife")
    assert store_identity(B) != store_identity(B.replace("db-east", "db-west"))
    assert store_identity(B) != store_identity(B.replace("5432", "5433"))


def test_the_setting_is_read_from_the_environment_as_json(monkeypatch):
    monkeypatch.setenv("PLANLEDGER_TENANTS", json.dumps({"highland": A, "fife": B}))
    settings = Settings()
    assert list(settings.tenant_specs or {}) == ["highland", "fife"]
    assert settings.for_authority("fife").database_url == B


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_setting_means_one_store_as_before(monkeypatch, value):
    monkeypatch.setenv("PLANLEDGER_TENANTS", value)
    assert Settings().tenant_specs is None
    assert each_store(Settings())[0][0] is None


def test_json_that_is_not_json_stops_the_service(monkeypatch):
    monkeypatch.setenv("PLANLEDGER_TENANTS", "{highland: postgresql://x}")
    with pytest.raises(ValidationError, match="not valid JSON"):
        Settings()


def test_an_authority_gets_its_own_store_stages_and_key_and_nothing_else_changes(tmp_path):
    settings = Settings(
        jwt_secret=SECRET,
        encryption_key="shared-key",
        pool_size=7,
        tenants={
            "highland": A,
            "fife": {
                "database_url": B,
                "stages_file": str(tmp_path / "fife.toml"),
                "encryption_key_file": str(tmp_path / "fife.key"),
            },
        },
    )
    highland, fife = settings.for_authority("highland"), settings.for_authority("fife")
    assert (highland.database_url, highland.stages_file) == (A, None)
    assert highland.master_key() == "shared-key"
    assert fife.database_url == B and fife.stages_file == tmp_path / "fife.toml"
    assert fife.encryption_key is None and fife.encryption_key_file == tmp_path / "fife.key"
    for tenant in (highland, fife):
        assert tenant.tenant_specs is None and tenant.pool_size == 7
        assert tenant.jwt_signing_secret() == SECRET


def test_tenants_are_never_the_embedded_development_set_up(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'x.db'}", jwt_secret=SECRET, tenants={"highland": A}
    )
    assert not settings.is_embedded
    assert not settings.demo_signin_enabled()
    assert settings.master_key() is None
    assert list(tmp_path.iterdir()) == []  # no key or secret files made beside it


def test_commands_work_on_every_store_or_the_authorities_asked_for():
    settings = Settings(tenants={"highland": A, "fife": B})
    assert [a for a, _ in each_store(settings)] == ["highland", "fife"]
    assert [(a, s.database_url) for a, s in each_store(settings, ["fife"])] == [("fife", B)]
    with pytest.raises(ConfigurationError, match="No tenant 'orkney'"):
        each_store(settings, ["orkney"])
    with pytest.raises(ConfigurationError, match="needs PLANLEDGER_TENANTS"):
        each_store(Settings(), ["fife"])


def test_the_authority_and_national_claims_become_the_callers():
    caller = caller_from_claims(
        {"sub": "u-1", "role": "analyst", "authority": "fife", "national": True}
    )
    assert (caller.authority, caller.national) == ("fife", True)
    plain = caller_from_claims({"sub": "u-1", "role": "lead_professional"})
    assert (plain.authority, plain.national) == (None, False)


def test_a_token_carries_the_claims_it_is_given():
    claims = jwt.decode(
        issue_token(
            SECRET, sub="u-1", name="N", role=Role.ANALYST, authority="fife", national=True
        ),
        SECRET,
        algorithms=["HS256"],
    )
    assert claims["authority"] == "fife" and claims["national"] is True
    bare = jwt.decode(
        issue_token(SECRET, sub="u-1", name="N", role=Role.ANALYST), SECRET, algorithms=["HS256"]
    )
    assert "authority" not in bare and "national" not in bare


def test_planledger_token_takes_an_authority_and_the_national_claim(monkeypatch):
    monkeypatch.setenv("PLANLEDGER_JWT_SECRET", SECRET)
    result = CliRunner().invoke(
        cli,
        [
            "token",
            "--sub",
            "u-ana",
            "--name",
            "Ana",
            "--role",
            "analyst",
            "--authority",
            "fife",
            "--national",
        ],
    )
    assert result.exit_code == 0, result.output
    claims = jwt.decode(result.output.strip(), SECRET, algorithms=["HS256"])
    assert claims["authority"] == "fife" and claims["national"] is True
    refused = CliRunner().invoke(
        cli,
        ["token", "--sub", "u", "--name", "N", "--role", "analyst", "--authority", "Fife Council"],
    )
    assert refused.exit_code == 2
