"""The multi-process server of ``make serve``: real uvicorn workers over the release, no mocks.

``pipeline.serve.serve_command`` starts uvicorn with two worker processes on a
free port, serving the ``site`` fixture of ``test_publish``. The test asks for
distinct pages and JSON (from ``bench/load_urls.py``: real IDs, filters, sorts,
facets, searches, canned queries) from several clients at once and checks that
every answer is right, that both workers computed pages, and that a killed
worker is replaced while the other keeps serving. Every wait is bounded and the
whole process group is stopped at the end.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from test_publish import fixture_build, site  # noqa: F401  (fixtures reused)

from pipeline.paths import REPO_ROOT, Paths
from pipeline.publish import DB_FILE
from pipeline.serve import serve_command

sys.path.insert(0, str(REPO_ROOT / "bench"))
from load_urls import distinct_urls

WORKERS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def workers_of(pid: int) -> dict[int, float]:
    """The supervisor's worker processes (spawned children running Datasette): pid -> CPU seconds."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == pid and b"multiprocessing.spawn" in cmdline:
            out[int(entry.name)] = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return out


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server(site: Paths, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:  # noqa: F811
    port = free_port()
    cmd, env = serve_command(site.site_dir, port=port, workers=WORKERS)
    log = tmp_path_factory.mktemp("serve") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if proc.poll() is not None:
            pytest.fail("server exited:\n" + log.read_text(errors="replace")[-3000:])
        try:
            return get(base + "/-/versions.json", timeout=2)[0] == 200 and len(workers_of(proc.pid)) == WORKERS
        except OSError:
            return False

    try:
        wait_for(up, 120, "the server and its workers")
        yield base, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the supervisor, its workers and resource tracker
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_workers_serve_distinct_pages_and_json(server: tuple[str, subprocess.Popen[bytes]], site: Paths) -> None:  # noqa: F811
    base, _ = server
    urls = [path for _, path in distinct_urls(site.site_dir, 160)]
    assert any(p.split("?")[0].endswith(".json") for p in urls) and any("." not in p.split("?")[0] for p in urls)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda p: (p, *get(base + p)), urls))
    bad = [(p, status, body[:200]) for p, status, body in answers if status != 200]
    assert not bad, bad[:5]
    for p, _, body in answers:
        if ".json" in p.split("?")[0]:
            assert "rows" in json.loads(body) or "ok" in json.loads(body), p
        else:
            assert b"</html>" in body or p.split("?")[0].endswith(".csv"), p
    # The JSON is this release's: the unfiltered count matches the database.
    with sqlite3.connect(f"file:{site.site_dir / DB_FILE}?mode=ro", uri=True) as conn:
        events = conn.execute("select count(*) from events").fetchone()[0]
    status, body = get(base + "/soleimani/events.json?_size=1")
    assert status == 200 and json.loads(body)["filtered_table_rows_count"] == events


def test_every_worker_serves(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    """Each worker keeps its own response cache, so one URL asked again and again is a miss exactly
    once in each process that answers it: WORKERS misses means every worker served it."""
    base, _ = server
    url = base + "/soleimani/events.json?_size=3&_shape=objects"
    misses = 0
    deadline = time.monotonic() + 90  # a worker still starting (importing) gets its turn later

    def x_cache(_: int) -> str | None:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.headers.get("x-cache")

    while misses < WORKERS and time.monotonic() < deadline:
        with ThreadPoolExecutor(8) as pool:
            misses += sum(h == "miss" for h in pool.map(x_cache, range(16)))
    assert misses == WORKERS


def test_killed_worker_is_replaced(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    base, proc = server
    victim = min(workers_of(proc.pid))
    os.kill(victim, signal.SIGKILL)
    # The other worker keeps serving meanwhile.
    assert get(base + "/soleimani/persons.json?_size=2")[0] == 200
    wait_for(lambda: len(workers_of(proc.pid)) == WORKERS and victim not in workers_of(proc.pid), 90,
             "the supervisor to replace the killed worker")
    for _ in range(10):
        assert get(base + "/soleimani/events?_size=5")[0] == 200


def test_release_has_the_serving_indexes(site: Paths) -> None:  # noqa: F811
    from pipeline.publish import DEFAULT_SORT, _facets
    from pipeline.serving_indexes import serving_indexes
    from schemas.dictionary import load_dictionary

    dictionary = load_dictionary()
    facets = {n: [f for f in _facets(t, dictionary) if isinstance(f, str)] for n, t in dictionary.tables.items()}
    filters = {n: [c for c, _, _ in t.foreign_keys] + facets[n] for n, t in dictionary.tables.items()}
    wanted = serving_indexes(dictionary, DEFAULT_SORT, filters, facets)
    assert ("claims", ("table", "row_id", "property")) in wanted
    # a facet column: then the default sort, the key and the other facets (a filtered page and its counts)
    assert ("events", ("source_id", "date_start", "event_id", "event_type", "country", "date_precision",
                       "disputed")) in wanted
    assert ("claims", ("table", "claim_id", "source_id", "disputed")) in wanted
    # a foreign key that is no facet: the default sort only; numeric and date columns: sorted pages
    assert ("events", ("passage_id", "date_start")) in wanted
    assert ("person_mentions", ("char_start", "mention_id")) in wanted and ("passages", ("ordinal", "passage_id")) in wanted
    assert not any(t == "passages" and cols[0] == "text" for t, cols in wanted)
    with sqlite3.connect(f"file:{site.site_dir / DB_FILE}?mode=ro", uri=True) as conn:
        have = {(table, tuple(r[2] for r in conn.execute(f'pragma index_info("{name}")')))
                for name, table in conn.execute("select name, tbl_name from sqlite_master where type = 'index'")}
        assert set(wanted) <= have, set(wanted) - have
        # the facet counts of a filtered page read an index alone, and a sorted page is an index walk
        plan = " ".join(str(r) for r in conn.execute(
            'explain query plan select disputed as value, count(*) from (select * from claims where "table" = ?)'
            ' where disputed is not null group by disputed', ("events",)))
        assert "COVERING INDEX" in plan, plan
        plan = " ".join(str(r) for r in conn.execute(
            "explain query plan select * from person_mentions order by char_start desc, mention_id desc limit 51"))
        assert "idx_person_mentions_char_start_mention_id" in plan and "TEMP B-TREE" not in plan, plan


def test_page_queue_computes_one_page_at_a_time_in_arrival_order() -> None:
    """publish/plugins/page_queue.py: pages wait their turn until the one before starts its response;
    a streamed response goes on without holding the turn."""
    import asyncio
    import importlib.util

    spec = importlib.util.spec_from_file_location("page_queue", REPO_ROOT / "publish" / "plugins" / "page_queue.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    computing: list[str] = []
    started: list[str] = []
    events: list[str] = []
    overlap = 0

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        nonlocal overlap
        computing.append(scope["path"])
        events.append("compute " + scope["path"])
        overlap = max(overlap, len(computing))
        await asyncio.sleep(0.01)  # the page's work, yielding to the loop as Datasette's awaits do
        computing.remove(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        started.append(scope["path"])
        for _ in range(3):  # a streamed body: sent after the turn is given up
            await asyncio.sleep(0.01)
            await send({"type": "http.response.body", "body": b"x", "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        events.append("streamed " + scope["path"])

    async def run() -> None:
        queue = mod.PageQueue(app, 1)

        async def noop(message):  # type: ignore[no-untyped-def]
            return None

        await asyncio.gather(*(queue({"type": "http", "path": f"/p{i}"}, None, noop) for i in range(6)))

    asyncio.run(run())
    assert overlap == 1 and started == [f"/p{i}" for i in range(6)]
    for i in range(5):  # the next page was computed while this one's body was still streaming
        assert events.index(f"compute /p{i + 1}") < events.index(f"streamed /p{i}"), events
