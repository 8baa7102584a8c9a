"""Stages of staged intervention: each authority names and counts its own."""

from __future__ import annotations

from pydantic import Field, model_validator

from domain.base import Immutable
from domain.errors import UnknownStageError


class Stage(Immutable):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    name: str = Field(min_length=1, max_length=200)
    level: int = Field(ge=0)
    description: str = ""


class RetiredStage(Immutable):
    """A stage an earlier stages file offered and this one does not: plans made under it
    keep its id in their events, and are still shown by its name."""

    id: str = Field(max_length=64)
    name: str = Field(min_length=1, max_length=200)


class StageCatalogue(Immutable):
    """The stages one authority defines, lowest level first."""

    authority: str
    stages: tuple[Stage, ...] = Field(min_length=1)
    retired: tuple[RetiredStage, ...] = ()

    @model_validator(mode="after")
    def _check_unique(self) -> StageCatalogue:
        ids = [s.id for s in self.stages]
        if len(set(ids)) != len(ids):
            raise ValueError("stage ids must be unique")
        levels = [s.level for s in self.stages]
        if levels != sorted(set(levels)):
            raise ValueError("stage levels must be unique and listed lowest first")
        return self

    def get(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise UnknownStageError(stage_id)

    def name_of(self, stage_id: str) -> str:
        """A stage's name, offered now or retired; an id no file names reads as words
        ("level_2a": "Level 2a"), never as a raw id."""
        named: tuple[Stage | RetiredStage, ...] = (*self.stages, *self.retired)
        for stage in named:
            if stage.id == stage_id:
                return stage.name
        return stage_id.replace("_", " ").replace("-", " ").strip().capitalize() or "Unknown"
