"""The declared events and commands (domain/events): stored names never change, and every
command is carried out by the Plan method it names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from eventsourcing.utils import get_topic, resolve_topic

import domain.events
from domain.events import EVENTS, Command, OpenPlan, PlanEvent, StatutoryDecision, StatutoryStep
from domain.plans import Plan
from tests.domain.writes import STATUTORY_WRITES, WRITES

STORE_OF_36ABB12 = Path(__file__).parents[1] / "fixtures" / "store_36abb12" / "expected.json"
STORED_TOPICS = json.loads(STORE_OF_36ABB12.read_text())["topics"]

EXPORTED = [getattr(domain.events, name) for name in domain.events.__all__]
BASES = (Command, StatutoryStep, StatutoryDecision)
"""Exported command classes that only gather what the commands under them share."""
COMMANDS = [
    cls
    for cls in EXPORTED
    if isinstance(cls, type)
    and issubclass(cls, Command)
    and not issubclass(cls, PlanEvent)
    and cls not in BASES
]
EVERY_EVENT = pytest.mark.parametrize("event_class", EVENTS, ids=lambda c: c.__name__)
EVERY_COMMAND = pytest.mark.parametrize("command_class", COMMANDS, ids=lambda c: c.__name__)


@EVERY_EVENT
def test_every_event_is_stored_under_its_name_on_the_plan(event_class):
    assert get_topic(event_class) == f"domain.plans:Plan.{event_class.__name__}"


@EVERY_EVENT
def test_every_stored_topic_resolves_back_to_its_event_class(event_class):
    assert resolve_topic(get_topic(event_class)) is event_class
    assert getattr(Plan, event_class.__name__) is event_class


ADDED_SINCE_36ABB12 = {
    "CspRequestAnswered",
    "CspProposed",
    "CspDiscontinued",
    "NoticeGiven",
    "SectionRecorded",
    "ChronologyEntryAdded",
    "BundleIssued",
    "DocumentAdded",
    "EhcpDraftSent",
    "EhcpTimescaleExcepted",
    "EhcpReviewDecided",
    "InformationShared",
    "EhcpReviewReportSent",
    "NoticeEmailed",
    "PupilDetailsRecorded",
}


def test_every_topic_of_the_store_written_by_36abb12_is_still_an_event():
    topics = [get_topic(cls) for cls in EVENTS]
    assert len(STORED_TOPICS) == 37
    assert len(topics) == len(set(topics)) == 37 + len(ADDED_SINCE_36ABB12)
    assert set(topics) - set(STORED_TOPICS) == {
        f"domain.plans:Plan.{name}" for name in ADDED_SINCE_36ABB12
    }


def test_a_process_that_has_named_no_event_yet_resolves_every_stored_topic():
    # A reader loading a store resolves topics it has never built: nothing is cached.
    script = (
        "import json, sys\n"
        "from eventsourcing.utils import resolve_topic\n"
        "topics = json.loads(sys.argv[1])\n"
        "print(json.dumps([resolve_topic(t).__name__ for t in topics]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(STORED_TOPICS)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert json.loads(done.stdout) == [t.rpartition(".")[2] for t in STORED_TOPICS]


def test_every_event_class_is_exported():
    assert set(EVENTS) == {
        cls
        for cls in EXPORTED
        if isinstance(cls, type) and issubclass(cls, PlanEvent) and cls is not PlanEvent
    }


@EVERY_COMMAND
def test_every_command_names_a_plan_method_and_the_action_checked_for_it(command_class):
    if command_class is OpenPlan:
        # Opening makes the plan, so it has no method on one, and no action on one either.
        assert not hasattr(OpenPlan, "action")
        assert callable(Plan.open)
        return
    assert callable(getattr(Plan, command_class.handler, None)), command_class.handler
    assert hasattr(command_class, "action"), command_class


def test_the_commands_are_every_write_a_plan_takes():
    handlers = {cls.handler for cls in COMMANDS if cls is not OpenPlan}
    assert len(handlers) == len(COMMANDS) - 1 == 51
    assert handlers == set(WRITES) | set(STATUTORY_WRITES) | {
        "destroy_plan",
        "give_notice",
        "issue_bundle",
        "record_notice_emailed",  # by the mail sender only
    }


def test_the_bases_left_out_only_gather_commands_and_are_carried_out_by_no_method():
    for base in (StatutoryStep, StatutoryDecision):
        under = {cls for cls in COMMANDS if issubclass(cls, base)}
        assert under and {cls.handler for cls in under} <= set(STATUTORY_WRITES)
        assert not hasattr(Plan, base.handler)
