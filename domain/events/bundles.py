"""Bundles issued for a tribunal: each recorded with its number, the instant its record
ends, its page count and its SHA-256, so that every later download is the same document,
byte for byte (different pages for "the same bundle" made the hearing in RP v Barnsley
[2025] UKUT 46 (AAC) unfair)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import Field

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import IssuedBundle

if TYPE_CHECKING:
    from domain.plans import Plan


class IssueBundle(Command):
    """The bundle of the record up to `cutoff` (its last event on or before `to`). A later
    bundle keeps every page of the one it builds on (`builds_on`), at the same numbers, as
    its first parts, and adds one part for what is new: late evidence goes after what the
    tribunal already holds, as bundles are added to in practice."""

    action = Action.ISSUE_BUNDLE
    to: date
    cutoff: datetime
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    pages: int = Field(ge=1)
    builds_on: int | None = None
    parts: int = Field(1, ge=1)

    def created(self, plan: Plan) -> dict[str, Any]:
        return {"number": plan.bundles[-1].number, "sha256": self.sha256, "pages": self.pages}


class BundleIssued(PlanEvent, IssueBundle):
    number: int

    def apply(self, plan: Plan) -> None:
        plan.bundles.append(
            IssuedBundle(
                number=self.number,
                to=self.to,
                cutoff=self.cutoff,
                sha256=self.sha256,
                pages=self.pages,
                issued_on=self.occurred_on,
                by=self.actor.name,
                builds_on=self.builds_on,
                parts=self.parts,
            )
        )


def builds_on(bundles: list[IssuedBundle], cutoff: datetime) -> IssuedBundle | None:
    """The bundle a new one up to `cutoff` keeps the pages of: the latest issued whose
    record ends at or before it (one ending later holds what the new one would not)."""
    earlier = [b for b in bundles if b.cutoff <= cutoff]
    return max(earlier, key=lambda b: (b.cutoff, b.number), default=None)
