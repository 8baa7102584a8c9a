"""What `planledger import pupils` and the Import page share: the school's plans to match
the file against (from the plan-summary read model), and the report in words."""

from __future__ import annotations

from uuid import UUID

from application.planning import Planning
from application.pupil_import import ImportReport, ReportLine
from domain import access
from domain.access import Action, Caller, Decision, visibility
from domain.calendar import today
from domain.plans import Plan
from domain.pupil_import import ChangeKind, Format
from projections.plan_summaries.view import PlanFilters, PlanSummaryView

FORMATS = {
    Format.SEEMIS: "SEEMiS (Scotland)",
    Format.SIMS: "SIMS (England)",
    Format.ARBOR: "Arbor (England)",
}
PLAN_TYPES = {
    "plp": "personal learning plan",
    "iep": "IEP",
    "csp": "co-ordinated support plan",
    "childs_plan": "Child's Plan",
    "sen_support": "SEN support plan",
    "ehcp": "EHC plan",
}
DETAILS = {
    "pupil_number": "pupil number",
    "number_kind": "kind of number",
    "class_name": "class",
    "year_group": "year group",
    "asn_flags": "ASN or SEN flags",
    "contacts": "contacts",
    "source": "MIS",
}


def school_plans(planning: Planning, view: PlanSummaryView, caller: Caller, org: str) -> list[Plan]:
    """Every plan of the school (open or closed) the caller may read: what a file is matched
    against."""
    ids: list[UUID] = []
    after: str | None = None
    while True:
        page = view.list_plans(
            PlanFilters(), visibility(caller), today=today(), limit=500, after=after
        )
        ids += [row.plan_id for row in page.items if row.org == org]
        if not page.next:
            break
        after = page.next
    return [
        plan
        for plan in planning.get_plans(ids).values()
        if plan.org == org and access.decide(caller, Action.READ_PLAN, plan) is Decision.ALLOW
    ]


def line_words(line: ReportLine, *, dry_run: bool) -> str:
    """What the import does, or would do, for one pupil: by row and initials, no name."""
    plan = PLAN_TYPES.get(line.plan_type.value, "plan") if line.plan_type else "plan"
    match line.kind:
        case ChangeKind.OPEN:
            article = "an" if plan[:1] in "AEIOUaeiou" else "a"
            if dry_run:
                return f"would open {article} {plan} and record the pupil's details"
            return f"opened {article} {plan} and recorded the pupil's details"
        case ChangeKind.RECORD if line.first:
            return (
                f"{'would record' if dry_run else 'recorded'} the pupil's details on their {plan}"
            )
        case ChangeKind.RECORD:
            what = ", ".join(DETAILS.get(c, c) for c in line.changed)
            return (
                f"{'would record' if dry_run else 'recorded'} new details on their {plan}: {what}"
            )
        case ChangeKind.NOTHING:
            return f"no change: their {plan} already has these details"
        case ChangeKind.CLOSED:
            return f"left alone: their {plan} is closed"
        case _:
            return "skipped: not on the ASN or SEN register, and no plan"


def summary_words(report: ImportReport) -> str:
    """The counts, in one sentence."""
    dry = report.dry_run
    parts = [
        f"{report.count(ChangeKind.OPEN)} plans {'to open' if dry else 'opened'}",
        f"{report.count(ChangeKind.RECORD)} with new details {'to record' if dry else 'recorded'}",
        f"{report.count(ChangeKind.NOTHING)} unchanged",
        f"{report.count(ChangeKind.SKIP)} skipped (not on the register, and no plan)",
    ]
    if closed := report.count(ChangeKind.CLOSED):
        parts.append(f"{closed} left alone (their plan is closed)")
    return f"{report.pupils} pupils read: " + ", ".join(parts) + "."
