"""The shape of every refusal: a named rule raises, and the plan is left as it was."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from typing import Any

import pytest

from domain.plans import Plan


@contextmanager
def refused(plan: Plan, error: type[Exception]) -> Iterator[Any]:
    """Given `plan` (its earlier events already recorded), the command in the block must
    raise `error`, record no event and change nothing."""
    plan.collect_events()
    before = deepcopy(plan)
    with pytest.raises(error) as raised:
        yield raised
    assert plan.collect_events() == []
    assert plan == before


def event_types(plan: Plan) -> list[str]:
    return [type(e).__name__ for e in plan.collect_events()]
