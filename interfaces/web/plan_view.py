"""What the plan page shows: the plan as plan_as_dict shapes it, plus the lookups and
choices its sections and forms need. Shared by the page and by a refused form, which
shows the same page again with the refusal and what was typed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from starlette.requests import Request
from starlette.responses import Response

from application.history import HistoryEntry
from application.planning import Planning
from application.statutory import plan_clocks
from domain import access
from domain.access import Action, Decision
from domain.calendar import local_date, today
from domain.clocks import appeal_open_until
from domain.directory import Directory, Person
from domain.events.base import PlanEvent
from domain.notices import owed_notices
from domain.plans import Plan
from domain.reviews import in_year_meetings_due
from domain.sections import SECTIONS
from domain.statutory import EhcpExceptionGround, draft_representations_end
from domain.values import FAMILY_ROLES, PlanType, Progress, ProvisionKind, Role, Whose
from interfaces import wording
from interfaces.http.auth import Caller
from interfaces.plan_text import (
    FUNDING_STREAMS,
    LAWFUL_BASES,
    NOTICE_WORDS,
    chronology_as_dicts,
    plan_as_dict,
    sharing_as_dicts,
)
from interfaces.web import glossary
from interfaces.web.guard import allowed_actions
from interfaces.web.mail_record import mail_record
from interfaces.web.queries import statutory_clocks
from interfaces.web.rendering import directory_of, render

MEMBER_ROLE_CHOICES = ("parent_carer", "young_person", "practitioner", "lead_professional")
WHOSE_WORDS = {
    Whose.PARENT_CARER: "A parent's or carer's views",
    Whose.CHILD: "The child or young person's own views",
}

NOTICES = {
    "open": "The plan is open. Add the people who share it, then agree outcomes.",
    "outcome": "Outcome agreed.",
    "target": "Target set.",
    "revision": "Target revised; the earlier wording stays in the timeline.",
    "evaluation": "Evaluation recorded.",
    "provision": "Provision planned.",
    "review": "Review recorded, with its evaluations.",
    "stage": "Stage changed.",
    "agency": "Agency joined; its practitioners can now see and contribute to the plan.",
    "contribution": "Contribution added.",
    "views": "Thank you: your views have been added to the plan.",
    "member": "Person added to the plan.",
    "csp_request": "Request recorded: the authority must answer within 8 weeks.",
    "csp_answer": "Answer recorded. Tell the family, with their right to refer it (a notice).",
    "csp_proposal": "Proposal recorded: 16 weeks to establish need and prepare the plan.",
    "csp_delay": "Delay recorded with its new date. Tell the family why.",
    "csp_decision": "Decision recorded. Tell the family, with their right to refer it.",
    "csp_sign": "The plan is signed and dated. Give the family a copy (a notice).",
    "csp_review": "Statutory review begun: 12 weeks to complete it.",
    "early_review_request": "Request for an early review recorded: to be answered in 4 weeks.",
    "early_review_extension": "The time to answer is now 12 weeks from the request.",
    "early_review_answer": "Answer recorded. Tell the family, with their right to refer it.",
    "notice": "Notice recorded, with the date it was given.",
    "discontinue": "The plan is discontinued; its date is noted on the plan.",
    "lead_professional": "The plan has a new lead professional.",
    "section": "Section recorded; any earlier wording stays in the timeline.",
    "ehcp_request": "Request recorded: 6 weeks to decide whether to assess.",
    "ehcp_assessment": "Decision recorded. Tell the family, with their right of appeal.",
    "ehcp_issue_decision": "Decision recorded.",
    "ehcp_draft": "Draft recorded as sent: the family have 15 days to comment.",
    "ehcp_issue": "Plan issued. Tell the family, with their right of appeal.",
    "ehcp_review_report": "Report recorded as sent to everyone invited to the meeting.",
    "ehcp_review_decision": "Decision recorded. Tell the family, with their right of appeal.",
    "ehcp_exception": "Exception recorded; the time limit no longer applies.",
    "chronology": "Added to the chronology.",
    "sharing": "The sharing of information is recorded.",
    "delivery": "Delivery recorded against what was planned.",
    "document": "Document added; it is kept sealed with the plan.",
    "share": "Copy recorded as given; its PDF is kept under its number.",
    "bundle": "Bundle issued: every download of it is this same document.",
    "provision_end": "Provision ended; it stays in the plan's history with the reason.",
    "member_removal": "Their access has ended; the history keeps that they were part of it.",
    "agency_leaving": "The agency has left; its practitioners no longer see the plan.",
    "disclosure": "The plan is disclosed for that purpose until the disclosure ends.",
    "disclosure_revoking": "The disclosure has ended: they can no longer read the plan.",
    "close": "The plan is closed. Everything in it stays readable in its history.",
}


PLAN_TEMPLATES = {
    # In the first person and plain words, with the plan's terms explained.
    Role.YOUNG_PERSON: "young_person_plan.html",
    Role.PARENT_CARER: "family_plan.html",
}
"""The page each reader is shown; everyone else reads plan.html."""

SCHEDULE_TITLES = {
    PlanType.CSP: "The plan, in the form of the Schedule",
    PlanType.EHCP: "The plan's sections, A to K",
    PlanType.CHILDS_PLAN: "Why the plan, the assessment, and if it is not working",
}


def plan_context(
    planning: Planning,
    caller: Caller,
    shown: Plan,
    current: Plan,
    as_of: datetime | None = None,
    left_out: list[PlanEvent] | None = None,
) -> dict[str, Any]:
    """`as_of`, the plan shown is the plan on a past day: as recorded by then, or, with
    `left_out` (the events that could not be placed), as known today (domain.hindsight)."""
    view = plan_as_dict(shown, planning.stages)
    targets = [t for o in view["outcomes"] for t in o["targets"]]
    open_targets = [t for t in targets if t["status"] == "open"]
    numbered = {str(tid): f"Target {n}" for tid, n in shown.target_numbers().items()}
    support: dict[str, list[dict[str, Any]]] = {}
    for p in view["provisions"]:
        for target_id in p["target_ids"]:
            support.setdefault(target_id, []).append(p)
    names = {m["user_id"]: m["name"] for m in view["members"]}
    editable = as_of is None and current.is_open
    disclosed = (
        current.disclosures_in_force(today()) if access.may_see_who_has_access(caller) else []
    )
    show_clocks = (
        as_of is None
        and current.is_open
        and (access.decide(caller, Action.READ_CLOCKS, current) is Decision.ALLOW)
    )
    return {
        "plan": view,
        "as_of": as_of,
        "known": left_out is not None,
        "left_out": left_out or [],
        "entered_late": (
            entered_late(planning, caller, shown, as_of) if as_of and left_out is None else []
        ),
        "editable": editable,
        # Which forms to show: each is access.decide's answer for this caller and plan.
        "allowed": allowed_actions(caller, current) if editable else dict.fromkeys(Action, False),
        "clocks": statutory_clocks(planning, current) if show_clocks else (),
        "appeal_open_until": (
            appeal_open_until(plan_clocks(planning, current.id, today()), today())
            if caller.role in FAMILY_ROLES and current.plan_type is PlanType.EHCP
            else None
        ),
        "targets": targets,
        "open_targets": open_targets,
        "target_label": numbered,
        # Overdue on the day the page shows: today, or the day the plan stood as of.
        "overdue_targets": (
            {str(t.id) for t in shown.overdue_targets(as_of.date() if as_of else today())}
            if shown.is_open
            else set()
        ),
        "support": support,
        "lead_name": names.get(view["lead_professional"] or "", ""),
        # Choices for the forms, as (value, words) pairs.
        "outcome_options": [(o["id"], _short(o["text"])) for o in view["outcomes"]],
        "open_target_options": [
            (t["id"], f"{numbered[t['id']]}: {_short(t['text'])}") for t in open_targets
        ],
        "stage_options": [(s.id, s.name) for s in planning.stages.stages if s.id != current.stage],
        "whose_options": [
            (w.value, WHOSE_WORDS[w]) for w in WHOSE_WORDS if access.may_record_views(caller, w)
        ],
        "progress_options": [(p.value, wording.PROGRESS[p.value]) for p in Progress],
        "kind_options": [(k.value, wording.PROVISION_KINDS[k.value]) for k in ProvisionKind],
        "role_options": [(r, wording.ROLES[r]) for r in MEMBER_ROLE_CHOICES],
        # The lead professional cannot be removed: another is assigned first.
        "removable_member_options": [
            (m["user_id"], f"{m['name']} ({wording.ROLES.get(m['role'], m['role'])})")
            for m in view["members"]
            if m["user_id"] != view["lead_professional"]
        ],
        "agency_options": [(a["org"], a["name"]) for a in view["agencies"]],
        # To whom the plan is disclosed is for the lead professional alone.
        "disclosures": disclosed,
        "disclosure_options": [
            (str(d.id), f"{d.grantee}: {_short(d.purpose, 60)}") for d in disclosed
        ],
        "form_key": lambda: uuid4().hex,
        # Notices follow a CSP past its end (discontinuance, destruction: reg 11(3)).
        "may_give_notice": as_of is None
        and access.decide(caller, Action.GIVE_NOTICE, current) is Decision.ALLOW,
        "in_year_meetings": (
            in_year_meetings_due(current.opened_on, [r.held_on for r in current.reviews], today())
            if current.plan_type is PlanType.SEN_SUPPORT and current.is_open
            else None
        ),
        "evidence": evidence_context(caller, shown),
        "plan_documents": list(shown.documents.values()),
        "provision_rows": in_row_order(view["provisions"]),
        "provision_names": {p["id"]: p["description"] for p in view["provisions"]},
        "active_provision_options": [
            (p["id"], _short(p["description"]))
            for p in view["provisions"]
            if p["status"] == "active"
        ],
        "chronology": chronology_as_dicts(shown, access.chronology_for(caller, shown)),
        "chronology_kind_options": list(wording.CHRONOLOGY_KINDS.items()),
        "sharing": sharing_as_dicts(access.sharing_for(caller, shown)),
        "lawful_basis_options": list(LAWFUL_BASES.items()),
        "funding_stream_options": list(FUNDING_STREAMS.items()),
        "wellbeing_options": list(wording.WELLBEING.items()),
        "org_options": org_options(current),
        "schedule": [
            (name, heading, shown.sections.get(name))
            for name, heading in SECTIONS.get(current.plan_type, {}).items()
        ],
        "schedule_title": SCHEDULE_TITLES.get(current.plan_type),
        **csp_context(current),
        **ehcp_context(current),
    }


def directory_options(directory: Directory, plan: Plan) -> dict[str, Any]:
    """People and organisations to choose by name on the forms, from the directory: who
    is not on the plan yet, agencies not joined, and reviewers and tribunals."""

    def described(p: Person) -> str:
        org = directory.name_of(p.org) or p.org
        return ", ".join(filter(None, (p.name, wording.ROLES.get(p.role, p.role), org)))

    people = [p for p in directory.find_people() if p.user_id]
    return {
        "known_people_options": [
            (p.user_id, described(p))
            for p in people
            if p.user_id not in plan.members and p.role != "reviewer"
        ],
        "known_agency_options": [
            (o.org, o.name)
            for o in directory.find_organisations()
            if o.org not in plan.agencies and o.org != plan.org and o.kind != "tribunal"
        ],
        "known_grantee_options": [
            *((p.user_id, described(p)) for p in people if p.role == "reviewer"),
            *((o.org, o.name) for o in directory.find_organisations(kinds=("tribunal",))),
        ],
    }


def entered_late(
    planning: Planning, caller: Caller, shown: Plan, as_of: datetime
) -> list[HistoryEntry]:
    """What the reader may see that happened by the day of `as_of` but was recorded after
    it: a plan "as it stood" is the plan as recorded then, so these are not in it."""
    day = local_date(as_of)
    return [
        e
        for e in planning.history(shown.id, caller)
        if e.position > shown.version and e.occurred_on <= day
    ]


def evidence_context(caller: Caller, plan: Plan) -> dict[str, Any] | None:
    """What the plan's evidence panel offers this reader: printing, the bundle, the copies
    given and the bundles issued; a reviewer's own disclosure, with its purpose and end."""
    if access.decide(caller, Action.READ_EVIDENCE, plan) is not Decision.ALLOW:
        return None
    return {
        "shared_copies": plan.shared_copies,
        "bundles": plan.bundles if access.may_read_issued_bundles(caller) else [],
        "disclosures": access.disclosures_to(caller, plan),
    }


def in_row_order(provisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each amended provision "on a new row underneath the evaluated row" it replaces
    (the SEN Support plan template), the rest in the order planned."""
    by_replaced: dict[str, list[dict[str, Any]]] = {}
    for p in provisions:
        if p["replaces"]:
            by_replaced.setdefault(p["replaces"], []).append(p)
    ids = {p["id"] for p in provisions}
    rows: list[dict[str, Any]] = []

    def place(p: dict[str, Any]) -> None:
        rows.append(p)
        for amended in by_replaced.get(p["id"], []):
            place(amended)

    for p in provisions:
        if not p["replaces"] or p["replaces"] not in ids:
            place(p)
    return rows


def org_options(plan: Plan) -> list[tuple[str, str]]:
    """The plan's own school or service, then each joined agency, by name."""
    return [(plan.org, "The school or service itself")] + [
        (org, a.name) for org, a in plan.agencies.items()
    ]


def ehcp_context(plan: Plan) -> dict[str, Any]:
    """An EHC plan's steps, for its page: where the process stands and the forms' choices."""
    if plan.plan_type is not PlanType.EHCP:
        return {"ehcp": None}
    state = plan.statutory
    sent = state.ehcp_draft_sent_on
    return {
        "ehcp": state,
        "draft_comments_until": draft_representations_end(sent) if sent else None,
        "exception_options": [(g.value, EXCEPTION_WORDS[g]) for g in EhcpExceptionGround],
    }


EXCEPTION_WORDS = {
    EhcpExceptionGround.SCHOOL_CLOSURE: "The school was closed for 4 weeks or more when asked",
    EhcpExceptionGround.EARLY_YEARS_CLOSURE: "The early years setting was closed when asked",
    EhcpExceptionGround.PERSONAL_CIRCUMSTANCES: "Exceptional personal circumstances",
    EhcpExceptionGround.ABSENT_FROM_AREA: "The child or family away for 4 weeks or more",
    EhcpExceptionGround.MISSED_APPOINTMENT: "An appointment was not kept",
}


def csp_context(plan: Plan) -> dict[str, Any]:
    """A CSP's steps and sections, for its page: where the process stands, the parts of
    the Schedule's form in order, and the choices of its forms."""
    if plan.plan_type is not PlanType.CSP:
        return {"csp": None}
    state = plan.statutory
    return {
        "csp": state,
        "reference_open_until": plan.reference_window_open_until(today()),
        "notices_owed": owed_notices(plan),
        "notice_kind_options": list(NOTICE_WORDS.items()),
        "notice_words": NOTICE_WORDS,
        "requester_options": [
            ("parent_carer", "A parent or carer"),
            ("young_person", "The young person"),
            ("child", "The child (aged 12 or over, with capacity)"),
            ("school", "The school"),
            ("agency", "Another agency"),
        ],
    }


def render_plan(
    request: Request,
    planning: Planning,
    caller: Caller,
    shown: Plan,
    current: Plan,
    *,
    as_of: datetime | None = None,
    left_out: list[PlanEvent] | None = None,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
    status_code: int = 200,
) -> Response:
    context = plan_context(planning, caller, shown, current, as_of, left_out)
    context.update(
        caller=caller,
        notice=notice,
        errors=errors or {},
        values=values or {},
        plan_id=str(current.id),
        mail=mail_record(request, caller, current) if as_of is None else [],
    )
    directory = directory_of(request)
    if context["editable"] and directory is not None:
        context.update(directory_options(directory, current))
    if caller.role is Role.YOUNG_PERSON:
        # The plan's own words, explained: only those the page uses.
        context["glossary"] = glossary.terms_in(glossary.texts_of_page(context))
    template = PLAN_TEMPLATES.get(caller.role, "plan.html")
    return render(request, template, context, status_code)


def as_uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
