"""One projector per authority, each following its own store; the commands that work on
read models go through every authority's store, or the ones named."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interfaces.cli import app as cli
from interfaces.settings import Settings
from interfaces.tenancy import each_store
from projections.engine.catalogue import MODELS
from projections.engine.runtime import Projector, Projectors
from projections.engine.versions import versions_for
from tests.interfaces.people import LEAD
from tests.tenancy.callers import open_plan
from tests.tenancy.conftest import NORTH, SOUTH


def positions(tenants, authority: str) -> dict[str, tuple[int, int]]:
    """Per read model: (its tracked position, the head of the authority's log)."""
    planning = tenants.get(authority).planning
    datastore = planning.recorder.datastore
    head = planning.recorder.max_notification_id() or 0
    versions = versions_for(datastore)
    return {
        name: (
            MODELS[name].open_view(datastore, versions.active(name)).max_tracking_id(planning.name)
            or 0,
            head,
        )
        for name in MODELS
    }


def wait_until(check, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_each_authoritys_projector_follows_its_own_store(client, tenants, settings, tmp_path):
    heartbeat = tmp_path / "alive"
    group = Projectors(
        [Projector(s.planning_env(), poll_seconds=0.1) for _, s in each_store(settings)],
        poll_seconds=0.1,
        heartbeat=heartbeat,
    )
    runner = threading.Thread(target=group.run_forever, daemon=True)
    runner.start()
    try:
        for _ in range(3):
            open_plan(client, LEAD, NORTH)
        open_plan(client, LEAD, SOUTH)

        def caught_up() -> bool:
            return all(
                tracked == head > 0
                for a in (NORTH, SOUTH)
                for tracked, head in positions(tenants, a).values()
            )

        assert wait_until(caught_up), {a: positions(tenants, a) for a in (NORTH, SOUTH)}
        # Each log has its own positions: three plans in one, one in the other.
        assert {h for _, h in positions(tenants, NORTH).values()} == {3}
        assert {h for _, h in positions(tenants, SOUTH).values()} == {1}
        assert wait_until(heartbeat.exists)
    finally:
        group.stopping.set()
        runner.join(30)
    assert not runner.is_alive()


def env_of(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    tenants = {a: s.database_url for a, s in each_store(settings)}
    import json

    monkeypatch.setenv("PLANLEDGER_TENANTS", json.dumps(tenants))
    monkeypatch.setenv("PLANLEDGER_ENCRYPTION_KEY", settings.master_key() or "")


def test_read_models_and_rebuild_go_through_each_authority(client, settings, monkeypatch):
    open_plan(client, LEAD, NORTH)
    open_plan(client, LEAD, NORTH)
    env_of(settings, monkeypatch)

    rebuilt = CliRunner().invoke(cli, ["rebuild", "reports"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"{NORTH}: reports: version 2" in rebuilt.output
    assert f"{SOUTH}: reports: version 2" in rebuilt.output

    only = CliRunner().invoke(cli, ["rebuild", "plan_summaries", "--authority", SOUTH])
    assert only.exit_code == 0, only.output
    assert SOUTH in only.output and NORTH not in only.output

    shown = CliRunner().invoke(cli, ["read-models"])
    assert shown.exit_code == 0, shown.output
    rows = [line.split() for line in shown.output.splitlines() if "reports" in line]
    assert [(r[1], r[3], r[5]) for r in rows] == [
        (NORTH, "reports", "2"),
        (SOUTH, "reports", "2"),
    ], shown.output


def test_a_command_for_an_authority_not_served_here_stops_before_doing_anything(
    settings, monkeypatch, tmp_path: Path
):
    env_of(settings, monkeypatch)
    for args in (
        ["project", "--authority", "orkney"],
        ["rebuild", "reports", "--authority", "orkney"],
        ["read-models", "--authority", "orkney"],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert "No tenant 'orkney'" in result.output


def test_planledger_project_runs_one_projector_per_authority_until_sigterm(
    client, tenants, settings, tmp_path: Path
):
    import json
    import os
    import signal
    import subprocess
    import sys

    open_plan(client, LEAD, NORTH)
    open_plan(client, LEAD, SOUTH)
    heartbeat = tmp_path / "alive"
    env = {
        **os.environ,
        "PLANLEDGER_TENANTS": json.dumps({a: s.database_url for a, s in each_store(settings)}),
        "PLANLEDGER_ENCRYPTION_KEY": settings.master_key() or "",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from interfaces.cli import main; main()",
            "project",
            "--poll",
            "0.1",
            "--heartbeat",
            str(heartbeat),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def caught_up() -> bool:
            return all(
                tracked == head == 1
                for a in (NORTH, SOUTH)
                for tracked, head in positions(tenants, a).values()
            )

        assert wait_until(caught_up, 60), {a: positions(tenants, a) for a in (NORTH, SOUTH)}
        assert wait_until(heartbeat.exists)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert f"for {NORTH}, {SOUTH}" in output and "Stopped." in output
