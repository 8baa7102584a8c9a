"""A parallel first pass for rebuilding a read model on PostgreSQL.

Plans are independent in every read model (a row or a fact belongs to one plan), so the
log up to a position can be folded in parts, one per process, each taking the plans whose
id hashes to it. The parts write their rows without recording a position; when all are
in, the position is recorded once. This is only safe because the version being built is
not in use: if any part fails, the rebuild fails and its tables are dropped, so no reader
or projector ever sees a half-built view (rebuild.py switches readers only afterwards).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from typing import Any

from eventsourcing.persistence import Tracking

from application.planning import Planning
from projections.engine.catalogue import model
from projections.engine.catch_up import OPENED, projection_mapper
from projections.engine.log import read_log
from projections.engine.store import datastore_of


def fill_in_parallel(
    env: Mapping[str, str],
    name: str,
    version: int,
    head: int,
    parts: int,
    batch_size: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Fold every event up to `head` into version `version` of the model, in `parts`
    processes; calls progress(events so far) while they work; returns how many."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        counts = manager.list([0] * parts)
        with ProcessPoolExecutor(parts, mp_context=context) as pool:
            futures = [
                pool.submit(
                    _fill_part, dict(env), name, version, head, part, parts, batch_size, counts
                )
                for part in range(parts)
            ]
            while True:
                done, running = wait(futures, timeout=0.5, return_when=FIRST_EXCEPTION)
                if progress is not None:
                    progress(sum(counts))
                for future in done:
                    future.result()  # a part's error ends the rebuild here
                if not running:
                    return sum(counts)


def _fill_part(
    env: dict[str, str],
    name: str,
    version: int,
    head: int,
    part: int,
    parts: int,
    batch_size: int,
    counts: Any,
) -> None:
    app = Planning(env=env)
    try:
        view: Any = model(name).open_view(datastore_of(app), version)
        mapper = projection_mapper(app)
        recorder: Any = app.recorder
        position, done = 0, 0
        while position < head:
            notifications = read_log(
                recorder, view.store, position, batch_size, head, part=(part, parts)
            )
            if not notifications:
                break
            mapper.preload_keys({n.originator_id for n in notifications if n.topic == OPENED})
            handled = view.handled_topics
            view.write_untracked(
                [
                    (
                        mapper.to_domain_event(n) if n.topic in handled else mapper.passed(n),
                        Tracking(app.name, n.id),
                    )
                    for n in notifications
                ]
            )
            position, done = notifications[-1].id, done + len(notifications)
            counts[part] = done
    finally:
        app.close()
