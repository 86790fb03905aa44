"""Datasette plugin: each server process computes one page at a time, the others wait in arrival order.

What belongs here: the per-process queue in front of Datasette's page computation
(an ASGI wrapper inside the response cache, so cache hits never wait).

Why: a Datasette page is CPU work in one Python thread. When 25 requests share a
process, the event loop interleaves them, and every page finishes only after
nearly all of them: a 30 ms table page takes as long as 25 pages, a row page too.
Served one after the other in arrival order (as a thread- or process-per-request
server would), each waits for those before it and is then done in its own time:
the same throughput, and the slow tail no longer stretches every request. A
request holds its turn until its response starts; a streamed CSV then goes on
sending without holding it, and so does a response whose client reads slowly.
``SOLEIMANI_PAGES_AT_ONCE`` (default 1) sets how many pages a process computes at
once; 0 turns the queue off.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from datasette import hookimpl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ENV_AT_ONCE = "SOLEIMANI_PAGES_AT_ONCE"


class PageQueue:
    """ASGI middleware: at most ``at_once`` HTTP requests before their response starts; FIFO."""

    def __init__(self, app: ASGIApp, at_once: int) -> None:
        self.app = app
        self.at_once = at_once
        self._slots: asyncio.Semaphore | None = None  # made in the server's event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.at_once)
        slots = self._slots
        await slots.acquire()
        held = True

        async def on_send(message: Message) -> None:
            nonlocal held
            if held and message["type"] == "http.response.start":
                held = False
                slots.release()
            await send(message)

        try:
            await self.app(scope, receive, on_send)
        finally:
            if held:
                slots.release()


@hookimpl(tryfirst=True)  # applied first, so it sits inside the response cache's wrapper
def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
    at_once = int(os.environ.get(ENV_AT_ONCE, "").strip() or 1)

    def wrap(app: ASGIApp) -> ASGIApp:
        return PageQueue(app, at_once) if at_once > 0 else app

    return wrap
