"""Commands for evidence: verify an export or a signed PDF offline, export a plan, build a
tribunal bundle, and publish the checkpoint key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn
from uuid import UUID

import typer

from application.evidence.checkpoints import SigningKeyError, decode_key_bytes
from application.planning import Planning
from interfaces.bootstrap import opened
from interfaces.cli.common import console, err, friendly_errors
from interfaces.evidence_settings import EvidenceSettings

checkpoint = typer.Typer(no_args_is_help=True, help="Signed checkpoints of the hash chain.")


@contextmanager
def open_evidence() -> Iterator[tuple[Planning, EvidenceSettings]]:
    settings = EvidenceSettings()
    with opened(settings) as planning:
        yield planning, settings


def verify(
    file: Annotated[
        Path,
        typer.Argument(
            help="An export (JSON), as from GET /api/plans/{id}/export, or a PDF given out "
            "(a shared copy or an issued bundle)"
        ),
    ],
    public_key: Annotated[
        str | None,
        typer.Option("--public-key", help="The published Ed25519 public key (base64 or hex)"),
    ] = None,
    certificate: Annotated[
        Path | None,
        typer.Option(
            "--certificate",
            help="A PDF's: the authority's certificate (PEM) to check its signature "
            "against (default: the configured one)",
        ),
    ] = None,
) -> None:
    """Check an export offline: exit 0 if intact, 1 naming the first bad position. Or a
    PDF's signature: exit 0 valid, 1 not valid (tampered, unsigned, another signer)."""
    from application.evidence.verification import verify_export

    try:
        content = file.read_bytes()
    except OSError as e:
        err.print(f"[red]error:[/red] cannot read {file}: {e}", highlight=False)
        raise typer.Exit(2) from None
    if content.startswith(b"%PDF") or file.suffix.lower() == ".pdf":
        _verify_pdf(content, certificate)
    try:
        document = json.loads(content)
        key = decode_key_bytes(public_key) if public_key else None
    except (ValueError, SigningKeyError) as e:
        err.print(f"[red]error:[/red] cannot read the export or key: {e}", highlight=False)
        raise typer.Exit(2) from None
    result = verify_export(document, key)
    typer.echo(result.describe())
    raise typer.Exit(0 if result.intact else 1)


def _verify_pdf(pdf: bytes, certificate: Path | None) -> NoReturn:
    from interfaces.documents.signing import (
        PdfSigningError,
        UnreadablePdfError,
        signature_report,
    )

    path = certificate or EvidenceSettings().pdf_certificate_path()
    if path is None or not path.exists():
        err.print(
            "[red]error:[/red] no certificate to check the signature against: give "
            "--certificate CERT.pem (or set PLANLEDGER_PDF_CERTIFICATE_FILE)"
        )
        raise typer.Exit(2)
    try:
        report = signature_report(pdf, path.read_bytes())
    except (OSError, UnreadablePdfError, PdfSigningError) as e:
        err.print(f"[red]error:[/red] cannot read the PDF or certificate: {e}", highlight=False)
        raise typer.Exit(2) from None
    typer.echo(report.describe())
    raise typer.Exit(0 if report.valid else 1)


@friendly_errors
def export(
    plan_id: Annotated[UUID, typer.Argument(help="The plan's id")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON")],
) -> None:
    """Write a plan's verifiable export (events, hash chain, signed checkpoint)."""
    from application.evidence.export import build_export

    with open_evidence() as (planning, _):
        document = build_export(planning, plan_id)
    out.write_text(json.dumps(document, ensure_ascii=False))
    console.print(f"Wrote {len(document['events'])} events to {out}")


@friendly_errors
def bundle(
    plan_id: Annotated[UUID, typer.Argument(help="The plan's id")],
    to: Annotated[str, typer.Option("--to", help="Records up to and including DATE (YYYY-MM-DD)")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF")],
) -> None:
    """Build the tribunal bundle: paginated, indexed, the same pages for the same DATE."""
    from interfaces.documents.bundle import build_bundle

    day = _date(to)
    with open_evidence() as (planning, _), console.status("Laying out the bundle..."):
        result = build_bundle(planning, plan_id, day)
    out.write_bytes(result.pdf)
    console.print(f"Wrote {result.pages} pages to {out}")
    for section in result.sections:
        console.print(
            f"  {section.first_page:>4}-{section.last_page:<4} {section.title}", highlight=False
        )


@checkpoint.command("public-key")
@friendly_errors
def public_key() -> None:
    """Print the public key that verifies this installation's checkpoints (publish it)."""
    signer = EvidenceSettings().checkpoint_signer()
    if signer is None:
        err.print(
            "[red]error:[/red] no signing key is configured "
            "(PLANLEDGER_SIGNING_KEY or PLANLEDGER_SIGNING_KEY_FILE)"
        )
        raise typer.Exit(2)
    print(signer.public_key_b64)


@checkpoint.command("keygen")
def signing_keygen() -> None:
    """Print a new Ed25519 signing key for PLANLEDGER_SIGNING_KEY."""
    from application.evidence.checkpoints import new_signing_key

    print(new_signing_key())


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date (YYYY-MM-DD)") from None
