"""Pupils from a school's MIS export (domain/pupil_import.py): the columns of each format,
a bad field named by row and column, and what an import changes on the school's plans."""

from __future__ import annotations

from datetime import date

import pytest

from domain.events import ClosePlan, OpenPlan, RecordPupilDetails
from domain.plans import Plan
from domain.pupil_import import (
    ChangeKind,
    Format,
    Row,
    find_columns,
    plan_changes,
    read_rows,
)
from domain.values import Child, PlanType, PupilContact, PupilNumberKind
from tests.examples import SCHOOL, by, days_ago

SEEMIS = [
    "Forename",
    "Surname",
    "Date of Birth",
    "Scottish Candidate Number",
    "Registration Class",
    "Stage",
    "ASN",
    "ASN Types",
    "Contact 1 Name",
    "Contact 1 Relationship",
    "Contact 1 Email",
    "Contact 1 Phone",
]
ISLA = [
    "Isla",
    "Campbell",
    "14/03/2016",
    "123456789",
    "P5B",
    "P5",
    "Y",
    "Dyslexia; Autistic spectrum",
    "Morag Campbell",
    "Mother",
    "morag.campbell@example.org",
    "0131 496 0000",
]
SIMS = ["Legal Forename", "Legal Surname", "DOB", "UPN", "Reg Group", "Year", "SEN Status"]
ARBOR = [
    "First name",
    "Last name",
    "Date of birth",
    "UPN",
    "Registration form",
    "Year group",
    "SEN status",
    "Primary guardian name",
    "Primary guardian relationship",
    "Primary guardian email",
    "Primary guardian mobile",
]


def seemis(*rows: list[str], header: list[str] = SEEMIS):
    return read_rows(Format.SEEMIS, header, [dict(zip(header, r, strict=True)) for r in rows])


def with_cell(column: str, value: str, row: list[str] = ISLA) -> list[str]:
    return [value if h == column else v for h, v in zip(SEEMIS, row, strict=True)]


def a_row(**fields) -> Row:
    (row,), errors = seemis(ISLA)
    assert not errors
    return row.model_copy(update=fields)


def a_plan(name: str = "Isla Campbell", born: date = date(2016, 3, 14)) -> Plan:
    opening = OpenPlan(
        plan_type=PlanType.PLP,
        stage="universal",
        child=Child(name=name, date_of_birth=born),
        org=SCHOOL,
    )
    return Plan.open(opening, by(on=days_ago(30)))


def with_details(plan: Plan, row: Row) -> Plan:
    plan.record_pupil_details(RecordPupilDetails.of(row.details()), by(on=days_ago(1)))
    return plan


class TestColumns:
    def test_a_seemis_export_is_read_by_its_own_headers(self):
        (row,), errors = seemis(ISLA)
        assert errors == []
        assert (row.name, row.date_of_birth, row.pupil_number) == (
            "Isla Campbell",
            date(2016, 3, 14),
            "123456789",
        )
        assert (row.number_kind, row.class_name, row.year_group) == (
            PupilNumberKind.SCN,
            "P5B",
            "P5",
        )
        assert row.contacts == (
            PupilContact(
                name="Morag Campbell",
                relationship="Mother",
                email="morag.campbell@example.org",
                phone="0131 496 0000",
            ),
        )

    def test_headers_are_found_in_any_case_and_spacing(self):
        shouted = [f"  {h.upper()} " for h in SEEMIS]
        (row,), errors = seemis(ISLA, header=shouted)
        assert errors == [] and row.pupil_number == "123456789"

    def test_a_sims_export_gives_a_upn_and_a_sen_status(self):
        record = dict(
            zip(SIMS, ["Jack", "Reid", "02/06/2015", "A123456789012", "5R", "5", "K"], strict=True)
        )
        (row,), errors = read_rows(Format.SIMS, SIMS, [record])
        assert errors == []
        assert (row.number_kind, row.pupil_number, row.plan_type) == (
            PupilNumberKind.UPN,
            "A123456789012",
            PlanType.SEN_SUPPORT,
        )

    def test_an_arbor_export_names_its_guardian(self):
        cells = ["Ava", "Grant", "2014-09-30", "B123456789012", "6G", "Year 6", "EHC plan"]
        cells += ["Ailsa Grant", "Mother", "ailsa@example.org", "07700 900123"]
        (row,), errors = read_rows(Format.ARBOR, ARBOR, [dict(zip(ARBOR, cells, strict=True))])
        assert errors == []
        assert (row.sen_status, row.plan_type, row.year_group) == ("E", PlanType.EHCP, "Year 6")
        assert row.contacts[0].name == "Ailsa Grant"

    def test_a_file_without_a_needed_column_names_each_missing(self):
        found = find_columns(Format.SIMS, ["Legal Forename", "DOB", "Year"])
        assert [str(e) for e in found] == [
            "Legal Surname: no such column (a SIMS export has it)",
            "SEN Status: no such column (a SIMS export has it)",
            "UPN: no such column (a SIMS export has it)",
        ]

    def test_a_file_without_a_upn_may_give_candidate_numbers(self):
        header = [h if h != "UPN" else "Candidate No" for h in SIMS]
        record = dict(
            zip(header, ["Jack", "Reid", "02/06/2015", "4021", "5R", "5", "N"], strict=True)
        )
        (row,), _ = read_rows(Format.SIMS, header, [record])
        assert (row.number_kind, row.pupil_number) == (PupilNumberKind.CANDIDATE, "4021")


class TestBadRows:
    @pytest.mark.parametrize(
        ("column", "value", "error"),
        [
            ("Date of Birth", "31/02/2015", "Row 2, Date of Birth: not a date (31/02/2015)"),
            ("Date of Birth", "", "Row 2, Date of Birth: missing"),
            ("Surname", " ", "Row 2, Surname: missing"),
            (
                "Scottish Candidate Number",
                "12345678",
                "Row 2, Scottish Candidate Number: not a Scottish Candidate Number (9 digits)",
            ),
            ("Stage", "P8", "Row 2, Stage: not a stage, P1 to P7 or S1 to S6 (P8)"),
            ("ASN", "Maybe", "Row 2, ASN: not Y or N (Maybe)"),
            ("Contact 1 Email", "morag@", "Row 2, Contact 1 Email: not an email address"),
            ("Contact 1 Phone", "ring me", "Row 2, Contact 1 Phone: not a telephone number"),
            ("Contact 1 Name", "", "Row 2, Contact 1 Name: missing"),
        ],
    )
    def test_a_bad_field_is_named_by_row_and_column(self, column, value, error):
        rows, errors = seemis(with_cell(column, value))
        assert (rows, [str(e) for e in errors]) == ([], [error])

    def test_an_english_row_is_checked_by_englands_numbers_years_and_codes(self):
        cells = ["Jack", "Reid", "02/06/2015", "123", "5R", "Year 15", "X"]
        _, errors = read_rows(Format.SIMS, SIMS, [dict(zip(SIMS, cells, strict=True))])
        assert [str(e) for e in errors] == [
            "Row 2, UPN: not a UPN (a letter and 12 characters)",
            "Row 2, Year: not a year group, N1, N2, R or 1 to 14 (Year 15)",
            "Row 2, SEN Status: not K, E or N (X)",
        ]

    def test_a_date_of_birth_still_to_come_is_refused(self):
        _, errors = seemis(with_cell("Date of Birth", "01/01/2099"))
        assert [str(e) for e in errors] == [
            "Row 2, Date of Birth: a date still to come (2099-01-01)"
        ]

    def test_every_bad_row_is_listed_by_its_spreadsheet_row(self):
        amy = with_cell("Forename", "", with_cell("Scottish Candidate Number", "123456780"))
        _, errors = seemis(ISLA, amy, with_cell("Date of Birth", "2015-13-01"))
        assert [str(e) for e in errors] == [
            "Row 3, Forename: missing",
            "Row 4, Date of Birth: not a date (2015-13-01)",
        ]

    def test_a_pupil_number_given_twice_is_an_error_on_the_second(self):
        _, errors = seemis(ISLA, with_cell("Forename", "Amy"))
        assert [str(e) for e in errors] == [
            "Row 3, Scottish Candidate Number: the same number as row 2"
        ]

    def test_empty_rows_are_passed_over(self):
        rows, errors = seemis(ISLA, [""] * len(SEEMIS))
        assert (len(rows), errors) == (1, [])


class TestRegister:
    def test_the_details_keep_the_flags_as_the_mis_gives_them(self):
        details = a_row().details()
        assert details.asn_flags == ("Y", "Dyslexia", "Autistic spectrum")
        assert details.source == "SEEMiS export"

    @pytest.mark.parametrize(
        ("fmt", "status", "plan_type"),
        [
            (Format.SEEMIS, "Y", PlanType.PLP),
            (Format.SEEMIS, "N", None),
            (Format.SIMS, "K", PlanType.SEN_SUPPORT),
            (Format.SIMS, "E", PlanType.EHCP),
            (Format.ARBOR, "N", None),
            (Format.ARBOR, "", None),
        ],
    )
    def test_the_register_says_which_plan_a_pupil_needs(self, fmt, status, plan_type):
        assert a_row(source=fmt, sen_status=status).plan_type is plan_type


class TestPlanChanges:
    def test_a_pupil_on_the_register_with_no_plan_gets_one(self):
        (change,) = plan_changes([a_row()], [])
        assert (change.kind, change.plan_type, change.plan_id) == (
            ChangeKind.OPEN,
            PlanType.PLP,
            None,
        )

    def test_a_pupil_not_on_the_register_with_no_plan_is_skipped(self):
        (change,) = plan_changes([a_row(sen_status="N")], [])
        assert change.kind is ChangeKind.SKIP

    def test_a_plan_with_no_details_yet_is_matched_by_name_and_birth_and_given_them(self):
        plan = a_plan(name="isla  CAMPBELL")
        (change,) = plan_changes([a_row()], [plan])
        assert (change.kind, change.plan_id, change.first) == (ChangeKind.RECORD, plan.id, True)

    def test_the_same_details_change_nothing(self):
        plan = with_details(a_plan(), a_row())
        (change,) = plan_changes([a_row()], [plan])
        assert (change.kind, change.plan_id) == (ChangeKind.NOTHING, plan.id)

    def test_changed_details_are_recorded_and_named(self):
        plan = with_details(a_plan(), a_row())
        (change,) = plan_changes([a_row(class_name="P6A", year_group="P6")], [plan])
        assert (change.kind, change.changed) == (ChangeKind.RECORD, ("class_name", "year_group"))

    def test_the_pupil_number_matches_before_the_name(self):
        # A name corrected in the MIS is still the same pupil.
        plan = with_details(a_plan(name="Isla Cambell"), a_row())
        other = a_plan()
        (change,) = plan_changes([a_row()], [plan, other])
        assert (change.kind, change.plan_id) == (ChangeKind.NOTHING, plan.id)

    def test_a_corrected_number_is_found_by_name_and_recorded(self):
        plan = with_details(a_plan(), a_row(pupil_number="999999999"))
        (change,) = plan_changes([a_row()], [plan])
        assert (change.kind, change.changed) == (ChangeKind.RECORD, ("pupil_number",))

    def test_a_different_birth_date_is_a_different_child(self):
        (change,) = plan_changes([a_row()], [a_plan(born=date(2016, 3, 15))])
        assert change.kind is ChangeKind.OPEN

    def test_a_pupil_whose_plans_are_closed_is_left_alone(self):
        plan = a_plan()
        plan.close_plan(ClosePlan(), by(on=days_ago(1), reason="Needs met"))
        (change,) = plan_changes([a_row()], [plan])
        assert (change.kind, change.plan_id) == (ChangeKind.CLOSED, plan.id)

    def test_each_open_plan_of_the_pupil_is_given_the_details(self):
        plans = [a_plan(), a_plan()]
        changes = plan_changes([a_row()], plans)
        assert [(c.kind, c.plan_id) for c in changes] == [
            (ChangeKind.RECORD, plans[0].id),
            (ChangeKind.RECORD, plans[1].id),
        ]


def test_a_plan_records_the_pupils_details():
    plan = a_plan()
    plan.collect_events()
    with_details(plan, a_row())
    assert plan.pupil == a_row().details()
    assert [type(e).__name__ for e in plan.collect_events()] == ["PupilDetailsRecorded"]
