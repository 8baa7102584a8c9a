"""A small asyncio HTTP/1.1 client (after bench/http.py's): keep-alive, every exchange
bounded by a timeout, and the headers a writer needs (Retry-After, Planledger-Position).

Many clients share one event loop in the harness's process, so this costs little CPU on
the two cores the server and PostgreSQL also use. Any failure closes the connection: its
state is unknown, and the next request dials again.
"""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any


class RequestTimeoutError(Exception):
    """No complete answer within the client's timeout: for the harness, a hang."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    seconds: float
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


IDLE_SECONDS = 4.0
"""A connection idle this long is dialled again before use: uvicorn closes keep-alive
connections after 5 s idle, and a request sent as it does so meets a closed socket, a
failure of the client's making, not the server's."""


class Connection:
    def __init__(self, host: str, port: int, token: str, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.auth = f"Authorization: Bearer {token}\r\n".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_used = 0.0

    async def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """The answer, or ConnectionError / RequestTimeoutError (connection closed)."""
        began = time.monotonic()
        if self.writer is not None and began - self.last_used > IDLE_SECONDS:
            await self.close()
        try:
            status, answer_headers, payload = await asyncio.wait_for(
                self._exchange(method, path, body, headers or {}), self.timeout
            )
        except TimeoutError:
            await self.close()
            raise RequestTimeoutError(f"{method} {path}: no answer in {self.timeout:g} s") from None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
            await self.close()
            raise ConnectionError(f"{method} {path}: {type(e).__name__}") from None
        self.last_used = time.monotonic()
        return Answer(status, payload, time.monotonic() - began, answer_headers)

    async def _exchange(
        self, method: str, path: str, body: Any, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        payload = json.dumps(body).encode() if body is not None else b""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            f"Content-Length: {len(payload)}",
        ]
        if body is not None:
            head.append("Content-Type: application/json")
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write("\r\n".join(head).encode() + b"\r\n" + self.auth + b"\r\n" + payload)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("the server closed the connection")
        status = int(status_line.split()[1])
        answer_headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            answer_headers[name.strip().lower()] = value.strip()
        if "chunked" in answer_headers.get("transfer-encoding", ""):
            raise ValueError("chunked answers are not supported by this client")
        data = await self.reader.readexactly(int(answer_headers.get("content-length", "0")))
        if answer_headers.get("connection", "").lower() == "close":
            await self.close()
        return status, answer_headers, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with suppress(OSError, asyncio.TimeoutError):
                await asyncio.wait_for(self.writer.wait_closed(), 1.0)
        self.reader = self.writer = None
