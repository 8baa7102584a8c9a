"""The printed SEN Support plan, as the seed template lays it out: one sheet for each
outcome, its aspiration, then curriculum changes, normal and bespoke equipment,
strategies, interventions with how often and by whom, short-term targets and how they
went, and the impact of each intervention at review."""

from __future__ import annotations

from domain.events import PlanProvision
from domain.values import PlanType, ProvisionKind
from interfaces.documents.plan_copy import render_plan_pdf
from tests.evidence.pdf_text import pages_text
from tests.evidence.plans import PROVISION, a_reviewed_plan
from tests.examples import as_caller


def test_one_sheet_for_each_outcome_in_the_templates_order(make_planning):
    planning = make_planning()
    story = a_reviewed_plan(planning, PlanType.SEN_SUPPORT)
    for kind, description, bespoke, targets in (
        (ProvisionKind.EQUIPMENT, "Writing slope", False, (story.target_id,)),
        (ProvisionKind.EQUIPMENT, "Ear defenders, as the OT advised", True, (story.target_id,)),
        (ProvisionKind.STRATEGY, "Seated near the front", False, (story.target_id,)),
        (ProvisionKind.CURRICULUM, "Spelling lists cut to ten words", False, (story.target_id,)),
        (ProvisionKind.STRATEGY, "A quiet space at lunchtime", False, ()),
    ):
        planning.change(
            story.plan_id,
            PlanProvision(kind=kind, description=description, bespoke=bespoke, target_ids=targets),
            as_caller(),
        )
    pages = pages_text(render_plan_pdf(planning.get_plan(story.plan_id), planning.stages))
    text = " ".join(pages)
    order = [
        "Outcome 1:",
        "Aspiration: To have good friends",
        "Changes to the curriculum",
        "Spelling lists cut to ten words",
        "Equipment the school normally provides",
        "Writing slope",
        "Bespoke equipment and resources",
        "Ear defenders, as the OT advised",
        "Strategies",
        "Seated near the front",
        "Interventions",
        PROVISION,
        "2 sessions a week of 30 minutes, delivered by Support assistant",
        "Short-term targets",
        "Takes turns with one familiar peer.",
        "Provision for every outcome",
        "A quiet space at lunchtime",
    ]
    places = [text.index(words) for words in order]
    assert places == sorted(places)
    # The provision linked to no outcome starts a sheet of its own.
    assert any(p.lstrip().startswith("Provision for every outcome") for p in pages)
