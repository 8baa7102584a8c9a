"""Read models: keep them up to date (`project`), rebuild one (`rebuild`), see where
they stand (`read-models`)."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from interfaces.cli.common import console, friendly_errors
from interfaces.settings import Settings


@friendly_errors
def project(
    heartbeat: Annotated[
        Path | None, typer.Option(help="Touch this file while every read model is kept up "
                                       "(for a container health check)")
    ] = None,
    poll: Annotated[float, typer.Option(help="Seconds between checks (SQLite: for new events)")]
    = 0.5,
) -> None:
    """Keep the read models up to date until stopped (SIGTERM or Ctrl-C).

    On PostgreSQL each model is fed by eventsourcing's ProjectionRunner (notified of new
    events); on SQLite by a catch-up loop that polls."""
    from projections.runtime import Projector

    projector = Projector(Settings().planning_env(), poll_seconds=poll, heartbeat=heartbeat)

    def stop(signum: int, frame: FrameType | None) -> None:
        projector.stopping.set()  # only sets an Event: safe in a signal handler

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    console.print(f"Projecting {', '.join(m.name for m in projector.models)}; "
                  "stop with Ctrl-C or SIGTERM.")
    projector.run_forever()
    console.print("Stopped.")


@friendly_errors
def rebuild(
    name: Annotated[str, typer.Argument(help="The read model: plan_summaries or reports")],
    parts: Annotated[int, typer.Option(min=1, max=16, help="Processes folding the log "
                                       "(PostgreSQL; see bench/projections.py)")] = 1,
) -> None:
    """Rebuild one read model from the event store beside the one in use, then switch
    readers to it once it has caught up."""
    from projections.catalogue import model
    from projections.rebuild import rebuild as rebuild_model

    model(name)  # an unknown name fails before anything is built
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:>8.0f} events/s"), TimeRemainingColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(f"Rebuilding {name}", total=None, rate=0.0)

        started = time.monotonic()

        def progress(position: int, head: int) -> None:
            rate = position / max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=position, total=head, rate=rate)

        done = rebuild_model(Settings().planning_env(), name, progress=progress, parts=parts)
    console.print(f"{name}: version {done.new_version} is in use (was {done.old_version}); "
                  f"{done.events} events in {done.seconds:.1f}s ({done.rate:,.0f} events/s).")


@friendly_errors
def read_models() -> None:
    """Where each read model stands: the version in use, its position and its lag."""
    from application.planning import Planning
    from projections.catalogue import MODELS
    from projections.versions import versions_for

    planning = Planning(env=Settings().planning_env())
    try:
        head = planning.recorder.max_notification_id() or 0
        versions = versions_for(planning.recorder.datastore)
        table = Table("read model", "version", "position", "behind by")
        for name, read_model in MODELS.items():
            version = versions.active(name)
            view = read_model.open_view(planning.recorder.datastore, version)
            position = view.max_tracking_id(planning.name) or 0
            table.add_row(name, str(version), str(position), str(max(head - position, 0)))
        console.print(table)
    finally:
        planning.close()
