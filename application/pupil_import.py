"""Importing pupils from a school's MIS export: read the file (domain/pupil_import.py
checks each row), then say what would change (a dry run) or make the changes, plan by plan.

One bad row and nothing is written: the report lists every error. Otherwise each pupil on
the ASN or SEN register with no plan gets one (at the authority's first stage), and each
plan whose details differ from the file's records them (PupilDetailsRecorded). Log lines
name a pupil by row and initials, never by name.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from uuid import UUID

from application.planning import Planning
from domain import access
from domain.access import Caller, Decision
from domain.actions import Action
from domain.events import OpenPlan, RecordPupilDetails
from domain.plans import Plan
from domain.pupil_import import (
    COLUMNS,
    ChangeKind,
    Format,
    PupilChange,
    Row,
    RowError,
    plan_changes,
    read_rows,
)
from domain.values import Child, PlanType

log = logging.getLogger("planledger.pupil_import")

OnProgress = Callable[[int, int], None]
"""Told (done, total) after each write."""


@dataclass(frozen=True)
class ReportLine:
    """What the import does (or would do) for one pupil on one plan."""

    row: int
    initials: str
    kind: ChangeKind
    plan_id: UUID | None = None
    plan_type: PlanType | None = None
    changed: tuple[str, ...] = ()
    first: bool = False

    @classmethod
    def of(cls, change: PupilChange) -> ReportLine:
        return cls(
            row=change.row.number,
            initials=change.row.initials,
            kind=change.kind,
            plan_id=change.plan_id,
            plan_type=change.plan_type,
            changed=change.changed,
            first=change.first,
        )


@dataclass(frozen=True)
class ImportReport:
    fmt: Format
    dry_run: bool
    pupils: int
    """Pupils read from the file (none when it has errors)."""
    errors: tuple[RowError, ...] = ()
    lines: tuple[ReportLine, ...] = ()
    writes: int = 0
    """The events the import writes (or would): an opening, a recording."""
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for line in self.lines if line.kind is kind)


def read_file(text: str, fmt: Format) -> tuple[list[Row], list[RowError]]:
    """The pupils of a CSV export, and every error in it."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = reader.fieldnames
        if not header:
            return [], [RowError(None, "The file", "empty: export the pupils as CSV")]
        return read_rows(fmt, header, reader)
    except csv.Error as e:
        return [], [RowError(reader.line_num, "The file", f"not CSV ({e})")]


def decode(content: bytes) -> str | None:
    """A file's text (UTF-8, with or without Excel's byte-order mark); None if not UTF-8."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


NOT_UTF8 = RowError(None, "The file", "not UTF-8 text: save it from the MIS as CSV (UTF-8)")


def import_pupils(
    planning: Planning,
    caller: Caller,
    csv_text: str | bytes,
    fmt: Format,
    org: str,
    *,
    existing: Iterable[Plan],
    dry_run: bool,
    progress: OnProgress | None = None,
    via: str = "import pupils",
) -> ImportReport:
    """Import a school's pupils from its MIS export, under `org`, by a lead professional of
    it. `existing`: the school's plans (the interfaces find them in the read model); those
    the caller may read are matched. A dry run, or a file with any error, writes nothing."""
    access.authorise_opening(caller, org)
    text = decode(csv_text) if isinstance(csv_text, bytes) else csv_text
    if text is None:
        return ImportReport(fmt, dry_run, 0, errors=(NOT_UTF8,))
    rows, errors = read_file(text, fmt)
    if errors:
        return ImportReport(fmt, dry_run, 0, errors=tuple(errors))
    school = [
        p
        for p in existing
        if p.org == org and access.decide(caller, Action.READ_PLAN, p) is Decision.ALLOW
    ]
    changes = plan_changes(rows, school)
    planning.record_reads({c.plan_id for c in changes if c.plan_id}, caller.actor(), via)
    report = ImportReport(
        fmt,
        dry_run,
        len(rows),
        lines=tuple(ReportLine.of(c) for c in changes),
        writes=sum(_writes(c) for c in changes),
    )
    if dry_run:
        return report
    return _write(planning, caller, org, changes, report, progress)


def _writes(change: PupilChange) -> int:
    return {ChangeKind.OPEN: 2, ChangeKind.RECORD: 1}.get(change.kind, 0)


def _write(
    planning: Planning,
    caller: Caller,
    org: str,
    changes: list[PupilChange],
    report: ImportReport,
    progress: OnProgress | None,
) -> ImportReport:
    stage = planning.stages.stages[0].id  # the authority's first level of support
    reason = f"Imported from the school's {COLUMNS[report.fmt].source}"
    done = 0
    lines = list(report.lines)

    def wrote() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, report.writes)

    for i, change in enumerate(changes):
        row, plan_id = change.row, change.plan_id
        if change.kind is ChangeKind.OPEN:
            assert change.plan_type is not None
            child = Child(name=row.name, date_of_birth=row.date_of_birth)
            opening = OpenPlan(plan_type=change.plan_type, stage=stage, child=child, org=org)
            plan_id = planning.open_plan(opening, caller, reason=reason).plan_id
            lines[i] = replace(lines[i], plan_id=plan_id)
            wrote()
        if change.kind in (ChangeKind.OPEN, ChangeKind.RECORD):
            assert plan_id is not None
            planning.change(plan_id, RecordPupilDetails.of(row.details()), caller, reason=reason)
            wrote()
            log.info(
                "pupil import: row %d (%s): %s, plan %s",
                row.number,
                row.initials,
                change.kind.value,
                plan_id,
            )
    return replace(report, lines=tuple(lines), written=done)
