"""Pupils from a school's MIS export (SEEMiS in Scotland, SIMS or Arbor in England): the
columns each names, one pupil's row checked field by field, and what an import changes on
the school's plans. Pure: application/pupil_import.py reads the file and writes the plans.

The rules, each here once:
- a column is found by any of its names, in any case (COLUMNS; the README lists them);
- a bad field is an error naming its row (the spreadsheet's: the header is row 1) and its
  column as the file names it; one bad row and nothing is written;
- a row is matched to a plan by its pupil number, then by name (any case and spacing) and
  date of birth among the plans no row's number matched;
- a pupil on the ASN or SEN register with no plan gets one (NEEDS_PLAN); one not on it,
  with no plan, is skipped; a plan whose details are the same is left alone, so a second
  import of the same file writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import BeforeValidator, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from domain.base import Immutable
from domain.calendar import today
from domain.plans import Plan
from domain.values import (
    AsnFlag,
    ClassName,
    PlanType,
    PupilContact,
    PupilDetails,
    PupilNumberKind,
    YearGroup,
)


class Format(StrEnum):
    SEEMIS = "seemis"
    SIMS = "sims"
    ARBOR = "arbor"


@dataclass(frozen=True)
class ContactColumns:
    name: str
    relationship: str
    email: str
    phone: str


@dataclass(frozen=True)
class ColumnMap:
    """One MIS's export: each field's column, by the names it may have (any case). The
    first name of each is the one the MIS's own export uses."""

    source: str
    forename: tuple[str, ...]
    surname: tuple[str, ...]
    date_of_birth: tuple[str, ...]
    numbers: tuple[tuple[PupilNumberKind, tuple[str, ...]], ...]
    """The pupil number's column: the first kind whose column the file has."""
    status: tuple[str, ...]
    """The ASN or SEN register's code (SEEMiS Y or N; SIMS and Arbor K, E or N)."""
    class_name: tuple[str, ...] = ()
    year_group: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    """Every one of these the file has: needs separated by semicolons."""
    contacts: tuple[ContactColumns, ...] = ()


def _contact(prefix: str, phone: str = "Phone", *, lower: bool = False) -> ContactColumns:
    words = [w.lower() if lower else w for w in ("Name", "Relationship", "Email", phone)]
    return ContactColumns(*(f"{prefix} {w}" for w in words))


COLUMNS: dict[Format, ColumnMap] = {
    Format.SEEMIS: ColumnMap(
        source="SEEMiS export",
        forename=("Forename", "First Name"),
        surname=("Surname", "Last Name"),
        date_of_birth=("Date of Birth", "DOB"),
        numbers=((PupilNumberKind.SCN, ("Scottish Candidate Number", "SCN")),),
        status=("ASN", "Additional Support Needs"),
        class_name=("Registration Class", "Reg Class"),
        year_group=("Stage", "Year Stage"),
        needs=("ASN Types", "ASN Reasons"),
        contacts=(_contact("Contact 1"), _contact("Contact 2")),
    ),
    Format.SIMS: ColumnMap(
        source="SIMS export",
        forename=("Legal Forename", "Forename"),
        surname=("Legal Surname", "Surname"),
        date_of_birth=("DOB", "Date of Birth"),
        numbers=(
            (PupilNumberKind.UPN, ("UPN",)),
            (PupilNumberKind.CANDIDATE, ("Candidate No", "Candidate Number")),
        ),
        status=("SEN Status", "SEN Provision"),
        class_name=("Reg Group", "Registration Group"),
        year_group=("Year", "Year Group", "NC Year"),
        needs=("Primary Need", "Secondary Need"),
        contacts=(
            _contact("Primary Contact", "Telephone"),
            _contact("Second Contact", "Telephone"),
        ),
    ),
    Format.ARBOR: ColumnMap(
        source="Arbor export",
        forename=("First name", "Legal first name"),
        surname=("Last name", "Legal last name"),
        date_of_birth=("Date of birth",),
        numbers=(
            (PupilNumberKind.UPN, ("UPN",)),
            (PupilNumberKind.CANDIDATE, ("Candidate number",)),
        ),
        status=("SEN status",),
        class_name=("Registration form", "Form"),
        year_group=("Year group", "Year"),
        needs=("Primary SEN need", "Secondary SEN need"),
        contacts=(
            _contact("Primary guardian", "mobile", lower=True),
            _contact("Secondary guardian", "mobile", lower=True),
        ),
    ),
}

STATUS_CODES: dict[Format, dict[str, str]] = {
    Format.SEEMIS: {"Y": "Y", "YES": "Y", "N": "N", "NO": "N"},
    Format.SIMS: {"K": "K", "E": "E", "N": "N"},
    Format.ARBOR: {
        "K": "K",
        "SEN SUPPORT": "K",
        "E": "E",
        "EHCP": "E",
        "EHC PLAN": "E",
        "N": "N",
        "NO SEN": "N",
        "NONE": "N",
    },
}
"""Each register code (or the words Arbor may give instead), to the code recorded."""

NEEDS_PLAN: dict[tuple[Format, str], PlanType] = {
    # Scotland: every pupil with ASN has a personal learning plan at the first level of
    # staged intervention; the lead professional moves it on (ChangeStage) as needed.
    (Format.SEEMIS, "Y"): PlanType.PLP,
    # England: K is SEN support, E an education, health and care plan.
    (Format.SIMS, "K"): PlanType.SEN_SUPPORT,
    (Format.SIMS, "E"): PlanType.EHCP,
    (Format.ARBOR, "K"): PlanType.SEN_SUPPORT,
    (Format.ARBOR, "E"): PlanType.EHCP,
}
"""The plan a pupil on the register is given when they have none."""

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
"""As the MIS exports dates (day first), or as ISO 8601."""

SCN = re.compile(r"\d{9}")
UPN = re.compile(r"[A-Z]\d{11}[0-9A-Z]")
CANDIDATE = re.compile(r"[A-Z0-9]{1,20}")
STAGE = re.compile(r"P[1-7]|S[1-6]")
YEAR = re.compile(r"(YEAR\s*)?(N1|N2|R|RECEPTION|[1-9]|1[0-4])")


def _given(raw: Any) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise PydanticCustomError("missing", "missing")
    return raw.strip() if isinstance(raw, str) else raw


def _a_date(raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise PydanticCustomError("date", "not a date ({value})", {"value": raw})


Given = Annotated[str, BeforeValidator(_given), Field(max_length=100)]


class Row(Immutable):
    """One pupil, from one row of the export once its columns are found."""

    number: int
    """The spreadsheet's row number (the header is row 1)."""
    source: Format
    forename: Given
    surname: Given
    date_of_birth: Annotated[date, BeforeValidator(_a_date), BeforeValidator(_given)]
    number_kind: PupilNumberKind
    pupil_number: Annotated[str, BeforeValidator(_given)]
    class_name: ClassName | None = None
    year_group: YearGroup | None = None
    sen_status: str = ""
    """The register's code as recorded (STATUS_CODES); empty when the MIS gives none."""
    needs: tuple[AsnFlag, ...] = Field(default=(), max_length=19)
    contacts: tuple[PupilContact, ...] = ()

    @field_validator("date_of_birth")
    @classmethod
    def _born(cls, born: date) -> date:
        if born > today():
            raise PydanticCustomError("date", "a date still to come ({value})", {"value": born})
        return born

    @field_validator("pupil_number")
    @classmethod
    def _number(cls, number: str, info: ValidationInfo) -> str:
        number = number.upper()
        kind = info.data.get("number_kind")
        if kind is PupilNumberKind.SCN and not SCN.fullmatch(number):
            raise PydanticCustomError("number", "not a Scottish Candidate Number (9 digits)")
        if kind is PupilNumberKind.UPN and not UPN.fullmatch(number):
            raise PydanticCustomError("number", "not a UPN (a letter and 12 characters)")
        if kind is PupilNumberKind.CANDIDATE and not CANDIDATE.fullmatch(number):
            raise PydanticCustomError("number", "not a candidate number (letters and digits)")
        return number

    @field_validator("year_group")
    @classmethod
    def _year(cls, year: str | None, info: ValidationInfo) -> str | None:
        if year is None:
            return None
        if info.data.get("source") is Format.SEEMIS:
            if not STAGE.fullmatch(year.upper()):
                raise PydanticCustomError(
                    "year", "not a stage, P1 to P7 or S1 to S6 ({value})", {"value": year}
                )
            return year.upper()
        if not YEAR.fullmatch(year.upper()):
            raise PydanticCustomError(
                "year", "not a year group, N1, N2, R or 1 to 14 ({value})", {"value": year}
            )
        return year

    @field_validator("sen_status", mode="before")
    @classmethod
    def _status(cls, status: str, info: ValidationInfo) -> str:
        codes = STATUS_CODES[info.data["source"]]
        given = " ".join(status.split()).upper()
        if given and given not in codes:
            allowed = sorted(set(codes.values()), key=list(codes.values()).index)
            listed = ", ".join(allowed[:-1]) + " or " + allowed[-1]
            raise PydanticCustomError(
                "status", "not {listed} ({value})", {"listed": listed, "value": status}
            )
        return codes.get(given, "")

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def initials(self) -> str:
        """What a log line or a report may name the pupil by: never the whole name."""
        return f"{self.forename[:1].upper()}. {self.surname[:1].upper()}."

    @property
    def plan_type(self) -> PlanType | None:
        """The plan the pupil should have, by the register; None if not on it."""
        return NEEDS_PLAN.get((self.source, self.sen_status))

    def details(self) -> PupilDetails:
        flags = (self.sen_status, *self.needs) if self.sen_status else self.needs
        return PupilDetails(
            pupil_number=self.pupil_number,
            number_kind=self.number_kind,
            class_name=self.class_name,
            year_group=self.year_group,
            asn_flags=flags,
            contacts=self.contacts,
            source=COLUMNS[self.source].source,
        )


@dataclass(frozen=True)
class RowError:
    row: int | None
    """None: the file's columns as a whole."""
    column: str
    problem: str

    def __str__(self) -> str:
        where = f"Row {self.row}, " if self.row is not None else ""
        return f"{where}{self.column}: {self.problem}"


@dataclass(frozen=True)
class Columns:
    """The columns one file has: each field's header as the file spells it."""

    fmt: Format
    number_kind: PupilNumberKind
    headers: dict[str, str]
    """Field (`contacts.0.email` for a contact's) to the file's header."""
    needs: tuple[str, ...]


def find_columns(fmt: Format, header: Sequence[str]) -> Columns | list[RowError]:
    """The file's columns for `fmt`, or an error for each it needs and lacks."""
    spelt = {h.strip().casefold(): h for h in header if h and h.strip()}
    mapping = COLUMNS[fmt]

    def find(names: Iterable[str]) -> str | None:
        return next((spelt[n.casefold()] for n in names if n.casefold() in spelt), None)

    headers: dict[str, str] = {}
    missing: list[RowError] = []
    required = {
        "forename": mapping.forename,
        "surname": mapping.surname,
        "date_of_birth": mapping.date_of_birth,
        "sen_status": mapping.status,
    }
    for field, names in required.items():
        found = find(names)
        if found is None:
            missing.append(RowError(None, names[0], f"no such column (a {mapping.source} has it)"))
        else:
            headers[field] = found
    kinds = [(kind, find(names)) for kind, names in mapping.numbers]
    number = next(((kind, found) for kind, found in kinds if found is not None), None)
    if number is None:
        first = mapping.numbers[0][1][0]
        missing.append(RowError(None, first, f"no such column (a {mapping.source} has it)"))
    if missing:
        return missing
    assert number is not None
    headers["pupil_number"] = number[1]
    for field, names in (("class_name", mapping.class_name), ("year_group", mapping.year_group)):
        if (found := find(names)) is not None:
            headers[field] = found
    for i, contact in enumerate(mapping.contacts):
        for part in ("name", "relationship", "email", "phone"):
            if (found := find([getattr(contact, part)])) is not None:
                headers[f"contacts.{i}.{part}"] = found
    needs = tuple(found for n in mapping.needs if (found := find([n])) is not None)
    return Columns(fmt=fmt, number_kind=number[0], headers=headers, needs=needs)


def read_row(
    columns: Columns, number: int, record: Mapping[str | None, Any]
) -> Row | list[RowError]:
    """One record of the file (the csv module's, by header) as a Row, or what is wrong
    with it, each error naming the column as the file does."""

    def cell(field: str) -> str | None:
        header = columns.headers.get(field)
        raw = record.get(header) if header is not None else None
        return raw.strip() or None if isinstance(raw, str) else None

    contacts = []
    for i in range(len(COLUMNS[columns.fmt].contacts)):
        parts = {p: cell(f"contacts.{i}.{p}") for p in ("name", "relationship", "email", "phone")}
        if any(parts.values()):
            contacts.append({k: v for k, v in parts.items() if v is not None})
    needs = [
        need.strip()
        for header in columns.needs
        for need in (record.get(header) or "").split(";")
        if need.strip()
    ]
    fields = {
        "number": number,
        "source": columns.fmt,
        "forename": cell("forename"),
        "surname": cell("surname"),
        "date_of_birth": cell("date_of_birth"),
        "number_kind": columns.number_kind,
        "pupil_number": cell("pupil_number"),
        "class_name": cell("class_name"),
        "year_group": cell("year_group"),
        "sen_status": cell("sen_status") or "",
        "needs": tuple(dict.fromkeys(needs)),
        "contacts": tuple(contacts),
    }
    try:
        return Row.model_validate(fields)
    except ValidationError as e:
        return [_row_error(columns, number, error) for error in e.errors()]


PROBLEMS = {
    "missing": "missing",
    "string_too_short": "missing",
    "string_pattern_mismatch": "not {what}",
}
PATTERNS = {"email": "an email address", "phone": "a telephone number"}


def _row_error(columns: Columns, number: int, error: Any) -> RowError:
    place = ".".join(str(p) for p in error["loc"])
    column = columns.headers.get(place, place.replace("_", " "))
    kind = error["type"]
    if kind in PROBLEMS:
        problem = PROBLEMS[kind].format(what=PATTERNS.get(str(error["loc"][-1]), "as expected"))
    elif kind in ("string_too_long", "too_long"):
        problem = f"longer than {error['ctx']['max_length']} characters"
        if kind == "too_long":
            problem = f"more than {error['ctx']['max_length']} given"
    else:
        problem = error["msg"]
    return RowError(number, column, problem)


def read_rows(
    fmt: Format, header: Sequence[str], records: Iterable[Mapping[str | None, Any]]
) -> tuple[list[Row], list[RowError]]:
    """Every pupil of a file and every error in it: the header's (nothing else is read),
    or each row's, then each pupil number given twice. Rows left wholly empty are passed
    over, as a spreadsheet leaves them."""
    columns = find_columns(fmt, header)
    if isinstance(columns, list):
        return [], columns
    rows: list[Row] = []
    errors: list[RowError] = []
    for number, record in enumerate(records, start=2):
        if not any(isinstance(v, str) and v.strip() for k, v in record.items() if k is not None):
            continue
        read = read_row(columns, number, record)
        if isinstance(read, Row):
            rows.append(read)
        else:
            errors.extend(read)
    first: dict[str, int] = {}
    for row in rows:
        seen = first.setdefault(row.pupil_number, row.number)
        if seen != row.number:
            column = columns.headers["pupil_number"]
            errors.append(RowError(row.number, column, f"the same number as row {seen}"))
    return rows, sorted(errors, key=lambda e: e.row or 0)


class ChangeKind(StrEnum):
    OPEN = "open"
    """No plan, and on the register: open one, and record the details on it."""
    RECORD = "record"
    """A plan whose details differ (or were never recorded): record them."""
    NOTHING = "nothing"
    SKIP = "skip"
    """No plan, and not on the register."""
    CLOSED = "closed"
    """Only closed plans: left as they are (a closed plan takes no changes)."""


@dataclass(frozen=True)
class PupilChange:
    row: Row
    kind: ChangeKind
    plan_id: UUID | None = None
    plan_type: PlanType | None = None
    """The plan to open, or the plan matched."""
    changed: tuple[str, ...] = ()
    """The details that differ, by PupilDetails' field names (RECORD)."""
    first: bool = False
    """RECORD: the plan holds no details from the MIS yet."""


def plan_changes(rows: Sequence[Row], existing: Iterable[Plan]) -> list[PupilChange]:
    """What importing `rows` changes on the school's plans `existing`: for each row, one
    change per plan it matches, or one to open or skip."""
    plans = list(existing)
    numbers = {row.pupil_number for row in rows}
    by_number: dict[str, list[Plan]] = {}
    by_child: dict[tuple[str, date | None], list[Plan]] = {}
    for plan in plans:
        if plan.pupil is not None and plan.pupil.pupil_number in numbers:
            by_number.setdefault(plan.pupil.pupil_number, []).append(plan)
        else:
            by_child.setdefault((_same(plan.child.name), plan.child.date_of_birth), []).append(plan)
    changes: list[PupilChange] = []
    for row in rows:
        matched = by_number.get(row.pupil_number) or by_child.get(
            (_same(row.name), row.date_of_birth), []
        )
        changes.extend(_changes(row, matched))
    return changes


def _changes(row: Row, matched: list[Plan]) -> list[PupilChange]:
    if not matched:
        if row.plan_type is None:
            return [PupilChange(row, ChangeKind.SKIP)]
        return [PupilChange(row, ChangeKind.OPEN, plan_type=row.plan_type)]
    open_plans = [p for p in matched if p.is_open]
    if not open_plans:
        return [PupilChange(row, ChangeKind.CLOSED, matched[0].id, matched[0].plan_type)]
    details = row.details()
    found = []
    for plan in open_plans:
        changed = _differences(plan.pupil, details)
        kind = ChangeKind.RECORD if changed else ChangeKind.NOTHING
        found.append(
            PupilChange(row, kind, plan.id, plan.plan_type, changed, first=plan.pupil is None)
        )
    return found


def _differences(before: PupilDetails | None, after: PupilDetails) -> tuple[str, ...]:
    if before is None:
        return tuple(PupilDetails.model_fields)
    return tuple(f for f in PupilDetails.model_fields if getattr(before, f) != getattr(after, f))


def _same(name: str) -> str:
    return " ".join(name.split()).casefold()
