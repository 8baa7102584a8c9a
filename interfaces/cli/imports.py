"""`planledger import pupils FILE`: a school's pupils from its MIS export (SEEMiS, SIMS or
Arbor, as CSV), with a dry run; README "Importing pupils from the MIS"."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from domain.access import Caller
from domain.pupil_import import Format
from domain.values import Role
from interfaces.cli.common import console, err, friendly_errors

imports = typer.Typer(no_args_is_help=True, help="Import from a school's MIS.")


@imports.command("pupils")
@friendly_errors
def pupils(
    file: Annotated[Path, typer.Argument(help="The MIS's CSV export of the school's pupils")],
    fmt: Annotated[
        Format, typer.Option("--format", case_sensitive=False, help="The MIS it came from")
    ],
    org: Annotated[str, typer.Option("--org", help="The school, e.g. school:st-ninians-primary")],
    as_user: Annotated[str, typer.Option("--as-user", help="The lead professional's user id")],
    as_name: Annotated[str, typer.Option("--as-name", help="The lead professional's name")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; change nothing")
    ] = False,
) -> None:
    """Open a plan for each pupil on the ASN or SEN register who has none, and record each
    pupil's details from the MIS where they changed. One bad row and nothing is written."""
    from application.pupil_import import import_pupils
    from interfaces.bootstrap import opened
    from interfaces.pupils import line_words, school_plans, summary_words
    from projections.engine.consistency import ReadModelBehindError
    from projections.engine.reading import ReadModels

    content = file.read_bytes()
    caller = Caller(sub=as_user, name=as_name, role=Role.LEAD_PROFESSIONAL, org=org)
    with opened() as planning:
        try:
            summaries = ReadModels(planning, timeout=60).summaries()
        except ReadModelBehindError:
            err.print("[red]error:[/red] the plan lists are catching up: try again in a minute.")
            raise typer.Exit(1) from None
        existing = school_plans(planning, summaries, caller, org)
        bar = Progress(TextColumn("Writing"), BarColumn(), MofNCompleteColumn(), console=console)
        task = bar.add_task("writing", total=None)

        def wrote(done: int, total: int) -> None:
            bar.start()  # on the first write: a dry run or a bad file shows no bar
            bar.update(task, completed=done, total=total)

        try:
            report = import_pupils(
                planning,
                caller,
                content,
                fmt,
                org,
                existing=existing,
                dry_run=dry_run,
                progress=wrote,
            )
        finally:
            if bar.live.is_started:
                bar.stop()
    if not report.ok:
        for error in report.errors:
            err.print(str(error), highlight=False, markup=False)
        err.print(
            f"[red]refused:[/red] {len(report.errors)} error(s) in {escape(file.name)}: "
            "nothing was written."
        )
        raise typer.Exit(1)
    for line in report.lines:
        words = line_words(line, dry_run=report.dry_run)
        console.print(f"Row {line.row} ({line.initials}): {words}", highlight=False, markup=False)
    console.print(("Dry run: " if dry_run else "") + summary_words(report), highlight=False)
