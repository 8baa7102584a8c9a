"""Errors of the application boundary: the library's errors, in the application's words."""

from __future__ import annotations

from uuid import UUID


class ApplicationError(Exception):
    pass


class PlanNotFoundError(ApplicationError):
    def __init__(self, plan_id: UUID) -> None:
        super().__init__(f"No plan {plan_id}.")
        self.plan_id = plan_id


class PreconditionFailedError(ApplicationError):
    """The caller wrote against a version of the plan that is no longer current."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"The plan has moved on: it is now at version {current_version}.")
        self.current_version = current_version


class ConcurrentUpdateError(ApplicationError):
    """Other writers kept changing the plan while this command was being decided."""

    def __init__(self, plan_id: UUID) -> None:
        super().__init__(f"Plan {plan_id} was changed by someone else; try again.")


class IdempotencyKeyReusedError(ApplicationError):
    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was already used with a different request.")


class KeptPdfAlteredError(ApplicationError):
    """The PDF kept when it was given out no longer has the SHA-256 its event records."""


class PdfNotReproducibleError(ApplicationError):
    """A PDF given out before PDFs were kept, made again, is not the one given (the
    renderer changed)."""
