"""What changed between two recorded instants, by plan section, with who, when and why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import PlanNotFoundError
from application.evidence.diff import SECTIONS, plan_diff
from domain.events import ChangeStage, ClosePlan, CloseTarget, RecordViews
from domain.values import Whose
from tests.evidence.plans import REVISED, TARGET, a_reviewed_plan
from tests.examples import a_lead_professional, a_parent, as_caller


def instant_after(planning, plan_id, position):
    return planning.history(plan_id)[position - 1].recorded_at


def test_only_changes_recorded_between_the_instants_are_listed(planning):
    story = a_reviewed_plan(planning)
    history = planning.history(story.plan_id)
    review = next(e for e in history if e.type == "ReviewHeld")
    diff = plan_diff(
        planning, story.plan_id, history[review.position - 2].recorded_at, history[-1].recorded_at
    )
    positions = [c["position"] for s in diff["sections"].values() for c in s]
    assert sorted(positions) == list(range(review.position, len(history) + 1))
    assert (diff["from"]["version"], diff["to"]["version"]) == (review.position - 1, len(history))
    assert set(diff["sections"]) == set(SECTIONS)


def test_a_revision_shows_what_it_replaced_and_why(planning):
    story = a_reviewed_plan(planning)
    history = planning.history(story.plan_id)
    diff = plan_diff(planning, story.plan_id, history[-2].recorded_at, history[-1].recorded_at)
    [change] = diff["sections"]["targets"]
    assert change["change"] == "revised" and change["type"] == "TargetRevised"
    assert change["before"]["text"] == TARGET and change["data"]["text"] == REVISED
    assert change["reason"] == "Agreed with Isla and her mum: a smaller step first"
    lead = a_lead_professional()
    assert change["actor"] == {
        "id": lead.id,
        "name": lead.name,
        "role": "lead_professional",
        "org": lead.org,
    }
    assert change["backdated"] is True and change["occurred_on"] < change["recorded_at"][:10]


def test_sections_collect_additions_revisions_and_closures(planning):
    story = a_reviewed_plan(planning)
    start = planning.history(story.plan_id)[-1].recorded_at
    lead, parent = as_caller(), as_caller(a_parent())
    planning.change(story.plan_id, RecordViews(whose=Whose.CHILD, text="I like Lego"), parent)
    planning.change(story.plan_id, CloseTarget(target_id=story.target_id), lead, reason="Replaced")
    planning.change(
        story.plan_id, ChangeStage(stage="targeted"), lead, reason="More support needed"
    )
    planning.change(story.plan_id, ClosePlan(), lead, reason="Moved school")
    end = planning.history(story.plan_id)[-1].recorded_at
    sections = plan_diff(planning, story.plan_id, start, end)["sections"]
    assert [(c["change"], c["type"]) for c in sections["views"]] == [("added", "ViewsRecorded")]
    assert [c["change"] for c in sections["targets"]] == ["closed"]
    assert sections["stage"][0]["before"] == {"stage": "additional"}
    assert sections["stage"][0]["data"]["stage"] == "targeted"
    assert [(c["change"], c["reason"]) for c in sections["status"]] == [("closed", "Moved school")]
    assert sections["outcomes"] == [] and sections["provision"] == []


def test_from_before_the_plan_existed_lists_everything(planning):
    story = a_reviewed_plan(planning)
    history = planning.history(story.plan_id)
    diff = plan_diff(
        planning, story.plan_id, history[0].recorded_at - timedelta(days=1), history[-1].recorded_at
    )
    assert diff["from"]["version"] == 0
    assert diff["sections"]["status"][0]["type"] == "PlanOpened"
    assert sum(len(s) for s in diff["sections"].values()) == len(history)


def test_a_plan_that_did_not_exist_yet_is_not_found(planning):
    story = a_reviewed_plan(planning)
    first = planning.history(story.plan_id)[0].recorded_at
    with pytest.raises(PlanNotFoundError):
        plan_diff(planning, story.plan_id, first - timedelta(days=2), first - timedelta(days=1))
