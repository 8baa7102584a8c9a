"""The authority's configuration: its stages of staged intervention."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from domain.stages import StageCatalogue


def load_stages(path: str | Path | None = None) -> StageCatalogue:
    """Stages from a TOML file, or the default Scottish four-level set shipped here."""
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("application").joinpath("data/scotland.toml").read_text("utf-8")
    return StageCatalogue.model_validate(tomllib.loads(text))
