"""A real distributed build: redis-server, two dagster-celery workers, the seeds through them.

It runs ``pipeline.cli cluster-build`` on a copy of the seeds and compares every published table,
row for row, with the in-process build of the session fixture ``built``; it also reads Dagster's
event log to show that steps ran on both workers and that the warehouse writer ran on one only.
Bounded: the build has its own timeout, and its process group, the broker and the workers are
killed in a ``finally`` whatever happens.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cluster import stop_recorded
from pipeline.paths import REPO_ROOT, Paths

# ~85 s for the cluster build on an idle 2-core machine; 3x that when other builds share the cores.
BUILD_TIMEOUT = 420
# Release metadata: when the release was built differs by construction, nothing else may.
VOLATILE = {"releases": {"built_at"}}

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.timeout(BUILD_TIMEOUT + 180),  # + the in-process `built` when it comes first
]


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(db)
    try:
        out = {}
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for name in names:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")')]
            keep = [c for c in cols if c not in VOLATILE.get(name, set())]
            select = ", ".join(f'"{c}"' for c in keep)
            out[name] = sorted(con.execute(f'SELECT {select} FROM "{name}"').fetchall(), key=repr)
        return out
    finally:
        con.close()


def _step_workers(dagster_home: Path) -> dict[str, set[str]]:
    """step key -> Celery worker names that executed it, from the run's engine events."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    seen: dict[str, set[str]] = {}
    with dg.DagsterInstance.get() as instance:
        for run in instance.get_runs():
            for entry in instance.all_logs(run.run_id):
                event = entry.dagster_event
                if event is None or event.event_type_value != "ENGINE_EVENT" or not event.step_key:
                    continue
                worker = event.event_specific_data.metadata.get("Celery worker")
                if worker is not None:
                    seen.setdefault(event.step_key, set()).add(str(worker.value).split("@")[0])
    return seen


@pytest.fixture(scope="module")
def cluster_built(built, tmp_path_factory: pytest.TempPathFactory) -> Paths:
    raw, out = tmp_path_factory.mktemp("cluster-raw"), tmp_path_factory.mktemp("cluster-out")
    shutil.copytree(built.paths.raw_dir, raw, dirs_exist_ok=True)
    paths = Paths(raw_dir=raw, out_dir=out)
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out), "PYTHONPATH": str(REPO_ROOT)}
    env.pop("DAGSTER_CELERY_BROKER_URL", None)  # always the private local cluster
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "cluster-build", "--workers", "2"], env=env, cwd=REPO_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=BUILD_TIMEOUT)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its parse runs
            proc.wait(timeout=30)
        leftovers = stop_recorded(paths.dagster_home / "cluster")  # broker and workers, by recorded pid
    assert proc.returncode == 0, stderr[-3000:]
    assert "stopped the workers and the broker" in stdout
    assert leftovers == [], f"cluster processes outlived a successful build: {leftovers}"
    return paths


def test_cluster_build_publishes_the_rows_of_the_in_process_build(built, cluster_built: Paths) -> None:
    local = built.paths.site_dir / "downloads"
    remote = cluster_built.site_dir / "downloads"
    expected, got = _tables(local / "soleimani.db"), _tables(remote / "soleimani.db")
    assert sorted(got) == sorted(expected)
    assert expected.get("events"), "the reference build published no events"
    for name, rows in expected.items():
        assert got[name] == rows, f"table {name} differs between the cluster and the in-process build"
    downloads = sorted(p.name for p in local.iterdir() if p.suffix in (".csv", ".parquet"))
    assert downloads == sorted(p.name for p in remote.iterdir() if p.suffix in (".csv", ".parquet"))
    for name in downloads:
        if name.endswith(".csv"):
            assert (remote / name).read_bytes() == (local / name).read_bytes(), name
        else:
            assert pq.read_table(remote / name).equals(pq.read_table(local / name)), name


def test_cluster_build_ran_on_both_workers_with_one_writer(cluster_built: Paths) -> None:
    workers = _step_workers(cluster_built.dagster_home)
    assert set().union(*workers.values()) == {"worker1", "worker2"}, workers
    # the per-source partitions (one parse run per range of sources) went through the workers too
    assert workers.get("parsed_source"), workers
    # only worker 1 consumes the writer queue: DuckDB and the release had one writer
    assert workers["warehouse"] == {"worker1"} and workers["release"] == {"worker1"}, workers
    assert not (cluster_built.dagster_home / "cluster" / "pids.json").exists()
