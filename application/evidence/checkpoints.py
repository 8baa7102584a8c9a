"""Signed checkpoints of chain heads, so that a history cannot be rewritten unnoticed.

A checkpoint says "at issued_at, this plan's history ended at position N with link L",
signed with the authority's Ed25519 key. Anyone holding the published public key can
check it offline (`planledger verify`, or tools/verify_export.py with the standard
library only). Ed25519 signatures are deterministic, so the same payload signed with the
same key gives the same bytes: a bundle reissued for the same date is unchanged.

Payload (canonical JSON, as in chain.py, is what is signed):
    {"format": "planledger-checkpoint-v1", "key_id": ..., "issued_at": ...,
     "log_position": ..., "heads": [{"plan_id", "position", "link"}]}
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from application.persistence.chain import canonical_bytes

CHECKPOINT_VERSION = "planledger-checkpoint-v1"
ALGORITHM = "Ed25519"


class SigningKeyError(ValueError):
    pass


@dataclass(frozen=True)
class Head:
    plan_id: UUID
    position: int
    link: bytes

    def to_json(self) -> dict[str, Any]:
        return {"plan_id": str(self.plan_id), "position": self.position, "link": self.link.hex()}


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()[:16]


def new_signing_key() -> str:
    """A new private key: base64 of the 32-byte Ed25519 seed."""
    seed = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return base64.b64encode(seed).decode()


def decode_key_bytes(text: str) -> bytes:
    """32 key bytes given as base64 or hex (how keys are published and configured)."""
    text = text.strip()
    for decode in (bytes.fromhex, base64.b64decode):
        try:
            raw = decode(text)
        except (ValueError, binascii.Error):
            continue
        if len(raw) == 32:
            return raw
    msg = "An Ed25519 key is 32 bytes, given as base64 or hex."
    raise SigningKeyError(msg)


class CheckpointSigner:
    def __init__(self, private_key: Ed25519PrivateKey):
        self._key = private_key
        self.public_key = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @classmethod
    def from_text(cls, text: str) -> CheckpointSigner:
        """From base64/hex of the 32-byte seed, or a PEM (PKCS#8) private key."""
        if "BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise SigningKeyError("The signing key must be an Ed25519 key.")
            return cls(key)
        return cls(Ed25519PrivateKey.from_private_bytes(decode_key_bytes(text)))

    @property
    def public_key_b64(self) -> str:
        return base64.b64encode(self.public_key).decode()

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def sign(
        self, heads: list[Head], issued_at: datetime, log_position: int | None = None
    ) -> dict[str, Any]:
        payload = {
            "format": CHECKPOINT_VERSION,
            "key_id": self.key_id,
            "issued_at": issued_at.astimezone(UTC).isoformat(),
            "log_position": log_position,
            "heads": [h.to_json() for h in heads],
        }
        signature = self._key.sign(canonical_bytes(payload))
        return {
            "payload": payload,
            "algorithm": ALGORITHM,
            "signature": base64.b64encode(signature).decode(),
        }


def signature_is_valid(checkpoint: dict[str, Any], public_key: bytes) -> bool:
    try:
        signature = base64.b64decode(checkpoint["signature"], validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, canonical_bytes(checkpoint["payload"])
        )
    except (InvalidSignature, KeyError, TypeError, ValueError, binascii.Error):
        return False
    return checkpoint.get("algorithm") == ALGORITHM
