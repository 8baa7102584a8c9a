"""Statutory destruction on PostgreSQL, checked in the raw tables: after a CSP's five
years, nothing readable of its personal data is left, and its history still verifies."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import psycopg
import pytest
from eventsourcing.utils import get_topic
from typer.testing import CliRunner

from application.config import persistence_env
from application.evidence.export import build_export
from application.persistence.chain import digest, event_record
from application.planning import Planning
from application.retention import (
    RETENTION_ACTOR,
    FutureRunError,
    NothingToShredError,
    Outcome,
    RetentionPolicy,
    run_retention,
)
from domain.calendar import today
from domain.errors import PlanDestroyedError
from domain.events import (
    AppendContribution,
    ClosePlan,
    DestroyPlan,
    DiscontinueCsp,
    GiveNotice,
    HoldReview,
    PrepareCsp,
    StartReview,
)
from domain.statutory import NoticeKind, ReviewKind
from domain.values import DESTROYED, PlanStatus, PlanType
from interfaces.cli import app as cli
from tests.conftest import POSTGRES_URL
from tests.evidence.plans import OUTCOME, PARENT_VIEWS, a_reviewed_plan
from tests.evidence.verifiers import VERIFIERS
from tests.examples import (
    a_child,
    a_lead_professional,
    a_parent,
    an_officer,
    as_caller,
    days_ago,
)

SIX_YEARS = 6 * 365 + 60
PLAINTEXTS = [
    s.encode()
    for s in (a_child().name, a_lead_professional().name, a_parent().name, PARENT_VIEWS, OUTCOME)
]
POLICY = RetentionPolicy.from_settings(None)


def rows(url: str, sql: str) -> list[tuple]:
    schema = parse_qs(urlparse(url).query)["schema"][0]
    with psycopg.connect(POSTGRES_URL) as conn:
        return conn.execute(sql.format(s=f'"{schema}"')).fetchall()


def everything_stored(url: str) -> list[bytes]:
    found = []
    for table in ("planning_events", "planning_snapshots"):
        found += [bytes(r[0]) for r in rows(url, f"SELECT state FROM {{s}}.{table}")]
    found += [
        bytes(r[0])
        for r in rows(url, "SELECT wrapped_key FROM {s}.planning_keys")
        if r[0] is not None
    ]
    return found


def plaintext_in(blobs: list[bytes]) -> list[bytes]:
    return [p for p in PLAINTEXTS if any(p in b for b in blobs)]


@pytest.fixture
def store(postgres_url, master_key):
    apps = []

    def make(key: str | None = master_key) -> Planning:
        env = persistence_env(postgres_url)
        if key:
            env["PLANLEDGER_ENCRYPTION_KEY"] = key
        apps.append(Planning(env=env))
        return apps[-1]

    yield make
    for a in apps:
        a.close()


def a_discontinued_csp(planning: Planning, closed_days_ago: int, contributions: int = 45):
    story = a_reviewed_plan(planning, plan_type=PlanType.CSP, opened_days_ago=SIX_YEARS)
    lead = as_caller()
    for n in range(contributions):  # enough events for snapshots (every 50)
        planning.change(
            story.plan_id,
            AppendContribution(kind="note", text=f"Note {n} on Isla Campbell"),
            lead,
            occurred_on=days_ago(SIX_YEARS - 70),
        )
    planning.change(
        story.plan_id,
        ClosePlan(),
        lead,
        occurred_on=days_ago(closed_days_ago),
        reason="Discontinued after review",
    )
    return story.plan_id


class TestDestroyingAPlanPastItsRetention:
    @pytest.fixture
    def destroyed(self, store, postgres_url):
        writer = store()
        plan_id = a_discontinued_csp(writer, closed_days_ago=5 * 365 + 30)
        assert rows(postgres_url, "SELECT count(*) FROM {s}.planning_snapshots")[0][0] >= 1
        links_before = rows(
            postgres_url, "SELECT position, digest, link FROM {s}.planning_links ORDER BY position"
        )
        decisions = run_retention(writer, POLICY)
        return plan_id, decisions, links_before

    def test_the_run_reports_the_plan_destroyed(self, destroyed):
        plan_id, decisions, _ = destroyed
        assert [(d.plan_id, d.outcome) for d in decisions] == [(plan_id, Outcome.DESTROYED)]

    def test_no_plaintext_is_left_and_no_key_can_open_the_rest(self, destroyed, postgres_url):
        assert plaintext_in(everything_stored(postgres_url)) == []
        assert rows(postgres_url, "SELECT count(*) FROM {s}.planning_snapshots")[0][0] == 0
        [(wrapped, destroyed_at)] = rows(
            postgres_url, "SELECT wrapped_key, destroyed_at FROM {s}.planning_keys"
        )
        assert wrapped is None and destroyed_at is not None

    def test_the_chain_is_unchanged_and_ends_with_the_tombstone(self, destroyed, postgres_url):
        _, _, before = destroyed
        after = rows(
            postgres_url, "SELECT position, digest, link FROM {s}.planning_links ORDER BY position"
        )
        assert after[: len(before)] == before and len(after) == len(before) + 1
        [(topic,)] = rows(
            postgres_url,
            "SELECT topic FROM {s}.planning_events ORDER BY originator_version DESC LIMIT 1",
        )
        assert topic.endswith("PlanDestroyed")

    def test_the_export_still_verifies_and_holds_no_content(self, destroyed, store, tmp_path):
        plan_id = destroyed[0]
        document = build_export(store(), plan_id)
        assert all(e.get("destroyed") for e in document["events"])
        assert plaintext_in([json.dumps(document).encode()]) == []
        path = tmp_path / "export.json"
        path.write_text(json.dumps(document))
        for verify in VERIFIERS.values():
            code, out = verify(path)
            assert code == 0, out

    def test_a_fresh_reader_sees_placeholders(self, destroyed, store):
        plan = store().get_plan(destroyed[0])
        assert plan.status is PlanStatus.DESTROYED
        assert plan.child.name == DESTROYED and plan.child.date_of_birth is None
        assert all(o.text == DESTROYED for o in plan.outcomes.values())
        assert all(v.text == DESTROYED for v in plan.views)

    def test_the_process_that_destroyed_it_sees_placeholders_too(self, store, postgres_url):
        writer = store()
        plan_id = a_discontinued_csp(writer, closed_days_ago=5 * 365 + 30, contributions=0)
        assert writer.get_plan(plan_id).child == a_child()  # now cached in this process
        run_retention(writer, POLICY)
        assert writer.get_plan(plan_id).child.name == DESTROYED

    def test_the_family_told_of_it_keeps_the_date_and_how_with_nothing_personal(
        self, destroyed, store, postgres_url
    ):
        # reg 11(3)(b): the family is told the plan was destroyed; the notice outlives it.
        planning = store()
        planning.change(
            destroyed[0],
            GiveNotice(kind=NoticeKind.DESTRUCTION, to=(a_parent().name,), method="letter"),
            as_caller(an_officer()),
        )
        [notice] = planning.get_plan(destroyed[0]).notices
        assert (notice.kind, notice.method, notice.given_on) == ("destruction", "letter", today())
        assert notice.to == () and notice.by == DESTROYED
        assert plaintext_in(everything_stored(postgres_url)) == []

    def test_a_second_run_has_nothing_to_do_and_writes_are_refused(self, destroyed, store):
        planning = store()
        assert run_retention(planning, POLICY) == []
        with pytest.raises(PlanDestroyedError):
            # Destruction is the retention schedule's (a lead is forbidden it outright).
            planning.change(destroyed[0], DestroyPlan(), as_caller(RETENTION_ACTOR))


def test_a_csp_discontinued_after_review_is_destroyed_5_years_on(store):
    # reg 11(2)-(3): discontinued (its date noted), kept 5 years, then destroyed.
    planning = store()
    lead, officer = as_caller(), as_caller(an_officer())
    story = a_reviewed_plan(planning, plan_type=PlanType.CSP, opened_days_ago=SIX_YEARS + 200)

    def step(command, caller, ago, reason=None):
        planning.change(story.plan_id, command, caller, occurred_on=days_ago(ago), reason=reason)

    step(PrepareCsp(), officer, SIX_YEARS + 100)
    step(StartReview(), lead, SIX_YEARS + 10)
    planning.change(
        story.plan_id,
        HoldReview(
            held_on=days_ago(SIX_YEARS),
            attendees=("Fiona MacLeod",),
            summary="Needs met in school",
            next_review_on=None,
            kind=ReviewKind.STATUTORY,
            recommends_discontinuance=True,
        ),
        lead,
    )
    step(DiscontinueCsp(), officer, SIX_YEARS - 70, "No longer needed")
    decisions = run_retention(planning, POLICY)
    assert [(d.plan_id, d.outcome) for d in decisions] == [(story.plan_id, Outcome.DESTROYED)]
    assert planning.get_plan(story.plan_id).status is PlanStatus.DESTROYED


def test_plans_still_within_retention_are_kept(store, postgres_url):
    planning = store()
    recent = a_discontinued_csp(planning, closed_days_ago=5 * 365 - 30, contributions=0)
    iep = a_reviewed_plan(planning, opened_days_ago=SIX_YEARS).plan_id
    planning.change(
        iep, ClosePlan(), as_caller(), occurred_on=days_ago(5 * 365 + 30), reason="Moved school"
    )
    assert run_retention(planning, POLICY) == []
    assert planning.get_plan(recent).child == a_child()
    assert planning.get_plan(iep).status is PlanStatus.CLOSED


def test_the_period_is_set_per_plan_type(store):
    planning = store()
    iep = a_reviewed_plan(planning, opened_days_ago=400).plan_id
    planning.change(iep, ClosePlan(), as_caller(), occurred_on=days_ago(370), reason="Moved school")
    decisions = run_retention(planning, RetentionPolicy.from_settings({"iep": 1}))
    assert [(d.plan_id, d.outcome) for d in decisions] == [(iep, Outcome.DESTROYED)]


def test_a_dry_run_changes_nothing(store, postgres_url):
    planning = store()
    plan_id = a_discontinued_csp(planning, closed_days_ago=5 * 365 + 30, contributions=0)
    events = rows(postgres_url, "SELECT count(*) FROM {s}.planning_events")
    decisions = run_retention(planning, POLICY, dry_run=True)
    assert [d.outcome for d in decisions] == [Outcome.WOULD_DESTROY]
    assert rows(postgres_url, "SELECT count(*) FROM {s}.planning_events") == events
    assert planning.get_plan(plan_id).child == a_child()


def test_a_future_date_is_only_for_a_dry_run(store):
    planning = store()
    plan_id = a_discontinued_csp(planning, closed_days_ago=30, contributions=0)
    future = days_ago(-5 * 366)
    with pytest.raises(FutureRunError):
        run_retention(planning, POLICY, as_of=future)
    [decision] = run_retention(planning, POLICY, as_of=future, dry_run=True)
    assert decision.plan_id == plan_id and decision.retention_ends_on < future


def test_without_a_master_key_there_is_nothing_to_shred(store):
    with pytest.raises(NothingToShredError):
        run_retention(store(key=None), POLICY)


def test_the_command_refuses_clearly_without_a_master_key(postgres_url, monkeypatch):
    monkeypatch.setenv("PLANLEDGER_DATABASE_URL", postgres_url)
    monkeypatch.delenv("PLANLEDGER_ENCRYPTION_KEY", raising=False)
    # A store in clear opens only by opt-out; retention must still refuse on it.
    monkeypatch.setenv("PLANLEDGER_ALLOW_PLAINTEXT_STORE", "true")
    result = CliRunner().invoke(cli, ["retention", "run"])
    assert result.exit_code == 1
    assert "No master key is configured" in result.output


def test_the_command_destroys_what_is_due(store, postgres_url, master_key, monkeypatch):
    plan_id = a_discontinued_csp(store(), closed_days_ago=5 * 365 + 30, contributions=0)
    monkeypatch.setenv("PLANLEDGER_DATABASE_URL", postgres_url)
    monkeypatch.setenv("PLANLEDGER_ENCRYPTION_KEY", master_key)
    result = CliRunner().invoke(
        cli, ["retention", "run", "--today", (days_ago(0) - timedelta(days=1)).isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "destroyed" in result.output
    assert store().get_plan(plan_id).status is PlanStatus.DESTROYED


def test_after_destruction_the_chain_does_not_confirm_a_right_guess_of_the_content(
    store, postgres_url
):
    """Someone holding the chain after destruction knows the child's name and birth date
    from elsewhere (a pupil roll) and every other field of the opening event: hashing that
    guess must not match the digest the chain keeps."""
    writer = store()
    plan_id = a_discontinued_csp(writer, closed_days_ago=5 * 365 + 30, contributions=0)
    opened = next(iter(writer.events.get(plan_id)))
    state = opened.model_dump(mode="json")
    del state["originator_id"], state["originator_version"]
    guess = event_record(plan_id, 1, get_topic(type(opened)), state)
    run_retention(writer, POLICY)
    [(kept,)] = rows(postgres_url, "SELECT digest FROM {s}.planning_links WHERE position = 1")
    assert a_child().name in json.dumps(guess)
    assert digest(guess) != bytes(kept)
