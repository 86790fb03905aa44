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
    base, proc = server
    urls = [path for _, path in distinct_urls(site.site_dir, 160)]
    assert any(p.split("?")[0].endswith(".json") for p in urls) and any("." not in p.split("?")[0] for p in urls)
    before = workers_of(proc.pid)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda p: (p, *get(base + p)), urls))
    bad = [(p, status, body[:200]) for p, status, body in answers if status != 200]
    assert not bad, bad[:5]
    after = workers_of(proc.pid)
    assert set(after) == set(before)
    busy = {pid: after[pid] - before[pid] for pid in before}
    assert all(cpu > 0 for cpu in busy.values()), f"a worker computed no page: {busy}"
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
    filters = {n: [c for c, _, _ in t.foreign_keys] + [f for f in _facets(t, dictionary) if isinstance(f, str)]
               for n, t in dictionary.tables.items()}
    wanted = serving_indexes(dictionary, DEFAULT_SORT, filters)
    assert ("claims", ("table", "row_id", "property")) in wanted and ("events", ("source_id", "date_start")) in wanted
    with sqlite3.connect(f"file:{site.site_dir / DB_FILE}?mode=ro", uri=True) as conn:
        have = {(table, tuple(r[2] for r in conn.execute(f'pragma index_info("{name}")')))
                for name, table in conn.execute("select name, tbl_name from sqlite_master where type = 'index'")}
        assert set(wanted) <= have, set(wanted) - have
