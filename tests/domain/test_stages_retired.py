"""A plan made under an earlier stages file shows its stage's name, never its raw id."""

from __future__ import annotations

from domain.stages import RetiredStage, Stage, StageCatalogue

CATALOGUE = StageCatalogue(
    authority="Fife",
    stages=(Stage(id="universal", name="Level 1: Universal", level=1),),
    retired=(RetiredStage(id="level-2a", name="Level 2a: Additional (before 2025)"),),
)


def test_a_stage_offered_now_reads_by_its_name():
    assert CATALOGUE.name_of("universal") == "Level 1: Universal"


def test_a_retired_stage_reads_by_the_name_it_had():
    assert CATALOGUE.name_of("level-2a") == "Level 2a: Additional (before 2025)"


def test_an_id_no_file_names_reads_as_words():
    assert CATALOGUE.name_of("enhanced_support") == "Enhanced support"
