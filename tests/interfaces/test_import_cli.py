"""`planledger import pupils FILE`: a dry run, the import with its progress bar, a second
import that writes nothing, and a bad file refused with every error and exit status 1."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from application.config import persistence_env
from application.planning import Planning
from domain.pupil_import import Format
from interfaces.cli import app as cli
from tests.examples import SCHOOL
from tests.pupil_files import a_school, cells, export

AS_LEAD = ["--org", SCHOOL, "--as-user", "u-fiona", "--as-name", "Fiona MacLeod"]


@pytest.fixture
def store(database_url, master_key, monkeypatch):
    monkeypatch.setenv("PLANLEDGER_DATABASE_URL", database_url)
    monkeypatch.setenv("PLANLEDGER_ENCRYPTION_KEY", master_key)
    monkeypatch.delenv("PLANLEDGER_TENANTS", raising=False)
    return {**persistence_env(database_url), "PLANLEDGER_ENCRYPTION_KEY": master_key}


def events_in(env: dict[str, str]) -> int:
    planning = Planning(env=env)
    try:
        return len(planning.recorder.select_notifications(1, 100_000))
    finally:
        planning.close()


@pytest.fixture
def school_file(tmp_path):
    path = tmp_path / "seemis-pupils.csv"
    path.write_text(export(Format.SEEMIS, a_school()), encoding="utf-8", newline="")
    return path


def import_pupils(path, *args: str):
    return CliRunner().invoke(cli, ["import", "pupils", str(path), *AS_LEAD, *args])


def test_a_dry_run_prints_what_would_change_and_writes_nothing(store, school_file):
    done = import_pupils(school_file, "--format", "seemis", "--dry-run")
    assert done.exit_code == 0, done.output
    assert "Row 2 (I. C.): would open a personal learning plan" in done.stdout
    assert "Dry run: 200 pupils read: 40 plans to open" in done.stdout
    assert "Writing" not in done.stdout
    assert events_in(store) == 0


def test_the_import_writes_with_a_progress_bar_and_a_second_writes_nothing(store, school_file):
    done = import_pupils(school_file, "--format", "SEEMiS")
    assert done.exit_code == 0, done.output
    assert "80/80" in done.stdout
    assert "200 pupils read: 40 plans opened" in done.stdout
    assert "Row 3 (O. C.): skipped" in done.stdout
    assert "Olivia" not in done.stdout
    again = import_pupils(school_file, "--format", "seemis")
    assert again.exit_code == 0, again.output
    assert "0 plans opened, 0 with new details recorded, 40 unchanged" in again.stdout
    assert events_in(store) == 80


def test_a_bad_file_is_refused_with_each_error_and_nothing_written(store, tmp_path):
    pupils = a_school()
    bad = [*cells(pupils[5])]
    bad[2] = "31/02/2015"
    path = tmp_path / "bad.csv"
    path.write_text(export(Format.SEEMIS, pupils, rows={7: bad}), encoding="utf-8")
    refused = import_pupils(path, "--format", "seemis")
    assert refused.exit_code == 1
    assert "Row 7, Date of Birth: not a date (31/02/2015)" in refused.stderr
    assert "nothing was written" in refused.stderr
    assert "Traceback" not in refused.output
    assert events_in(store) == 0


def test_a_file_of_another_mis_names_the_columns_it_lacks(store, school_file):
    refused = import_pupils(school_file, "--format", "sims")
    assert refused.exit_code == 1
    assert "UPN: no such column (a SIMS export has it)" in refused.stderr


def test_a_missing_file_is_an_error_not_a_traceback(store, tmp_path):
    refused = import_pupils(tmp_path / "none.csv", "--format", "arbor")
    assert refused.exit_code == 2
    assert "error:" in refused.stderr
