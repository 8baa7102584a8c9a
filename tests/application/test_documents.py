"""A document's file is kept sealed with the plan's own key, and destroyed with it."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.documents import DocumentDestroyedError, DocumentNotFoundError
from tests.application.test_personal_data import destroy_key
from tests.examples import a_plan_in, as_caller

REPORT = b"%PDF-1.7\nIsla Campbell: speech and language assessment\n%%EOF\n"


def add(planning, plan_id):
    written = planning.add_document(
        plan_id, as_caller(), REPORT, title="SLT report", author="Priya Shah", kind="report"
    )
    return UUID(written.created["document_id"])


def test_the_file_is_sealed_at_rest_and_reads_back_as_added(make_planning, master_key):
    sealed = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
    plan_id = a_plan_in(sealed)
    document_id = add(sealed, plan_id)
    kept, is_sealed = sealed.records.select_document(plan_id, document_id)
    assert is_sealed and b"Isla Campbell" not in kept
    assert sealed.document(plan_id, document_id) == REPORT


def test_destroying_the_plans_key_destroys_the_file(make_planning, master_key):
    sealed = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
    plan_id = a_plan_in(sealed)
    document_id = add(sealed, plan_id)
    destroy_key(sealed, plan_id)
    with pytest.raises(DocumentDestroyedError):
        sealed.document(plan_id, document_id)


def test_without_a_key_the_file_is_deleted_when_the_plan_is_destroyed(planning):
    plan_id = a_plan_in(planning)
    document_id = add(planning, plan_id)
    assert planning.document(plan_id, document_id) == REPORT
    planning.records.destroy_key(plan_id)
    with pytest.raises(DocumentNotFoundError):
        planning.document(plan_id, document_id)
