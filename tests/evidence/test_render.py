"""The renderer pauses the garbage collector while it works, and puts it back as it was."""

from __future__ import annotations

import gc

from interfaces.documents import render


def test_the_collector_is_paused_while_rendering_and_restored_after_the_last_render():
    assert gc.isenabled()
    with render.gc_paused():
        assert not gc.isenabled()
        with render.gc_paused():  # a second render, overlapping the first
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first is still at work
    assert gc.isenabled()


def test_a_collector_switched_off_by_someone_else_stays_off():
    gc.disable()
    try:
        with render.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
