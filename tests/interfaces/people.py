"""The people who call the API in these tests, each with a token signed for the test app."""

from __future__ import annotations

from dataclasses import dataclass

from domain.values import Role
from interfaces.http.auth import issue_token
from tests.examples import SALT, SCHOOL

SECRET = "planledger-interface-tests-0123456789-abcdefghijklmnop"
"""The HS256 secret of every test app: over 40 characters, as production would need."""

CHILD_NAME = "Isla Campbell"
TRIBUNAL = "tribunal:hec-scotland"


@dataclass(frozen=True)
class Person:
    sub: str
    name: str
    role: Role
    org: str | None = None

    def token(self, secret: str = SECRET, ttl_seconds: int = 3600) -> str:
        return issue_token(
            secret,
            sub=self.sub,
            name=self.name,
            role=self.role,
            org=self.org,
            ttl_seconds=ttl_seconds,
        )

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}", **extra}


LEAD = Person("u-lead-1", "Fiona MacLeod", Role.LEAD_PROFESSIONAL, SCHOOL)
OTHER_LEAD = Person("u-lead-9", "Euan Ross", Role.LEAD_PROFESSIONAL, SCHOOL)
MEMBER_PRACTITIONER = Person("u-ot-1", "Ruth Baird", Role.PRACTITIONER, "nhs:ot-lothian")
AGENCY_PRACTITIONER = Person("u-salt-1", "Priya Shah", Role.PRACTITIONER, SALT)
OUTSIDE_PRACTITIONER = Person("u-physio-9", "Kenny Muir", Role.PRACTITIONER, "nhs:physio-fife")
PARENT = Person("u-parent-1", "Morag Campbell", Role.PARENT_CARER)
OTHER_PARENT = Person("u-parent-9", "Jean Thomson", Role.PARENT_CARER)
YOUNG_PERSON = Person("u-young-1", "Isla", Role.YOUNG_PERSON)
OTHER_YOUNG_PERSON = Person("u-young-9", "Calum Reid", Role.YOUNG_PERSON)
OFFICER = Person("u-officer-1", "Morag Reid", Role.AUTHORITY_OFFICER, "authority:city-of-edinburgh")
REVIEWER = Person("u-reviewer-1", "Alasdair Grant", Role.REVIEWER, TRIBUNAL)
ANALYST = Person("u-analyst-1", "Ana Kowalski", Role.ANALYST, "council:city-of-edinburgh")
