"""Datasette load generator: latency percentiles, requests/s and errors under N concurrent clients.

What belongs here: choosing the benchmark's URLs from a release folder (a table
page, a facet page, a full-text search, a canned query, a CSV export) and
hitting an already running server with them from this separate process, bounded
by a request count and a duration per (URL, concurrency). Two clients:
``httpx`` (async, exact per-request latencies) and ``wrk`` (C, if installed;
a cross-check that the Python client is not the bottleneck).

    python bench/load.py --base http://127.0.0.1:8765 --site-dir OUT/publish/site \
        [--concurrency 1,10,50] [--duration 10] [--max-requests 3000] [--client httpx|wrk|both]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

DB = "soleimani"
SEARCH_TERM = "Soleimani"


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[k]


def endpoints(site_dir: Path) -> dict[str, str]:
    """The five URLs (paths) for a release: chosen from its counts, metadata and database."""
    site = site_dir.resolve()
    meta = json.loads((site / "metadata.json").read_text())["databases"][DB]
    con = sqlite3.connect(f"file:{site / (DB + '.db')}?mode=ro&immutable=1", uri=True)
    try:
        names = [r[0] for r in con.execute("select name from sqlite_master where type = 'table'")]
        counts = {
            t: con.execute(f'select count(*) from "{t}"').fetchone()[0]
            for t in names
            if t in meta.get("tables", {}) and not t.endswith("_fts")
        }
        # The largest table that has facets configured: a table page and its default facet view.
        faceted = [t for t in counts if meta["tables"].get(t, {}).get("facets") and t not in ("changes", "releases")]
        big = max(faceted, key=lambda t: counts[t])
        facets = [f for f in meta["tables"][big]["facets"] if isinstance(f, str)]
        fts = [t[: -len("_fts")] for t in names if t.endswith("_fts")]
        search_table = max(fts, key=lambda t: counts.get(t, 0)) if fts else big
        urls = {
            "table": f"/{DB}/{big}?_nofacet=1",
            "facet": f"/{DB}/{big}?" + "&".join(f"_facet={quote(f)}" for f in facets),
            "search": f"/{DB}/{search_table}?_search={quote(SEARCH_TERM)}",
            "csv": f"/{DB}/{big}.csv?_size=max",
        }
        queries = meta.get("queries", {})
        if "person_dossier" in queries and "person_mentions" in counts:
            top = con.execute(
                "select person_id from person_mentions group by person_id order by count(*) desc limit 1"
            ).fetchone()
            urls["canned"] = f"/{DB}/person_dossier?person_id={quote(top[0] if top else '')}"
        elif queries:
            name, q = next(iter(queries.items()))
            params = "&".join(f"{p}=" for p in q.get("params", []))
            urls["canned"] = f"/{DB}/{name}?{params}"
    finally:
        con.close()
    return {k: urls[k] for k in ("table", "facet", "search", "canned", "csv") if k in urls}


async def _httpx_run(base: str, path: str, concurrency: int, duration: float, max_requests: int) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors: list[str] = []
    sizes: list[int] = []
    issued = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        deadline = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal issued
            while (max_requests <= 0 or issued < max_requests) and time.perf_counter() < deadline:
                issued += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    dt = time.perf_counter() - t0
                    statuses[str(r.status_code)] = statuses.get(str(r.status_code), 0) + 1
                    if r.status_code != 200:
                        errors.append(f"HTTP {r.status_code}")
                    latencies.append(dt)
                    sizes.append(len(r.content))
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)

        c0, w0 = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall, client_cpu = time.perf_counter() - w0, time.process_time() - c0
    ms = [v * 1000 for v in latencies]
    return {
        "client": "httpx",
        "concurrency": concurrency,
        "requests": len(latencies) + sum(1 for e in errors if not e.startswith("HTTP")),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "statuses": statuses,
        "wall_s": round(wall, 3),
        "rps": round(len(latencies) / wall, 1) if wall else None,
        "p50_ms": round(_pct(ms, 50) or 0, 2),
        "p95_ms": round(_pct(ms, 95) or 0, 2),
        "p99_ms": round(_pct(ms, 99) or 0, 2),
        "max_ms": round(max(ms), 2) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 2) if ms else None,
        "bytes_median": int(statistics.median(sizes)) if sizes else None,
        "client_cpu_share": round(client_cpu / wall, 2) if wall else None,
    }


WRK_LUA = """
local counter = 0
local limit = tonumber(os.getenv("WRK_MAX") or "0")
function response(status, headers, body)
  counter = counter + 1
  if limit > 0 and counter >= limit then wrk.thread:stop() end
end
function init(args)
  -- Without a request cap, drop the callback: wrk then skips parsing and buffering every body,
  -- which otherwise limits it to ~350 req/s on an 867 KB page here.
  if limit == 0 then response = nil end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _wrk_run(base: str, path: str, concurrency: int, duration: float, max_requests: int) -> dict[str, Any]:
    threads = min(2, concurrency)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_LUA)
        script = fh.name
    env = {"WRK_MAX": str(max(1, max_requests // threads)) if max_requests > 0 else "0", "PATH": "/usr/bin:/bin"}
    cmd = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{max(1, int(duration))}s",
           "--timeout", "30s", "-s", script, base + path]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=duration + 60)
    Path(script).unlink(missing_ok=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        return {"client": "wrk", "concurrency": concurrency, "failed": (out.stderr or out.stdout)[-300:]}
    d = json.loads(line[len("WRKJSON "):])
    errors = d["connect"] + d["read"] + d["write"] + d["status"] + d["timeout"]
    secs = d["duration_us"] / 1e6
    return {
        "client": "wrk",
        "concurrency": concurrency,
        "requests": d["requests"],
        "errors": errors,
        "error_kinds": [k for k in ("connect", "read", "write", "status", "timeout") if d[k]],
        "wall_s": round(secs, 3),
        "rps": round(d["requests"] / secs, 1) if secs else None,
        "p50_ms": round(d["p50_us"] / 1000, 2),
        "p95_ms": round(d["p95_us"] / 1000, 2),
        "p99_ms": round(d["p99_us"] / 1000, 2),
        "max_ms": round(d["max_us"] / 1000, 2),
    }


class _Conn:
    """One keep-alive HTTP/1.1 connection on asyncio streams: a client that costs ~0.1 ms a request,
    so 50 of them measure the server, not themselves (``httpx`` does not, see BENCHMARKS.md)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, dict[str, str], int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          f"Accept-Encoding: identity\r\n\r\n".encode("latin-1"))
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
        size = 0
        if "content-length" in headers:
            size = int(headers["content-length"])
            await self.reader.readexactly(size)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                n = int((await self.reader.readline()).split(b";")[0], 16)
                await self.reader.readexactly(n + 2)
                size += n
                if n == 0:
                    break
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, size

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _summary(ms: list[float]) -> dict[str, Any]:
    return {"requests": len(ms), "p50_ms": round(_pct(ms, 50) or 0, 1), "p95_ms": round(_pct(ms, 95) or 0, 1),
            "p99_ms": round(_pct(ms, 99) or 0, 1), "max_ms": round(max(ms), 1) if ms else None}


async def _distinct_run(base: str, urls: list[tuple[str, str]], concurrency: int, duration: float,
                        timeout: float) -> dict[str, Any]:
    """``concurrency`` clients in a closed loop, each taking the next URL of the list (none is asked
    twice) until the list or ``duration`` runs out. Errors: anything but 200, timeouts, broken
    connections. ``cache_hits`` counts responses a response cache served (its ``X-Cache`` header)."""
    from urllib.parse import urlsplit

    u = urlsplit(base)
    host, port = u.hostname or "127.0.0.1", u.port or 80
    lat: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    error_urls: list[str] = []
    statuses: dict[str, int] = {}
    hits = 0
    nbytes = 0
    it = iter(urls)
    deadline = time.perf_counter() + duration

    async def client() -> None:
        nonlocal hits, nbytes
        conn = _Conn(host, port)
        try:
            for kind, path in it:
                if time.perf_counter() >= deadline:
                    break
                t0 = time.perf_counter()
                try:
                    status, headers, size = await asyncio.wait_for(conn.get(path), timeout)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    conn.close()
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    error_urls.append(path)
                    continue
                lat.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                nbytes += size
                hits += headers.get("x-cache") == "hit"
                if status != 200:
                    errors[f"HTTP {status}"] = errors.get(f"HTTP {status}", 0) + 1
                    error_urls.append(path)
        finally:
            conn.close()

    c0, w0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    every = [v for vs in lat.values() for v in vs]
    return {
        "client": "distinct", "concurrency": concurrency, **_summary(every),
        "errors": sum(errors.values()), "error_kinds": errors, "error_urls": error_urls[:10],
        "statuses": statuses, "cache_hits": hits, "wall_s": round(wall, 2),
        "rps": round(len(every) / wall, 1) if wall else None, "mb": round(nbytes / 1e6, 1),
        "client_cpu_share": round(cpu / wall, 2) if wall else None,
        "by_kind": {k: _summary(v) for k, v in sorted(lat.items())},
    }


def run_distinct(base: str, urls: list[tuple[str, str]], concurrency: list[int], duration: float,
                 timeout: float = 30.0) -> list[dict[str, Any]]:
    """One run per concurrency, each on its own slice of the URL list (no URL is asked twice in
    the whole benchmark), with the 1-minute load average before and after."""
    results = []
    start = 0
    for n in concurrency:
        load0 = os.getloadavg()[0]
        r = asyncio.run(_distinct_run(base, urls[start:], n, duration, timeout))
        start += r["requests"] + r["errors"]
        r.update({"loadavg_1m_before": round(load0, 2), "loadavg_1m_after": round(os.getloadavg()[0], 2),
                  "drain_s": round(_drain(base), 2)})
        results.append(r)
        print(f"  distinct c={n:<3} {r['requests']:>6} req {r['rps']!s:>7} req/s p50 {r['p50_ms']} p95 {r['p95_ms']} "
              f"p99 {r['p99_ms']} ms, errors {r['errors']} {r['error_kinds'] or ''}, cache hits {r['cache_hits']}, "
              f"load {r['loadavg_1m_before']}->{r['loadavg_1m_after']}", file=sys.stderr, flush=True)
        for kind, k in r["by_kind"].items():
            print(f"      {kind:<7} {k['requests']:>5} req p50 {k['p50_ms']} p95 {k['p95_ms']} p99 {k['p99_ms']} ms",
                  file=sys.stderr, flush=True)
    if start >= len(urls):
        print("  warning: the URL list ran out; raise --distinct", file=sys.stderr)
    return results


def _drain(base: str, limit_s: float = 60.0) -> float:
    """Wait until the server answers a cheap request quickly (work queued by a finished run is done)."""
    import httpx

    t0 = time.perf_counter()
    fast = 0
    with httpx.Client(base_url=base, timeout=30.0) as c:
        while time.perf_counter() - t0 < limit_s and fast < 3:
            t = time.perf_counter()
            c.get("/-/versions.json")
            fast = fast + 1 if time.perf_counter() - t < 0.02 else 0
            time.sleep(0.05)
    return time.perf_counter() - t0


def service_times(site_dir: Path, urls: dict[str, str], n: int = 20, top: int = 12) -> dict[str, Any]:
    """Per-request cost of each URL in process (Datasette's ASGI client, one at a time, no network),
    and a cProfile of the costliest one: what bounds requests/s on one core."""
    import cProfile
    import io
    import pstats

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pipeline.serve import datasette_app

    app = datasette_app(site_dir)
    times: dict[str, float] = {}
    first: dict[str, float] = {}  # the URL's first request in this process: a cold miss if a response cache is on
    cache: dict[str, str | None] = {}

    async def go() -> None:
        await app.invoke_startup()
        for name, path in urls.items():
            t0 = time.perf_counter()
            await app.client.get(path)
            first[name] = round((time.perf_counter() - t0) * 1000, 2)
            for _ in range(2):
                r = await app.client.get(path)
            cache[name] = r.headers.get("x-cache")
            samples = []
            for _ in range(n):
                t0 = time.perf_counter()
                await app.client.get(path)
                samples.append((time.perf_counter() - t0) * 1000)
            times[name] = round(statistics.median(samples), 2)

    asyncio.run(go())
    worst = max((k for k in times if k != "canned"), key=lambda k: times[k], default=None)
    profiles = {}
    for name in sorted({worst or "table", "table"}):
        prof = cProfile.Profile()

        async def prof_run(path: str = urls[name]) -> None:
            for _ in range(n):
                await app.client.get(path)

        prof.enable()
        asyncio.run(prof_run())
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime").print_stats(top)
        profiles[name] = [ln.strip() for ln in buf.getvalue().splitlines() if ln.strip()[:1].isdigit()][:top]
    return {"service_time_ms": times, "service_time_first_ms": first, "service_x_cache": cache,
            "service_profile": profiles}


def run_load(
    base: str,
    urls: dict[str, str],
    concurrency: list[int],
    duration: float,
    max_requests: int,
    client: str = "httpx",
    warmup: int = 5,
) -> list[dict[str, Any]]:
    import httpx

    results = []
    cold: dict[str, dict[str, Any]] = {}
    with httpx.Client(base_url=base, timeout=30.0) as c:  # warm caches (page cache, SQLite, templates, responses)
        for name, path in urls.items():
            for i in range(warmup):
                t0 = time.perf_counter()
                resp = c.get(path)
                if i in (0, 1):  # the first request is the server's cold miss; the second may hit a response cache
                    cold.setdefault(name, {})["first_ms" if i == 0 else "second_ms"] = round(
                        (time.perf_counter() - t0) * 1000, 2)
                    cold[name]["x_cache" if i == 0 else "x_cache_second"] = resp.headers.get("x-cache")
    print(f"  cold (first, second request): {json.dumps(cold)}", file=sys.stderr, flush=True)
    clients = ["httpx", "wrk"] if client == "both" else [client]
    if "wrk" in clients and shutil.which("wrk") is None:
        clients.remove("wrk")
    for name, path in urls.items():
        for n in concurrency:
            for cl in clients:
                if cl == "httpx":
                    r = asyncio.run(_httpx_run(base, path, n, duration, max_requests))
                else:
                    r = _wrk_run(base, path, n, duration, max_requests)
                r.update({"endpoint": name, "path": path, "drain_s": round(_drain(base), 2)})
                r["cold"] = cold.get(name)
                results.append(r)
                print(
                    f"  {name:<7} c={n:<3} {cl:<5} {r.get('requests', 0):>6} req {r.get('rps')!s:>7} req/s "
                    f"p50 {r.get('p50_ms')} p95 {r.get('p95_ms')} p99 {r.get('p99_ms')} ms, errors {r.get('errors')}",
                    file=sys.stderr,
                    flush=True,
                )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8765")
    parser.add_argument("--site-dir", type=Path, required=True, help="the release being served (to pick URLs)")
    parser.add_argument("--concurrency", default="1,10,50")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per (URL, concurrency) at most")
    parser.add_argument("--max-requests", type=int, default=3000,
                        help="requests per (URL, concurrency) at most; 0: no cap (wrk then skips reading bodies)")
    parser.add_argument("--client", choices=["httpx", "wrk", "both"], default="httpx")
    parser.add_argument("--only", help="comma-separated endpoint names (table,facet,search,canned,csv)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--service-time", action="store_true", help="also time and profile each URL in process")
    parser.add_argument("--distinct", type=int, default=0, metavar="N",
                        help="instead: N distinct URLs of every kind (bench/load_urls.py), none asked twice")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, --distinct (counts as an error)")
    args = parser.parse_args(argv)
    if args.distinct:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from load_urls import distinct_urls

        pairs = distinct_urls(args.site_dir, args.distinct)
        conc = [int(x) for x in args.concurrency.split(",")]
        res = {"distinct_urls": len(pairs), "sample_urls": [p for _, p in pairs[:20]],
               "results": run_distinct(args.base, pairs, conc, args.duration, args.timeout)}
        text = json.dumps(res, indent=1) + "\n"
        args.json.write_text(text) if args.json else print(text)
        return 0
    urls = endpoints(args.site_dir)
    if args.only:
        keep = set(args.only.split(","))
        urls = {k: v for k, v in urls.items() if k in keep}
    conc = [int(x) for x in args.concurrency.split(",")]
    results = run_load(args.base, urls, conc, args.duration, args.max_requests, args.client)
    out: dict[str, Any] = {"urls": urls, "results": results}
    if args.service_time:
        out.update(service_times(args.site_dir, urls))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    else:
        print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
