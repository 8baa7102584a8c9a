"""Settings of the evidence work (signing key, retention periods). The composition root
(interfaces/bootstrap.py) makes each application's checkpoint signer from them.

These extend interfaces.settings.Settings (same PLANLEDGER_ prefix, same database), so
there is still one place that reads the environment:
- PLANLEDGER_SIGNING_KEY: the Ed25519 key that signs checkpoints (base64 or hex of the
  32-byte seed, or a PEM); or PLANLEDGER_SIGNING_KEY_FILE, a file holding one. On the
  embedded default a key file is made beside the database (`var/planledger.signing-key`),
  as the master key is; elsewhere no key means exports carry no checkpoint.
- PLANLEDGER_PDF_SIGNING_KEY_FILE and PLANLEDGER_PDF_CERTIFICATE_FILE: the authority's
  key (PEM, ECDSA P-256 or RSA) and its certificate (PEM, the signing one first, then any
  intermediates), which sign the copies given to families and the bundles issued
  (interfaces/documents/signing.py). On the embedded default a key and a self-signed
  certificate in the authority's name are made beside the database
  (`var/planledger.pdf-signing-key.pem`, `.pdf-certificate.pem`); elsewhere, without
  both, PDFs are given out unsigned, as before.
- PLANLEDGER_RETENTION_YEARS: JSON, years kept after discontinuance per plan type, e.g.
  '{"csp": 5, "iep": 5}'. Default: CSP 5 years (SSI 2005/518 reg 11); a type not listed
  is never destroyed automatically.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import SecretStr

from application.config import ConfigurationError
from application.evidence.checkpoints import CheckpointSigner, new_signing_key
from application.retention import RetentionPolicy
from interfaces.documents.signing import (
    PdfSigner,
    PdfSigningError,
    new_key_pem,
    self_signed_certificate_pem,
)
from interfaces.settings import Settings, _create_secret_file


class EvidenceSettings(Settings):
    signing_key: SecretStr | None = None
    signing_key_file: Path | None = None
    retention_years: dict[str, int] | None = None
    pdf_signing_key_file: Path | None = None
    pdf_certificate_file: Path | None = None

    @classmethod
    def of(cls, settings: Settings) -> EvidenceSettings:
        """These settings with the evidence ones read too. Settings given in code (tests,
        the app factory) win over the environment, as they do for Settings itself."""
        if isinstance(settings, EvidenceSettings):
            return settings
        return cls(**settings.model_dump(exclude_unset=True))

    def checkpoint_signer(self) -> CheckpointSigner | None:
        if self.signing_key is not None:
            return CheckpointSigner.from_text(self.signing_key.get_secret_value())
        path = self.signing_key_file or self._beside_database(".signing-key")
        if path is None:
            return None
        _create_secret_file(path, new_signing_key, self.is_embedded)
        if not path.exists():
            return None
        return CheckpointSigner.from_text(path.read_text())

    def pdf_signer(self, authority: str) -> PdfSigner | None:
        """The signer of the PDFs given out as evidence; on the embedded default its key
        and a self-signed certificate naming `authority` are made once, beside the
        database. None when neither is configured nor embedded."""
        key_path = self.pdf_signing_key_file or self._beside_database(".pdf-signing-key.pem")
        certificate_path = self.pdf_certificate_path()
        if key_path is None and certificate_path is None:
            return None
        if key_path is None or certificate_path is None:
            msg = (
                "PLANLEDGER_PDF_SIGNING_KEY_FILE and PLANLEDGER_PDF_CERTIFICATE_FILE are "
                "set together (the key and its certificate)"
            )
            raise ConfigurationError(msg)
        _create_secret_file(key_path, new_key_pem, self.is_embedded)
        if self.is_embedded and not certificate_path.exists():
            certificate = self_signed_certificate_pem(key_path.read_bytes(), authority)
            _create_public_file(certificate_path, certificate)
        try:
            return PdfSigner(key_path.read_bytes(), certificate_path.read_bytes())
        except (OSError, PdfSigningError) as e:
            raise ConfigurationError(f"The PDF signing key or certificate: {e}") from None

    def pdf_certificate_path(self) -> Path | None:
        """Where the certificate that PDFs are signed with is (it may not exist yet)."""
        return self.pdf_certificate_file or self._beside_database(".pdf-certificate.pem")

    def retention_policy(self) -> RetentionPolicy:
        return RetentionPolicy.from_settings(self.retention_years)


def _create_public_file(path: Path, content: str) -> None:
    """Create a file once, readable by all (a certificate is public): written aside and
    linked into place, so no process reads it half written; one that loses the race
    keeps the winner's, made from the same key."""
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    aside.write_text(content)
    aside.chmod(0o644)
    try:
        os.link(aside, path)
    except FileExistsError:
        pass
    finally:
        aside.unlink()
