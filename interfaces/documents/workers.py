"""PDF layout in worker processes, shared by every document a server process renders.

WeasyPrint is pure Python under the GIL: a bundle laid out in a web server's thread held
the interpreter for seconds, and one long bundle kept every other PDF waiting behind it.
Here each document is laid out as one or more pieces (a bundle: many, see bundle.py), by a
pool of processes, one per core the process may use. A document keeps at most
`IN_FLIGHT` pieces queued at once, so that documents asked for at the same time take turns
piece by piece: a family's copy asked for during a 5,000-event bundle waits for a piece or
two of it, not for all of it. Spawned, not forked: a web server's threads and connections
must not be copied into a child.

What a piece gives back is plain data (its PDF, each page's anchors and the links to
anchors it does not hold), never WeasyPrint's objects: those would not survive pickling.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

PX = 0.75
"""Points per CSS pixel: WeasyPrint's page geometry is in CSS pixels (96 to the inch)."""


@dataclass(frozen=True)
class Anchor:
    name: str
    x: float
    y: float
    """Points from the page's top-left corner."""


@dataclass(frozen=True)
class Link:
    page: int
    target: str
    """The anchor's name: one held by another piece of the same document."""
    rect: tuple[float, float, float, float]
    """Points from the page's top-left corner: left, top, right, bottom."""


@dataclass(frozen=True)
class Laid:
    pdf: bytes
    anchors: tuple[tuple[Anchor, ...], ...]
    """Each page's anchors, in page order."""
    links: tuple[Link, ...] = ()
    """Links to anchors in other pieces (WeasyPrint drops them from this piece's PDF)."""

    @property
    def pages(self) -> int:
        return len(self.anchors)


def lay_out(html: str) -> Laid:
    """One piece, laid out and written, in the calling process."""
    from interfaces.documents import render

    document = render.layout(html)
    here = {name for page in document.pages for name in page.anchors}
    links = []
    for index, page in enumerate(document.pages):
        elsewhere = [link for link in page.links if link[0] == "internal" and link[1] not in here]
        for _, target, (left, top, right, bottom), _ in elsewhere:
            links.append(Link(index, target, (left * PX, top * PX, right * PX, bottom * PX)))
        page.links[:] = [link for link in page.links if link not in elsewhere]
    anchors = tuple(
        tuple(Anchor(name, x * PX, y * PX) for name, (x, y, _, _) in page.anchors.items())
        for page in document.pages
    )
    return Laid(pdf=render.pdf_bytes(document), anchors=anchors, links=tuple(links))


def _warm() -> None:
    """A worker's first piece should not pay for importing WeasyPrint and Pango."""
    from interfaces.documents import render

    render.check_deterministic()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


WORKERS = _cores()
IN_FLIGHT = WORKERS
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                WORKERS, mp_context=multiprocessing.get_context("spawn"), initializer=_warm
            )
        return _pool


def _discard(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def worker_pids() -> list[int]:
    """The layout workers' process ids (for measuring their CPU: bench/evidence.py)."""
    with _lock:
        return list(_pool._processes) if _pool is not None else []


def lay_out_all(htmls: Iterable[str]) -> list[Laid]:
    """Each piece laid out by the pool, in order, at most IN_FLIGHT queued at a time. A
    worker that died (killed, out of memory) breaks the pool: a new one lays the
    document out once more, and a second failure is raised."""
    pieces = list(htmls)
    pool = _executor()
    try:
        return _in_turn(pool, pieces)
    except BrokenProcessPool:
        _discard(pool)
    return _in_turn(_executor(), pieces)


def _in_turn(pool: ProcessPoolExecutor, pieces: list[str]) -> list[Laid]:
    """The longest pieces first (their HTML's length stands for their layout's), so that
    the last to finish is a short one; given back in the document's order."""
    order = sorted(range(len(pieces)), key=lambda i: -len(pieces[i]))
    done: dict[int, Laid] = {}
    waiting: deque[tuple[int, Future[Laid]]] = deque()
    for i in order:
        if len(waiting) >= IN_FLIGHT:
            j, future = waiting.popleft()
            done[j] = future.result()
        waiting.append((i, pool.submit(lay_out, pieces[i])))
    done.update((j, future.result()) for j, future in waiting)
    return [done[i] for i in range(len(pieces))]
