"""Datasette plugin: an in-memory cache of complete GET responses for the immutable release.

What belongs here: the response cache and nothing else: which requests and
responses may be cached, the cache key, the byte-bounded LRU, collapsing
concurrent misses for the same URL into one computation, and the ``X-Cache:
hit|miss`` header. Site features (pages, template variables) belong in
``soleimani_site.py``.

Why it is safe: a release is served immutable (``-i``) and never changes after
publishing, so a URL's page is a pure function of the URL. The cache behaves
like a shared HTTP cache obeying Datasette's own headers:

- requests: only ``GET`` without ``Cookie`` or ``Authorization`` (those can
  change the page: actor, flash messages, CSRF tokens), not ``/-/...`` (live
  introspection pages such as ``/-/threads``) and not files of static mounts
  (``/downloads/<file>``: already served from disk, and large);
- responses: only ``200`` without ``Set-Cookie``, without ``no-store``,
  ``no-cache`` or ``private`` (Datasette marks personalised pages ``private,
  no-store``; ``?_ttl=0`` is ``no-cache``), varying on nothing but ``Cookie``
  and ``Authorization`` (which cached requests never carry), and at most the
  entry bound; kept for ``max-age`` seconds, or ``default_cache_ttl`` when
  Datasette sends no ``Cache-Control`` (CSV, the home page), so a page degraded
  by a timed-out facet stays no longer than a browser may keep it anyway;
- the key is scheme, host, root path, raw path and query string, so different
  query strings are different entries and absolute URLs stay right.

Bounds come from ``SOLEIMANI_RESPONSE_CACHE_MB`` (total, default 64;
0 disables the cache) and ``SOLEIMANI_RESPONSE_CACHE_ENTRY_MB`` (one response,
default 8), read when Datasette builds its ASGI app.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, NamedTuple

from datasette import hookimpl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Key = tuple[str, bytes, str, bytes, bytes]

ENV_TOTAL_MB = "SOLEIMANI_RESPONSE_CACHE_MB"
ENV_ENTRY_MB = "SOLEIMANI_RESPONSE_CACHE_ENTRY_MB"
DEFAULT_TOTAL_MB = 64.0
DEFAULT_ENTRY_MB = 8.0
HEADER = b"x-cache"
VARY_OK = {b"cookie", b"authorization"}  # request headers that make a request uncacheable anyway
ENTRY_OVERHEAD = 512  # bytes counted per entry on top of body and headers (key, bookkeeping)


class Entry(NamedTuple):  # not a dataclass: --plugins-dir modules are not in sys.modules
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    expires: float

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + ENTRY_OVERHEAD


class ResponseCache:
    """Complete responses by key, least recently used evicted first once ``max_bytes`` is exceeded."""

    def __init__(self, max_bytes: int, max_entry_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self.evictions = 0
        self._entries: OrderedDict[Key, Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key, now: float) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires <= now:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: Key, entry: Entry) -> None:
        if entry.size > self.max_entry_bytes:
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = entry
        self.bytes += entry.size
        while self.bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))
            self.evictions += 1

    def _drop(self, key: Key) -> None:
        self.bytes -= self._entries.pop(key).size


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def request_key(scope: Scope, static_prefixes: tuple[str, ...] = ()) -> Key | None:
    """The cache key of a request, or None if it must not be answered from the cache."""
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return None
    path: str = scope.get("path", "")
    if path.startswith("/-/") or any(path.startswith(p) and len(path) > len(p) for p in static_prefixes):
        return None
    headers = list(scope.get("headers") or [])
    if _header(headers, b"cookie") is not None or _header(headers, b"authorization") is not None:
        return None
    raw_path: bytes = scope.get("raw_path") or path.encode("utf-8")
    return (
        str(scope.get("scheme", "http")),
        _header(headers, b"host") or b"",
        str(scope.get("root_path", "")),
        raw_path,
        bytes(scope.get("query_string", b"")),
    )


def response_ttl(status: int, headers: list[tuple[bytes, bytes]], default_ttl: float) -> float | None:
    """Seconds a response may be kept, or None if it must not be cached."""
    if status != 200 or _header(headers, b"set-cookie") is not None:
        return None
    vary = {v.strip().lower() for k, v0 in headers if k.lower() == b"vary" for v in v0.split(b",") if v.strip()}
    if not vary <= VARY_OK:
        return None
    seconds = default_ttl
    for d in (_header(headers, b"cache-control") or b"").split(b","):
        d = d.strip().lower()
        if d in (b"no-store", b"no-cache", b"private"):
            return None
        if d.startswith(b"max-age="):
            try:
                seconds = float(int(d[len(b"max-age="):]))
            except ValueError:
                return None
    return seconds if seconds > 0 else None


class CachingApp:
    """ASGI middleware: answers cacheable GETs from a ResponseCache, fills it on a miss."""

    def __init__(
        self, app: ASGIApp, cache: ResponseCache, default_ttl: float, static_prefixes: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.cache = cache
        self.default_ttl = default_ttl
        self.static_prefixes = static_prefixes
        self.clock = time.monotonic
        self._inflight: dict[Key, asyncio.Future[Entry | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = request_key(scope, self.static_prefixes)
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self.cache.get(key, self.clock())
        waited = False
        if entry is None and key in self._inflight:  # the same URL is being computed: wait for it
            entry, waited = await asyncio.shield(self._inflight[key]), True
        if entry is not None:
            self.cache.hits += 1
            await send({"type": "http.response.start", "status": entry.status,
                        "headers": [*entry.headers, (HEADER, b"hit")]})
            await send({"type": "http.response.body", "body": entry.body, "more_body": False})
            return
        self.cache.misses += 1
        if waited:  # the response we waited for was not cacheable: compute our own
            await self._forward(scope, receive, send)
            return
        done: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self._inflight[key] = done
        result: Entry | None = None
        try:
            result = await self._forward(scope, receive, send)
            if result is not None:
                self.cache.put(key, result)
        finally:
            del self._inflight[key]
            done.set_result(result)

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> Entry | None:
        """Run the app, passing its messages on (marked ``miss``); return the response if cacheable."""
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        ttl: float | None = None
        chunks: list[bytes] = []
        size = 0
        complete = False

        async def capture(message: Message) -> None:
            nonlocal status, headers, ttl, size, complete
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(bytes(k), bytes(v)) for k, v in message.get("headers") or [] if bytes(k).lower() != HEADER]
                ttl = response_ttl(status, headers, self.default_ttl)
                message = {**message, "headers": [*headers, (HEADER, b"miss")]}
            elif message["type"] == "http.response.body" and ttl is not None:
                body = bytes(message.get("body", b""))
                size += len(body)
                if size > self.cache.max_entry_bytes:  # too big (e.g. a streamed CSV): stop keeping it
                    ttl, chunks[:] = None, []
                else:
                    chunks.append(body)
                    complete = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, capture)
        if ttl is None or not complete:
            return None
        return Entry(status=status, headers=headers, body=b"".join(chunks), expires=self.clock() + ttl)


def _mb_from_env(name: str, default: float) -> int:
    value = os.environ.get(name, "").strip()
    return int(float(value) * 1024 * 1024) if value else int(default * 1024 * 1024)


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
    total = _mb_from_env(ENV_TOTAL_MB, DEFAULT_TOTAL_MB)
    entry = _mb_from_env(ENV_ENTRY_MB, DEFAULT_ENTRY_MB)
    default_ttl = float(datasette.setting("default_cache_ttl") or 0)
    static = tuple(f"/{mount.strip('/')}/" for mount, _ in getattr(datasette, "static_mounts", None) or [])

    def wrap(app: ASGIApp) -> ASGIApp:
        if total <= 0:
            return app
        return CachingApp(app, ResponseCache(total, entry), default_ttl, static)

    return wrap
