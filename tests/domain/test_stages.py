"""Stages: the authority's catalogue, and stepping a plan up or down it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from domain.errors import StageUnchangedError, UnknownStageError
from domain.events import ChangeStage
from domain.stages import StageCatalogue
from tests.domain.refusals import refused
from tests.examples import a_catalogue, a_lead_professional, a_stage, an_open_plan, by, days_ago

LEAD = a_lead_professional()


class TestChangingStage:
    def test_stepping_up_records_the_stage_it_came_from(self):
        plan = an_open_plan()
        plan.collect_events()
        plan.change_stage(
            ChangeStage(stage=a_catalogue().get("targeted").id),
            by(LEAD, days_ago(1), "SALT now involved"),
        )
        [changed] = plan.collect_events()
        assert (type(changed).__name__, changed.stage, changed.previous_stage) == (
            "StageChanged",
            "targeted",
            "additional",
        )
        assert plan.stage == "targeted"

    def test_a_plan_cannot_change_to_the_stage_it_is_at(self):
        plan = an_open_plan()
        with refused(plan, StageUnchangedError):
            plan.change_stage(
                ChangeStage(stage=a_catalogue().get("additional").id),
                by(LEAD, days_ago(1), "Reviewed the level"),
            )


class TestTheStageCatalogue:
    def test_a_stage_is_found_by_its_id(self):
        assert a_catalogue().get("targeted") == a_stage("targeted", 3)

    def test_a_stage_the_authority_does_not_define_is_unknown(self):
        with pytest.raises(UnknownStageError):
            a_catalogue().get("specialist")

    def test_stage_ids_must_be_unique(self):
        with pytest.raises(ValidationError, match="unique"):
            StageCatalogue(authority="x", stages=(a_stage("one", 1), a_stage("one", 2)))

    @pytest.mark.parametrize("levels", [(2, 1), (1, 1)], ids=["descending", "repeated"])
    def test_stage_levels_must_rise_from_the_first(self, levels):
        stages = (a_stage("one", levels[0]), a_stage("two", levels[1]))
        with pytest.raises(ValidationError, match="lowest first"):
            StageCatalogue(authority="x", stages=stages)
