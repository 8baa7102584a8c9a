"""A plan summary: the row each plan has, for lists and for reviews due and overdue.

No personal data: ids, the org, enums, dates and counts. Names are added by the HTTP
layer from the plan itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID


@dataclass
class Grant:
    disclosure_id: str
    grantee: str
    until: date | None


@dataclass
class PlanSummary:
    plan_id: UUID
    plan_type: str
    stage: str
    status: str
    org: str
    opened_on: date
    lead_professional: str | None = None
    member_ids: list[str] = field(default_factory=list)
    agency_orgs: list[str] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    next_review_on: date | None = None
    open_targets: int = 0
    closed_on: date | None = None
    recorded_at: datetime | None = None
    version: int = 0
    clocks: list[dict[str, Any]] = field(default_factory=list)
    """The statutory clocks still running (domain.clocks.ClockBook.running): dates and
    clock names only. Stored a row each, beside the plan's row."""
    access_changed: bool = field(default=False, compare=False, repr=False)
    """Set by the fold when members, agencies or disclosures changed (not stored)."""
    clocks_changed: bool = field(default=False, compare=False, repr=False)
    clock_due_on: date | None = field(default=None, compare=False)
    """Read with a list of what falls due: the earliest running clock's due date."""
    clock_name: str | None = field(default=None, compare=False)

    @property
    def due_on(self) -> date | None:
        """What falls due first: the plan's own next review or a statutory clock."""
        days = [d for d in (self.next_review_on, self.clock_due_on) if d is not None]
        return min(days, default=None)

    @property
    def due(self) -> str | None:
        if self.due_on is None:
            return None
        return "review" if self.due_on == self.next_review_on else self.clock_name

    def disclosed_to(self, today: date) -> list[Grant]:
        return [g for g in self.grants if g.until is None or g.until >= today]

    def access(self) -> list[tuple[str, str, date | None]]:
        """(kind, value, until) rows that make the plan visible; one per value, the
        latest `until` winning (None, no end, beats any date)."""
        rows: dict[tuple[str, str], date | None] = {}
        for member_id in self.member_ids:
            rows[("member", member_id)] = None
        for org in self.agency_orgs:
            rows[("agency", org)] = None
        for grant in self.grants:
            key = ("grantee", grant.grantee)
            if key not in rows:
                rows[key] = grant.until
            elif (until := rows[key]) is not None:
                rows[key] = None if grant.until is None else max(until, grant.until)
        return [(kind, value, until) for (kind, value), until in rows.items()]

    def as_dict(self, today: date) -> dict[str, Any]:
        return {
            "plan_id": str(self.plan_id),
            "plan_type": self.plan_type,
            "stage": self.stage,
            "status": self.status,
            "org": self.org,
            "lead_professional": self.lead_professional,
            "member_ids": self.member_ids,
            "agency_orgs": self.agency_orgs,
            "disclosed_to": [
                {"grantee": g.grantee, "until": _iso(g.until)} for g in self.disclosed_to(today)
            ],
            "next_review_on": _iso(self.next_review_on),
            "open_targets": self.open_targets,
            "opened_on": _iso(self.opened_on),
            "closed_on": _iso(self.closed_on),
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "version": self.version,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
