"""Documents kept with a plan (reports, assessments, letters, minutes): which files are
taken, judged by their content and never by a name or a declared type, and how large."""

from __future__ import annotations

from domain.errors import PlanningError

MAX_BYTES = 20 * 1024 * 1024
"""A scanned report of a hundred pages at 200 dpi is about 15 MB; more is a mistake or a
film, and would slow every bundle that holds it."""

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
"""The opening bytes of each type taken (ISO 32000 7.5.2; PNG spec 5.2; JPEG's SOI marker
followed by a marker's 0xFF)."""


class UnsupportedDocumentError(PlanningError):
    def __init__(self) -> None:
        super().__init__("Only PDF, PNG and JPEG files are kept: this file is none of them.")


class DocumentTooLargeError(PlanningError):
    def __init__(self, limit: int = MAX_BYTES) -> None:
        super().__init__(f"A document may be at most {limit // (1024 * 1024)} MB.")


class DocumentNotFoundError(PlanningError):
    def __init__(self) -> None:
        super().__init__("No such document on this plan.")


class DocumentDestroyedError(PlanningError):
    def __init__(self) -> None:
        super().__init__("This document was destroyed with the plan's personal data.")


def media_type_of(content: bytes) -> str:
    """The file's type from its first bytes; anything else is refused."""
    if len(content) > MAX_BYTES:
        raise DocumentTooLargeError
    for signature, media_type in SIGNATURES:
        if content.startswith(signature):
            return media_type
    raise UnsupportedDocumentError
