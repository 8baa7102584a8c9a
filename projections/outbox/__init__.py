"""The outbox: the messages each change to a plan calls for (domain/notifications.py),
fed by the event log like every read model, so that none is lost across crashes, and
what the mail sender did with each (application/mail.py).

fold.py makes the messages, view.py says what the view answers, postgres.py and
sqlite.py are the view on each store.
"""

from __future__ import annotations

from projections.engine.store import Store
from projections.engine.views import ReadModel
from projections.outbox.postgres import PostgresOutboxView
from projections.outbox.sqlite import SQLiteOutboxView
from projections.outbox.view import OutboxProjection

MODEL = ReadModel(
    OutboxProjection, {Store.POSTGRES: PostgresOutboxView, Store.SQLITE: SQLiteOutboxView}
)
