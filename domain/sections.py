"""The named sections of a statutory plan: what each holds, and its heading in the form.

A CSP must hold what the Act s.9(2) and the CSP Regulations reg 3 list, in the form of the
Schedule "or a form substantially to the same effect" (SSI 2005/266 reg 3(1)(a), as
replaced by SSI 2005/518). Each item is a section of its own, so that the diff, the bundle
and a tribunal reference can name "the part or parts of the plan" a change or a dispute
concerns (ASN Tribunal Rules 2006 rule 5(2)(i)). The educational objectives and the
support required (s.9(2)(a)(ii)-(iv)) are the plan's outcomes and provision; the views
(reg 3(1)(b)(iv)-(v)) are its views: they are addressed there, not here.

An EHC plan's sections A to K are those of the SEND Regulations 2014 reg 12(1).

A Child's Plan is non-statutory (the 2014 Act's Part 5 was never commenced); its sections
are those GIRFEC's guidance asks of every plan that the outcomes, provision, views,
chronology and reviews do not already hold: why the plan was made, the assessment of
wellbeing, and what happens if the plan does not work (DOMAIN.md 1.7).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from domain.base import Immutable
from domain.errors import PlanningError
from domain.values import PlanType

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class SectionContent(Immutable):
    """What every section holds: its text. Sections with particulars add fields."""

    text: Body


class ChildDetails(SectionContent):
    """reg 3(1)(b)(i): the child's particulars beyond the name and date of birth, which
    the plan records when it is opened."""

    address: Line | None = None
    telephone: Line | None = None
    gender: Line | None = None
    preferred_language: Line | None = Field(
        default=None, description="Preferred language or form of communication"
    )
    school_attended: Line | None = None
    school_entry_on: date | None = Field(default=None, description="Date of entry to that school")


class Parent(Immutable):
    """reg 3(1)(b)(ii): one parent's particulars."""

    name: Line
    relationship: Line = Field(description="Relationship to the child, e.g. mother")
    address: Line | None = None
    telephone: Line | None = None
    preferred_language: Line | None = None


class Parents(SectionContent):
    parents: tuple[Parent, ...] = Field(default=(), max_length=10)


class NominatedSchool(SectionContent):
    """s.9(2)(b): the school the child is to attend."""

    school: Line | None = None


class Contact(SectionContent):
    """s.9(2)(c)-(d): a named person and how to reach them."""

    name: Line | None = None
    role: Line | None = None
    telephone: Line | None = None
    email: Line | None = None
    address: Line | None = None


class WellbeingAssessment(SectionContent):
    """The assessment read indicator by indicator, as the National Practice Model's
    Wellbeing Wheel asks: what the child needs (and what is going well) under each of the
    eight SHANARRI indicators (Children and Young People (Scotland) Act 2014 s.96(2))."""

    safe: Line | None = None
    healthy: Line | None = None
    achieving: Line | None = None
    nurtured: Line | None = None
    active: Line | None = None
    respected: Line | None = None
    responsible: Line | None = None
    included: Line | None = None


class Heading(Immutable):
    title: str
    source: str
    content: type[SectionContent] = SectionContent


CSP_SECTIONS: dict[str, Heading] = {
    "child_details": Heading(
        title="Child or young person's details", source="reg 3(1)(b)(i)", content=ChildDetails
    ),
    "parents": Heading(title="Parents' details", source="reg 3(1)(b)(ii)", content=Parents),
    "profile": Heading(
        title="Profile: skills, capabilities and other relevant information",
        source="reg 3(1)(b)(iii)",
    ),
    "factors": Heading(
        title="Factors giving rise to additional support needs", source="the Act s.9(2)(a)(i)"
    ),
    "nominated_school": Heading(
        title="Nominated school", source="the Act s.9(2)(b)", content=NominatedSchool
    ),
    "coordinator": Heading(
        title="Co-ordinator of the support", source="the Act s.9(2)(c)", content=Contact
    ),
    "contact_officer": Heading(
        title="Education authority contact officer", source="the Act s.9(2)(d)", content=Contact
    ),
    "review_timetable": Heading(title="Review timetable", source="reg 3(1)(b); the Act s.10"),
}

EHCP_SECTIONS: dict[str, Heading] = {
    name: Heading(title=title, source="SEND Regulations 2014 reg 12(1)")
    for name, title in {
        "a": "A: the views, interests and aspirations of the child and their parents",
        "b": "B: special educational needs",
        "c": "C: health care needs related to their SEN",
        "d": "D: social care needs related to their SEN or disability",
        "e": "E: outcomes sought",
        "f": "F: special educational provision",
        "g": "G: health care provision",
        "h1": "H1: social care provision under the Chronically Sick and Disabled Persons Act",
        "h2": "H2: any other social care provision",
        "i": "I: the name and type of the school or other institution",
        "j": "J: personal budget",
        "k": "K: advice and information gathered during the assessment",
    }.items()
}

CHILDS_PLAN_SECTIONS: dict[str, Heading] = {
    "reasons": Heading(
        title="Why this plan has been made", source="GIRFEC Child's Plan practice statement 2022"
    ),
    "assessment": Heading(
        title="Assessment of wellbeing: strengths, needs and risks",
        source="Children and Young People (Scotland) Act 2014 s.96; National Practice Model",
        content=WellbeingAssessment,
    ),
    "contingency": Heading(
        title="Contingency arrangements: what happens if the plan is not working",
        source="GIRFEC Child's Plan (local template)",
    ),
}

SECTIONS: dict[PlanType, dict[str, Heading]] = {
    PlanType.CSP: CSP_SECTIONS,
    PlanType.EHCP: EHCP_SECTIONS,
    PlanType.CHILDS_PLAN: CHILDS_PLAN_SECTIONS,
}


class UnknownSectionError(PlanningError):
    def __init__(self, name: str, plan_type: PlanType) -> None:
        super().__init__(f"A {plan_type.value} plan has no section '{name}'.")


def heading(plan_type: PlanType, name: str) -> Heading:
    found = SECTIONS.get(plan_type, {}).get(name)
    if found is None:
        raise UnknownSectionError(name, plan_type)
    return found


def content_of(plan_type: PlanType, name: str, given: dict[str, Any]) -> SectionContent:
    """The section's content, checked against what that section holds (pydantic's
    ValidationError names any field that is wrong)."""
    return heading(plan_type, name).content.model_validate(given)
