"""Importing a school's pupils from its MIS export (application/pupil_import.py), on SQLite
and PostgreSQL: a school of 200 pupils, 40 on the register. A dry run writes nothing; the
import opens 40 plans and records their details; a second import writes nothing; a bad
file names each bad row and writes nothing."""

from __future__ import annotations

import logging

import pytest

from application.planning import Planning
from application.pupil_import import ImportReport, import_pupils
from domain.errors import ActionForbiddenError
from domain.pupil_import import ChangeKind, Format
from domain.values import PlanType, PupilNumberKind
from tests.examples import SCHOOL, a_practitioner, as_caller
from tests.pupil_files import a_school, cells, export, moved_class

LEAD = as_caller()


def events_in(planning: Planning) -> int:
    return len(planning.recorder.select_notifications(1, 100_000))


def school_plans(planning: Planning) -> list:
    ids = {n.originator_id for n in planning.recorder.select_notifications(1, 100_000)}
    return list(planning.get_plans(list(ids)).values())


def run(planning: Planning, text: str, fmt: Format = Format.SEEMIS, **kw) -> ImportReport:
    kw.setdefault("dry_run", False)
    return import_pupils(planning, LEAD, text, fmt, SCHOOL, existing=school_plans(planning), **kw)


SCHOOL_FILE = export(Format.SEEMIS, a_school())


@pytest.fixture
def imported(planning) -> ImportReport:
    return run(planning, SCHOOL_FILE)


def test_a_dry_run_says_what_would_change_and_writes_nothing(planning):
    report = run(planning, SCHOOL_FILE, dry_run=True)
    assert events_in(planning) == 0
    assert (report.pupils, report.count(ChangeKind.OPEN), report.count(ChangeKind.SKIP)) == (
        200,
        40,
        160,
    )
    assert (report.writes, report.written) == (80, 0)


class TestTheFirstImport:
    def test_it_opens_a_plan_for_each_pupil_on_the_register_and_records_their_details(
        self, planning, imported
    ):
        assert (imported.count(ChangeKind.OPEN), imported.written) == (40, 80)
        assert events_in(planning) == 80
        plans = school_plans(planning)
        assert len(plans) == 40
        assert {(p.plan_type, p.stage, p.org) for p in plans} == {
            (PlanType.PLP, "universal", SCHOOL)
        }
        assert all(p.pupil and p.pupil.number_kind is PupilNumberKind.SCN for p in plans)

    def test_each_plan_is_the_pupils_own(self, planning, imported):
        pupils = {p.number: p for p in a_school()}
        for plan in school_plans(planning):
            pupil = pupils[plan.pupil.pupil_number]
            assert (plan.child.name, plan.child.date_of_birth) == (pupil.name, pupil.born)
            assert plan.pupil.class_name == pupil.class_name
            assert plan.pupil.contacts[0].email == pupil.email

    def test_the_history_says_where_the_details_came_from(self, planning, imported):
        plan = school_plans(planning)[0]
        entries = planning.history(plan.id)
        assert [e.type for e in entries] == ["PlanOpened", "PupilDetailsRecorded"]
        assert {e.reason for e in entries} == {"Imported from the school's SEEMiS export"}

    def test_a_second_import_of_the_same_file_writes_nothing(self, planning, imported):
        again = run(planning, SCHOOL_FILE)
        assert events_in(planning) == 80
        assert (again.count(ChangeKind.NOTHING), again.count(ChangeKind.SKIP)) == (40, 160)
        assert (again.writes, again.written) == (0, 0)

    def test_three_pupils_moved_class_record_three_events(self, planning, imported):
        moved = moved_class(a_school(), [0, 5, 10], "P7C")
        again = run(planning, export(Format.SEEMIS, moved))
        assert events_in(planning) == 83
        changed = [line for line in again.lines if line.kind is ChangeKind.RECORD]
        assert [(line.row, line.changed) for line in changed] == [
            (2, ("class_name",)),
            (7, ("class_name",)),
            (12, ("class_name",)),
        ]


def test_a_bad_file_names_each_bad_row_and_field_and_writes_nothing(planning):
    pupils = a_school()
    bad_date = [*cells(pupils[5])]
    bad_date[2] = "31/02/2015"
    no_name = [*cells(pupils[9])]
    no_name[0] = ""
    text = export(Format.SEEMIS, pupils, rows={7: bad_date, 11: no_name})
    report = run(planning, text)
    assert [str(e) for e in report.errors] == [
        "Row 7, Date of Birth: not a date (31/02/2015)",
        "Row 11, Forename: missing",
    ]
    assert (report.ok, report.lines, report.written, events_in(planning)) == (False, (), 0, 0)


def test_an_english_school_gets_sen_support_and_ehc_plans(planning):
    report = run(planning, export(Format.SIMS, a_school(Format.SIMS)), Format.SIMS)
    types = [line.plan_type for line in report.lines if line.kind is ChangeKind.OPEN]
    assert (types.count(PlanType.SEN_SUPPORT), types.count(PlanType.EHCP)) == (30, 10)
    assert {p.pupil.number_kind for p in school_plans(planning)} == {PupilNumberKind.UPN}


def test_a_file_that_is_not_utf8_is_refused(planning):
    report = run(planning, SCHOOL_FILE.encode("utf-16"))
    assert [str(e) for e in report.errors] == [
        "The file: not UTF-8 text: save it from the MIS as CSV (UTF-8)"
    ]


def test_only_a_lead_professional_imports_and_only_for_their_own_school(planning):
    with pytest.raises(ActionForbiddenError):
        import_pupils(
            planning,
            as_caller(a_practitioner()),
            SCHOOL_FILE,
            Format.SEEMIS,
            SCHOOL,
            existing=[],
            dry_run=True,
        )
    with pytest.raises(ActionForbiddenError):
        import_pupils(
            planning, LEAD, SCHOOL_FILE, Format.SEEMIS, "school:leith", existing=[], dry_run=True
        )


def test_progress_is_told_after_each_write(planning):
    told = []
    run(planning, export(Format.SEEMIS, a_school(pupils=10)), progress=lambda *d: told.append(d))
    assert told == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_the_log_names_pupils_by_row_and_initials_only(planning, caplog):
    pupils = a_school(pupils=10)
    with caplog.at_level(logging.INFO, logger="planledger.pupil_import"):
        run(planning, export(Format.SEEMIS, pupils))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "row 2 (I. C.)" in logged
    assert not [p for p in pupils if p.forename in logged or p.surname in logged]
    assert not [p for p in pupils if p.number in logged or p.parent in logged]
