"""Settings of the evidence work (signing key, retention periods). The composition root
(interfaces/bootstrap.py) makes each application's checkpoint signer from them.

These extend interfaces.settings.Settings (same PLANLEDGER_ prefix, same database), so
there is still one place that reads the environment:
- PLANLEDGER_SIGNING_KEY: the Ed25519 key that signs checkpoints (base64 or hex of the
  32-byte seed, or a PEM); or PLANLEDGER_SIGNING_KEY_FILE, a file holding one. On the
  embedded default a key file is made beside the database (`var/planledger.signing-key`),
  as the master key is; elsewhere no key means exports carry no checkpoint.
- PLANLEDGER_RETENTION_YEARS: JSON, years kept after discontinuance per plan type, e.g.
  '{"csp": 5, "iep": 5}'. Default: CSP 5 years (SSI 2005/518 reg 11); a type not listed
  is never destroyed automatically.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from application.evidence.checkpoints import CheckpointSigner, new_signing_key
from application.retention import RetentionPolicy
from interfaces.settings import Settings, _create_secret_file


class EvidenceSettings(Settings):
    signing_key: SecretStr | None = None
    signing_key_file: Path | None = None
    retention_years: dict[str, int] | None = None

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

    def retention_policy(self) -> RetentionPolicy:
        return RetentionPolicy.from_settings(self.retention_years)
