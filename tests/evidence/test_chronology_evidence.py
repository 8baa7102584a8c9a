"""The chronology in the evidence: the bundle holds the child's chronology as its reader
may read it, the family's copy holds what the family may read, and the diff names it."""

from __future__ import annotations

from datetime import timedelta

from application.evidence.diff import plan_diff
from domain.access import Caller
from domain.calendar import today
from domain.events import AddChronologyEntry
from domain.values import ChronologyKind, Role, Wellbeing
from interfaces.documents.bundle import build_bundle
from interfaces.documents.plan_copy import render_plan_pdf
from tests.evidence.pdf_text import pages_text
from tests.evidence.plans import a_reviewed_plan
from tests.examples import as_caller, days_ago

PARENT = Caller(sub="u-parent", name="Morag Campbell", role=Role.PARENT_CARER)


def with_entries(planning):
    story = a_reviewed_plan(planning)
    for text, shared in (
        ("Won the P6 reading prize", True),
        ("Police attended a disturbance at home", False),
    ):
        planning.change(
            story.plan_id,
            AddChronologyEntry(
                source="Head teacher",
                kind=ChronologyKind.STRENGTH if shared else ChronologyKind.CONCERN,
                text=text,
                wellbeing=(Wellbeing.ACHIEVING,),
                family_may_see=shared,
            ),
            as_caller(),
            occurred_on=days_ago(5),
        )
    return story


def test_the_bundle_holds_the_childs_chronology(make_planning):
    planning = make_planning()
    story = with_entries(planning)
    bundle = build_bundle(planning, story.plan_id, today())
    assert "The child's chronology" in [s.title for s in bundle.sections]
    text = " ".join(pages_text(bundle.pdf))
    assert "Won the P6 reading prize" in text
    assert "Police attended a disturbance at home" in text


def test_a_family_reads_no_entry_kept_from_them_in_the_bundle_or_their_copy(make_planning):
    planning = make_planning()
    story = with_entries(planning)
    bundle = " ".join(pages_text(build_bundle(planning, story.plan_id, today(), reader=PARENT).pdf))
    copy = " ".join(pages_text(render_plan_pdf(planning.get_plan(story.plan_id), planning.stages)))
    for text in (bundle, copy):
        assert "Won the P6 reading prize" in text
        assert "Police attended" not in text


def test_the_diff_names_the_chronology(make_planning):
    planning = make_planning()
    story = with_entries(planning)
    before = planning.get_plan(story.plan_id, version=1).modified_on
    diff = plan_diff(planning, story.plan_id, before, before + timedelta(days=3650))
    added = [c["data"]["text"] for c in diff["sections"]["chronology"]]
    assert added == ["Won the P6 reading prize", "Police attended a disturbance at home"]
    family = plan_diff(
        planning, story.plan_id, before, before + timedelta(days=3650), reader=PARENT
    )
    assert [c["data"]["text"] for c in family["sections"]["chronology"]] == [
        "Won the P6 reading prize"
    ]
