"""The directory of people and organisations: kept in the plans' store, apart from them,
sealed at rest with the plans, shared by every process on the store."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlparse

import psycopg

from domain.access import Caller
from domain.values import Actor, Role
from tests.conftest import POSTGRES_URL

PRIYA = Actor(id="u-priya", name="Priya Shah", role=Role.PRACTITIONER, org="nhs:salt-lothian")


def directory_rows(database_url: str) -> list[bytes]:
    url = urlparse(database_url)
    if url.scheme == "sqlite":
        with sqlite3.connect(url.path) as conn:
            return [bytes(r[0]) for r in conn.execute("SELECT state FROM directory_events")]
    schema = parse_qs(url.query)["schema"][0]
    with psycopg.connect(POSTGRES_URL) as conn:
        rows = conn.execute(f'SELECT state FROM "{schema}".directory_events').fetchall()
    return [bytes(r[0]) for r in rows]


def test_people_seen_and_invited_and_organisations_are_found_by_name_from_another_process(
    make_planning,
):
    one, other = make_planning(), make_planning()
    one.people.record_organisation("nhs:salt-lothian", "NHS Lothian SLT", "health", None)
    one.people.invite("priya.shah@nhs.example", "Priya Shah", "practitioner", "nhs:salt-lothian")
    other.people.seen(Caller.of(PRIYA).model_copy(update={"email": "priya.shah@nhs.example"}))
    other.people.seen(Caller.of(PRIYA))  # again, with nothing new: nothing recorded
    directory = one.people.directory()
    (found,) = directory.find_people("lothian priya")
    assert found.user_id == "u-priya" and found.email == "priya.shah@nhs.example"
    assert directory.name_of("nhs:salt-lothian") == "NHS Lothian SLT"
    assert directory.version == 4  # created, organisation, invitation, first sign-in


def test_names_and_addresses_are_sealed_at_rest_with_the_plans(
    make_planning, master_key, database_url
):
    sealed = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
    sealed.people.invite("quintrell@school.example", "Ms Quintrell", "practitioner", None)
    rows = directory_rows(database_url)
    assert rows and not [r for r in rows if b"Quintrell" in r or b"quintrell" in r]
    again = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key)
    assert again.people.directory().find_people("quintrell")[0].name == "Ms Quintrell"
