"""Processing: restarts, crashes, two appliers, rebuilds, the projector and read-your-writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from eventsourcing.persistence import Tracking

from application.config import persistence_env
from application.planning import ENCRYPTION_KEY, Planning
from domain.access import Visibility
from domain.calendar import today
from projections.engine.catalogue import MODELS
from projections.engine.catch_up import catch_up
from projections.engine.consistency import ReadModelBehindError, wait_until_current
from projections.engine.reading import ReadModels
from projections.engine.rebuild import rebuild
from projections.engine.runtime import Projector
from projections.engine.versions import versions_for
from projections.engine.views import StaleBatchError
from projections.plan_summaries.view import PlanFilters
from tests.projections.conftest import dump
from tests.projections.scenario import AS_LEAD, LEAD, build, opening

NAMES = sorted(MODELS)


@pytest.fixture
def env(planning, database_url, master_key):
    return {**persistence_env(database_url), ENCRYPTION_KEY: master_key}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("stop_after", [1, 9, 23])
def test_stopping_after_k_events_and_starting_again_equals_a_clean_build(
    planning, open_view, name, stop_after
):
    build(planning)
    interrupted = open_view(name, 1)
    catch_up(planning, interrupted, until=stop_after, batch_size=4)
    assert interrupted.max_tracking_id(planning.name) == stop_after
    restarted = open_view(name, 1)  # a new process: a new view object on the same tables
    catch_up(planning, restarted, batch_size=3)
    clean = open_view(name, 2)
    catch_up(planning, clean, batch_size=1000)
    assert dump(restarted) == dump(clean)


@pytest.mark.parametrize("name", NAMES)
def test_a_batch_that_fails_part_way_leaves_no_trace(planning, open_view, name):
    build(planning)
    view = open_view(name)
    catch_up(planning, view, until=10)
    before = dump(view)
    write = view.write

    def write_then_crash(cursor, events):
        write(cursor, events)
        raise RuntimeError("power cut")

    view.write = write_then_crash
    with pytest.raises(RuntimeError):
        catch_up(planning, view, batch_size=5)
    assert dump(view) == before and view.max_tracking_id(planning.name) == 10
    view.write = write
    catch_up(planning, view)
    clean = open_view(name, 2)
    catch_up(planning, clean)
    assert dump(view) == dump(clean)


def test_an_event_already_applied_is_refused_not_counted_twice(planning, open_view):
    scenario = build(planning)
    view = open_view("plan_summaries")
    catch_up(planning, view)
    notification = planning.recorder.select_notifications(start=2, limit=1)[0]
    event = planning.mapper.to_domain_event(notification)
    before = dump(view)
    with pytest.raises(StaleBatchError):
        view.apply([(event, Tracking(planning.name, notification.id))])
    assert dump(view) == before
    assert view.get_summary(scenario.iep).member_ids.count("u-morag") == 1


def test_two_appliers_racing_apply_each_event_once(planning, open_view):
    build(planning)
    views = [open_view("reports"), open_view("reports")]
    threads = [
        threading.Thread(target=catch_up, args=(planning, v), kwargs={"batch_size": 2})
        for v in views
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    clean = open_view("reports", 2)
    catch_up(planning, clean)
    assert dump(views[0]) == dump(clean)


class TestRebuild:
    def test_readers_stay_on_the_old_version_until_the_new_one_has_caught_up(
        self, planning, env, open_view
    ):
        scenario = build(planning)
        readers = ReadModels(planning, inline=True)  # no projector in this test
        old = readers.summaries()
        seen = []

        def progress(position, head):
            # Mid-rebuild, readers are still answered from version 1.
            seen.append(versions_for(planning.recorder.datastore).active("plan_summaries"))

        done = rebuild(env, "plan_summaries", progress=progress, batch_size=4)
        assert set(seen) == {1} and (done.old_version, done.new_version) == (1, 2)
        assert versions_for(planning.recorder.datastore).active("plan_summaries") == 2
        assert readers.summaries().name == "plan_summaries_v2"
        assert dump(readers.summaries()) == dump(old)
        assert readers.summaries().get_summary(scenario.iep) is not None

    def test_the_version_before_last_is_dropped(self, planning, env):
        build(planning)
        for _ in range(3):
            rebuild(env, "reports")
        names = _tables(planning)
        assert not any(n.startswith("reports_v1") or n.startswith("reports_v2") for n in names)
        assert any(n.startswith("reports_v3") for n in names)
        assert any(n.startswith("reports_v4") for n in names)


class TestReadYourWrites:
    def test_a_read_waits_for_a_write_to_be_projected(self, planning, env):
        projector = Projector(env, poll_seconds=0.1).start()
        try:
            readers = ReadModels(planning, inline=False, nudge=projector.nudge)
            plan_id = planning.open_plan(opening("iep", "universal"), AS_LEAD).plan_id
            summaries = readers.summaries()
            assert summaries.get_summary(plan_id) is not None
            page = summaries.list_plans(PlanFilters(), Visibility(member_id=LEAD.id), today=today())
            assert [r.plan_id for r in page.items] == [plan_id]
        finally:
            projector.stop()

    def test_with_no_projector_a_read_times_out_with_a_named_error(self, planning, open_view):
        planning.open_plan(opening("iep", "universal"), AS_LEAD)
        started = time.monotonic()
        with pytest.raises(ReadModelBehindError) as raised:
            wait_until_current(planning, open_view("plan_summaries"), timeout=0.3)
        assert 0.3 <= time.monotonic() - started < 2
        assert (raised.value.reached, raised.value.retry_after_seconds) == (0, 1)

    def test_inline_catch_up_needs_no_projector(self, planning, open_view):
        plan_id = planning.open_plan(opening("iep", "universal"), AS_LEAD).plan_id
        view = open_view("plan_summaries")
        wait_until_current(planning, view, timeout=2, inline=True)
        assert view.get_summary(plan_id) is not None

    def test_after_its_grace_for_a_projector_a_reader_catches_up_itself(self, planning, open_view):
        plan_id = planning.open_plan(opening("iep", "universal"), AS_LEAD).plan_id
        view = open_view("plan_summaries")
        wait_until_current(planning, view, timeout=2, inline=True, grace=0.2)
        assert view.get_summary(plan_id) is not None

    def test_a_grace_longer_than_the_timeout_still_answers_in_time(self, planning, open_view):
        planning.open_plan(opening("iep", "universal"), AS_LEAD)
        view = open_view("plan_summaries")
        assert wait_until_current(planning, view, timeout=1, inline=True, grace=5) >= 1

    def test_the_projector_follows_a_rebuild_to_the_new_version(self, planning, env):
        projector = Projector(env, poll_seconds=0.1).start()
        try:
            build(planning)
            rebuild(env, "plan_summaries")
            time.sleep(0.5)  # a poll or two for the projector to move across
            plan_id = planning.open_plan(opening("iep", "universal"), AS_LEAD).plan_id
            readers = ReadModels(planning, inline=False, nudge=projector.nudge)
            assert readers.summaries().name == "plan_summaries_v2"
            assert readers.summaries().get_summary(plan_id) is not None
        finally:
            projector.stop()


def test_planledger_project_stops_cleanly_on_sigterm_and_sigint(database_url, master_key):
    env = {
        **os.environ,
        "PLANLEDGER_DATABASE_URL": database_url,
        "PLANLEDGER_ENCRYPTION_KEY": master_key,
    }
    for sig in (signal.SIGTERM, signal.SIGINT):
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from interfaces.cli import main; main()",
                "project",
                "--poll",
                "0.1",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            started = process.stdout.readline()  # printed once the handlers are in place
            assert started.startswith("Projecting"), started
            time.sleep(0.5)
            process.send_signal(sig)
            out, errors = process.communicate(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, errors
        assert "Stopped." in out, out


def _tables(planning) -> list[str]:
    datastore = planning.recorder.datastore
    if hasattr(datastore, "schema"):
        with datastore.get_connection() as conn:
            rows = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (datastore.schema,)
            ).fetchall()
            return [r["tablename"] for r in rows]
    with datastore.transaction(commit=False) as c:
        c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return [r[0] for r in c.fetchall()]


@pytest.mark.parametrize("name", NAMES)
def test_one_event_at_a_time_with_validated_events_equals_the_fast_batched_path(
    planning, open_view, name
):
    # The library's runner path: the application's own (validating, unsealing) mapper and
    # the projection's process_event, one event per transaction.
    build(planning)
    one_by_one = open_view(name, 1)
    projection = MODELS[name].projection_at(1)(view=one_by_one)
    for n in planning.recorder.select_notifications(start=1, limit=10_000):
        projection.process_event(planning.mapper.to_domain_event(n), Tracking(planning.name, n.id))
    batched = open_view(name, 2)
    catch_up(planning, batched, batch_size=6)
    assert dump(one_by_one) == dump(batched)


def test_a_shredded_plan_still_projects_without_its_personal_data(planning, open_view):
    scenario = build(planning)
    planning.records.destroy_key(scenario.closed)
    planning.mapper.keyring.forget(scenario.closed)
    view = open_view("plan_summaries")
    catch_up(planning, view)
    row = view.get_summary(scenario.closed)
    assert (row.status, row.member_ids, row.lead_professional) == ("closed", [], None)


@pytest.mark.parametrize("name", NAMES)
def test_a_rebuild_folded_by_two_processes_equals_one_built_in_order(
    postgres_url, master_key, name
):
    # PostgreSQL only: SQLite writes one transaction at a time, so it rebuilds in order.
    env = {**persistence_env(postgres_url), ENCRYPTION_KEY: master_key}
    planning = Planning(env=env)
    try:
        build(planning)
        for n in range(30):  # enough plans that both parts have some
            planning.open_plan(
                opening("csp", "universal"), AS_LEAD, occurred_on=today() - timedelta(days=n)
            )
        in_order = MODELS[name].open_view(planning.recorder.datastore, 1)
        catch_up(planning, in_order)
        done = rebuild(env, name, parts=2)
        rebuilt = MODELS[name].open_view(planning.recorder.datastore, done.new_version)
        assert rebuilt.max_tracking_id(planning.name) == in_order.max_tracking_id(planning.name)
        assert dump(rebuilt) == dump(in_order)
    finally:
        planning.close()
