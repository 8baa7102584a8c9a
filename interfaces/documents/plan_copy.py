"""The copy of a plan that a family receives: a PDF of the plan as it stood at a version.

A `SharedCopyRenderer` given to Planning (interfaces/bootstrap.py) makes a shared copy
record the SHA-256 of this PDF (signed by the authority, when it signs) in the PlanShared
event, and Planning keeps it; `shared_copy_pdf` serves the kept PDF, or renders a copy
given before copies were kept again and proves it is the same document, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from application.errors import KeptPdfAlteredError, PdfNotReproducibleError
from application.planning import Planning
from domain import access
from domain.plans import Plan
from domain.sections import SECTIONS
from domain.stages import StageCatalogue
from domain.values import PlanType, SharedCopy
from interfaces.plan_text import (
    FUNDING_STREAMS,
    LAWFUL_BASES,
    NOTICE_WORDS,
    chronology_as_dicts,
    plan_as_dict,
    sharing_as_dicts,
)

if TYPE_CHECKING:
    from interfaces.documents.signing import PdfSigner

PLAN_TYPES = {
    "plp": "Personal Learning Plan",
    "iep": "Individualised Educational Programme",
    "csp": "Co-ordinated Support Plan",
    "childs_plan": "Child's Plan",
    "sen_support": "SEN Support plan",
    "ehcp": "Education, Health and Care Plan",
}
STATUSES = {
    "open": "In force",
    "closed": "Discontinued",
    "destroyed": "Destroyed at the end of its retention period",
}
TARGET_STATUSES = {"open": "Still being worked on", "achieved": "Achieved", "closed": "Closed"}
PROGRESS = {
    "achieved": "achieved",
    "partially_achieved": "partly achieved",
    "not_achieved": "not yet achieved",
}
ROLES = {
    "lead_professional": "Lead professional",
    "practitioner": "Practitioner",
    "parent_carer": "Parent or carer",
    "young_person": "Young person",
    "reviewer": "Reviewer",
    "authority_officer": "Authority officer",
    "analyst": "Analyst",
    "system": "Automatic process",
}
WHOSE = {
    "child": "The child's or young person's views",
    "parent_carer": "Parent's or carer's views",
}
CHRONOLOGY_KINDS = {
    "strength": "Something going well",
    "concern": "A worry",
    "event": "Something that happened",
}
PROVISION_KINDS = {
    "strategy": "Strategy",
    "intervention": "Intervention",
    "equipment": "Equipment",
    "curriculum": "Curriculum",
}


class SharedCopyNotFoundError(LookupError):
    def __init__(self, number: int) -> None:
        super().__init__(f"No shared copy {number} on this plan.")


class SharedCopyMismatchError(RuntimeError):
    """The copy rendered now is not the one the family received (the renderer changed)."""

    def __init__(self, number: int) -> None:
        super().__init__(
            f"Shared copy {number} cannot be reproduced exactly: its SHA-256 differs from "
            "the recorded one. The renderer (WeasyPrint, fonts, templates) has changed."
        )


DETAIL_LABELS = {
    "address": "Address",
    "telephone": "Telephone",
    "gender": "Gender",
    "preferred_language": "Preferred language or form of communication",
    "school_attended": "School attended",
    "school_entry_on": "Date of entry to that school",
    "school": "School",
    "name": "Name",
    "role": "Post",
    "email": "Email",
    "relationship": "Relationship to the child",
}


def schedule(plan: Plan) -> list[dict[str, Any]]:
    """A CSP's sections in the order of the Schedule's form (SSI 2005/518), each with its
    heading, the law it comes from, and its content as recorded (or none yet)."""
    rows = []
    for name, heading in SECTIONS[PlanType.CSP].items():
        section = plan.sections.get(name)
        details = dict(section.details) if section else {}
        parents = details.pop("parents", [])
        rows.append(
            {
                "name": name,
                "title": heading.title,
                "source": heading.source,
                "text": section.text if section else None,
                "details": [
                    (DETAIL_LABELS.get(k, k), v) for k, v in details.items() if v not in (None, "")
                ],
                "parents": [
                    [(DETAIL_LABELS.get(k, k), v) for k, v in parent.items() if v]
                    for parent in parents
                ],
                "recorded_on": section.occurred_on.isoformat() if section else None,
            }
        )
    return rows


def objectives(p: dict[str, Any]) -> list[dict[str, Any]]:
    """Each educational objective with the support for it and who provides it (s.9(2)(a)
    (ii)-(iv)): provision is linked to an objective through the targets it serves."""
    target_outcome = {t["id"]: o["id"] for o in p["outcomes"] for t in o["targets"]}
    rows = []
    for outcome in p["outcomes"]:
        support = [
            v
            for v in p["provisions"]
            if any(target_outcome.get(t) == outcome["id"] for t in v["target_ids"])
        ]
        rows.append({"objective": outcome, "support": support})
    linked = {v["id"] for row in rows for v in row["support"]}
    general = [v for v in p["provisions"] if v["id"] not in linked]
    if general:
        rows.append({"objective": None, "support": general})
    return rows


SHEET_PARTS = (
    ("curriculum", "Changes to the curriculum", lambda v: v["kind"] == "curriculum"),
    (
        "equipment",
        "Equipment the school normally provides",
        lambda v: v["kind"] == "equipment" and not v["bespoke"],
    ),
    (
        "bespoke",
        "Bespoke equipment and resources",
        lambda v: v["kind"] == "equipment" and v["bespoke"],
    ),
    ("strategies", "Strategies", lambda v: v["kind"] == "strategy"),
    ("interventions", "Interventions", lambda v: v["kind"] == "intervention"),
)
"""A SEN Support plan sheet's provision, in the seed template's order (its parts 2-7)."""


def sen_support_sheets(p: dict[str, Any]) -> list[dict[str, Any]]:
    """One sheet for each outcome, "so that the provision is always linked to the
    Outcomes" (the SEN Support Personalised Plan template): its aspiration, the outcome,
    the provision under it by kind, its short-term targets, and the impact at each review.
    Provision linked to no outcome gets a sheet of its own, at the end."""
    target_outcome = {t["id"]: o["id"] for o in p["outcomes"] for t in o["targets"]}

    def sheet(outcome: dict[str, Any] | None, provisions: list[dict[str, Any]]) -> dict:
        return {
            "outcome": outcome,
            "parts": [
                (title, [v for v in provisions if belongs(v)]) for _, title, belongs in SHEET_PARTS
            ],
            "targets": outcome["targets"] if outcome else [],
        }

    sheets = []
    linked: set[str] = set()
    for outcome in p["outcomes"]:
        own = [
            v
            for v in p["provisions"]
            if any(target_outcome.get(t) == outcome["id"] for t in v["target_ids"])
        ]
        linked |= {v["id"] for v in own}
        sheets.append(sheet(outcome, own))
    rest = [v for v in p["provisions"] if v["id"] not in linked]
    if rest:
        sheets.append(sheet(None, rest))
    return sheets


def plan_document(plan: Plan, stages: StageCatalogue) -> dict[str, Any]:
    """The plan in plain words: plan_as_dict plus labels a family can read."""
    p = plan_as_dict(plan, stages)
    p["notices_given"] = [
        {**_dump(n), "kind_label": NOTICE_WORDS.get(n.kind, n.kind)} for n in plan.notices
    ]
    if plan.plan_type is PlanType.CSP:
        p["schedule"] = schedule(plan)
        p["signatures"] = [_dump(s) for s in plan.statutory.signed]
        discontinued = plan.statutory.discontinued_on
        p["discontinued_on"] = discontinued.isoformat() if discontinued else None
    p["type_label"] = PLAN_TYPES.get(p["plan_type"], p["plan_type"])
    p["status_label"] = STATUSES.get(p["status"], p["status"])
    for outcome in p["outcomes"]:
        for target in outcome["targets"]:
            target["status_label"] = TARGET_STATUSES.get(target["status"], target["status"])
            latest = target["evaluations"][-1] if target["evaluations"] else None
            if latest is not None:
                latest = {**latest, "progress_label": PROGRESS.get(latest["progress"], "")}
            target["latest"] = latest
    providers = {a.org: a.name for a in plan.agencies.values()}
    for provision in p["provisions"]:
        provision["provider_name"] = providers.get(provision.get("provided_by") or "")
        provision["kind_label"] = PROVISION_KINDS.get(provision["kind"], provision["kind"])
        provision["how_often"] = _how_often(provision)
        provision["funding_label"] = FUNDING_STREAMS.get(provision["funding_stream"] or "")
    for member in p["members"]:
        member["role_label"] = ROLES.get(member["role"], member["role"])
    for views in p["views"]:
        views["whose_label"] = WHOSE.get(views["whose"], views["whose"])
    if "schedule" in p:
        p["objectives"] = objectives(p)
    else:
        if plan.plan_type is PlanType.SEN_SUPPORT:
            p["sheets"] = sen_support_sheets(p)
        p["parts"] = [
            {
                "title": heading.title,
                "text": plan.sections[name].text,
                "details": [
                    (str(k).replace("_", " ").capitalize(), v)
                    for k, v in plan.sections[name].details.items()
                    if v not in (None, "")
                ],
            }
            for name, heading in SECTIONS.get(plan.plan_type, {}).items()
            if name in plan.sections
        ]
    for outcome in p["outcomes"]:
        outcome["wellbeing_label"] = ", ".join(w.capitalize() for w in outcome["wellbeing"])
    # The copy is the family's: it holds the chronology they may read, worded for them.
    p["chronology"] = [
        {
            **entry,
            "kind_label": CHRONOLOGY_KINDS.get(entry["kind"], entry["kind"]),
            "wellbeing_label": ", ".join(w.capitalize() for w in entry["wellbeing"]),
        }
        for entry in chronology_as_dicts(plan, access.chronology_for(None, plan, family=True))
    ]
    p["sharing"] = [
        {**r, "basis_label": LAWFUL_BASES.get(r["lawful_basis"], r["lawful_basis"])}
        for r in sharing_as_dicts(access.sharing_for(None, plan, family=True))
    ]
    return p


def _dump(value: Any) -> dict[str, Any]:
    return value.model_dump(mode="json")


def _how_often(provision: dict[str, Any]) -> str:
    parts = []
    if provision["frequency"]:
        parts.append(provision["frequency"])
    sessions, minutes = provision["sessions_per_week"], provision["minutes_per_session"]
    if sessions:
        each = f" of {minutes} minutes" if minutes else ""
        weeks = provision["weeks_per_year"]
        year = f", {weeks} weeks a year" if weeks else ""
        parts.append(f"{sessions} session{'s' if sessions > 1 else ''} a week{each}{year}")
    if provision["hours_per_year"]:
        parts.append(f"{provision['hours_per_year']} hours a year")
    return "; ".join(parts) or "not stated"


def render_plan_pdf(plan: Plan, stages: StageCatalogue) -> bytes:
    # Imported here, not above: every command builds a renderer (interfaces/bootstrap.py),
    # and only those that render should pay for loading WeasyPrint.
    from interfaces.documents import render, workers

    html = render.render_html("shared_copy.html", plan=plan_document(plan, stages))
    with render.render_slot():
        return workers.lay_out_all([html])[0].pdf


@dataclass(frozen=True)
class SharedCopyRenderer:
    """The copy a family receives of a plan, with the stage names of the plan's store:
    called with a plan, its PDF, which Planning keeps and whose SHA-256 it records;
    signed by the authority when a signer is given (a copy given before is rendered
    again unsigned, by `shared_copy_pdf`: its SHA-256 is of those bytes)."""

    stages: StageCatalogue
    signer: PdfSigner | None = None

    def __call__(self, plan: Plan) -> bytes:
        pdf = render_plan_pdf(plan, self.stages)
        return self.signer.sign(pdf) if self.signer is not None else pdf


def shared_copies(planning: Planning, plan_id: UUID) -> list[SharedCopy]:
    return list(planning.get_plan(plan_id).shared_copies)


def shared_copy_pdf(planning: Planning, plan_id: UUID, number: int) -> tuple[bytes, SharedCopy]:
    """The copy the family received: the PDF kept when it was given, with no layout; one
    given before copies were kept is rendered again from the plan at that version, and
    kept once it matches. Raises SharedCopyMismatchError rather than hand out a different
    document under its name."""
    copy = next((c for c in shared_copies(planning, plan_id) if c.number == number), None)
    if copy is None:
        raise SharedCopyNotFoundError(number)

    def again() -> bytes:
        return render_plan_pdf(planning.get_plan(plan_id, version=copy.version), planning.stages)

    if copy.sha256 is None:  # recorded with no SHA-256 to hold it to
        return again(), copy
    try:
        return planning.given_pdf(plan_id, "copy", copy.sha256, again), copy
    except (KeptPdfAlteredError, PdfNotReproducibleError):
        raise SharedCopyMismatchError(number) from None
