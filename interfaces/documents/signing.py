"""The authority's signature on the PDFs it gives out as evidence (a family's copy, an
issued bundle), and the check of one.

A signature is PAdES baseline B-B (ETSI EN 319 142-1: SubFilter ETSI.CAdES.detached,
SHA-256), appended to the rendered PDF as an incremental update, so the unsigned layout
is a prefix of the signed file, unchanged. It certifies the document with no changes
allowed (DocMDP P=1): a PDF reader says so, and flags anything added later. No timestamp
server and no revocation data are fetched: signing and checking work offline, and the
signing time is the signer's own clock (/M), as the event's recorded time is.

The key is ECDSA P-256 (or, if configured, RSA of 2,048 bits or more): the algorithms
PAdES readers validate (Adobe Acrobat, Foxit, poppler/Okular). The checkpoints' Ed25519
is not used here: EdDSA came to PDF only with ISO 32002 (2022), and readers lag.

pyHanko is imported only where a PDF is signed or checked: every command builds a
signer (interfaces/bootstrap.py), and most never sign.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from io import BytesIO
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

FIELD_NAME = "AuthoritySignature"
CERTIFICATE_YEARS = 10
"""A self-signed certificate's life: a bundle is relied on for years after its hearing,
and the check is against this very certificate, not a revocable chain."""

# pyHanko logs each failed check with a traceback; the report says what failed, so the
# command line stays quiet unless the process configures logging itself.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


class PdfSigningError(ValueError):
    """The configured key or certificate cannot sign PDFs (what is wrong is said)."""


class UnreadablePdfError(ValueError):
    """The bytes are not a PDF that can be read."""


@dataclass(frozen=True)
class PdfSigner:
    """The authority's key and certificate (PEM): `sign` turns a rendered PDF into the
    signed one given out."""

    key_pem: bytes = field(repr=False)
    certificate_pem: bytes

    def __post_init__(self) -> None:
        key = _private_key(self.key_pem)
        certificates = certificates_from_pem(self.certificate_pem)
        public = (
            certificates[0]
            .public_key()
            .public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        mine = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        if public != mine:
            raise PdfSigningError("the certificate is not the signing key's (first in its file)")

    @property
    def signer_name(self) -> str:
        return subject_name(certificates_from_pem(self.certificate_pem)[0])

    def sign(self, pdf: bytes) -> bytes:
        """The PDF with the authority's signature appended over all of it."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=f"Issued by {self.signer_name} as evidence",
            certify=True,
            docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        return signers.PdfSigner(metadata, signer=self._pyhanko_signer).sign_pdf(writer).getvalue()

    @cached_property
    def _pyhanko_signer(self) -> Any:
        from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        certificates = list(load_certs_from_pemder_data(self.certificate_pem))
        return signers.SimpleSigner(
            signing_cert=certificates[0],
            signing_key=load_private_key_from_pemder_data(self.key_pem, passphrase=None),
            cert_registry=SimpleCertificateStore.from_certs(certificates),
        )


@dataclass(frozen=True)
class SignatureReport:
    """What a PDF's signature shows, checked against a trusted certificate."""

    signed: bool
    intact: bool = False
    """The bytes the signature covers are the ones signed."""
    trusted: bool = False
    """Made with the key of the trusted certificate (or one it issued)."""
    whole_file: bool = False
    """Nothing was added after signing (no incremental update, no trailing bytes)."""
    signer: str | None = None
    signed_at: datetime | None = None
    problems: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file

    def describe(self) -> str:
        if not self.signed:
            return "NOT SIGNED: " + "; ".join(self.problems)
        when = self.signed_at.isoformat() if self.signed_at else "an unstated time"
        head = "valid" if self.valid else "NOT VALID"
        # Only a trusted certificate makes the name in the PDF's own certificate a fact.
        who = f"signed by {self.signer}" if self.trusted else f"signed as {self.signer}"
        lines = [f"signature {head}: {who} at {when}"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


def signature_report(pdf: bytes, trusted: bytes) -> SignatureReport:
    """The check of a PDF's (first) signature against `trusted`, PEM certificates (the
    authority's own, or its CA's), offline. Raises UnreadablePdfError if it is no PDF,
    PdfSigningError if `trusted` holds no certificate."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    certificates_from_pem(trusted)  # PdfSigningError names a file that holds none
    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
    except Exception as e:  # a mangled file fails in many ways deep in the parser
        raise UnreadablePdfError(f"not a readable PDF ({e})") from None
    if not signatures:
        return SignatureReport(signed=False, problems=("the PDF carries no signature",))
    context = ValidationContext(
        trust_roots=list(load_certs_from_pemder_data(trusted)), allow_fetching=False
    )
    try:
        # No diff analysis: any bytes after the signed ones already make it invalid here.
        status = validate_pdf_signature(signatures[0], context, skip_diff=True)
    except (PdfError, ValueError) as e:  # SignatureValidationError is a ValueError
        return SignatureReport(signed=True, problems=(f"the signature cannot be checked ({e})",))
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    problems = []
    if not status.intact:
        problems.append("not intact: the signed bytes have changed since signing")
    elif not status.valid:
        problems.append("the signature value does not match the signed bytes")
    elif not status.trusted:
        problems.append("not made with the trusted certificate's key")
    if not whole_file:
        problems.append("does not cover the whole file: bytes were added after signing")
    if len(signatures) > 1:
        problems.append(f"{len(signatures)} signatures: the authority signs once")
    return SignatureReport(
        signed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=whole_file,
        signer=_asn1_subject_name(status.signing_cert),
        signed_at=status.signer_reported_dt,
        problems=tuple(problems),
    )


def new_key_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def self_signed_certificate_pem(key_pem: bytes, authority: str) -> str:
    """A certificate of the key for the authority by name (CN and O), for the embedded
    default; production configures one its CA issued."""
    key = _private_key(key_pem)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, authority[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, authority[:64]),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * CERTIFICATE_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # Non-repudiation (content commitment): what PDF validators ask of a
            # signature that stands behind a document's content.
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def certificates_from_pem(pem: bytes) -> list[x509.Certificate]:
    try:
        certificates = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise PdfSigningError("the certificate file holds no PEM certificate") from None
    return certificates


def subject_name(certificate: x509.Certificate) -> str:
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        found = certificate.subject.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)
    return certificate.subject.rfc4514_string()


def _asn1_subject_name(certificate: Any) -> str:
    native = certificate.subject.native
    return native.get("common_name") or native.get("organization_name") or str(native)


def _private_key(pem: bytes) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise PdfSigningError("the PDF signing key is not an unencrypted PEM key") from None
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size >= 2048:
        return key
    raise PdfSigningError("the PDF signing key must be ECDSA P-256 or RSA of 2,048 bits or more")
