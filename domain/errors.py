"""Domain exceptions: each names the rule that refused a command.

Messages carry ids and dates only, never personal data, because they reach HTTP
problem details and logs.
"""

from __future__ import annotations


class PlanningError(Exception):
    """A rule of the domain refused a command."""


class PlanClosedError(PlanningError):
    def __init__(self) -> None:
        super().__init__("The plan is closed: nothing more can be written to it.")


class PlanDestroyedError(PlanningError):
    def __init__(self) -> None:
        super().__init__("The plan's personal data has been destroyed.")


class PlanNotClosedError(PlanningError):
    def __init__(self) -> None:
        super().__init__("Only a closed plan can be destroyed.")


class OccurredInFutureError(PlanningError):
    def __init__(self, field: str) -> None:
        super().__init__(f"'{field}' may not be a date in the future.")


class DateOrderError(PlanningError):
    def __init__(self, later: str, earlier: str) -> None:
        super().__init__(f"'{later}' must be after '{earlier}'.")


class UnknownStageError(PlanningError):
    def __init__(self, stage: str) -> None:
        super().__init__(f"Stage '{stage}' is not one the authority defines.")


class StageUnchangedError(PlanningError):
    def __init__(self, stage: str) -> None:
        super().__init__(f"The plan is already at stage '{stage}'.")


class OutcomeNotFoundError(PlanningError):
    def __init__(self, outcome_id: object) -> None:
        super().__init__(f"No outcome {outcome_id} has been agreed on this plan.")


class TargetNotFoundError(PlanningError):
    def __init__(self, target_id: object) -> None:
        super().__init__(f"No target {target_id} has been set on this plan.")


class TargetClosedError(PlanningError):
    def __init__(self, target_id: object) -> None:
        super().__init__(f"Target {target_id} is no longer open.")


class DuplicateEvaluationError(PlanningError):
    def __init__(self, target_id: object) -> None:
        super().__init__(f"Target {target_id} is evaluated more than once in one review.")


class ProvisionNotFoundError(PlanningError):
    def __init__(self, provision_id: object) -> None:
        super().__init__(f"No provision {provision_id} has been planned on this plan.")


class ProvisionEndedError(PlanningError):
    def __init__(self, provision_id: object) -> None:
        super().__init__(f"Provision {provision_id} has ended.")


class MemberAlreadyAddedError(PlanningError):
    def __init__(self, user_id: str) -> None:
        super().__init__(f"User '{user_id}' is already a member of this plan.")


class NotALeadProfessionalError(PlanningError):
    def __init__(self, user_id: str) -> None:
        super().__init__(f"User '{user_id}' is not a lead professional member of this plan.")


class InvalidMemberRoleError(PlanningError):
    def __init__(self, role: str) -> None:
        super().__init__(f"Role '{role}' cannot be a member of a plan.")


class AgencyAlreadyJoinedError(PlanningError):
    def __init__(self, org: str) -> None:
        super().__init__(f"Agency '{org}' has already joined this plan.")


class NotAMemberError(PlanningError):
    def __init__(self, user_id: str) -> None:
        super().__init__(f"User '{user_id}' is not a member of this plan.")


class LeadProfessionalRemovalError(PlanningError):
    def __init__(self, user_id: str) -> None:
        super().__init__(
            f"User '{user_id}' is the plan's lead professional: assign another lead "
            "professional first."
        )


class AgencyNotJoinedError(PlanningError):
    def __init__(self, org: str) -> None:
        super().__init__(f"Agency '{org}' has not joined this plan.")


class NoticeNotFoundError(PlanningError):
    def __init__(self, notice_id: object) -> None:
        super().__init__(f"No notice {notice_id} to be emailed has been given on this plan.")


class DisclosureNotFoundError(PlanningError):
    def __init__(self, disclosure_id: object) -> None:
        super().__init__(f"No disclosure {disclosure_id} has been granted on this plan.")


class DisclosureNotInForceError(PlanningError):
    def __init__(self, disclosure_id: object) -> None:
        super().__init__(f"Disclosure {disclosure_id} is not in force.")


class ReasonRequiredError(PlanningError):
    def __init__(self) -> None:
        super().__init__("A reason is required for this change: say why it was made.")


class AccessError(Exception):
    """The caller may not do this (answered as forbidden, or as not found)."""


class PlanNotVisibleError(AccessError):
    """The caller may not see the plan at all: answered exactly as a plan that does not
    exist, so that its existence is not disclosed."""

    def __init__(self) -> None:
        super().__init__("No such plan.")


class ActionForbiddenError(AccessError):
    def __init__(self, detail: str = "Your role does not allow this on this plan.") -> None:
        super().__init__(detail)


class OrgNotOnPlanError(PlanningError):
    def __init__(self, org: str) -> None:
        super().__init__(
            f"'{org}' is neither the plan's school or service nor an agency that has joined it."
        )
