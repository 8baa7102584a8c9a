"""Documents added to a plan: the event records what the file is, who wrote it and its
SHA-256; the file itself is kept beside the events, sealed with the plan's own key, so
that destroying the plan's key destroys the file too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from pydantic import Field

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import Document, Personal

if TYPE_CHECKING:
    from domain.plans import Plan


class AddDocument(Command):
    action = Action.ADD_DOCUMENT
    document_id: UUID = Field(default_factory=uuid4)
    title: Personal[str]
    author: Personal[str]
    kind: str = Field(max_length=60, description="e.g. report, assessment, letter, minutes")
    media_type: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=1)

    def created(self, plan: Plan) -> dict[str, Any]:
        return {"document_id": str(self.document_id), "sha256": self.sha256}


class DocumentAdded(PlanEvent, AddDocument):
    def apply(self, plan: Plan) -> None:
        plan.documents[self.document_id] = Document(
            id=self.document_id,
            title=self.title,
            author=self.author,
            kind=self.kind,
            media_type=self.media_type,
            sha256=self.sha256,
            bytes=self.bytes,
            occurred_on=self.occurred_on,
            added_by=self.actor.name,
        )
