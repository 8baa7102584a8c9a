"""Plain words for the pages and the bundle: roles, progress, dates, history entries and
refusals."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.history import HistoryEntry
from domain.calendar import UK, today
from domain.plans import Plan
from domain.sections import SECTIONS
from domain.stages import StageCatalogue
from interfaces.plan_text import LAWFUL_BASES, NOTICE_WORDS

ROLES = {
    "lead_professional": "Lead professional",
    "practitioner": "Practitioner",
    "parent_carer": "Parent or carer",
    "young_person": "Young person",
    "reviewer": "Reviewer",
    "analyst": "Analyst",
    "authority_officer": "Authority officer",
    "system": "Planledger (automatic)",
}
PLAN_TYPES = {
    "plp": "Personal learning plan",
    "iep": "Individualised educational programme (IEP)",
    "csp": "Co-ordinated support plan (CSP)",
    "childs_plan": "Child's plan",
    "sen_support": "SEN support plan",
    "ehcp": "Education, health and care plan (EHCP)",
}
PROGRESS = {
    "achieved": "Achieved",
    "partially_achieved": "Partly achieved",
    "not_achieved": "Not achieved yet",
}
PROVISION_KINDS = {
    "strategy": "Strategy",
    "intervention": "Intervention",
    "equipment": "Equipment or resources",
    "curriculum": "Change to the curriculum",
}
WHOSE = {"child": "the child or young person", "parent_carer": "a parent or carer"}
TARGET_STATUS = {"open": "Open", "achieved": "Achieved", "closed": "Closed"}
CHRONOLOGY_KINDS = {
    "strength": "Something going well",
    "concern": "A worry",
    "event": "Something that happened",
}
"""Worded for the family, who read the chronology too (DOMAIN.md 1.8)."""
WELLBEING = {
    "safe": "Safe",
    "healthy": "Healthy",
    "achieving": "Achieving",
    "nurtured": "Nurtured",
    "active": "Active",
    "respected": "Respected",
    "responsible": "Responsible",
    "included": "Included",
}

# The fields that domain refusals name, as a reader would call them.
FIELDS = {
    "occurred_on": "the date it happened",
    "due_on": "the due date",
    "held_on": "the date the review was held",
    "next_review_on": "the next review date",
    "until": "the end date",
}


def day(value: date | str | None) -> str:
    if value is None or value == "":
        return "not set"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def instant(value: datetime | str) -> str:
    """A moment in UK time; the plan's dict shape (interfaces/plan_text.py) holds ISO text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = value.astimezone(UK)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def days_phrase(due: date | None) -> str:
    if due is None:
        return "no date set"
    left = (due - today()).days
    if left == 0:
        return "due today"
    if left > 0:
        return f"{left} day{'s' if left != 1 else ''} left"
    return f"overdue by {-left} day{'s' if left != -1 else ''}"


def age(born: date | None) -> str:
    if born is None:
        return ""
    now = today()
    years = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
    return f"{years} years old"


def refusal(message: str) -> str:
    """A domain rule's message (safe: ids and dates only) with field names in words."""

    def field(match: re.Match[str]) -> str:
        return FIELDS.get(match.group(1), match.group(1).replace("_", " "))

    text = re.sub(r"'([a-z_]+)'", field, message)
    return text[:1].upper() + text[1:]


def _words(type_name: str) -> str:
    spaced = re.sub(r"(?<!^)(?=[A-Z])", " ", type_name).lower()
    return spaced[:1].upper() + spaced[1:]


DELAY_CAUSES = {
    "agency_advice_late": "advice from an agency came late",
    "school_closed": "the school was closed",
    "family_unavailable": "the family was not available",
    "other": "another cause",
}
"""domain.statutory.DelayCause; a cause is free text, so any other is shown as given."""
EARLY_REVIEW_ANSWERS = {
    "granted": "Granted the request for an early review.",
    "refused": "Refused the request for an early review.",
}
EHCP_REVIEW_DECISIONS = {
    # As the decision's form offers them (_ehcp.html).
    "maintain": "to maintain the plan as it is",
    "amend": "to amend the plan",
    "cease": "to cease to maintain it",
}


def _notice(kind: str) -> str:
    words = NOTICE_WORDS.get(kind)
    return f"Recorded a notice: {words}." if words else "Recorded a notice."


def _section(plan: Plan, name: str) -> str:
    found = SECTIONS.get(plan.plan_type, {}).get(name)
    return found.title if found else name.replace("_", " ")


REQUESTERS = {
    "parent_carer": "a parent or carer",
    "young_person": "the young person",
    "child": "the child",
    "school": "the school",
    "agency": "an agency",
    "authority": "the council",
}


def part_letter(part: int) -> str:
    """The letter a bundle's part is numbered in: 1 is A (pages A1, A2, ...)."""
    return chr(ord("A") + part - 1)


def target_words(plan: Plan, target_id: str | None) -> str:
    """A target as a sentence names it: its text in quotes, or "a target"."""
    target = plan.targets.get(UUID(target_id)) if target_id else None
    return f"“{target.text}”" if target else "a target"


def describe(entry: HistoryEntry, plan: Plan, stages: StageCatalogue) -> str:
    """One line saying what a history entry did, in words a family can read."""
    d: dict[str, Any] = entry.data

    def target_text(key: str = "target_id") -> str:
        return target_words(plan, d.get(key))

    match entry.type:
        case "PlanOpened":
            return (
                f"Opened the plan: {PLAN_TYPES.get(d.get('plan_type', ''), 'plan')}, "
                f"{stages.name_of(d.get('stage', ''))}."
            )
        case "MemberAdded":
            return f"Added {d.get('name')} ({ROLES.get(d.get('role', ''), d.get('role'))})."
        case "AgencyJoined":
            return f"{d.get('name')} joined the plan."
        case "OutcomeAgreed":
            return f"Agreed an outcome: “{d.get('text')}”"
        case "TargetSet":
            return f"Set a target: “{d.get('text')}”, due {day(d.get('due_on'))}."
        case "TargetRevised":
            return f"Revised a target to: “{d.get('text')}”"
        case "TargetEvaluated":
            return (
                f"Evaluated {target_text()}: "
                f"{PROGRESS.get(d.get('progress', ''), d.get('progress'))}. {d.get('impact')}"
            )
        case "TargetClosed":
            return f"Closed {target_text()}."
        case "ProvisionPlanned":
            kind = PROVISION_KINDS.get(d.get("kind", ""), d.get("kind"))
            return f"Planned provision ({kind}): {d.get('description')}"
        case "ProvisionEnded":
            return "Ended a provision."
        case "ProvisionDelivered":
            return f"Recorded delivery of {d.get('sessions')} session(s)."
        case "ReviewHeld":
            return f"Held a review on {day(d.get('held_on'))}: {d.get('summary')}"
        case "ReviewScheduled":
            return f"Set the next review for {day(d.get('next_review_on'))}."
        case "StageChanged":
            before, after = d.get("previous_stage", ""), d.get("stage", "")
            return f"Moved from {stages.name_of(before)} to {stages.name_of(after)}."
        case "ContributionAppended":
            kind = str(d.get("kind", "")).replace("_", " ")
            return f"Added a contribution ({kind}): {d.get('text')}"
        case "ViewsRecorded":
            whose = WHOSE.get(d.get("whose", ""), "someone")
            return f"Recorded the views of {whose}: “{d.get('text')}”"
        case "PlanShared":
            return f"Shared copy {d.get('number')} of the plan ({d.get('method')})."
        case "PlanClosed":
            return "Closed the plan."
        case "CspRequestReceived":
            who = REQUESTERS.get(d.get("requested_by", ""), "someone")
            return f"Recorded a request from {who} to establish whether a CSP is needed."
        case "CspRequestAnswered":
            agreed = d.get("answer") == "will_establish"
            return (
                "Answered the request: the council will establish whether a CSP is needed."
                if agreed
                else "Refused the request to establish whether a CSP is needed."
            )
        case "CspProposed":
            return "The council proposed to establish whether a CSP is needed."
        case "CspNeedDecided":
            needed = d.get("decision") == "needed"
            return "Decided that a CSP is needed." if needed else "Decided that no CSP is needed."
        case "CspPreparationDelayed":
            cause = str(d.get("cause", ""))
            cause = DELAY_CAUSES.get(cause, cause)
            return f"Recorded a delay ({cause}): new date {day(d.get('new_due_on'))}."
        case "CspPrepared":
            return "Signed the amended plan." if d.get("amended") else "Signed and dated the plan."
        case "ReviewStarted":
            return "Began a statutory review of the plan."
        case "EarlyReviewRequested":
            who = REQUESTERS.get(d.get("requested_by", ""), "someone")
            return f"Recorded a request from {who} for an early review."
        case "EarlyReviewDeadlineExtended":
            return "Extended the time to answer the early review request to 12 weeks."
        case "EarlyReviewDecided":
            decision = EARLY_REVIEW_ANSWERS.get(d.get("decision", ""))
            return decision or "Answered the early review request."
        case "CspDiscontinued":
            return "Discontinued the plan."
        case "NoticeGiven":
            return _notice(str(d.get("kind", "")))
        case "NoticeEmailed":
            return (
                f"The mail server accepted the notice emailed (Message-ID {d.get('message_id')})."
            )
        case "ChronologyEntryAdded":
            kind = CHRONOLOGY_KINDS.get(d.get("kind", ""), "An entry")
            return (
                f"Added to the chronology ({kind.lower()}, from {d.get('source')}): {d.get('text')}"
            )
        case "EhcpAssessmentRequested":
            who = REQUESTERS.get(d.get("requested_by", ""), "someone")
            return f"Recorded a request from {who} for an EHC needs assessment."
        case "EhcpAssessmentDecided":
            if d.get("decision") == "assess":
                return "Decided to carry out an EHC needs assessment."
            return "Decided not to assess (the family may appeal)."
        case "EhcpIssueDecided":
            if d.get("decision") == "issue":
                return "Decided to issue an EHC plan."
            return "Decided not to issue a plan (the family may appeal)."
        case "EhcpDraftSent":
            return "Sent the draft plan to the family, with 15 days to comment."
        case "EhcpIssued":
            return "Issued the amended plan." if d.get("amended") else "Issued the final plan."
        case "EhcpTimescaleExcepted":
            # Here, not above: plan_view imports this module.
            from interfaces.web.plan_view import EXCEPTION_WORDS

            ground = EXCEPTION_WORDS.get(d.get("ground", ""), "a ground the law allows")
            return f"Recorded why a time limit could not be kept: {ground[:1].lower()}{ground[1:]}."
        case "EhcpReviewReportSent":
            return "Sent the annual review meeting's report to everyone invited."
        case "EhcpReviewDecided":
            decision = EHCP_REVIEW_DECISIONS.get(d.get("decision", ""), "")
            return f"Decided after the annual review {decision}".rstrip() + "."
        case "InformationShared":
            basis = LAWFUL_BASES.get(d.get("lawful_basis", ""), "")
            when = " in an emergency" if d.get("emergency") else ""
            return f"Shared information{when} with {d.get('shared_with')} ({basis.lower()})."
        case "PupilDetailsRecorded":
            return f"Recorded the pupil's details from the school's MIS ({d.get('source')})."
        case "SectionRecorded":
            return f"Recorded the part “{_section(plan, str(d.get('name', '')))}”."
        case _:
            return _words(entry.type) + "."
