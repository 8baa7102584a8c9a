"""Copies given to families and bundles issued carry the authority's PAdES signature: a
download through the API is the signed PDF whose SHA-256 its event records, valid for the
configured certificate; a changed byte or bytes added after signing make `planledger
verify` say so; copies and bundles given before signing are rendered again unsigned and
still match; both verifiers find a PDF in an export by its SHA-256."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from application.authority import load_stages
from application.planning import Planning
from domain.calendar import today
from domain.events import IssueBundle, SharePlan
from interfaces.cli import app as cli
from interfaces.documents import bundle as bundles
from interfaces.documents.plan_copy import SharedCopyRenderer, render_plan_pdf
from interfaces.documents.signing import (
    new_key_pem,
    self_signed_certificate_pem,
    signature_report,
)
from interfaces.evidence_settings import EvidenceSettings
from interfaces.http.app import create_app
from tests.evidence.plans import a_reviewed_plan
from tests.evidence.test_http import LEAD, PARENT, SECRET
from tests.evidence.verifiers import ROOT, TOOL
from tests.examples import as_caller

AUTHORITY = "Fife Council"


@pytest.fixture
def certificate(tmp_path) -> Path:
    """The authority's key and certificate, configured as in production."""
    key = new_key_pem()
    (tmp_path / "pdf-key.pem").write_text(key)
    path = tmp_path / "pdf-certificate.pem"
    path.write_text(self_signed_certificate_pem(key.encode(), AUTHORITY))
    return path


@pytest.fixture
def settings(postgres_url, master_key, certificate, tmp_path) -> EvidenceSettings:
    return EvidenceSettings(
        database_url=postgres_url,
        jwt_secret=SECRET,
        encryption_key=master_key,
        pdf_signing_key_file=tmp_path / "pdf-key.pem",
        pdf_certificate_file=certificate,
    )


@pytest.fixture
def client(settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def plan_id(client) -> str:
    return str(a_reviewed_plan(client.app.state.planning).plan_id)


def shared(client: TestClient, plan_id: str) -> tuple[bytes, str]:
    """A copy given now, downloaded: its PDF and the SHA-256 recorded."""
    body = {"recipients": ["Morag Campbell"], "method": "email"}
    answer = client.post(f"/api/plans/{plan_id}/shared-copies", json=body, headers=LEAD)
    assert answer.status_code == 201, answer.text
    number = answer.json()["number"]
    pdf = client.get(f"/api/plans/{plan_id}/shared-copies/{number}.pdf", headers=PARENT)
    assert pdf.status_code == 200, pdf.text
    return pdf.content, answer.json()["sha256"]


def issued(client: TestClient, plan_id: str) -> tuple[bytes, str]:
    answer = client.post(f"/api/plans/{plan_id}/bundles", json={}, headers=LEAD)
    assert answer.status_code == 201, answer.text
    number = answer.json()["number"]
    pdf = client.get(f"/api/plans/{plan_id}/bundles/{number}.pdf", headers=LEAD)
    assert pdf.status_code == 200, pdf.text
    return pdf.content, answer.json()["sha256"]


def planledger_verify(path: Path, certificate: Path | None = None) -> tuple[int, str]:
    args = ["verify", str(path), *(["--certificate", str(certificate)] if certificate else [])]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


def a_changed_byte(pdf: bytes) -> bytes:
    """One byte changed inside the first stream's data: signed, and still parseable."""
    at = pdf.index(b"stream") + 40
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]


def an_incremental_update(pdf: bytes) -> bytes:
    """A revision appended after signing, as an editor saves one (a changed catalogue)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("en-GB")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_copy_given_downloads_signed_by_the_authority_with_the_sha256_recorded(
    client, plan_id, certificate
):
    pdf, sha256 = shared(client, plan_id)
    assert hashlib.sha256(pdf).hexdigest() == sha256
    report = signature_report(pdf, certificate.read_bytes())
    assert report.valid, report.describe()
    assert report.signer == AUTHORITY and report.signed_at is not None
    # The signature wraps the layout, never changes it: the unsigned copy is its prefix.
    planning: Planning = client.app.state.planning
    version = planning.get_plan(plan_id).shared_copies[-1].version
    unsigned = render_plan_pdf(planning.get_plan(plan_id, version=version), planning.stages)
    assert pdf.startswith(unsigned) and len(pdf) > len(unsigned)


def test_an_issued_bundle_downloads_signed_with_the_sha256_recorded(client, plan_id, certificate):
    pdf, sha256 = issued(client, plan_id)
    assert hashlib.sha256(pdf).hexdigest() == sha256
    report = signature_report(pdf, certificate.read_bytes())
    assert report.valid and report.signer == AUTHORITY, report.describe()


def test_a_later_bundle_holding_a_signed_one_is_signed_whole_and_valid(
    client, plan_id, certificate
):
    first, _ = issued(client, plan_id)
    answer = client.post(
        f"/api/plans/{plan_id}/contributions",
        json={"kind": "observation", "text": "Late evidence"},
        headers=LEAD,
    )
    assert answer.status_code == 201, answer.text
    second, sha256 = issued(client, plan_id)
    assert hashlib.sha256(second).hexdigest() == sha256 and len(second) > len(first)
    report = signature_report(second, certificate.read_bytes())
    assert report.valid and report.signer == AUTHORITY, report.describe()


def test_planledger_verify_says_valid_who_and_when(client, plan_id, certificate, tmp_path):
    pdf, _ = shared(client, plan_id)
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    status, output = planledger_verify(path, certificate)
    assert status == 0, output
    assert "signature valid: signed by Fife Council at" in output


def test_a_changed_byte_makes_planledger_verify_say_not_intact(
    client, plan_id, certificate, tmp_path
):
    pdf, _ = shared(client, plan_id)
    path = tmp_path / "changed.pdf"
    path.write_bytes(a_changed_byte(pdf))
    status, output = planledger_verify(path, certificate)
    assert status == 1, output
    assert "NOT VALID" in output and "not intact" in output


def test_an_incremental_update_is_reported_as_not_covering_the_whole_file(
    client, plan_id, certificate, tmp_path
):
    pdf, _ = shared(client, plan_id)
    path = tmp_path / "updated.pdf"
    path.write_bytes(an_incremental_update(pdf))
    status, output = planledger_verify(path, certificate)
    assert status == 1, output
    assert "does not cover the whole file" in output and "not intact" not in output


def test_another_certificate_is_not_the_signer_and_an_unsigned_pdf_is_not_valid(
    client, plan_id, tmp_path
):
    pdf, _ = shared(client, plan_id)
    other = tmp_path / "other.pem"
    other.write_text(self_signed_certificate_pem(new_key_pem().encode(), AUTHORITY))
    (tmp_path / "copy.pdf").write_bytes(pdf)
    status, output = planledger_verify(tmp_path / "copy.pdf", other)
    assert status == 1 and "signed as Fife Council" in output, output
    assert "not made with the trusted certificate's key" in output
    planning: Planning = client.app.state.planning
    (tmp_path / "plain.pdf").write_bytes(render_plan_pdf(planning.get_plan(plan_id), load_stages()))
    status, output = planledger_verify(tmp_path / "plain.pdf", other)
    assert status == 1 and "NOT SIGNED" in output, output
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7 nothing else")
    assert planledger_verify(tmp_path / "junk.pdf", other)[0] == 2


def test_a_copy_and_a_bundle_given_before_signing_render_again_unsigned_and_match(
    client, plan_id, settings, certificate, monkeypatch
):
    planning: Planning = client.app.state.planning
    before = Planning(env=settings.planning_env(), shared_copy=SharedCopyRenderer(planning.stages))
    try:
        # Given before copies were kept and signed: the SHA-256 is of unsigned bytes.
        monkeypatch.setattr(before, "keep_pdf", lambda *args: None)
        before.change(plan_id, SharePlan(recipients=("Morag",), method="post"), as_caller())
        built = bundles.build_bundle(before, plan_id, today(), first_layout=True)
        before.change(
            plan_id,
            IssueBundle(to=today(), cutoff=built.cutoff, sha256=built.sha256, pages=built.pages),
            as_caller(),
        )
    finally:
        before.close()
    copy = client.get(f"/api/plans/{plan_id}/shared-copies/1.pdf", headers=PARENT)
    bundle = client.get(f"/api/plans/{plan_id}/bundles/1.pdf", headers=LEAD)
    (recorded_copy,) = planning.get_plan(plan_id).shared_copies
    assert copy.status_code == bundle.status_code == 200
    assert hashlib.sha256(copy.content).hexdigest() == recorded_copy.sha256
    assert bundle.content == built.pdf
    for pdf in (copy.content, bundle.content):
        assert not signature_report(pdf, certificate.read_bytes()).signed


def test_the_embedded_default_makes_the_key_and_certificate_once_and_signs_with_them(
    sqlite_url, tmp_path
):
    settings = EvidenceSettings(database_url=sqlite_url, jwt_secret=SECRET)
    key, certificate = tmp_path / "planledger.pdf-signing-key.pem", settings.pdf_certificate_path()
    assert certificate == tmp_path / "planledger.pdf-certificate.pem" and not key.exists()
    with TestClient(create_app(settings)) as client:
        plan_id = str(a_reviewed_plan(client.app.state.planning).plan_id)
        pdf, _ = shared(client, plan_id)
    assert key.stat().st_mode & 0o777 == 0o600
    made = key.read_bytes(), certificate.read_bytes()
    report = signature_report(pdf, made[1])
    assert report.valid and report.signer == load_stages().authority, report.describe()
    with TestClient(create_app(settings)) as client:
        again, _ = shared(client, plan_id)
    assert (key.read_bytes(), certificate.read_bytes()) == made
    assert signature_report(again, made[1]).valid


def test_without_signing_settings_a_store_gives_pdfs_unsigned(postgres_url, master_key):
    settings = EvidenceSettings(
        database_url=postgres_url, jwt_secret=SECRET, encryption_key=master_key
    )
    assert settings.pdf_signer(AUTHORITY) is None
    with TestClient(create_app(settings)) as client:
        plan_id = str(a_reviewed_plan(client.app.state.planning).plan_id)
        pdf, sha256 = shared(client, plan_id)
    assert hashlib.sha256(pdf).hexdigest() == sha256 and b"/ByteRange" not in pdf


def run_tool(python: str, *args: str | Path) -> tuple[int, str]:
    command = [python, "-I", str(TOOL), *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, cwd="/", env={})
    return done.returncode, done.stdout + done.stderr


def test_verify_export_finds_each_pdf_by_its_sha256_and_fails_for_one_not_recorded(
    client, plan_id, certificate, tmp_path
):
    copy, _ = shared(client, plan_id)
    bundle, _ = issued(client, plan_id)
    export = client.get(f"/api/plans/{plan_id}/export", headers=LEAD)
    (tmp_path / "export.json").write_text(json.dumps(export.json()))
    (tmp_path / "copy.pdf").write_bytes(copy)
    (tmp_path / "bundle.pdf").write_bytes(bundle)
    (tmp_path / "changed.pdf").write_bytes(a_changed_byte(copy))
    pdfs = ("--pdf", tmp_path / "copy.pdf", "--pdf", tmp_path / "bundle.pdf")

    # The system's Python: the standard library alone, no pyHanko.
    status, output = run_tool("/usr/bin/python3", tmp_path / "export.json", *pdfs)
    assert status == 0, output
    assert "copy.pdf: recorded as shared copy 1" in output
    assert "bundle.pdf: recorded as issued bundle 1" in output
    assert output.count("signature not checked (pyhanko not installed)") == 2

    # With pyHanko installed, the signature is reported too.
    venv = str(ROOT / ".venv" / "bin" / "python")
    status, output = run_tool(venv, tmp_path / "export.json", *pdfs, "--certificate", certificate)
    assert status == 0, output
    assert output.count("signature valid: signed by Fife Council") == 2

    status, output = run_tool(
        "/usr/bin/python3", tmp_path / "export.json", "--pdf", tmp_path / "changed.pdf"
    )
    assert status == 1 and f"{tmp_path / 'changed.pdf'}: NOT RECORDED" in output, output
