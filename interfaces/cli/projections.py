"""Read models: keep them up to date (`project`), rebuild one (`rebuild`), see where
they stand (`read-models`)."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from interfaces.cli.common import console, friendly_errors
from interfaces.settings import Settings
from interfaces.tenancy import each_store

SHOWN_SET_ASIDE = 20
"""Positions listed per read model by `read-models`; beyond that, a count."""

Authorities = Annotated[
    list[str] | None,
    typer.Option(
        "--authority",
        help="With PLANLEDGER_TENANTS: only this authority "
        "(repeat for several; default: every one)",
    ),
]


@friendly_errors
def project(
    heartbeat: Annotated[
        Path | None,
        typer.Option(
            help="Touch this file while every read model is kept up (for a container health check)"
        ),
    ] = None,
    poll: Annotated[
        float, typer.Option(help="Seconds between checks (SQLite: for new events)")
    ] = 0.5,
    mail_every: Annotated[
        float,
        typer.Option(help="With PLANLEDGER_SMTP_URL: seconds between runs of the mail sender"),
    ] = 30.0,
    authority: Authorities = None,
) -> None:
    """Keep the read models up to date until stopped (SIGTERM or Ctrl-C).

    Each model is fed by a catch-up loop that applies what is new in one batch: on
    PostgreSQL woken by each write's NOTIFY, on SQLite polling. With PLANLEDGER_TENANTS, one
    projector per authority (all, or those given with --authority), each on its store.
    With PLANLEDGER_SMTP_URL, the outbox's mail is sent too (as `mail send-pending`)."""
    from interfaces.bootstrap import projector
    from projections.engine.runtime import Projector

    settings = Settings()
    stores = each_store(settings, authority or ())
    runner = projector(settings, authority or (), poll_seconds=poll, heartbeat=heartbeat)
    models = runner.models if isinstance(runner, Projector) else runner.projectors[0].models

    def stop(signum: int, frame: FrameType | None) -> None:
        runner.stopping.set()  # only sets an Event: safe in a signal handler

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    where = f" for {', '.join(str(a) for a, _ in stores)}" if stores[0][0] else ""
    console.print(
        f"Projecting {', '.join(m.name for m in models)}{where}; stop with Ctrl-C or SIGTERM."
    )
    if settings.smtp_url is not None:
        from interfaces.cli.mail import keep_sending

        sender = threading.Thread(
            target=keep_sending, args=(stores, mail_every, runner.stopping), name="mail"
        )
        sender.start()
    runner.run_forever()
    if settings.smtp_url is not None:
        sender.join()
    console.print("Stopped.")


@friendly_errors
def rebuild(
    name: Annotated[str, typer.Argument(help="The read model: plan_summaries or reports")],
    parts: Annotated[
        int,
        typer.Option(
            min=1, max=16, help="Processes folding the log (PostgreSQL; see bench/projections.py)"
        ),
    ] = 1,
    authority: Authorities = None,
) -> None:
    """Rebuild one read model from the event store beside the one in use, then switch
    readers to it once it has caught up (with PLANLEDGER_TENANTS: in each authority's
    store, or those given with --authority, one after another)."""
    from projections.engine.catalogue import model
    from projections.engine.rebuild import rebuild as rebuild_model

    model(name)  # an unknown name fails before anything is built
    stores = each_store(Settings(), authority or ())
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>8.0f} events/s"),
        TimeRemainingColumn(),
    )
    for tenant, settings in stores:
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(
                f"Rebuilding {name}" + (f" ({tenant})" if tenant else ""), total=None, rate=0.0
            )

            started = time.monotonic()

            def progress(position: int, head: int, bar=bar, task=task, started=started) -> None:
                rate = position / max(time.monotonic() - started, 1e-6)
                bar.update(task, completed=position, total=head, rate=rate)

            done = rebuild_model(settings.planning_env(), name, progress=progress, parts=parts)
        console.print(
            f"{tenant + ': ' if tenant else ''}{name}: version {done.new_version} is "
            f"in use (was {done.old_version}); {done.events} events in "
            f"{done.seconds:.1f}s ({done.rate:,.0f} events/s)."
        )


@friendly_errors
def read_models(authority: Authorities = None) -> None:
    """Where each read model stands: the version in use, its position, its lag and the
    events it set aside, not taking them (a rebuild tries them again); with
    PLANLEDGER_TENANTS: in each authority's store, or those given with --authority."""
    from interfaces.bootstrap import opened
    from projections.engine.catalogue import MODELS
    from projections.engine.versions import versions_for

    stores = each_store(Settings(), authority or ())
    tenanted = stores[0][0] is not None
    table = Table(
        *(("authority",) if tenanted else ()),
        "read model",
        "version",
        "position",
        "behind by",
        "set aside",
    )
    notes: list[str] = []
    for tenant, settings in stores:
        with opened(settings) as planning:
            head = planning.recorder.max_notification_id() or 0
            versions = versions_for(planning.recorder.datastore)
            for name, read_model in MODELS.items():
                version = versions.active(name)
                view = read_model.open_view(planning.recorder.datastore, version)
                position = view.max_tracking_id(planning.name) or 0
                aside = view.set_aside()
                table.add_row(
                    *((str(tenant),) if tenanted else ()),
                    name,
                    str(version),
                    str(position),
                    str(max(head - position, 0)),
                    str(len(aside)),
                )
                if aside:
                    shown = ", ".join(str(a.notification_id) for a in aside[:SHOWN_SET_ASIDE])
                    more = len(aside) - SHOWN_SET_ASIDE
                    notes.append(
                        f"{f'{tenant}: ' if tenant else ''}{name} v{version} set "
                        f"aside the events at positions {shown}"
                        + (f" and {more} more" if more > 0 else "")
                        + f" (rebuild {name} to try them again)"
                    )
    console.print(table)
    for note in notes:
        console.print(note, soft_wrap=True)
