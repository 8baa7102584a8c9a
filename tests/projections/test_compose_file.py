"""docker-compose.yml cannot be run here (no container engine), so its shape is checked:
the services, how they are built and started, their settings and health checks."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def test_there_is_a_database_an_api_and_a_projector(services):
    assert set(services) == {"db", "api", "projector"}


def test_the_database_is_postgres_15_with_a_readiness_check(services):
    db = services["db"]
    assert db["image"] == "postgres:15"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


@pytest.mark.parametrize("name", ["api", "projector"])
def test_the_app_services_are_built_here_and_wait_for_a_healthy_database(services, name):
    service = services[name]
    assert service["build"] == "."
    assert service["depends_on"]["db"]["condition"] == "service_healthy"
    assert service["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL")


@pytest.mark.parametrize("name", ["api", "projector"])
def test_the_app_services_use_the_compose_database_and_one_encryption_key(services, name):
    env = services[name]["environment"]
    assert env["PLANLEDGER_DATABASE_URL"].startswith("postgresql://")
    assert "@db:5432/" in env["PLANLEDGER_DATABASE_URL"]
    assert env["PLANLEDGER_ENCRYPTION_KEY"].startswith("${PLANLEDGER_ENCRYPTION_KEY:?")


def test_the_api_serves_on_all_interfaces_and_checks_readiness(services):
    api = services["api"]
    assert api["command"][:2] == ["planledger", "serve"]
    assert api["command"][api["command"].index("--host") + 1] == "0.0.0.0"
    assert "8000:8000" in api["ports"]
    assert "/readyz" in " ".join(api["healthcheck"]["test"])


def test_the_projector_runs_planledger_project_and_its_check_reads_its_heartbeat(services):
    projector = services["projector"]
    command = projector["command"]
    assert command[:2] == ["planledger", "project"]
    heartbeat = command[command.index("--heartbeat") + 1]
    assert heartbeat in " ".join(projector["healthcheck"]["test"])
    assert projector["stop_signal"] == "SIGTERM"


def test_the_commands_are_ones_the_cli_has():
    from typer.main import get_command

    from interfaces.cli import app

    cli = get_command(app)
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("api", "projector"):
        command = services[name]["command"]
        sub = cli.commands[command[1]]  # type: ignore[attr-defined]
        options = {o for p in sub.params for o in p.opts}
        assert {a for a in command[2:] if a.startswith("--")} <= options, name


def test_the_dockerfile_installs_the_package_on_python_3_11_slim():
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    assert [line for line in lines if line.startswith("FROM")] == ["FROM python:3.11-slim"]
    installs = [shlex.split(line) for line in lines if line.startswith("RUN pip install")]
    assert installs and installs[0][-1] == "."
