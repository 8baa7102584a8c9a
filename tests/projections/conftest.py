"""Read model fixtures: an application with sealed personal data, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from application.planning import ENCRYPTION_KEY, Planning
from projections.engine.catalogue import MODELS


@pytest.fixture
def planning(make_planning, master_key) -> Planning:
    return make_planning(**{ENCRYPTION_KEY: master_key})


@pytest.fixture
def open_view(planning):
    """open_view(name, version=1): a view of a read model on the test's store."""

    def open_(name: str, version: int = 1):
        return MODELS[name].open_view(planning.recorder.datastore, version)

    return open_


def dump(view) -> dict[str, list[tuple]]:
    """Every row of every table of a view, sorted: for comparing two builds."""
    tables = [view.name, *(f"{view.name}_{s}" for s in view.table_suffixes)]
    out = {}
    for table in tables:
        if hasattr(view, "fetch_tuples"):
            from psycopg.sql import SQL, Identifier

            rows = view.fetch_tuples(
                SQL("SELECT * FROM {0}.{1}").format(
                    Identifier(view.datastore.schema), Identifier(table)
                ),
                {},
            )
        else:
            rows = [tuple(r) for r in view.fetch(f"SELECT * FROM {table}", [])]
        out[table.removeprefix(view.name)] = sorted(rows, key=repr)
    return out
