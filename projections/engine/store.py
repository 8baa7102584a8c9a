"""Which kind of store the application runs on, decided here and nowhere else.

What differs by store (a view's adapter, the versions table, how the log is read, how a
projector follows it) is looked up by this value, not by testing a datastore's class.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore


class Store(Enum):
    POSTGRES = "postgres"
    SQLITE = "sqlite"

    @classmethod
    def of(cls, datastore: Any) -> Store:
        if isinstance(datastore, PostgresDatastore):
            return cls.POSTGRES
        if isinstance(datastore, SQLiteDatastore):
            return cls.SQLITE
        msg = f"Read models are kept on PostgreSQL or SQLite, not on {type(datastore).__name__}"
        raise TypeError(msg)


def datastore_of(app: Application[Any]) -> PostgresDatastore | SQLiteDatastore:
    """The datastore under the application's recorder (both stores' recorders have one)."""
    recorder: Any = app.recorder
    datastore: PostgresDatastore | SQLiteDatastore = recorder.datastore
    return datastore
