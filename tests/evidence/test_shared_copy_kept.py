"""A family's copy is kept as it was given: its PDF sealed with the plan's key when it is
shared, and served from there, checked against the SHA-256 its event records, with no
layout, however the renderer changes since; a copy given before copies were kept is
rendered again and kept; destroyed with the plan's key."""

from __future__ import annotations

import hashlib

import pytest

from application.authority import load_stages
from application.planning import Planning, _kept_file_id
from application.retention import destroy_personal_data
from domain.documents import DocumentDestroyedError
from domain.events import ClosePlan, SharePlan
from interfaces.documents import plan_copy, render
from interfaces.documents.plan_copy import SharedCopyRenderer, shared_copy_pdf
from tests.evidence.plans import a_reviewed_plan
from tests.examples import as_caller


@pytest.fixture
def sharing(make_planning, master_key) -> Planning:
    return make_planning(
        PLANLEDGER_ENCRYPTION_KEY=master_key, shared_copy=SharedCopyRenderer(load_stages())
    )


def share(planning: Planning, plan_id):
    planning.change(plan_id, SharePlan(recipients=("Morag",), method="email"), as_caller())
    return planning.get_plan(plan_id).shared_copies[-1]


def test_a_copy_given_downloads_byte_for_byte_with_no_layout_after_the_template_changes(
    sharing, monkeypatch
):
    plan_id = a_reviewed_plan(sharing).plan_id
    given = share(sharing, plan_id)
    stored, sealed = sharing.records.select_document(
        plan_id, _kept_file_id(plan_id, "copy", given.sha256)
    )
    assert sealed and b"%PDF" not in stored

    def refused(*args, **kwargs):
        raise AssertionError("a copy given was laid out again")

    monkeypatch.setattr(plan_copy, "render_plan_pdf", refused)
    monkeypatch.setattr(render, "layout", refused)
    pdf, copy = shared_copy_pdf(sharing, plan_id, given.number)
    assert hashlib.sha256(pdf).hexdigest() == copy.sha256 == given.sha256


def test_a_copy_given_before_copies_were_kept_is_rendered_again_and_then_kept(sharing, monkeypatch):
    plan_id = a_reviewed_plan(sharing).plan_id
    with monkeypatch.context() as before:  # as shared before copies were kept
        before.setattr(sharing, "keep_pdf", lambda *args: None)
        given = share(sharing, plan_id)
    assert sharing.kept_pdf(plan_id, "copy", given.sha256) is None
    pdf, _ = shared_copy_pdf(sharing, plan_id, given.number)
    assert hashlib.sha256(pdf).hexdigest() == given.sha256
    assert sharing.kept_pdf(plan_id, "copy", given.sha256) == pdf


def test_a_destroyed_plans_copies_are_unreadable(sharing):
    plan_id = a_reviewed_plan(sharing).plan_id
    given = share(sharing, plan_id)
    sharing.change(plan_id, ClosePlan(), as_caller(), reason="Moved away")
    destroy_personal_data(sharing, plan_id, reason="Retention period ended")
    with pytest.raises(DocumentDestroyedError):
        shared_copy_pdf(sharing, plan_id, given.number)
