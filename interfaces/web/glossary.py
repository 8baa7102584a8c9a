"""The plan's words explained for a child or young person: the abbreviations and terms
that plans use (EP, SALT, P7, review...), each in plain words for a ten-year-old, and
which of them a page uses, so the young person's page lists only those. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from interfaces import wording

_SCOTTISH_PRIMARY = {
    f"P{n}": f"Primary {n}: year {n} of primary school in Scotland. Most children are "
    f"{n + 3} or {n + 4} when it starts."
    + (" It is the last year of primary school." if n == 7 else "")
    for n in range(1, 8)
}
_SCOTTISH_SECONDARY = {
    f"S{n}": f"Secondary {n}: year {n} of secondary school (high school) in Scotland. Most "
    f"young people are {n + 10} or {n + 11} when it starts."
    for n in range(1, 7)
}
_ENGLISH_YEARS = {
    "Year N": "The nursery year in a school in England, before Reception and Year 1.",
    **{
        f"Year {n}": f"Year {n} of school in England. Most children are {n + 4} or {n + 5} "
        "when it starts."
        for n in range(1, 14)
    },
}

GLOSSARY: dict[str, str] = {
    # The plans.
    "IEP": "Individualised educational programme: a plan written just for you, with the "
    "targets you are working on and the help you get at school.",
    "PLP": "Personal learning plan: a plan of what you are learning and your next steps.",
    "CSP": "Co-ordinated support plan: a plan for when school and other people, like "
    "doctors or therapists, all help you for a long time. The council makes it, and it is "
    "checked every year.",
    "Child's Plan": "A plan made when you need help from more than one service. One person, "
    "the lead professional, looks after it.",
    "EHCP": "Education, health and care plan: a plan used in England that says the help you "
    "must get at school, and from health and care services.",
    "EHC": "Education, health and care: the three kinds of help an EHC plan is about.",
    "GIRFEC": "Getting it right for every child: the way everyone in Scotland who works with "
    "children works together to help you be safe, healthy and happy.",
    "ASN": "Additional support needs: needing some extra help to get the most out of school. "
    "Lots of children need extra help at some time.",
    "SEN": "Special educational needs: the words used in England for needing extra help to learn.",
    "SEND": "Special educational needs and disabilities: the words used in England for "
    "needing extra help to learn, or having a disability.",
    # The people.
    "lead professional": "The main person who looks after your plan. You and your family "
    "can talk to them about it.",
    "SENCO": "Special educational needs co-ordinator: the teacher at school who makes sure "
    "children who need extra help get it.",
    "EP": "Educational psychologist: someone who finds out how you learn best and what might "
    "help, and gives ideas to your school.",
    "educational psychologist": "Someone who finds out how you learn best and what might "
    "help, and gives ideas to your school.",
    "SALT": "Speech and language therapist: someone who helps with talking, listening and "
    "understanding words.",
    "SLT": "Speech and language therapist: someone who helps with talking, listening and "
    "understanding words.",
    "OT": "Occupational therapist: someone who helps with everyday things, like writing, "
    "getting dressed, moving about, or coping with noise.",
    "HLTA": "Higher level teaching assistant: a helper at school with extra training, who "
    "can teach small groups.",
    "PSA": "Pupil support assistant: a helper at school who works with children in class.",
    "CAMHS": "Child and Adolescent Mental Health Services: people from the NHS who help "
    "children with big feelings and worries.",
    "NHS": "The National Health Service: doctors, nurses, therapists and hospitals.",
    # The plan's parts.
    "target": "A small step you are working on. Everyone can see when you have done it.",
    "outcome": "A bigger goal: what everyone hopes will be better for you.",
    "provision": "The help you get: like a group, a helper, or something to use.",
    "review": "A meeting to talk about how your plan is going and what to do next. You can "
    "go, and say what you think.",
    # Year groups.
    **_SCOTTISH_PRIMARY,
    **_SCOTTISH_SECONDARY,
    **_ENGLISH_YEARS,
}
"""Each term, as a plan writes it, and what it means in plain words."""

PAGE_WORDS = ("target", "review")
"""The plan's words the young person's page itself uses, whatever the plan says."""

ANY_CASE = frozenset({"Child's Plan"})
"""Terms with a capital that are written either way ("the child's plan")."""


def matches_any_case(term: str) -> bool:
    """A word (review, lead professional) matches in any case. An abbreviation or a name
    (EP, SALT, P7, Year 2) matches only as written: "salt" or "year 2 of the plan" is
    not it."""
    return term[0].islower() or term in ANY_CASE


@cache
def _pattern(term: str) -> re.Pattern[str]:
    # A whole word or phrase, plural too ("reviews", "EPs"); either apostrophe.
    body = re.escape(term).replace("'", "['\u2019]")
    flags = re.IGNORECASE if matches_any_case(term) else 0
    return re.compile(rf"(?<!\w){body}s?(?!\w)", flags)


def terms_in(
    texts: Iterable[str | None], glossary: Mapping[str, str] = GLOSSARY
) -> list[tuple[str, str]]:
    """The terms of the glossary that appear in the texts, each with its explanation, in
    the glossary's order."""
    joined = "\n".join(t for t in texts if t)
    return [(term, meaning) for term, meaning in glossary.items() if _pattern(term).search(joined)]


def texts_of_page(context: Mapping[str, Any]) -> list[str]:
    """The texts the young person's page shows from the plan, from its context
    (plan_view.plan_context): the kind of plan, the goals and targets, the help, the
    reviews, the views, the chronology and sharing, the parts of the plan, the documents."""
    plan = context["plan"]
    texts: list[str | None] = [*PAGE_WORDS, wording.PLAN_TYPES.get(plan["plan_type"], "")]
    if context.get("lead_name"):
        texts.append("lead professional")
    if context.get("ehcp"):
        texts.append("EHC")  # the EHC plan's part of the page speaks of "EHC needs assessment"
    for o in plan["outcomes"]:
        texts += [o.get("text"), o.get("aspiration")]
        for t in o["targets"]:
            texts.append(t.get("text"))
            texts += [e.get("impact") for e in t.get("evaluations") or ()]
    for p in plan["provisions"]:
        texts += [p.get(f) for f in ("description", "frequency", "staff", "recommended_by")]
    texts += [a.get("name") for a in plan["agencies"]]
    for r in plan["reviews"]:
        texts += [r.get("summary"), *(r.get("attendees") or ())]
    texts += [v.get("text") for v in plan["views"]]
    for e in context.get("chronology") or ():
        texts += [e.get(f) for f in ("text", "impact", "action", "source", "agency_name")]
    for s in context.get("sharing") or ():
        texts += [s.get(f) for f in ("information", "shared_with", "reason")]
    for _name, heading, section in context.get("schedule") or ():
        texts.append(getattr(heading, "title", None))
        texts.append(getattr(section, "text", None))
    texts += [getattr(d, "title", None) for d in context.get("plan_documents") or ()]
    return [t for t in texts if t]
