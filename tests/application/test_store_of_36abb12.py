"""A store written by an earlier release (36abb12, kept in tests/fixtures) still loads,
verifies and projects: every plan, its history and its chain read as they did then."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from uuid import UUID

import pytest

from application.config import persistence_env
from application.evidence.export import build_export
from application.evidence.verification import verify_export
from application.planning import ENCRYPTION_KEY, Planning
from interfaces.plan_text import plan_as_dict
from projections.engine.catalogue import MODELS
from projections.engine.catch_up import catch_up

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store_36abb12"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text())
PLANS = EXPECTED["plans"]


@pytest.fixture(scope="module")
def planning(tmp_path_factory):
    db = tmp_path_factory.mktemp("store_36abb12") / "planledger.db"
    shutil.copy(FIXTURE / "planledger.db", db)
    key = (FIXTURE / "master.key").read_text().strip()
    app = Planning(env={**persistence_env(f"sqlite:///{db}"), ENCRYPTION_KEY: key})
    yield app
    app.close()


def test_the_fixture_holds_every_kind_of_event():
    assert len(EXPECTED["topics"]) == 37


ADDED_SINCE = {
    # plans: the sections and notices of a statutory plan, and its statutory summary
    "sections": {},
    "notices": [],
    # reviews: their kind; a review recorded before kinds existed has none
    "kind": None,
    "recommends_discontinuance": False,
    # statutory steps: requests and reviews begun gained ids, a signature whether amended
    "request_id": None,
    "review_id": None,
    "amended": False,
    # provision: the org that provides it; a handover: the new lead's name
    "provided_by": None,
    "name": None,
    # provision: what it replaced, its impacts at reviews, deliveries over a period
    "replaces": None,
    "impacts": [],
    "period_from": None,
    "missed": None,
    "sessions_missed": lambda value: value in (None, 0),
    "provision_impacts": [],
    "status": lambda value: value in ("active", "ended"),
    "sessions_delivered": lambda value: isinstance(value, int),
    "sessions_planned": lambda value: value is None or isinstance(value, int),
    "short_of_plan": lambda value: isinstance(value, bool),
    "bespoke": False,
    # provision: quantified over the year, and who pays as the reports count it
    "weeks_per_year": None,
    "funding_stream": None,
    "hours_per_year": None,
    "quantified": False,
    # plans: a CSP's signatures (read from its recorded preparation, CspPrepared) and
    # its date of discontinuance
    "signatures": lambda value: all(s.keys() == {"signed_on", "officer", "amended"} for s in value),
    "discontinued_on": None,
    # outcomes: the SHANARRI indicators they serve
    "wellbeing": [],
    # members: where they are told of changes by email
    "email": None,
    # plans: the pupil as the school's MIS holds them, from an import
    "pupil": None,
}
"""Fields added since 36abb12, with what a plan or an event recorded then reads as."""


def _reads_as_added(value, expected) -> bool:
    return expected(value) if callable(expected) else value == expected


def as_it_was(now, then) -> bool:
    """`now` holds everything `then` did, unchanged; whatever it adds is a field added
    since, reading as its value for records made before it existed."""
    if isinstance(then, dict) and isinstance(now, dict):
        added = set(now) - set(then)
        return (
            set(then) <= set(now)
            and all(as_it_was(now[k], v) for k, v in then.items())
            and all(k in ADDED_SINCE and _reads_as_added(now[k], ADDED_SINCE[k]) for k in added)
        )
    if isinstance(then, list) and isinstance(now, list):
        return len(now) == len(then) and all(map(as_it_was, now, then))
    return now == then


@pytest.mark.parametrize("label", sorted(PLANS))
def test_each_plan_reads_as_it_did(planning, label):
    expected = PLANS[label]
    plan = planning.get_plan(UUID(expected["plan_id"]))
    assert plan.version == expected["version"]
    now = json.loads(json.dumps(plan_as_dict(plan, planning.stages), default=str))
    assert as_it_was(now, expected["plan"])


@pytest.mark.parametrize("label", sorted(PLANS))
def test_each_history_reads_as_it_did(planning, label):
    expected = PLANS[label]
    history = [
        {
            "position": h.position,
            "type": h.type,
            "recorded_at": h.recorded_at.isoformat(),
            "occurred_on": h.occurred_on.isoformat(),
            "actor": h.actor.model_dump(mode="json"),
            "reason": h.reason,
            "data": h.data,
        }
        for h in planning.history(UUID(expected["plan_id"]))
    ]
    assert as_it_was(history, expected["history"])


@pytest.mark.parametrize("label", sorted(PLANS))
def test_each_chain_exports_the_same_records_and_verifies(planning, label):
    expected = PLANS[label]
    document = build_export(planning, UUID(expected["plan_id"]))
    assert document["events"] == expected["export"]
    assert verify_export(document).intact


def test_the_read_models_project_every_plan(planning):
    view = MODELS["plan_summaries"].open_view(planning.recorder.datastore, 1)
    catch_up(planning, view)
    for expected in PLANS.values():
        row = view.get_summary(UUID(expected["plan_id"]))
        assert row is not None
        assert row.version == expected["version"]
