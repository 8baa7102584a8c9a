"""HTML to PDF with WeasyPrint, made deterministic: the same data gives the same bytes.

A family's copy is identified by its SHA-256, so nothing in a PDF may depend on when,
where or how often it was rendered:
- no creation or modification date (we never set `dcterms.created`/`modified`, and
  WeasyPrint writes no /CreationDate without them), no /ID (`pdf_identifier` stays unset),
  no PDF/A or PDF/X variant (those add a random XMP DocumentID);
- fonts come from the files vendored beside this module (`fonts/`, DejaVu under its
  licence) through @font-face, never from the system's fontconfig, and the stylesheet
  names no other family;
- dates are formatted by our own filters, never by the locale (`%B` would follow LANG);
- fonts are subset by HarfBuzz (Debian's libharfbuzz-subset0). WeasyPrint's fallback,
  fontTools, stamps the subset font's `head.modified` with the current time, so without
  HarfBuzz-Subset we refuse to render rather than make a copy that cannot be reproduced.
The renderer's version (WeasyPrint, pydyf, fontTools and the system's Pango/HarfBuzz)
is part of the output too, which is why pyproject.toml pins the Python ones exactly.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2
from weasyprint import CSS, HTML, Document
from weasyprint.text import ffi as weasyprint_ffi
from weasyprint.text.fonts import FontConfiguration

HERE = Path(__file__).parent
STYLESHEET = HERE / "templates" / "documents.css"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value: date | str | None) -> str:
    """14 March 2016, in English whatever the machine's locale."""
    if value is None or value == "":
        return "not set"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def instant(value: datetime | str) -> str:
    """An instant as UTC, to the second: 2026-03-01 09:00:00 UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["long_date"] = long_date
_environment.filters["instant"] = instant


def render_html(template: str, **context: Any) -> str:
    return _environment.get_template(template).render(**context)


class RendererUnavailableError(RuntimeError):
    pass


def check_deterministic() -> None:
    if weasyprint_ffi.harfbuzz_subset is None:
        msg = (
            "PDF rendering needs HarfBuzz-Subset (Debian: libharfbuzz-subset0) for "
            "reproducible output; install it."
        )
        raise RendererUnavailableError(msg)


class RendererBusyError(RuntimeError):
    """Every rendering slot stayed taken while this request waited for one."""

    retry_after_seconds = 10


RENDERS_AT_ONCE = 4
WAIT_FOR_RENDERER_SECONDS = 20.0
_render_slots = threading.BoundedSemaphore(RENDERS_AT_ONCE)


@contextmanager
def render_slot() -> Iterator[None]:
    """At most RENDERS_AT_ONCE documents in progress in a process. They are laid out by
    the layout workers (workers.py), taking turns piece by piece, so a long bundle does
    not hold up a short copy; more at once would only lengthen each one's wait and keep
    their HTML in memory. A request that cannot get a slot within
    WAIT_FOR_RENDERER_SECONDS gets RendererBusyError (HTTP: 503 with Retry-After)."""
    if not _render_slots.acquire(timeout=WAIT_FOR_RENDERER_SECONDS):
        raise RendererBusyError("every PDF rendering slot is busy")
    try:
        yield
    finally:
        _render_slots.release()


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while WeasyPrint works. Laying out builds hundreds
    of thousands of boxes, and the collector kept walking all of them: about a fifth of a
    large bundle's time. Nothing it would free is let go of before the document is done
    anyway, and reference counting still frees the rest. Counted, so that overlapping
    renders (threads of the web server) turn it back on only when the last one ends."""
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


def layout(html: str) -> Document:
    """Lay the HTML out into pages (the document knows its pages and their anchors)."""
    check_deterministic()
    with gc_paused():
        fonts = FontConfiguration()
        stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts)
        return HTML(string=html, base_url=str(HERE)).render(
            stylesheets=[stylesheet], font_config=fonts
        )


def pdf_bytes(document: Document) -> bytes:
    with gc_paused():
        return document.write_pdf()
