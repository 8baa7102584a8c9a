"""The record of information shared in the evidence: the bundle holds it as its reader
may read it, with the lawful basis and the reason; the family's copy only what they were
told of."""

from __future__ import annotations

from application.retention import shred
from domain.access import Caller
from domain.calendar import today
from domain.events import RecordInformationSharing
from domain.values import LawfulBasis, Role
from interfaces.documents.bundle import build_bundle
from interfaces.documents.plan_copy import render_plan_pdf
from tests.evidence.pdf_text import pages_text
from tests.evidence.plans import a_reviewed_plan
from tests.examples import as_caller, days_ago

PARENT = Caller(sub="u-parent", name="Morag Campbell", role=Role.PARENT_CARER)


def with_sharing(planning):
    story = a_reviewed_plan(planning)
    for shared_with, told in (("Leith Academy transition team", True), ("Police Scotland", False)):
        planning.change(
            story.plan_id,
            RecordInformationSharing(
                information="The plan and the EP report",
                shared_with=shared_with,
                lawful_basis=LawfulBasis.PUBLIC_TASK,
                necessary_because="Support from the first day",
                family_informed=told,
                not_informed_because=None if told else "A risk to the child in telling",
            ),
            as_caller(),
            occurred_on=days_ago(3),
            reason="Moving to secondary school",
        )
    return story


def test_the_bundle_holds_each_sharing_with_its_basis_and_reason(make_planning):
    planning = make_planning()
    story = with_sharing(planning)
    bundle = build_bundle(planning, story.plan_id, today())
    assert "Information shared" in [s.title for s in bundle.sections]
    text = " ".join(pages_text(bundle.pdf))
    assert "Leith Academy transition team" in text and "Police Scotland" in text
    assert "Lawful basis: public task" in text
    assert "Reason: Moving to secondary school" in text


def test_the_family_reads_only_what_they_were_told_of(make_planning):
    planning = make_planning()
    story = with_sharing(planning)
    bundle = " ".join(pages_text(build_bundle(planning, story.plan_id, today(), reader=PARENT).pdf))
    copy = " ".join(pages_text(render_plan_pdf(planning.get_plan(story.plan_id), planning.stages)))
    for text in (bundle, copy):
        assert "Leith Academy transition team" in text
        assert "Police Scotland" not in text


def test_a_destroyed_plans_sharing_still_reads_with_its_personal_fields_gone(
    make_planning, master_key
):
    planning = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
    story = with_sharing(planning)
    shred(planning, story.plan_id)  # as the retention schedule does, after its tombstone
    records = planning.get_plan(story.plan_id).information_sharing
    assert [r.family_informed for r in records] == [True, False]
    assert all(r.not_informed_because is None for r in records)
    assert "Police Scotland" not in repr(records)
