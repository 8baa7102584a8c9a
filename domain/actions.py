"""What a caller may ask to do to a plan. A change's action is checked against the caller's
role by domain/access.py; each command declares its action (domain/events)."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    READ_PLAN = "read_plan"
    READ_HISTORY = "read_history"
    READ_EVIDENCE = "read_evidence"  # diff, export, bundle, shared copies
    READ_CLOCKS = "read_clocks"
    READ_ACCESS_LOG = "read_access_log"
    ADD_MEMBER = "add_member"
    ASSIGN_LEAD_PROFESSIONAL = "assign_lead_professional"
    REMOVE_MEMBER = "remove_member"
    JOIN_AGENCY = "join_agency"
    LEAVE_AGENCY = "leave_agency"
    CORRECT_CHILD_DETAILS = "correct_child_details"
    RECORD_PUPIL_DETAILS = "record_pupil_details"
    """The pupil's details as the school's MIS holds them (an import)."""
    AGREE_OUTCOME = "agree_outcome"
    SET_TARGET = "set_target"
    REVISE_TARGET = "revise_target"
    CLOSE_TARGET = "close_target"
    EVALUATE_TARGET = "evaluate_target"
    PLAN_PROVISION = "plan_provision"
    RECORD_DELIVERY = "record_delivery"
    END_PROVISION = "end_provision"
    HOLD_REVIEW = "hold_review"
    SCHEDULE_REVIEW = "schedule_review"
    CHANGE_STAGE = "change_stage"
    APPEND_CONTRIBUTION = "append_contribution"
    RECORD_VIEWS = "record_views"
    ADD_CHRONOLOGY_ENTRY = "add_chronology_entry"
    SHARE_PLAN = "share_plan"
    RECORD_INFORMATION_SHARING = "record_information_sharing"
    ISSUE_BUNDLE = "issue_bundle"
    ADD_DOCUMENT = "add_document"
    GRANT_DISCLOSURE = "grant_disclosure"
    REVOKE_DISCLOSURE = "revoke_disclosure"
    CLOSE_PLAN = "close_plan"
    DESTROY_PLAN = "destroy_plan"
    RECORD_STATUTORY_STEP = "record_statutory_step"
    """A step of a statutory process that is not a decision: a proposal, a delay, a
    review begun, more time to answer."""
    MAKE_STATUTORY_REQUEST = "make_statutory_request"
    TAKE_STATUTORY_DECISION = "take_statutory_decision"
    """The authority's own decisions: an authorised officer's alone."""
    GIVE_NOTICE = "give_notice"
    RECORD_NOTICE_EMAILED = "record_notice_emailed"
    RECORD_SECTION = "record_section"
