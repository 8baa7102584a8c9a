"""A realistic school's MIS export, made by the tests: 200 pupils, every fifth on the ASN
or SEN register (40), each with a parent to contact, written as SEEMiS, SIMS or Arbor
would write it (the first name of each column in domain.pupil_import.COLUMNS)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date

from domain.pupil_import import COLUMNS, Format

FORENAMES = (
    *("Isla", "Olivia", "Emily", "Freya", "Sophie", "Ava", "Amelia", "Grace", "Lily", "Ella"),
    *("Jack", "Noah", "Harris", "Leo", "Rory", "Finlay", "Lewis", "Oliver", "Alfie", "Harry"),
)
SURNAMES = (
    *("Campbell", "Reid", "MacLeod", "Robertson", "Stewart"),
    *("Thomson", "Murray", "Paterson", "Fraser", "Grant"),
)
PARENTS = ("Morag", "Alan", "Fiona", "Euan", "Kirsty", "Stuart", "Ailsa", "Graeme")


@dataclass(frozen=True)
class Pupil:
    forename: str
    surname: str
    born: date
    number: str
    class_name: str
    year_group: str
    status: str
    needs: str
    parent: str
    relationship: str
    email: str
    phone: str

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"


def a_school(fmt: Format = Format.SEEMIS, pupils: int = 200) -> list[Pupil]:
    """The school's pupils, the same every time: every fifth on the register (in England
    one in four of those with an EHC plan)."""
    made = []
    for i in range(pupils):
        year = i % 7 + 1
        flagged = i % 5 == 0
        parent = PARENTS[i % len(PARENTS)]
        surname = SURNAMES[i // len(FORENAMES) % len(SURNAMES)]
        scottish = fmt is Format.SEEMIS
        made.append(
            Pupil(
                forename=FORENAMES[i % len(FORENAMES)],
                surname=surname,
                born=date(2019 - year, i % 12 + 1, i % 28 + 1),
                number=f"{100000000 + i}" if scottish else f"A{800000000000 + i}",
                class_name=f"P{year}{'AB'[i % 2]}" if scottish else f"{year}{'AB'[i % 2]}",
                year_group=f"P{year}" if scottish else str(year),
                status=_status(fmt, flagged, i),
                needs="Dyslexia; Autistic spectrum" if flagged else "",
                parent=f"{parent} {surname}",
                relationship="Mother" if i % 2 else "Father",
                email=f"{parent.lower()}.{surname.lower()}{i}@example.org",
                phone=f"07700 900{i:03d}",
            )
        )
    return made


def _status(fmt: Format, flagged: bool, i: int) -> str:
    if fmt is Format.SEEMIS:
        return "Y" if flagged else "N"
    if not flagged:
        return "N"
    return "E" if i % 20 == 0 else "K"


def moved_class(pupils: list[Pupil], which: list[int], class_name: str) -> list[Pupil]:
    return [replace(p, class_name=class_name) if i in which else p for i, p in enumerate(pupils)]


def header(fmt: Format) -> list[str]:
    c = COLUMNS[fmt]
    contact = c.contacts[0]
    return [
        c.forename[0],
        c.surname[0],
        c.date_of_birth[0],
        c.numbers[0][1][0],
        c.class_name[0],
        c.year_group[0],
        c.status[0],
        c.needs[0],
        contact.name,
        contact.relationship,
        contact.email,
        contact.phone,
    ]


def cells(p: Pupil) -> list[str]:
    return [
        p.forename,
        p.surname,
        p.born.strftime("%d/%m/%Y"),
        p.number,
        p.class_name,
        p.year_group,
        p.status,
        p.needs,
        p.parent,
        p.relationship,
        p.email,
        p.phone,
    ]


def export(fmt: Format, pupils: list[Pupil], *, rows: dict[int, list[str]] | None = None) -> str:
    """The CSV as the MIS exports it (with Excel's byte-order mark); `rows` puts other cells
    on the spreadsheet's rows (2: the first pupil)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(fmt))
    for number, pupil in enumerate(pupils, start=2):
        writer.writerow((rows or {}).get(number, cells(pupil)))
    return "\ufeff" + out.getvalue()
