"""A plan as the outside world reads it: one dict shape for the API, the CLI and documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from domain.clocks import DUTIES
from domain.plans import Plan
from domain.stages import StageCatalogue
from domain.values import ChronologyEntry, Provision, Section, SharingRecord, TargetStatus

NOTICE_WORDS = {
    "proposal": "Told that the authority proposes to establish whether a CSP is needed",
    "decision_and_rights": "Told the decision and the right to refer it to the tribunal",
    "plan_copy": "Given a copy of the plan",
    "providers_informed": "Those providing the support told what they need to know",
    "review_proposal": "Told that the authority proposes to review the plan",
    "review_outcome_and_rights": "Told the outcome of the review and the right to refer it",
    "discontinuance": "Told that the plan is discontinued",
    "destruction": "Told that the plan has been destroyed",
}
"""Each kind of notice (domain.statutory.NoticeKind), in words, for pages and documents."""

CLOCK_WORDS = DUTIES
"""Each statutory clock, as the duty it times (domain/clocks.py)."""


def _dump(value: Any) -> Any:
    return value.model_dump(mode="json")


def plan_as_dict(plan: Plan, stages: StageCatalogue) -> dict[str, Any]:
    return {
        "id": str(plan.id),
        "version": plan.version,
        "plan_type": plan.plan_type.value,
        "stage": plan.stage,
        "stage_name": stages.name_of(plan.stage),
        "status": plan.status.value,
        "child": _dump(plan.child),
        "org": plan.org,
        "opened_on": plan.opened_on.isoformat(),
        "closed_on": plan.closed_on.isoformat() if plan.closed_on else None,
        "lead_professional": plan.lead_professional,
        # Addresses are for the mail sender, not for every reader of the plan.
        "members": [m.model_dump(mode="json", exclude={"email"}) for m in plan.members.values()],
        "agencies": [_dump(a) for a in plan.agencies.values()],
        "pupil": _dump(plan.pupil) if plan.pupil else None,
        "outcomes": [
            {**_dump(o), "targets": [_dump(t) for t in plan.targets_of(o.id)]}
            for o in plan.outcomes.values()
        ],
        "provisions": [_provision(p) for p in plan.provisions.values()],
        "reviews": [_dump(r) for r in plan.reviews],
        "next_review_on": plan.next_review_on.isoformat() if plan.next_review_on else None,
        "views": [_dump(v) for v in plan.views],
        "contributions": [_dump(c) for c in plan.contributions],
        "shared_copies": [_dump(s) for s in plan.shared_copies],
        "sections": {name: _section(s) for name, s in plan.sections.items()},
        "notices": [_dump(n) for n in plan.notices],
        "signatures": [_dump(s) for s in plan.statutory.signed],
        "discontinued_on": _iso(plan.statutory.discontinued_on),
        "recorded_at": plan.modified_on.isoformat(),
    }


def chronology_as_dicts(plan: Plan, entries: list[ChronologyEntry]) -> list[dict[str, Any]]:
    """Chronology entries as API.md shapes them, each with the name of the agency it came
    from (merging adds the contributing agency to the source, as Chronolator does)."""
    names = {org: a.name for org, a in plan.agencies.items()}
    return [
        {
            "entry_id": str(e.id),
            "occurred_on": e.occurred_on.isoformat(),
            "period_from": e.occurred_on.isoformat() if e.period_to else None,
            "period_to": _iso(e.period_to),
            "date_uncertain": e.date_uncertain,
            "source": e.source,
            "kind": e.kind.value,
            "text": e.text,
            "impact": e.impact,
            "action": e.action,
            "wellbeing": [w.value for w in e.wellbeing],
            "agency": e.agency,
            "agency_name": names.get(e.agency or "", e.agency),
            "family_may_see": e.family_may_see,
            "recorded_at": e.recorded_at.isoformat(),
            "actor": _dump(e.actor),
        }
        for e in entries
    ]


LAWFUL_BASES = {
    "consent": "Consent",
    "contract": "A contract",
    "legal_obligation": "A legal obligation",
    "vital_interests": "Vital interests: to protect someone's life or safety",
    "public_task": "A public task: a duty or power in law",
    "legitimate_interests": "Legitimate interests",
}
"""UK GDPR Art 6(1), in the words of GIRFEC Practice Guidance 4 §10."""


FUNDING_STREAMS = {
    "school_budget": "The school's own SEN or ASN budget",
    "high_needs_top_up": "High needs top-up from the council",
    "pupil_premium": "Pupil premium",
    "authority_asn": "The council's ASN budget",
    "health": "Health (NHS)",
    "social_care": "Social care",
    "other": "Other",
}


def sharing_as_dicts(records: list[SharingRecord]) -> list[dict[str, Any]]:
    """Each record of information shared, as the API gives it."""
    return [
        {
            "sharing_id": str(r.id),
            **r.model_dump(mode="json", exclude={"id", "actor", "recorded_at"}),
            "recorded_at": r.recorded_at.isoformat(),
            "actor": _dump(r.actor),
        }
        for r in records
    ]


def _provision(provision: Provision) -> dict[str, Any]:
    """A provision with its status and the sessions delivered against those planned."""
    return {
        **_dump(provision),
        "status": provision.status,
        "sessions_delivered": sum(d.sessions for d in provision.deliveries),
        "sessions_missed": sum(d.missed or 0 for d in provision.deliveries),
        "sessions_planned": provision.sessions_planned,
        "short_of_plan": provision.short_of_plan,
        "hours_per_year": _plain(provision.hours_per_year),
        "quantified": provision.quantified,
    }


def _section(section: Section) -> dict[str, Any]:
    """A section as API.md shapes it: its text and fields, then when, and by whom."""
    return {
        "text": section.text,
        **section.details,
        "occurred_on": section.occurred_on.isoformat(),
        "recorded_at": section.recorded_at.isoformat(),
        "actor": _dump(section.actor),
        "reason": section.reason,
    }


def _plain(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def print_plan(console: Console, plan: Plan, stages: StageCatalogue) -> None:
    view = plan_as_dict(plan, stages)
    child = view["child"]
    tree = Tree(
        Text(
            f"{child['name']} (born {child['date_of_birth']}): "
            f"{view['plan_type'].upper()} at {view['org']}, {view['stage_name']}, "
            f"{view['status']} (version {view['version']})",
            style="bold",
        )
    )

    def add(node: Tree, label: str) -> Tree:
        return node.add(Text(label))  # Text, not markup: plan text is never styled

    add(tree, f"Next review: {view['next_review_on'] or 'not set'}")
    people = add(tree, "People")
    for m in view["members"]:
        add(people, f"{m['name']} ({m['role']})")
    for a in view["agencies"]:
        add(people, f"{a['name']} [{a['kind']}], joined {a['joined_on']}")
    outcomes = add(tree, "Outcomes")
    for o in view["outcomes"]:
        node = add(outcomes, f"[{o['area']}] {o['text']}")
        for t in o["targets"]:
            mark = "✓" if t["status"] == TargetStatus.ACHIEVED else "·"
            last = t["evaluations"][-1]["progress"] if t["evaluations"] else "not yet evaluated"
            add(node, f"{mark} {t['text']} (due {t['due_on']}; {t['status']}; {last})")
    provision = add(tree, "Provision")
    for p in view["provisions"]:
        extra = ", ".join(x for x in (p["frequency"], p["staff"], p["recommended_by"]) if x)
        add(provision, f"{p['kind']}: {p['description']}" + (f" ({extra})" if extra else ""))
    reviews = add(tree, "Reviews")
    for r in view["reviews"]:
        add(reviews, f"{r['held_on']}: {r['summary']}")
    views = add(tree, "Views")
    for v in view["views"]:
        add(views, f"{v['whose']} ({v['occurred_on']}): {v['text']}")
    console.print(tree)
