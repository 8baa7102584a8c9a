"""An issued bundle is kept as issued: its PDF sealed with the plan's key at issue and
served from there, checked against the SHA-256 its event records, with no layout, however
the renderer changes since; a bundle issued before bundles were kept is rendered again;
destroying the plan's personal data leaves the kept PDF unreadable and the chain whole."""

from __future__ import annotations

import hashlib
import io
import json
import threading

import pytest
from pypdf import PdfReader

from application.evidence.export import build_export
from application.planning import Planning, _kept_file_id
from application.retention import destroy_personal_data
from domain.calendar import today
from domain.documents import DocumentDestroyedError
from domain.events import AppendContribution, ClosePlan, IssueBundle
from domain.values import IssuedBundle
from interfaces.documents import bundle as bundles
from interfaces.documents import render
from tests.evidence.plans import a_reviewed_plan
from tests.evidence.verifiers import VERIFIERS
from tests.examples import as_caller


@pytest.fixture
def sealed(make_planning, master_key) -> Planning:
    return make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)


def issue(planning: Planning, plan_id, command: IssueBundle | None = None) -> IssuedBundle:
    planning.change(
        plan_id, command or bundles.issue_command(planning, plan_id, today()), as_caller()
    )
    return planning.get_plan(plan_id).bundles[-1]


def the_template_changes(monkeypatch) -> None:
    """A renderer change: every bundle laid out from now on has one more line."""
    original = render.render_html

    def changed(name: str, **context) -> str:
        return original(name, **context).replace("</body>", "<p>A new footer line</p></body>")

    monkeypatch.setattr(render, "render_html", changed)


def no_layout(monkeypatch) -> None:
    def refused(*args, **kwargs):
        raise AssertionError("an issued bundle was laid out again")

    monkeypatch.setattr(bundles, "build_bundle", refused)
    monkeypatch.setattr(render, "layout", refused)


def test_an_issued_bundle_downloads_byte_for_byte_after_the_template_changes(sealed, monkeypatch):
    plan_id = a_reviewed_plan(sealed).plan_id
    built = bundles.build_bundle(sealed, plan_id, today())
    issued = issue(sealed, plan_id)
    assert issued.sha256 == built.sha256
    the_template_changes(monkeypatch)
    changed = bundles.build_bundle(sealed, plan_id, today(), cutoff=issued.cutoff)
    assert changed.sha256 != issued.sha256  # laying it out again would no longer do
    assert bundles.issued_bundle(sealed, plan_id, issued) == built.pdf


def test_a_download_makes_no_layout(sealed, monkeypatch):
    plan_id = a_reviewed_plan(sealed).plan_id
    issued = issue(sealed, plan_id)
    no_layout(monkeypatch)
    pdf = bundles.issued_bundle(sealed, plan_id, issued)
    assert hashlib.sha256(pdf).hexdigest() == issued.sha256


def test_the_kept_pdf_is_sealed_and_a_changed_byte_is_never_served(sealed, monkeypatch):
    plan_id = a_reviewed_plan(sealed).plan_id
    issued = issue(sealed, plan_id)
    stored, is_sealed = sealed.records.select_document(
        plan_id, _kept_file_id(plan_id, "bundle", issued.sha256)
    )
    assert is_sealed and b"%PDF" not in stored
    pdf = bundles.issued_bundle(sealed, plan_id, issued)
    middle = len(pdf) // 2
    altered = pdf[:middle] + bytes([pdf[middle] ^ 1]) + pdf[middle + 1 :]
    monkeypatch.setattr(sealed, "document", lambda *args: altered)  # as if altered at rest
    with pytest.raises(bundles.KeptBundleAlteredError):
        bundles.issued_bundle(sealed, plan_id, issued)


def test_a_bundle_issued_before_bundles_were_kept_is_rendered_again_and_then_kept(
    sealed, monkeypatch
):
    plan_id = a_reviewed_plan(sealed).plan_id
    # As issued before bundles were kept: laid out as they were then, the event, no PDF.
    built = bundles.build_bundle(sealed, plan_id, today(), first_layout=True)
    issued = issue(
        sealed,
        plan_id,
        IssueBundle(to=today(), cutoff=built.cutoff, sha256=built.sha256, pages=built.pages),
    )
    assert sealed.kept_pdf(plan_id, "bundle", issued.sha256) is None
    assert bundles.issued_bundle(sealed, plan_id, issued) == built.pdf
    no_layout(monkeypatch)  # reproduced once, it is kept: no layout from now on
    assert bundles.issued_bundle(sealed, plan_id, issued) == built.pdf


def test_a_bundle_issued_before_cannot_be_served_once_the_renderer_changed(sealed, monkeypatch):
    plan_id = a_reviewed_plan(sealed).plan_id
    built = bundles.build_bundle(sealed, plan_id, today(), first_layout=True)
    issued = issue(
        sealed,
        plan_id,
        IssueBundle(to=today(), cutoff=built.cutoff, sha256=built.sha256, pages=built.pages),
    )
    the_template_changes(monkeypatch)
    with pytest.raises(bundles.BundleNotReproducibleError):
        bundles.issued_bundle(sealed, plan_id, issued)
    assert sealed.kept_pdf(plan_id, "bundle", issued.sha256) is None


def test_destroying_the_plan_leaves_the_kept_bundle_unreadable_and_the_chain_whole(
    sealed, tmp_path
):
    plan_id = a_reviewed_plan(sealed).plan_id
    issued = issue(sealed, plan_id)
    sealed.change(plan_id, ClosePlan(), as_caller(), reason="Moved school")
    destroy_personal_data(sealed, plan_id, reason="Retention ended")
    (after,) = sealed.get_plan(plan_id).bundles
    assert (after.number, after.sha256) == (1, issued.sha256)
    with pytest.raises(DocumentDestroyedError):
        bundles.issued_bundle(sealed, plan_id, after)
    stored, is_sealed = sealed.records.select_document(
        plan_id, _kept_file_id(plan_id, "bundle", issued.sha256)
    )
    assert is_sealed and b"%PDF" not in stored  # and its key is gone
    path = tmp_path / "export.json"
    path.write_text(json.dumps(build_export(sealed, plan_id)))
    for verify in VERIFIERS.values():
        code, out = verify(path)
        assert code == 0, out


def test_two_issues_at_once_get_numbers_1_and_2_each_with_its_own_pdf(sealed):
    plan_id = a_reviewed_plan(sealed).plan_id
    first = bundles.issue_command(sealed, plan_id, today())
    sealed.change(plan_id, AppendContribution(kind="note", text="Late evidence"), as_caller())
    second = bundles.issue_command(sealed, plan_id, today())
    assert first.sha256 != second.sha256
    start = threading.Barrier(2)
    failed: list[BaseException] = []

    def issuing(command: IssueBundle) -> None:
        start.wait()
        try:
            sealed.change(plan_id, command, as_caller())
        except BaseException as e:  # reported below
            failed.append(e)

    threads = [threading.Thread(target=issuing, args=(c,)) for c in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == []
    issued = sealed.get_plan(plan_id).bundles
    assert sorted(b.number for b in issued) == [1, 2]
    assert {b.sha256 for b in issued} == {first.sha256, second.sha256}
    for b in issued:
        pdf = bundles.issued_bundle(sealed, plan_id, b)
        assert hashlib.sha256(pdf).hexdigest() == b.sha256


def test_a_later_bundle_keeps_every_page_of_the_earlier_one_and_adds_a_part(sealed):
    plan_id = a_reviewed_plan(sealed).plan_id
    first = issue(sealed, plan_id)
    late = "Late evidence: the educational psychologist's letter"
    sealed.change(plan_id, AppendContribution(kind="note", text=late), as_caller())
    second = issue(sealed, plan_id)

    assert (second.builds_on, second.parts) == (first.number, 2)
    earlier = PdfReader(io.BytesIO(bundles.issued_bundle(sealed, plan_id, first))).pages
    later = PdfReader(io.BytesIO(bundles.issued_bundle(sealed, plan_id, second))).pages
    assert len(later) == second.pages > first.pages == len(earlier)
    for before, now in zip(earlier, later, strict=False):
        assert now.extract_text() == before.extract_text()
    part = " ".join(p.extract_text() for p in later[first.pages :])
    assert "Bundle of records: part B" in part and late in part
    assert "Part B, page B1" in part and "Part A" not in part
    assert "Set a target" not in part  # recorded before the first bundle: in part A only
    assert "The plan as it stood at the end of" in part
