"""Personal data is neither kept by caches nor quoted by the server's error log."""

from __future__ import annotations

import io
import logging

from interfaces.http.logs import configure_logging
from tests.interfaces.people import CHILD_NAME, LEAD


def test_api_answers_tell_caches_to_keep_nothing(client, plan):
    for path in (f"/api/plans/{plan.plan_id}", f"/api/plans/{plan.plan_id}/history"):
        assert client.get(path, headers=LEAD.headers()).headers["cache-control"] == "no-store"


def test_the_servers_error_log_names_the_error_type_but_never_quotes_it():
    configure_logging()
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    server_log = logging.getLogger("uvicorn.error")
    server_log.addHandler(handler)
    try:
        try:
            raise ValueError(f"could not save {CHILD_NAME}")
        except ValueError as e:
            server_log.error("Exception in ASGI application\n", exc_info=e)
    finally:
        server_log.removeHandler(handler)
    assert "ValueError" in written.getvalue()
    assert CHILD_NAME not in written.getvalue() and "Traceback" not in written.getvalue()
