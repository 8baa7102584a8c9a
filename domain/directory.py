"""An authority's directory: the people who work on its plans (seen when they sign in, or
invited by email before their first sign-in) and the organisations they work for
(schools, services, agencies, tribunals), each by name, so that pages and documents name
them rather than show an identifier, and nobody has to type one to add a colleague.

One Directory per store (one store per authority). Its events hold staff names and
addresses, never a child's; they are kept apart from the plans (application/directory.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

DIRECTORY_ID = uuid5(NAMESPACE_URL, "planledger:directory")

ORGANISATION_KINDS = {
    "school": "School or early years setting",
    "education": "Education service (support for learning, educational psychology)",
    "health": "Health (NHS)",
    "social_work": "Social work",
    "council": "The council",
    "third_sector": "Voluntary organisation",
    "tribunal": "Tribunal or mediation",
    "other": "Other",
}


LISTED_ROLES = ("lead_professional", "practitioner", "authority_officer", "reviewer")
"""Whose sign-in the directory records: staff, whom colleagues look for by name. Never a
parent or young person: that someone signs in as family tells that a child has a plan."""


@dataclass(frozen=True)
class Person:
    user_id: str | None
    """None for someone invited who has not signed in yet."""
    name: str
    role: str
    org: str | None
    email: str | None


@dataclass(frozen=True)
class Organisation:
    org: str
    name: str
    kind: str
    contact: str | None


class Directory(Aggregate):
    """What is known of each person and organisation: the latest of each, by its key."""

    @event("Created")
    def __init__(self) -> None:
        self.people: dict[str, Person] = {}
        """By user id; the invited by their address (an address is unique per person)."""
        self.organisations: dict[str, Organisation] = {}

    @staticmethod
    def create_id() -> UUID:
        return DIRECTORY_ID

    def seen(self, user_id: str, name: str, role: str, org: str | None, email: str | None) -> None:
        """A person signed in: recorded when new or when any detail changed. A token with
        no organisation or address keeps the one known (from an invitation, or before)."""
        if role not in LISTED_ROLES:
            return
        known = self.people.get(user_id) or (self.people.get(_invite_key(email)) if email else None)
        org = org or (known.org if known else None)
        email = email or (known.email if known else None)
        if self.people.get(user_id) != Person(user_id, name, role, org, email):
            self._seen(user_id, name, role, org, email)

    @event("PersonSeen")
    def _seen(self, user_id: str, name: str, role: str, org: str | None, email: str | None) -> None:
        if email:
            self.people.pop(_invite_key(email), None)
        self.people[user_id] = Person(user_id, name, role, org, email)

    def invite(self, email: str, name: str, role: str, org: str | None) -> None:
        if any(p.email == email and p.user_id for p in self.people.values()):
            return  # they have signed in already: the directory knows them
        self._invited(email, name, role, org)

    @event("PersonInvited")
    def _invited(self, email: str, name: str, role: str, org: str | None) -> None:
        self.people[_invite_key(email)] = Person(None, name, role, org, email)

    def record_organisation(self, org: str, name: str, kind: str, contact: str | None) -> None:
        if self.organisations.get(org) == Organisation(org, name, kind, contact):
            return
        self._organisation_recorded(org, name, kind, contact)

    @event("OrganisationRecorded")
    def _organisation_recorded(self, org: str, name: str, kind: str, contact: str | None) -> None:
        self.organisations[org] = Organisation(org, name, kind, contact)

    # -- reading ----------------------------------------------------------------------

    def name_of(self, org: str | None) -> str | None:
        found = self.organisations.get(org or "")
        return found.name if found else None

    def find_people(self, text: str = "", *, roles: tuple[str, ...] = ()) -> list[Person]:
        """People whose name, organisation or address holds `text`, by name."""
        words = text.casefold().split()
        found = [
            p
            for p in self.people.values()
            if (not roles or p.role in roles)
            and all(w in _haystack(p, self.name_of(p.org)) for w in words)
        ]
        return sorted(found, key=lambda p: (p.name.casefold(), p.user_id or ""))

    def find_organisations(
        self, text: str = "", *, kinds: tuple[str, ...] = ()
    ) -> list[Organisation]:
        words = text.casefold().split()
        found = [
            o
            for o in self.organisations.values()
            if (not kinds or o.kind in kinds)
            and all(w in f"{o.name} {o.org}".casefold() for w in words)
        ]
        return sorted(found, key=lambda o: o.name.casefold())


def _invite_key(email: str) -> str:
    return f"invited:{email.casefold()}"


def _haystack(p: Person, org_name: str | None) -> str:
    return " ".join(filter(None, (p.name, p.org, org_name, p.email))).casefold()
