"""Per-plan data keys wrapped by the authority's master key (envelope encryption).

Destroying one plan's key makes that plan's personal data unrecoverable without touching
its events, which is how an append-only store meets a statutory duty to destroy.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from threading import Lock
from uuid import UUID

from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment

from application.persistence.records import PlanRecords, StoredKey

KEY_BYTES = 32


def cipher(key_b64: str) -> AESCipher:
    return AESCipher(Environment(env={AESCipher.CIPHER_KEY: key_b64}))


def new_master_key() -> str:
    return AESCipher.create_key(KEY_BYTES)


class KeyRing:
    def __init__(self, master_key: str, records: PlanRecords, cache_seconds: float = 30.0):
        self._master = cipher(master_key)
        self._records = records
        self._cache_seconds = cache_seconds
        self._cache: dict[UUID, tuple[float, AESCipher | None]] = {}
        self._lock = Lock()

    def new_key(self, plan_id: UUID) -> tuple[AESCipher, bytes]:
        """A fresh key for a new plan, and its wrapped form to store with the plan's events."""
        key = AESCipher.create_key(KEY_BYTES)
        data_cipher = cipher(key)
        self._remember(plan_id, data_cipher)
        return data_cipher, self._master.encrypt(key.encode())

    def cipher_for(self, plan_id: UUID) -> tuple[bool, AESCipher | None]:
        """(known, cipher): known is False when the plan never had a key; the cipher is
        None when its key was destroyed."""
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(plan_id)
        if cached is not None and now - cached[0] < self._cache_seconds:
            return True, cached[1]
        stored = self._records.select_wrapped_key(plan_id)
        if stored is None:
            return False, None
        data_cipher = self._unwrap(stored)
        self._remember(plan_id, data_cipher)
        return True, data_cipher

    def preload(self, plan_ids: Iterable[UUID]) -> None:
        """Fetch many plans' keys in one query and keep them as cipher_for does: a rebuild
        meets each plan's key once, and a query per plan would dominate it."""
        wanted = list(plan_ids)
        if wanted:
            for plan_id, stored in self._records.select_wrapped_keys(wanted).items():
                self._remember(plan_id, self._unwrap(stored))

    def _unwrap(self, stored: StoredKey) -> AESCipher | None:
        if stored.wrapped is None:
            return None
        return cipher(self._master.decrypt(stored.wrapped).decode())

    def forget(self, plan_id: UUID) -> None:
        with self._lock:
            self._cache.pop(plan_id, None)

    def _remember(self, plan_id: UUID, data_cipher: AESCipher | None) -> None:
        with self._lock:
            self._cache[plan_id] = (time.monotonic(), data_cipher)
