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


class StageCatalogue(Immutable):
    """The stages one authority defines, lowest level first."""

    authority: str
    stages: tuple[Stage, ...] = Field(min_length=1)

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
