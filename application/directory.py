"""The directory as an application of its own: the library's Application and recorders,
in tables of its own (directory_events) beside the plans' in the same database, so that
nothing that reads plans (projections, exports, the verifier) ever meets a directory event.

Staff names and addresses are personal data: sealed at rest with the library's AES cipher,
under a key derived from the authority's master key (HKDF, so neither key reveals the
other), whenever the plans are sealed.
"""

from __future__ import annotations

import base64
import threading
from typing import Any, ClassVar

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteFactory

from domain.access import Caller
from domain.directory import DIRECTORY_ID, Directory

# Settings the directory shares with the plans' application: where the store is.
SHARED = ("PERSISTENCE_MODULE", "SQLITE_", "POSTGRES_", "CREATE_TABLE")
DIRECTORY_POOL = "2"  # a few reads and rare writes: a small pool of its own
TABLE = "directory_events"


class DirectoryBusyError(RuntimeError):
    """Five writers in a row saved first; the change can be asked for again."""


def directory_key(master_key: str) -> str:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"planledger directory"
    ).derive(base64.b64decode(master_key))
    return base64.b64encode(derived).decode()


class People(Application[Any]):
    name = "Directory"
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "1"}

    def __init__(self, plans_env: dict[str, str], master_key: str | None) -> None:
        env = {k: v for k, v in plans_env.items() if k.startswith(SHARED)}
        if "POSTGRES_POOL_SIZE" in env:
            env.update(POSTGRES_POOL_SIZE=DIRECTORY_POOL, POSTGRES_MAX_OVERFLOW=DIRECTORY_POOL)
        if master_key:
            env.update(
                CIPHER_TOPIC="eventsourcing.cipher:AESCipher", CIPHER_KEY=directory_key(master_key)
            )
        super().__init__(env)
        self._creating = threading.Lock()

    def construct_recorder(self) -> Any:
        if not isinstance(self.factory, SQLiteFactory):
            return super().construct_recorder()  # PostgreSQL: named for the app already
        # The library's SQLite recorders name every app's table stored_events, which is
        # the plans' own: the directory's must never join the plans' log.
        recorder = SQLiteApplicationRecorder(self.factory.datastore, TABLE)
        if self.factory.env_create_table():
            recorder.create_table()
        return recorder

    def directory(self) -> Directory:
        try:
            found: Directory = self.repository.get(DIRECTORY_ID)
        except AggregateNotFoundError:
            with self._creating:
                try:
                    found = self.repository.get(DIRECTORY_ID)
                except AggregateNotFoundError:
                    found = Directory()
                    self.save(found)
        return found

    def _change(self, change: Any) -> None:
        """A change to the latest directory; another process's change first is no loss: the
        change is made again on the newer one (each is idempotent)."""
        for _ in range(5):
            directory = self.directory()
            change(directory)
            try:
                self.save(directory)
                return
            except IntegrityError:  # another process saved first: read theirs, again
                if self.repository.cache is not None:
                    self.repository.cache.get(DIRECTORY_ID, evict=True)
        raise DirectoryBusyError

    def seen(self, caller: Caller) -> None:
        self._change(
            lambda d: d.seen(caller.sub, caller.name, caller.role.value, caller.org, caller.email)
        )

    def invite(self, email: str, name: str, role: str, org: str | None) -> None:
        self._change(lambda d: d.invite(email, name, role, org))

    def record_organisation(self, org: str, name: str, kind: str, contact: str | None) -> None:
        self._change(lambda d: d.record_organisation(org, name, kind, contact))
