"""The floor for bench/http.py --floor, and a count of PostgreSQL round trips.

The floor is the least a service can do per authenticated read: a FastAPI app that
verifies the same HS256 token and selects one 2 KB row through psycopg_pool. What
Planledger spends per request above it is what its own design costs.

A round trip is counted by a TCP proxy between the server and PostgreSQL: one each time a
connection's client sends after it last received (a pipelined batch is one), which is the
wait the client pays for whatever it sends.

    uvicorn bench.floor:app (run by bench/http.py, with FLOOR_DATABASE_URL and FLOOR_SECRET)
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Annotated

import jwt
from fastapi import FastAPI, Header, HTTPException, Response

FLOOR_ROWS = 64
ROW_BYTES = 2048

app = FastAPI()
_pool = None


def _connections():
    global _pool
    if _pool is None:
        from psycopg_pool import ConnectionPool

        _pool = ConnectionPool(
            os.environ["FLOOR_DATABASE_URL"],
            min_size=4,
            max_size=8,
            kwargs={"autocommit": True},  # one round trip a read: the tightest floor
        )
    return _pool


@app.get("/readyz")
def ready() -> dict[str, str]:
    return {"status": "ready"}


@app.get("/rows/{row_id}")
def row(row_id: int, authorization: Annotated[str, Header()]) -> Response:
    try:
        jwt.decode(
            authorization.removeprefix("Bearer "), os.environ["FLOOR_SECRET"], algorithms=["HS256"]
        )
    except jwt.InvalidTokenError:
        raise HTTPException(401) from None
    with _connections().connection() as conn:
        found = conn.execute(
            "SELECT body FROM floor_rows WHERE id = %s", (row_id,), prepare=True
        ).fetchone()
    if found is None:
        raise HTTPException(404)
    return Response(found[0], media_type="application/json")


def create_floor_rows(conn) -> None:
    conn.execute("CREATE TABLE floor_rows (id int PRIMARY KEY, body text NOT NULL)")
    body = '{"text": "' + "x" * (ROW_BYTES - 12) + '"}'
    conn.cursor().executemany(
        "INSERT INTO floor_rows VALUES (%s, %s)", [(n, body) for n in range(FLOOR_ROWS)]
    )


class RoundTrips:
    """A TCP proxy on 127.0.0.1:`port` to PostgreSQL at `target`, counting round trips
    (see above) in its own thread and event loop."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.count = 0
        self.port = 0
        self.sent: list[bytes] = []  # the start of each round trip's bytes, when `keep`
        self.keep = False
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(*self.target)
        answered = [True]  # the next bytes from the client start a new round trip

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter, up: bool) -> None:
            try:
                while data := await src.read(65536):
                    if up and answered[0]:
                        self.count += 1
                        if self.keep:
                            self.sent.append(data[:300])
                    answered[0] = not up
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pump(client_r, server_w, True), pump(server_r, client_w, False))
